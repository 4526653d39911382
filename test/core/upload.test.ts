// Page inputs for uploads: MIME types sniffed from the bytes, every accepted input shape, and
// documents.upload's multipart body and its refusals before anything is sent.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmaniClient } from '../../src/client.ts';
import { ACCEPTED_TYPES, preparePage, preparePages, sniffMimeType, type PageInput } from '../../src/core/upload.ts';
import { InvalidInputError } from '../../src/errors.ts';
import type { UploadDocumentParams } from '../../src/resources/documents.ts';
import { nockFetch } from '../support/nock-fetch.ts';
import { watchStrayRequests } from '../support/refusals.ts';
import { unreadableStreams } from '../support/streams.ts';

const base = 'https://eu.amani.ai';
const ID = '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e';
const OTHER_ID = '3c9e8a41-1f7b-4d2a-9e55-7a0b6c2d1e90';

const bytes = (...parts: Array<number[] | string>) =>
  new Uint8Array(parts.flatMap((part) => (typeof part === 'string' ? [...Buffer.from(part, 'latin1')] : part)));

// The first bytes of real files of each kind.
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF', [0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
const JPEG_EXIF = bytes([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x18], 'Exif', [0x00, 0x00, 0x49, 0x49, 0x2a, 0x00]);
const PNG = bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d], 'IHDR', [0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01]);
const BMP = bytes('BM', [0x3a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x36, 0x00, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00]);
const WEBP = bytes('RIFF', [0x24, 0x00, 0x00, 0x00], 'WEBPVP8 ', [0x18, 0x00, 0x00, 0x00, 0x30, 0x01, 0x00, 0x9d]);
const PDF = bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n');
const GIF = bytes('GIF89a', [0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x21]);
const GIF87 = bytes('GIF87a', [0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]);
const HTML = bytes('<!DOCTYPE html>\n<html><head><title>Error</title></head><body>Not found</body></html>');
const TEXT = bytes('front of the identity card\n');
const WAV = bytes('RIFF', [0x24, 0x08, 0x00, 0x00], 'WAVEfmt ', [0x10, 0x00, 0x00, 0x00]);
const TIFF = bytes('II*', [0x00, 0x08, 0x00, 0x00, 0x00]);

const hex = (data: Uint8Array | ArrayBuffer) => Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('hex');

async function refusal(promise: Promise<unknown>): Promise<InvalidInputError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('expected an InvalidInputError, the call succeeded');
}

function streamOf(data: Uint8Array, chunkSize: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= data.length) return controller.close();
      controller.enqueue(data.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'amani-upload-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function tempFile(name: string, data: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

describe('sniffMimeType', () => {
  it.each([
    ['JPEG (JFIF)', JPEG, 'image/jpeg'],
    ['JPEG (Exif)', JPEG_EXIF, 'image/jpeg'],
    ['PNG', PNG, 'image/png'],
    ['BMP', BMP, 'image/bmp'],
    ['WebP', WEBP, 'image/webp'],
    ['PDF', PDF, 'application/pdf'],
  ])('recognizes %s', (_name, data, type) => {
    expect(sniffMimeType(data)).toBe(type);
    expect(sniffMimeType(data.subarray(0, 18))).toBe(type);
  });

  it.each([
    ['GIF89a', GIF],
    ['GIF87a', GIF87],
    ['HTML', HTML],
    ['text', TEXT],
    ['WAV (RIFF but not WEBP)', WAV],
    ['TIFF', TIFF],
    ['empty', new Uint8Array(0)],
    ['JPEG cut after two bytes', JPEG.subarray(0, 2)],
    ['PNG cut after four bytes', PNG.subarray(0, 4)],
    ['PDF without the dash', bytes('%PDF1.7')],
  ])('refuses %s', (_name, data) => {
    expect(sniffMimeType(data)).toBeUndefined();
  });

  /** A BMP file header and the size field of its DIB header, with the fields given (little-endian). */
  const bmp = ({ size = 58, reserved = 0, offset = 54, dib = 40 } = {}) => {
    const head = new Uint8Array(18);
    const view = new DataView(head.buffer);
    head.set([0x42, 0x4d]);
    view.setUint32(2, size, true);
    view.setUint32(6, reserved, true);
    view.setUint32(10, offset, true);
    view.setUint32(14, dib, true);
    return head;
  };

  it.each([12, 40, 52, 56, 108, 124])('recognizes a BMP with a %i-byte DIB header', (dib) => {
    expect(sniffMimeType(bmp({ dib, offset: 14 + dib, size: 14 + dib + 4 }))).toBe('image/bmp');
  });

  it('recognizes BMP size and offset fields anywhere in their plausible ranges', () => {
    expect(sniffMimeType(bmp({ size: 26, offset: 26, dib: 12 }))).toBe('image/bmp');
    expect(sniffMimeType(bmp({ size: 0xfffffff0, offset: 0xffff }))).toBe('image/bmp');
  });

  it.each([
    ['text starting with "BM"', bytes('BMW service report, page 1 of 3')],
    ['text starting with "BM" and 18 characters long', bytes('BM0123456789abcdef')],
    ['"BM" cut short of the DIB header size', bmp().subarray(0, 17)],
    ['"BM" alone', bytes('BM')],
    ['a BMP header with non-zero reserved bytes', bmp({ reserved: 1 })],
    ['a BMP header with an unknown DIB header size (64)', bmp({ dib: 64 })],
    ['a BMP header with a DIB header size of 40 + 256', bmp({ dib: 40 + 256 })],
    ['a BMP header with a file size below the smallest headers', bmp({ size: 25 })],
    ['a BMP header with a zero file size', bmp({ size: 0 })],
    ['a BMP header with a pixel offset inside the file header', bmp({ offset: 14 })],
    ['a BMP header with a pixel offset beyond 64 KiB', bmp({ offset: 0x10000 })],
    ['text starting with "RIFF"', bytes('RIFF is a container; this is plain text')],
    ['RIFF with WEBP in the wrong place', bytes('RIFFWEBP', [0, 0, 0, 0], 'VP8 ')],
    ['text starting with "%PD"', bytes('%PD is not a PDF')],
    ['"%PDF" in the middle of text', bytes('see %PDF-1.7')],
    ['FF D8 without the third FF', bytes([0xff, 0xd8, 0x00, 0xe0])],
    ['PNG magic with one byte wrong', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0b])],
    ['PNG magic cut after seven bytes', PNG.subarray(0, 7)],
  ])('refuses %s', (_name, data) => {
    expect(sniffMimeType(data)).toBeUndefined();
  });

  it('accepts exactly JPEG, PNG, BMP, WebP and PDF', () => {
    expect(ACCEPTED_TYPES).toEqual(['image/jpeg', 'image/png', 'image/bmp', 'image/webp', 'application/pdf']);
  });
});

describe('preparePage', () => {
  it.each([
    ['image/jpeg', JPEG, 'page-1.jpg'],
    ['image/png', PNG, 'page-1.png'],
    ['image/bmp', BMP, 'page-1.bmp'],
    ['image/webp', WEBP, 'page-1.webp'],
    ['application/pdf', PDF, 'page-1.pdf'],
  ])('types %s by content and names it %s', async (type, data, name) => {
    const file = await preparePage('pages[0]', data, 0);
    expect(file).toBeInstanceOf(File);
    expect(file.type).toBe(type);
    expect(file.name).toBe(name);
    expect(hex(await file.arrayBuffer())).toBe(hex(data));
  });

  it('numbers the file by its position', async () => {
    expect((await preparePage('pages[2]', PNG, 2)).name).toBe('page-3.png');
  });

  const inputs: Array<[string, () => PageInput]> = [
    ['a Blob', () => new Blob([JPEG])],
    ['a Blob with a wrong declared type', () => new Blob([JPEG], { type: 'image/gif' })],
    ['a File with a misleading name and type', () => new File([JPEG], 'scan.gif', { type: 'image/gif' })],
    ['a Uint8Array', () => JPEG],
    ['a Uint8Array view into a larger buffer', () => new Uint8Array(bytes('xxxx', [...JPEG], 'yyyy').buffer, 4, JPEG.length)],
    ['a Buffer', () => Buffer.from(JPEG)],
    ['a pooled Buffer with a byteOffset', () => Buffer.concat([Buffer.from('padding'), Buffer.from(JPEG)]).subarray(7)],
    ['an ArrayBuffer', () => JPEG.slice().buffer],
    ['a file path', () => tempFile('front.bin', JPEG)],
    ['a file path with a misleading extension', () => tempFile('front.gif', JPEG)],
    ['a ReadableStream', () => streamOf(JPEG, 5)],
    ['a ReadableStream whose signature is split across chunks', () => streamOf(JPEG, 1)],
  ];

  it.each(inputs)('takes %s, sniffed as image/jpeg with the same bytes', async (_name, make) => {
    const input = make();
    const file = await preparePage('pages[0]', input, 0);
    expect(file).toBeInstanceOf(File);
    expect(file.type).toBe('image/jpeg');
    expect(file.name).toBe('page-1.jpg');
    // A stream page's size is unknown until it is read (it is sent chunked): no number at all.
    expect(file.size).toBe(input instanceof ReadableStream ? undefined : JPEG.length);
    expect(hex(await file.arrayBuffer())).toBe(hex(JPEG));
  });

  it.each([
    ['GIF', GIF],
    ['HTML', HTML],
    ['text', TEXT],
    ['TIFF', TIFF],
  ])('refuses a %s page, naming the field and the accepted formats', async (_name, data) => {
    for (const input of [data, new Blob([data]), new File([data], 'front.jpg', { type: 'image/jpeg' })]) {
      const error = await refusal(preparePage('pages[1]', input, 1));
      expect(error.field).toBe('pages[1]');
      expect(error.message).toMatch(/^pages\[1\]: is not a JPEG, PNG, BMP, WebP or PDF file/);
      expect(error.message).toContain('convert it');
    }
  });

  it.each([
    ['an empty Uint8Array', () => new Uint8Array(0)],
    ['an empty Blob', () => new Blob([])],
    ['an empty ArrayBuffer', () => new ArrayBuffer(0)],
    ['an empty file', () => tempFile('empty.jpg', new Uint8Array(0))],
    ['an empty stream', () => streamOf(new Uint8Array(0), 1)],
  ])('refuses %s as empty', async (_name, input) => {
    const error = await refusal(preparePage('pages[0]', input(), 0));
    expect(error.field).toBe('pages[0]');
    expect(error.message).toBe('pages[0]: is empty');
  });

  // Only the head (18 bytes, enough to sniff) is read before sending: a page shorter than that puts
  // the fault inside it. A fault further on is found while sending (test/reliability/upload-streaming).
  const unreadable = unreadableStreams(JPEG.subarray(0, 10));

  it.each(unreadable)('refuses a stream %s with an InvalidInputError naming the field', async (_name, stream) => {
    const error = await refusal(preparePage('pages[2]', stream(), 2));
    expect(error.field).toBe('pages[2]');
    expect(error.message).toBe('pages[2]: is a stream that failed, was locked or gave non-bytes');
  });

  it("keeps the stream's own error as the cause", async () => {
    const failure = new Error('network went away');
    const stream = new ReadableStream({ start: (controller) => controller.error(failure) });
    expect((await refusal(preparePage('pages[0]', stream, 0))).cause).toBe(failure);
  });

  it('refuses a missing file path, naming the field and the path', async () => {
    const missing = join(dir, 'does-not-exist.jpg');
    const error = await refusal(preparePage('pages[1]', missing, 1));
    expect(error.field).toBe('pages[1]');
    expect(error.message).toContain(`cannot read file ${JSON.stringify(missing)}`);
  });

  it('refuses a directory given as a file path with an InvalidInputError naming the field', async () => {
    const error = await refusal(preparePage('pages[0]', dir, 0));
    expect(error.field).toBe('pages[0]');
  });

  it.each([
    ['a number', 42],
    ['null', null],
    ['a plain object', { data: JPEG }],
    ['an Int16Array', new Int16Array(4)],
    ['a DataView', new DataView(JPEG.slice().buffer)],
  ])('refuses %s, listing the accepted inputs', async (_name, input) => {
    const error = await refusal(preparePage('pages[0]', input as unknown as PageInput, 0));
    expect(error.field).toBe('pages[0]');
    expect(error.message).toContain('must be a Blob, File, Uint8Array/Buffer, ArrayBuffer, file path or ReadableStream');
  });
});

describe('preparePages', () => {
  it('keeps the order and names the pages page-1, page-2, ...', async () => {
    const files = await preparePages('pages', [JPEG, new Blob([PNG]), tempFile('selfie.pdf', PDF), streamOf(WEBP, 3), BMP.slice().buffer]);
    expect(files.map((f) => [f.name, f.type])).toEqual([
      ['page-1.jpg', 'image/jpeg'],
      ['page-2.png', 'image/png'],
      ['page-3.pdf', 'application/pdf'],
      ['page-4.webp', 'image/webp'],
      ['page-5.bmp', 'image/bmp'],
    ]);
  });

  it.each([
    ['an empty array', []],
    ['undefined', undefined],
    ['a single page not in an array', JPEG],
    ['a string', 'front.jpg'],
  ])('refuses %s, asking for pages in order', async (_name, pages) => {
    const error = await refusal(preparePages('pages', pages));
    expect(error.field).toBe('pages');
    expect(error.message).toContain('must be a non-empty array of pages in order');
  });

  it('names the index of the bad page', async () => {
    const error = await refusal(preparePages('pages', [JPEG, PNG, GIF]));
    expect(error.field).toBe('pages[2]');
    const missing = await refusal(preparePages('pages', [JPEG, join(dir, 'nope.png')]));
    expect(missing.field).toBe('pages[1]');
  });
});

describe('documents.upload through the client', () => {
  const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const jwt = (claims: object = {}) => `${b64url({ alg: 'HS256' })}.${b64url({ exp: 4_102_444_800, ...claims })}.sig`;
  const ACCESS = jwt({ sub: 'user' });

  const stray = watchStrayRequests();

  const client = () => new AmaniClient({ fetch: nockFetch, region: 'eu', tokens: { access: ACCESS }, retry: { baseDelayMs: 1, maxDelayMs: 5 } });

  interface Captured {
    contentType: string;
    body: string;
    authorization: string;
  }

  function capture(scope: nock.Scope): Captured[] {
    const seen: Captured[] = [];
    scope.on('request', (req: { headers: Record<string, string> }, _i: unknown, body: string) => {
      seen.push({ contentType: String(req.headers['content-type']), body, authorization: String(req.headers.authorization) });
    });
    return seen;
  }

  async function parts({ contentType, body }: Captured) {
    // nock hands over a body that is not UTF-8 (image bytes) as hex.
    const raw = body.startsWith('--') ? Buffer.from(body, 'utf8') : Buffer.from(body, 'hex');
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    return Promise.all(
      [...form.entries()].map(async ([name, value]) =>
        typeof value === 'string' ? { name, value } : { name, filename: value.name, type: value.type, bytes: hex(await value.arrayBuffer()) },
      ),
    );
  }

  it('sends multipart: type, profile, the pages in order with sniffed types and names, and the flags', async () => {
    const scope = nock(base).post('/api/v2/document').reply(201, { id: OTHER_ID });
    const seen = capture(scope);
    const front = tempFile('front.jpg', JPEG);
    const result = await client().documents.upload({
      profile: ID,
      type: 'TUR_ID_1',
      pages: [front, new Blob([PNG], { type: 'application/octet-stream' }), streamOf(PDF, 7)],
      cropped: true,
      rotated: false,
    });
    expect(result).toEqual({ id: OTHER_ID });
    scope.done();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.contentType).toMatch(/^multipart\/form-data; boundary=\S+$/);
    expect(seen[0]!.authorization).toBe(`Bearer ${ACCESS}`);
    expect(await parts(seen[0]!)).toEqual([
      { name: 'type', value: 'TUR_ID_1' },
      { name: 'profile', value: ID },
      { name: 'pages', filename: 'page-1.jpg', type: 'image/jpeg', bytes: hex(JPEG) },
      { name: 'pages', filename: 'page-2.png', type: 'image/png', bytes: hex(PNG) },
      { name: 'pages', filename: 'page-3.pdf', type: 'application/pdf', bytes: hex(PDF) },
      { name: 'cropped', value: 'true' },
      { name: 'rotated', value: 'false' },
    ]);
  });

  it('sends NFC data as JSON text and leaves unset flags out', async () => {
    const scope = nock(base).post('/api/v2/document').reply(201, { id: OTHER_ID });
    const seen = capture(scope);
    await client().documents.upload({ profile: ID, type: 'XXX_NF_0', pages: [BMP, WEBP], nfc: { mrz: 'P<TUR', dg1: 'abc' } });
    expect(await parts(seen[0]!)).toEqual([
      { name: 'type', value: 'XXX_NF_0' },
      { name: 'profile', value: ID },
      { name: 'pages', filename: 'page-1.bmp', type: 'image/bmp', bytes: hex(BMP) },
      { name: 'pages', filename: 'page-2.webp', type: 'image/webp', bytes: hex(WEBP) },
      { name: 'nfc', value: '{"mrz":"P<TUR","dg1":"abc"}' },
    ]);
  });

  it("a profile-token client fills in its own profile from the token's profile_id", async () => {
    const scope = nock(base).post('/api/v2/document').reply(201, { id: OTHER_ID });
    const seen = capture(scope);
    const profileToken = jwt({ profile_id: OTHER_ID });
    await client().forProfile(profileToken).documents.upload({ type: 'XXX_SE_0', pages: [JPEG] });
    expect(seen[0]!.authorization).toBe(`Bearer ${profileToken}`);
    expect((await parts(seen[0]!)).find((p) => p.name === 'profile')).toEqual({ name: 'profile', value: OTHER_ID });
  });

  const good: UploadDocumentParams = { profile: ID, type: 'TUR_ID_1', pages: [JPEG] };
  const refusals: Array<[string, () => unknown, string, RegExp]> = [
    ['params missing', () => undefined, 'params', /must be an object/],
    ['type missing', () => ({ ...good, type: undefined }), 'type', /document type code like TUR_ID_1/],
    ['type lower-case', () => ({ ...good, type: 'tur_id_1' }), 'type', /document type code like TUR_ID_1/],
    ['type with dashes', () => ({ ...good, type: 'TUR-ID-1' }), 'type', /TUR_ID_1 or XXX_SE_0/],
    ['type without variant', () => ({ ...good, type: 'TUR_ID_' }), 'type', /TUR_ID_1/],
    ['profile not a uuid', () => ({ ...good, profile: '12345' }), 'profile', /must be a uuid such as/],
    ['profile missing with a user token', () => ({ type: 'TUR_ID_1', pages: [JPEG] }), 'profile', /required when uploading with a user token/],
    ['pages empty', () => ({ ...good, pages: [] }), 'pages', /non-empty array of pages in order: front, back, then selfie/],
    ['pages missing', () => ({ ...good, pages: undefined }), 'pages', /non-empty array/],
    ['a GIF page', () => ({ ...good, pages: [JPEG, GIF] }), 'pages[1]', /not a JPEG, PNG, BMP, WebP or PDF/],
    ['an HTML page saved as .jpg', () => ({ ...good, pages: [new File([HTML], 'front.jpg', { type: 'image/jpeg' })] }), 'pages[0]', /not a JPEG/],
    ['an empty page', () => ({ ...good, pages: [new Uint8Array(0)] }), 'pages[0]', /is empty/],
    ['a text page', () => ({ ...good, pages: [TEXT] }), 'pages[0]', /not a JPEG/],
    ['a missing file', () => ({ ...good, pages: [JPEG, join(dir, 'missing-back.jpg')] }), 'pages[1]', /cannot read file/],
    ['cropped as a string', () => ({ ...good, cropped: 'true' }), 'cropped', /must be true or false, got string/],
    ['rotated as a number', () => ({ ...good, rotated: 1 }), 'rotated', /must be true or false, got number/],
  ];

  it.each(refusals)('refuses %s before any request', async (_name, params, field, message) => {
    // No interceptors: a request would show up as a "no match" and fail as a ConnectionError.
    const error = await refusal(client().documents.upload(params() as UploadDocumentParams));
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
    expect(error.message).toMatch(message);
    expect(stray.requests).toEqual([]);
  });

  it('(guard) a valid upload with no interceptor is seen as a stray request', async () => {
    await expect(client().documents.upload(good, { maxRetries: 0 })).rejects.toThrow(/could not reach eu\.amani\.ai|the connection to eu\.amani\.ai broke/);
    expect(stray.requests).toHaveLength(1);
    stray.requests.length = 0;
  });

  it('refuses bad request options before any request', async () => {
    const error = await refusal(client().documents.upload(good, { timeoutMs: -1 }));
    expect(error.field).toBe('options.timeoutMs');
    expect(stray.requests).toEqual([]);
  });

  it('a profile-token client without a profile_id claim asks for the profile', async () => {
    const error = await refusal(client().forProfile(jwt({})).documents.upload({ type: 'XXX_SE_0', pages: [JPEG] }));
    expect(error.field).toBe('profile');
    expect(stray.requests).toEqual([]);
  });
});
