// Uploads stream over real HTTP (127.0.0.1): the multipart body is produced chunk by chunk as the
// socket drains, never whole in memory. File paths, Blobs and bytes carry an exact Content-Length
// (a Django-like server refuses a multipart body without one); a stream page of unknown length goes
// chunked with exactly its bytes; a stream that fails while it is being sent is the page's fault
// (InvalidInputError naming it), sent once; a stream is never sent a second time. The parts are
// parsed here and compared with what was given, and the encoding with what fetch's FormData sends.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { fileURLToPath } from 'node:url';
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError, type AmaniClient, type PageInput } from '../../src/index.ts';
import { act, type RecordedRequest } from './fault-server.ts';
import { clientFor, failure, jwt, PROFILE_ID, secretScan, until, useFaultServer } from './harness.ts';

const UPLOAD = '/api/v2/document';
const HOLD_RUNNER = fileURLToPath(new URL('./upload-hold-runner.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REFRESH_PATH = '/api/v2/token/refresh/';
const DOCUMENT_ID = '3c9e8a41-1f7b-4d2a-9e55-7a0b6c2d1e90';
const server = useFaultServer();
const dir = mkdtempSync(join(tmpdir(), 'amani-upload-streaming-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A page of `size` bytes starting with `magic`, the rest a pattern that shows any reordering. */
function page(magic: number[], size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
  bytes.set(magic);
  return bytes;
}
const JPEG_PAGE = page([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01], 300_000);
const PNG_PAGE = page([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52], 70_000);
const PDF_PAGE = page([...Buffer.from('%PDF-1.7\n')], 5_000);

function streamOf(data: Uint8Array, chunk: number, then?: (controller: ReadableStreamDefaultController<Uint8Array>) => void) {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= data.length) return then ? then(controller) : controller.close();
      controller.enqueue(data.slice(offset, offset + chunk));
      offset += chunk;
    },
  });
}

interface Part {
  name: string;
  filename?: string;
  type?: string;
  data: string;
}

/** The parts of a multipart body, checked to be well-formed: boundary lines, headers, CRLFs. */
function parseMultipart(body: Buffer, contentType: string | undefined): Array<Part & { head: string }> {
  const boundary = /^multipart\/form-data; boundary=(\S+)$/.exec(String(contentType))?.[1];
  expect(boundary, `content-type ${contentType}`).toBeTruthy();
  const delimiter = `--${boundary}`;
  expect(body.subarray(0, delimiter.length).toString('latin1')).toBe(delimiter);
  const parts: Array<Part & { head: string }> = [];
  for (let at = delimiter.length; ; ) {
    if (body.subarray(at, at + 4).toString('latin1') === '--\r\n') {
      expect(at + 4).toBe(body.length);
      return parts;
    }
    expect(body.subarray(at, at + 2).toString('latin1')).toBe('\r\n');
    const headerEnd = body.indexOf('\r\n\r\n', at);
    const head = body.subarray(at + 2, headerEnd).toString('utf8');
    const next = body.indexOf(`\r\n${delimiter}`, headerEnd + 4, 'latin1');
    expect(next).toBeGreaterThan(0);
    const filename = /; filename="([^"]*)"/.exec(head)?.[1];
    const type = /\r\nContent-Type: (.*)$/.exec(head)?.[1];
    parts.push({
      head,
      name: /^Content-Disposition: form-data; name="([^"]*)"/.exec(head)![1]!,
      ...(filename !== undefined ? { filename } : {}),
      ...(type !== undefined ? { type } : {}),
      data: body.subarray(headerEnd + 4, next).toString('hex'),
    });
    at = next + 2 + delimiter.length;
  }
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const withoutHead = (parts: Array<Part & { head: string }>): Part[] => parts.map(({ head: _head, ...part }) => part);

/** Django's multipart parser reads CONTENT_LENGTH: without one, a WSGI server hands it nothing. */
const djangoLike = act.handle((request, res) => {
  const multipart = String(request.headers['content-type']).startsWith('multipart/form-data');
  const status = multipart && request.headers['content-length'] === undefined ? 411 : 201;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(status === 201 ? { id: DOCUMENT_ID } : { detail: 'Length Required' }));
}, 'django-like');

const upload = (client: AmaniClient, pages: PageInput[]) => client.documents.upload({ profile: PROFILE_ID, type: 'TUR_ID_1', pages, cropped: true });
const fields = (...pages: Part[]): Part[] => [
  { name: 'type', data: hex(Buffer.from('TUR_ID_1')) },
  { name: 'profile', data: hex(Buffer.from(PROFILE_ID)) },
  ...pages,
  { name: 'cropped', data: hex(Buffer.from('true')) },
];

/**
 * Both ways an upload leaves (src/core/http-upload.ts): node:http while the global dispatcher is
 * undici's plain Agent (as here), undici when the app installed another one. Which carried each
 * upload is read from Node's and undici's diagnostics channels.
 */
const carried: string[] = [];
const onHttp = () => carried.push('node:http');
const onUndici = () => carried.push('undici');
const installed = getGlobalDispatcher();
/** A dispatcher of the app's own (as a ProxyAgent or a composed one would be). */
class AppDispatcher extends Agent {}
beforeAll(() => {
  subscribe('http.client.request.start', onHttp);
  subscribe('undici:request:create', onUndici);
});
afterAll(() => {
  unsubscribe('http.client.request.start', onHttp);
  unsubscribe('undici:request:create', onUndici);
  setGlobalDispatcher(installed);
});

const ROUTES = [
  { route: 'node:http', install: () => setGlobalDispatcher(installed) },
  { route: 'undici', install: () => setGlobalDispatcher(new AppDispatcher()) },
] as const;

it("an Agent composed with interceptors (the app's own, though still an Agent) carries uploads through undici", async () => {
  server.fallback('POST', UPLOAD, act.json(201, { id: DOCUMENT_ID }));
  const seen: string[] = [];
  setGlobalDispatcher(new Agent().compose((dispatch) => (options, handler) => (seen.push(String(options.path)), dispatch(options, handler))));
  try {
    carried.length = 0;
    await clientFor(server).client.documents.upload({ profile: PROFILE_ID, type: 'XXX_PA_0', pages: [JPEG_PAGE] });
    expect(carried).toEqual(['undici']);
    expect(seen).toEqual([UPLOAD]);
    // The README's way to have a TLS-configured Agent carry uploads: composed with nothing.
    setGlobalDispatcher(new Agent().compose((dispatch) => dispatch));
    carried.length = 0;
    await clientFor(server).client.documents.upload({ profile: PROFILE_ID, type: 'XXX_PA_0', pages: [JPEG_PAGE] });
    expect(carried).toEqual(['undici']);
  } finally {
    setGlobalDispatcher(installed);
  }
});

describe.each(ROUTES)('through $route', ({ route, install }) => {
  beforeAll(() => {
    install();
  });

  it(`carries the upload (and undici every other call)`, async () => {
    server.fallback('POST', UPLOAD, act.json(201, { id: DOCUMENT_ID }));
    const { client } = clientFor(server);
    carried.length = 0;
    await client.documents.upload({ profile: PROFILE_ID, type: 'XXX_PA_0', pages: [JPEG_PAGE] });
    expect(carried).toEqual([route]);
  });

  describe('pages of known size: an exact Content-Length, for servers that need one', () => {
    it('a file path, a Blob and bytes reach a Django-like server whole, in order, typed and named', async () => {
      server.fallback('POST', UPLOAD, djangoLike);
      const path = join(dir, 'front.bin');
      writeFileSync(path, JPEG_PAGE);
      const { client } = clientFor(server);
      expect(await upload(client, [path, new Blob([PNG_PAGE], { type: 'application/octet-stream' }), PDF_PAGE])).toEqual({ id: DOCUMENT_ID });
      const [arrival, ...more] = server.arrivals('POST', UPLOAD);
      expect(more).toEqual([]);
      expect(arrival!.headers['content-length']).toBe(String(arrival!.body.length));
      expect(arrival!.headers['transfer-encoding']).toBeUndefined();
      expect(withoutHead(parseMultipart(arrival!.body, arrival!.headers['content-type']))).toEqual(
        fields(
          { name: 'pages', filename: 'page-1.jpg', type: 'image/jpeg', data: hex(JPEG_PAGE) },
          { name: 'pages', filename: 'page-2.png', type: 'image/png', data: hex(PNG_PAGE) },
          { name: 'pages', filename: 'page-3.pdf', type: 'application/pdf', data: hex(PDF_PAGE) },
        ),
      );
    });

    it('(guard) the Django-like server refuses a multipart body sent chunked', async () => {
      server.fallback('POST', UPLOAD, djangoLike);
      const form = new FormData();
      form.append('pages', new Blob([JPEG_PAGE]), 'page-1.jpg');
      const bytes = await new Response(form).arrayBuffer();
      const contentType = new Response(form).headers.get('content-type')!;
      const response = await fetch(`${server.url}${UPLOAD}`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: new Blob([bytes]).stream(),
        duplex: 'half',
      } as RequestInit);
      expect(response.status).toBe(411);
    });

    it('names and text are encoded as fetch encodes a FormData: quotes, CR and LF escaped, line breaks as CRLF', async () => {
      server.fallback('POST', UPLOAD, act.json(201, { id: DOCUMENT_ID }));
      const body = { 'we"ird\r\nname': 'line one\nline two\rthree', 'ünï': 'çé ✓', pages: [new File([PNG_PAGE], 'scan "1"\n.png', { type: 'image/png' })] };
      const { client } = clientFor(server);
      await client.raw.POST(UPLOAD, { body: body as never });
      const form = new FormData();
      form.append('we"ird\r\nname', body['we"ird\r\nname']);
      form.append('ünï', body['ünï']);
      form.append('pages', body.pages[0]!);
      await fetch(`${server.url}${UPLOAD}`, { method: 'POST', body: form });
      const [ours, fetched] = server.arrivals('POST', UPLOAD);
      expect(ours!.headers['content-length']).toBe(String(ours!.body.length));
      const oursParts = parseMultipart(ours!.body, ours!.headers['content-type']);
      expect(oursParts).toEqual(parseMultipart(fetched!.body, fetched!.headers['content-type']));
      expect(oursParts.map((p) => p.head)).toEqual([
        'Content-Disposition: form-data; name="we%22ird%0D%0Aname"',
        'Content-Disposition: form-data; name="ünï"',
        'Content-Disposition: form-data; name="pages"; filename="scan %221%22%0A.png"\r\nContent-Type: image/png',
      ]);
      expect(Buffer.from(oursParts[0]!.data, 'hex').toString()).toBe('line one\r\nline two\r\nthree');
    });
  });

  describe('a file page is read as the socket drains, not into memory', () => {
    it('while the server has stopped reading a 64 MB upload, the client holds far less than the file', async () => {
      // In a process without nock (see the runner), as an app runs the client.
      const child = spawnSync(process.execPath, ['--import', 'tsx', HOLD_RUNNER, route], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(child.status, child.stderr).toBe(0);
      const report = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { route: string; paused: boolean; held: number; received: number; answer: unknown };
      expect(report).toMatchObject({ route, paused: true, answer: { id: PROFILE_ID } });
      // Streaming holds ~8 MB here (socket and stream buffers); fetch's FormData held 30 MB+ and growing.
      expect(report.held, `${(report.held / 2 ** 20).toFixed(1)} MB held`).toBeLessThan(16 * 1024 * 1024);
      expect(report.received).toBeGreaterThan(64 * 1024 * 1024);
    }, 70_000);
  });

  describe('a stream page of unknown length', () => {
    it('goes chunked: no Content-Length, exactly its bytes, after the pages before it', async () => {
      server.fallback('POST', UPLOAD, act.json(201, { id: DOCUMENT_ID }));
      const { client } = clientFor(server);
      expect(await upload(client, [PNG_PAGE, streamOf(JPEG_PAGE, 16 * 1024)])).toEqual({ id: DOCUMENT_ID });
      const [arrival, ...more] = server.arrivals('POST', UPLOAD);
      expect(more).toEqual([]);
      expect(arrival!.headers['transfer-encoding']).toBe('chunked');
      expect(arrival!.headers['content-length']).toBeUndefined();
      expect(withoutHead(parseMultipart(arrival!.body, arrival!.headers['content-type']))).toEqual(
        fields(
          { name: 'pages', filename: 'page-1.png', type: 'image/png', data: hex(PNG_PAGE) },
          { name: 'pages', filename: 'page-2.jpg', type: 'image/jpeg', data: hex(JPEG_PAGE) },
        ),
      );
    });

    it('a stream shorter than the sniffed head is sent whole, with a Content-Length', async () => {
      server.fallback('POST', UPLOAD, djangoLike);
      const { client } = clientFor(server);
      const short = JPEG_PAGE.slice(0, 12);
      await upload(client, [streamOf(short, 5)]);
      const [arrival] = server.arrivals('POST', UPLOAD);
      expect(arrival!.headers['content-length']).toBe(String(arrival!.body.length));
      expect(withoutHead(parseMultipart(arrival!.body, arrival!.headers['content-type']))).toEqual(
        fields({ name: 'pages', filename: 'page-1.jpg', type: 'image/jpeg', data: hex(short) }),
      );
    });

    const failures: Array<[string, (controller: ReadableStreamDefaultController<Uint8Array>) => void, RegExp]> = [
      ['fails', (controller) => controller.error(new Error('the camera stream went away')), /camera stream went away/],
      ['gives a string', (controller) => controller.enqueue('more text' as unknown as Uint8Array), /string instead of bytes/],
    ];

    it.each(failures)('that %s mid-send: InvalidInputError naming the page, sent once, never retried', async (_name, fault, cause) => {
      server.fallback('POST', UPLOAD, act.json(201, { id: DOCUMENT_ID }));
      const { client } = clientFor(server, { maxRetries: 3 });
      const error = await failure('stream fails mid-send', () => upload(client, [PNG_PAGE, streamOf(JPEG_PAGE, 64 * 1024, fault)]));
      expect(error, `${error.name}: ${error.message}`).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe('pages[1]');
      expect(error.message).toMatch(/^pages\[1\]: is a stream that failed or gave non-bytes while it was being sent/);
      expect(String((error.cause as Error)?.message)).toMatch(cause);
      // It streamed: the request had started arriving when the stream failed, and came once.
      await until(() => server.arrivals('POST', UPLOAD).some((r) => r.closedAt !== undefined), 5_000, 'the upload to end');
      expect(server.arrivals('POST', UPLOAD)).toHaveLength(1);
    });

    it('is not sent again after a 401: the replay would need bytes already sent', async () => {
      const renewed = jwt('StreamRenewedAccess', 3600);
      server.script('POST', UPLOAD, act.json(401, { detail: 'Given token not valid for any token type', code: 'token_not_valid' }));
      server.fallback('POST', UPLOAD, act.json(201, { id: DOCUMENT_ID }));
      server.fallback('POST', REFRESH_PATH, act.json(200, { access: renewed }));
      const { client } = clientFor(server);
      const error = await failure('stream after 401', () => upload(client, [streamOf(JPEG_PAGE, 64 * 1024)]));
      expect(error, `${error.name}: ${error.message}`).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe('pages[0]');
      expect(error.message).toMatch(/already sent once, so it cannot be sent again.*pass a Blob, bytes or a file path/);
      expect(server.arrivals('POST', REFRESH_PATH)).toHaveLength(1);
      expect(server.arrivals('POST', UPLOAD).map((r: RecordedRequest) => r.body.includes(Buffer.from(JPEG_PAGE)))).toEqual([true]);
    });

    it('through a replacing raw middleware (a Fetch Request) still arrives whole', async () => {
      server.fallback('POST', UPLOAD, act.json(201, { id: DOCUMENT_ID }));
      const { client } = clientFor(server);
      client.raw.use({ onRequest: ({ request }) => new Request(request, { headers: { ...Object.fromEntries(request.headers), 'x-trace': 'mw' } }) });
      await upload(client, [streamOf(JPEG_PAGE, 10_000)]);
      const [arrival] = server.arrivals('POST', UPLOAD);
      expect(arrival!.headers['x-trace']).toBe('mw');
      expect(withoutHead(parseMultipart(arrival!.body, arrival!.headers['content-type']))).toEqual(
        fields({ name: 'pages', filename: 'page-1.jpg', type: 'image/jpeg', data: hex(JPEG_PAGE) }),
      );
    });
  });
});

secretScan(3);
