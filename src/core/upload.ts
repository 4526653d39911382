// Turns the page inputs users have (Blob/File, bytes, a file path in Node, a stream) into Blobs
// the multipart body can carry, with the MIME type read from the bytes themselves: a renamed GIF
// or an HTML error page saved as .jpg is refused before it is sent, not after.
import { InvalidInputError } from '../errors.ts';
import { openFileAsBlob } from './platform.ts';

export type PageInput = Blob | Uint8Array | ArrayBuffer | string | ReadableStream<Uint8Array>;

const SIGNATURES: Array<{ type: string; test: (b: Uint8Array) => boolean }> = [
  { type: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/png', test: (b) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v) },
  { type: 'image/bmp', test: (b) => b[0] === 0x42 && b[1] === 0x4d },
  {
    type: 'image/webp',
    test: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP',
  },
  { type: 'application/pdf', test: (b) => ascii(b, 0, 5) === '%PDF-' },
];

export const ACCEPTED_TYPES = SIGNATURES.map((s) => s.type);

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

/** The MIME type the bytes start with, or undefined when it is none Amani accepts. */
export function sniffMimeType(head: Uint8Array): string | undefined {
  return SIGNATURES.find((s) => s.test(head))?.type;
}

async function toBlob(field: string, input: PageInput): Promise<Blob> {
  if (input instanceof Blob) return input;
  if (input instanceof Uint8Array) return new Blob([input as Uint8Array<ArrayBuffer>]);
  if (input instanceof ArrayBuffer) return new Blob([input]);
  if (typeof input === 'string') return openFileAsBlob(field, input);
  if (input && typeof (input as ReadableStream).getReader === 'function') {
    // A stream has no length up front; multipart needs one, so it is collected once here.
    return new Response(input as ReadableStream<Uint8Array>).blob();
  }
  throw new InvalidInputError(field, 'must be a Blob, File, Uint8Array/Buffer, ArrayBuffer, file path or ReadableStream');
}

/** One page ready for the form: a Blob typed by its content, named page-N.ext. */
export async function preparePage(field: string, input: PageInput, index: number): Promise<File> {
  const blob = await toBlob(field, input);
  if (blob.size === 0) throw new InvalidInputError(field, 'is empty');
  const head = new Uint8Array(await blob.slice(0, 16).arrayBuffer());
  const type = sniffMimeType(head);
  if (!type) {
    throw new InvalidInputError(field, `is not a JPEG, PNG, BMP, WebP or PDF file (checked by its content); convert it to one of these`);
  }
  const extension = { 'image/jpeg': 'jpg', 'application/pdf': 'pdf' }[type] ?? type.split('/')[1];
  // slice() re-types the Blob without copying its bytes.
  return new File([blob.slice(0, blob.size, type)], `page-${index + 1}.${extension}`, { type });
}

export async function preparePages(field: string, pages: unknown): Promise<File[]> {
  if (!Array.isArray(pages) || pages.length === 0) {
    throw new InvalidInputError(field, 'must be a non-empty array of pages in order: front, back, then selfie');
  }
  return Promise.all(pages.map((page, i) => preparePage(`${field}[${i}]`, page as PageInput, i)));
}
