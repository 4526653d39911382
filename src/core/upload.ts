// Turns the page inputs users have (Blob/File, bytes, a file path in Node, a stream) into Files
// the multipart body can carry, with the MIME type read from the bytes themselves: a renamed GIF
// or an HTML error page saved as .jpg is refused before it is sent, not after.
import { InvalidInputError } from '../errors.ts';
import { openFileAsBlob, pageFile, readStream } from './platform.ts';

export type PageInput = Blob | Uint8Array | ArrayBuffer | string | ReadableStream<Uint8Array>;

/** How each accepted type's files start, matched against the first bytes as Latin-1 text. */
const SIGNATURES: Array<{ type: string; start: RegExp }> = [
  { type: 'image/jpeg', start: /^\xff\xd8\xff/ },
  { type: 'image/png', start: /^\x89PNG\r\n\x1a\n/ },
  // "BM", a file size of at least 26 bytes (the smallest headers), 4 reserved zero bytes, a pixel
  // data offset from 26 bytes to 64 KiB, and a known DIB header size (12 core, 40 info, 52/56
  // V2/V3, 108 V4, 124 V5), all little-endian. Text starting with "BM" has no zero bytes.
  { type: 'image/bmp', start: /^BM(?![\0-\x19]\0{3})[^]{4}\0{4}(?![\0-\x19]\0)[^]{2}\0\0[\f(48l|]\0{3}/ },
  { type: 'image/webp', start: /^RIFF[^]{4}WEBP/ },
  { type: 'application/pdf', start: /^%PDF-/ },
];

export const ACCEPTED_TYPES = /* @__PURE__ */ SIGNATURES.map((s) => s.type);

/** The MIME type the bytes start with, or undefined when it is none Amani accepts. */
export function sniffMimeType(head: Uint8Array): string | undefined {
  const text = String.fromCharCode(...head.subarray(0, 18));
  return SIGNATURES.find((s) => s.start.test(text))?.type;
}

async function toBlob(field: string, input: PageInput): Promise<Blob> {
  if (input instanceof Blob) return input;
  if (input instanceof Uint8Array) return new Blob([input as Uint8Array<ArrayBuffer>]);
  if (input instanceof ArrayBuffer) return new Blob([input]);
  if (typeof input === 'string') return openFileAsBlob(field, input);
  // Node reads only the stream's head here and sends the rest as it comes; a browser collects it.
  if (input && typeof (input as ReadableStream).getReader === 'function') return readStream(field, input as ReadableStream<Uint8Array>);
  throw new InvalidInputError(field, 'must be a Blob, File, Uint8Array/Buffer, ArrayBuffer, file path or ReadableStream');
}

/** One page ready for the form: a Blob typed by its content, named page-N.ext. */
export async function preparePage(field: string, input: PageInput, index: number): Promise<File> {
  const blob = await toBlob(field, input);
  if (blob.size === 0) throw new InvalidInputError(field, 'is empty');
  const head = new Uint8Array(await blob.slice(0, 18).arrayBuffer());
  const type = sniffMimeType(head);
  if (!type) {
    throw new InvalidInputError(field, `is not a JPEG, PNG, BMP, WebP or PDF file (checked by its content); convert it to one of these`);
  }
  const extension = { 'image/jpeg': 'jpg', 'application/pdf': 'pdf' }[type] ?? type.split('/')[1];
  return pageFile(blob, `page-${index + 1}.${extension}`, type);
}

export async function preparePages(field: string, pages: unknown): Promise<File[]> {
  if (!Array.isArray(pages) || pages.length === 0) {
    throw new InvalidInputError(field, 'must be a non-empty array of pages in order: front, back, then selfie');
  }
  return Promise.all(pages.map((page, i) => preparePage(`${field}[${i}]`, page as PageInput, i)));
}
