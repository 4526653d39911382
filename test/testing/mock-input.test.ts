// The mock survives odd input: one request Prism's parsers cannot take (a file part without
// Content-Type kills Prism 5.14's multipart parser) must get a declared 4xx and leave the mock
// serving the rest of the suite. Then a bounded fuzz of the upload and JSON endpoints: after
// every request the mock still runs, and every answer's status is one the spec declares for that
// operation or one of Prism's violation statuses listed below.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSpecPath, startMockServer, type MockServer } from '../../src/testing/mock-server.ts';
import { isAlive } from '../../scripts/lib/processes.ts';

const spec = JSON.parse(readFileSync(defaultSpecPath, 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
};
const declared = (path: string, method: string) => Object.keys(spec.paths[path]![method]!.responses).map(Number);

/** Statuses Prism answers for violations whether or not the operation declares them. */
const PRISM_VIOLATIONS: Record<number, string> = {
  415: 'a Content-Type the operation does not take, or multipart/form-data without a boundary',
  422: 'a body that violates the schema (Prism answers 422 also where the spec declares only 400)',
};

const DOCUMENT_ID = '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e';
let mock: MockServer;

beforeAll(async () => {
  mock = await startMockServer();
}, 60_000);
afterAll(() => mock?.stop());

async function send(method: string, path: string, contentType: string | undefined, body: string) {
  const res = await fetch(`${mock.url}${path}`, {
    method,
    headers: { authorization: 'Bearer any-token', ...(contentType === undefined ? {} : { 'content-type': contentType }) },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, text: await res.text() };
}

/** A request Prism answers with its example when it is up. */
async function stillServes(): Promise<number> {
  const res = await fetch(`${mock.url}/api/v2/webhook/events`, { headers: { authorization: 'Bearer t' }, signal: AbortSignal.timeout(5000) });
  await res.arrayBuffer();
  return res.status;
}

const part = (headers: string[], data: string) => `${headers.join('\r\n')}\r\n\r\n${data}\r\n`;
const multipart = (boundary: string, parts: string[]) => `${parts.map((text) => `--${boundary}\r\n${text}`).join('')}--${boundary}--\r\n`;

describe('the mock and input Prism cannot parse', () => {
  it('a file part without Content-Type gets a declared 400, and the mock keeps serving', async () => {
    const body = multipart('XyZ', [
      part(['Content-Disposition: form-data; name="type"'], 'TUR_ID_1'),
      part(['Content-Disposition: form-data; name="profile"'], DOCUMENT_ID),
      part(['Content-Disposition: form-data; name="pages"; filename="front.jpg"'], 'JPEG bytes'),
    ]);
    const answer = await send('POST', '/api/v2/document', 'multipart/form-data; boundary=XyZ', body);
    expect(answer.status).toBe(400);
    expect(declared('/api/v2/document', 'post')).toContain(400);
    expect(JSON.parse(answer.text)).toEqual({ detail: expect.stringMatching(/^Multipart form parse error - /), code: 'parse_error' });
    expect(isAlive(mock.pid)).toBe(true);
    expect(await stillServes()).toBe(200);
  }, 30_000);
});

// Pieces of requests, from plausible to hostile: multipart with odd boundaries, parts without
// names or types, truncated bodies; JSON that is invalid, cut off or has huge field names; form
// bodies with broken %-escapes; and Content-Types that are no media type.
const token = fc.stringMatching(/^[A-Za-z0-9_\-]{1,12}$/);
const hugeName = fc.integer({ min: 1000, max: 20_000 }).map((n) => 'f'.repeat(n));
const quoted = (text: string) => `"${text}"`;
const disposition = fc.oneof(
  fc.tuple(token).map(([name]) => `Content-Disposition: form-data; name=${quoted(name)}`),
  fc.tuple(token, token).map(([name, file]) => `Content-Disposition: form-data; name=${quoted(name)}; filename=${quoted(`${file}.jpg`)}`),
  fc.tuple(token, token).map(([name, file]) => `Content-Disposition: form-data; name=${quoted(name)}; filename=${file}.jpg`),
  fc.tuple(token).map(([name]) => `Content-Disposition: form-data; name=${quoted(name)}; filename="a=b.jpg"`),
  fc.tuple(hugeName).map(([name]) => `Content-Disposition: form-data; name=${quoted(name)}`),
  fc.constantFrom('Content-Disposition: form-data', 'Content-Disposition: form-data; name', 'Content-Disposition: attachment; x=1; y=2', ''),
);
const partType = fc.constantFrom(undefined, 'Content-Type: image/jpeg', 'Content-Type: application/octet-stream', 'Content-Type:', 'Content-Type: ;;');
const multipartPart = fc
  .tuple(disposition, partType, fc.string({ maxLength: 40 }))
  .map(([cd, type, data]) => part([cd, ...(type ? [type] : [])].filter(Boolean), data));
const boundary = fc.oneof(token, fc.constant('----WebKitFormBoundary7MA4YWxkTrZu0gW'));
const multipartRequest = fc
  .tuple(boundary, fc.boolean(), fc.array(multipartPart, { maxLength: 4 }), fc.option(fc.nat(400)), fc.constantFrom('ok', 'none', 'other', 'quoted', 'garbage'))
  .map(([b, wellFormed, parts, cut, header]) => {
    let body = wellFormed ? multipart(b, parts) : `--${b}\n${parts.join('\n')}`;
    if (cut !== null) body = body.slice(0, cut);
    const type = {
      ok: `multipart/form-data; boundary=${b}`,
      none: 'multipart/form-data',
      other: `multipart/form-data; boundary=not-${b}`,
      quoted: `multipart/form-data; boundary="${b}"`,
      garbage: 'multipart/form-data; boundary=',
    }[header];
    return { contentType: type, body };
  });
const jsonRequest = fc
  .oneof(
    fc.json().map((text) => ({ body: text, cut: false })),
    fc.string({ maxLength: 60 }).map((text) => ({ body: text, cut: false })),
    fc.tuple(hugeName, fc.string()).map(([name, value]) => ({ body: JSON.stringify({ [name]: value }), cut: false })),
    fc.json().map((text) => ({ body: text, cut: true })),
  )
  .chain(({ body, cut }) =>
    fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'garbage', '').map((contentType) => ({
      contentType,
      body: cut ? body.slice(0, Math.floor(body.length / 2)) : body,
    })),
  );
const formRequest = fc
  .array(fc.tuple(fc.oneof(token, fc.constantFrom('%', '%zz', '%E0%A4%A', 'a%2')), fc.string({ maxLength: 12 })), { maxLength: 4 })
  .map((pairs) => ({ contentType: 'application/x-www-form-urlencoded', body: pairs.map(([key, value]) => `${key}=${value}`).join('&') }));
const endpoints = {
  upload: [
    ['POST', '/api/v2/document', '/api/v2/document'],
    ['POST', '/api/v2/profile', '/api/v2/profile'],
    ['POST', '/api/v2/user/login', '/api/v2/user/login'],
  ],
  json: [
    ['POST', '/api/v2/webhook', '/api/v2/webhook'],
    ['POST', '/api/v2/ip-whitelist', '/api/v2/ip-whitelist'],
    ['PATCH', `/api/v2/profile/${DOCUMENT_ID}`, '/api/v2/profile/{id}'],
    ['POST', '/api/v2/token/refresh/', '/api/v2/token/refresh/'],
  ],
} as const;
const fuzzed = fc.oneof(
  fc.tuple(fc.constantFrom(...endpoints.upload), fc.oneof(multipartRequest, jsonRequest, formRequest)),
  fc.tuple(fc.constantFrom(...endpoints.json), fc.oneof(jsonRequest, multipartRequest)),
);

describe('fuzzing the upload and JSON endpoints', () => {
  it('200 odd requests: the mock stays up and every status is declared or a listed Prism violation', async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fuzzed, async ([[method, path, template], { contentType, body }]) => {
        const { status } = await send(method, path, contentType || undefined, body);
        sent++;
        const allowed = [...declared(template, method.toLowerCase()), ...Object.keys(PRISM_VIOLATIONS).map(Number)];
        if (!allowed.includes(status)) throw new Error(`${method} ${path} answered ${status}, not one of ${allowed.join(', ')}`);
        if (!isAlive(mock.pid)) throw new Error(`Prism died after ${method} ${path}`);
        // A batch of 20: the mock still answers a good request with its example.
        if (sent % 20 === 0 && (await stillServes()) !== 200) throw new Error('the mock no longer serves');
      }),
      { numRuns: 200, endOnFailure: true },
    );
    expect(sent).toBeGreaterThanOrEqual(200);
    expect(await stillServes()).toBe(200);
  }, 120_000);
});
