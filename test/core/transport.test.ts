// The transport, exercised through AmaniClient with nock on https://eu.amani.ai: which failures are
// retried and how often, Retry-After, no duplicate writes, timeouts, aborts, response checks, the
// log lines and the ApiError subclasses. Counts and logger fields, never wall-clock timing.
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AmaniClient, type AmaniClientOptions } from '../../src/client.ts';
import type { RequestLogEntry } from '../../src/core/log.ts';
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RequestAbortedError,
  ServerError,
  TimeoutError,
  ValidationError,
} from '../../src/errors.ts';
import { nockFetch } from '../support/nock-fetch.ts';

const base = 'https://eu.amani.ai';
const ID = '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e';
const PROFILE_PATH = `/api/v2/profile/${ID}`;
const FAST = { baseDelayMs: 1, maxDelayMs: 5 };

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** An unsigned JWT expiring in 2100: the client never needs to refresh it on its own. */
const jwt = (claims: object = {}) => `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ exp: 4_102_444_800, ...claims })}.sig`;
const ACCESS = jwt({ sub: 'access-1' });
const REFRESH = jwt({ sub: 'refresh-1', token_type: 'refresh' });

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xde, 0xad]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xbe, 0xef]);

function makeClient(options: Partial<AmaniClientOptions> = {}) {
  const logs: RequestLogEntry[] = [];
  const client = new AmaniClient({
    fetch: nockFetch,
    region: 'eu',
    tokens: { access: ACCESS, refresh: REFRESH },
    retry: FAST,
    logger: (entry) => logs.push(entry),
    ...options,
  });
  return { client, logs };
}

interface Seen {
  count: number;
  bodies: string[];
  contentTypes: string[];
  authorizations: string[];
}

/** Counts every request any interceptor of the scope receives, with its body and headers. */
function watch(scope: nock.Scope): Seen {
  const seen: Seen = { count: 0, bodies: [], contentTypes: [], authorizations: [] };
  scope.on('request', (req: { headers: Record<string, string> }, _interceptor: unknown, body: string) => {
    seen.count++;
    seen.bodies.push(body);
    seen.contentTypes.push(String(req.headers['content-type'] ?? ''));
    seen.authorizations.push(String(req.headers.authorization ?? ''));
  });
  return seen;
}

/** nock 14 turns a plain-object replyWithError into a broken Response on fetch; an Error keeps its code. */
const socketError = (code: string) => Object.assign(new Error(`socket: ${code}`), { code });

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

/** nock passes a body that is not UTF-8 (e.g. JPEG bytes) as hex. */
function bodyBytes(body: string): Buffer {
  return body.startsWith('--') || body.startsWith('{') ? Buffer.from(body, 'utf8') : Buffer.from(body, 'hex');
}

async function multipartParts(contentType: string, body: string) {
  const form = await new Response(new Uint8Array(bodyBytes(body)), { headers: { 'content-type': contentType } }).formData();
  return Promise.all(
    [...form.entries()].map(async ([name, value]) =>
      typeof value === 'string'
        ? { name, value }
        : { name, filename: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()).toString('hex') },
    ),
  );
}

let unmatched: string[];
const onNoMatch = (req: { method?: string; path?: string; href?: string }) => unmatched.push(`${req.method} ${req.href ?? req.path}`);

beforeEach(() => {
  unmatched = [];
  nock.emitter.on('no match', onNoMatch);
});

afterEach(() => {
  nock.emitter.removeListener('no match', onNoMatch);
  // Every request of every test went to an interceptor it set up.
  expect(unmatched).toEqual([]);
  nock.cleanAll();
  vi.useRealTimers();
});

describe('retry counts', () => {
  it('GET: 503, 503, 200 succeeds after exactly 3 requests', async () => {
    const scope = nock(base).get(PROFILE_PATH).times(2).reply(503, { detail: 'busy' }).get(PROFILE_PATH).reply(200, { id: ID });
    const seen = watch(scope);
    const { client } = makeClient();
    await expect(client.profiles.get(ID)).resolves.toEqual({ id: ID });
    expect(seen.count).toBe(3);
    scope.done();
  });

  it('maxRetries 2 with 4 failures throws ServerError after exactly 3 requests', async () => {
    const scope = nock(base).get(PROFILE_PATH).times(4).reply(503, { detail: 'busy' });
    const seen = watch(scope);
    const { client } = makeClient({ maxRetries: 2 });
    const error = await caught(client.profiles.get(ID));
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).status).toBe(503);
    expect(seen.count).toBe(3);
    expect(scope.pendingMocks()).toHaveLength(1);
  });

  it('retries twice by default', async () => {
    const scope = nock(base).get(PROFILE_PATH).times(5).reply(500);
    const seen = watch(scope);
    const { client } = makeClient();
    await expect(client.profiles.get(ID)).rejects.toBeInstanceOf(ServerError);
    expect(seen.count).toBe(3);
  });

  it('per-call { maxRetries: 0 } sends exactly one request', async () => {
    const scope = nock(base).get(PROFILE_PATH).times(3).reply(503);
    const seen = watch(scope);
    const { client } = makeClient({ maxRetries: 5 });
    await expect(client.profiles.get(ID, { maxRetries: 0 })).rejects.toBeInstanceOf(ServerError);
    expect(seen.count).toBe(1);
  });

  it('per-call maxRetries raises the client setting too', async () => {
    const scope = nock(base).get(PROFILE_PATH).times(3).reply(503).get(PROFILE_PATH).reply(200, { id: ID });
    const seen = watch(scope);
    const { client } = makeClient({ maxRetries: 0 });
    await expect(client.profiles.get(ID, { maxRetries: 3 })).resolves.toEqual({ id: ID });
    expect(seen.count).toBe(4);
  });

  it.each([408, 429, 500, 502, 503, 504])('retries %i on a GET', async (status) => {
    const scope = nock(base).get(PROFILE_PATH).reply(status, { detail: 'x' }).get(PROFILE_PATH).reply(200, { id: ID });
    const seen = watch(scope);
    const { client } = makeClient();
    await expect(client.profiles.get(ID)).resolves.toEqual({ id: ID });
    expect(seen.count).toBe(2);
  });

  it.each([
    [400, ValidationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ApiError],
    [422, ValidationError],
    [501, ServerError],
  ] as const)('does not retry %i', async (status, errorClass) => {
    const scope = nock(base).get(PROFILE_PATH).times(3).reply(status, { detail: 'no' });
    const seen = watch(scope);
    const { client } = makeClient();
    await expect(client.profiles.get(ID)).rejects.toBeInstanceOf(errorClass);
    expect(seen.count).toBe(1);
  });

  it('retries a PUT with the same JSON body', async () => {
    const scope = nock(base).put(`/api/v2/document/${ID}`).reply(503).put(`/api/v2/document/${ID}`).reply(200, { id: ID, status: 'APPROVED' });
    const seen = watch(scope);
    const { client } = makeClient();
    await client.documents.approve(ID);
    expect(seen.count).toBe(2);
    expect(JSON.parse(seen.bodies[0]!)).toEqual({ status: 'APPROVED' });
    expect(seen.bodies[1]).toBe(seen.bodies[0]);
  });

  it('retries a DELETE', async () => {
    const scope = nock(base).delete(`/api/v2/webhook/${ID}`).reply(502).delete(`/api/v2/webhook/${ID}`).reply(204);
    const seen = watch(scope);
    const { client } = makeClient();
    await expect(client.webhooks.delete(ID)).resolves.toBeUndefined();
    expect(seen.count).toBe(2);
  });

  it('retries the get-or-create profile POST with the same body', async () => {
    const scope = nock(base).post('/api/v2/profile').reply(504).post('/api/v2/profile').reply(201, { id: ID });
    const seen = watch(scope);
    const { client } = makeClient();
    await client.profiles.create({ id_card_number: '12345678901' });
    expect(seen.count).toBe(2);
    expect(JSON.parse(seen.bodies[1]!)).toEqual({ id_card_number: '12345678901' });
    expect(seen.bodies[1]).toBe(seen.bodies[0]);
  });

  it('sends a non-idempotent POST (webhooks.create) exactly once on 503', async () => {
    const scope = nock(base).post('/api/v2/webhook').times(3).reply(503, { detail: 'busy' });
    const seen = watch(scope);
    const { client } = makeClient({ maxRetries: 5 });
    const error = await caught(client.webhooks.create({ url: 'https://hooks.example.com/amani', enabled_events: ['profile_create'] }));
    expect(error).toBeInstanceOf(ServerError);
    expect(seen.count).toBe(1);
  });

  it('sends a PATCH (regenerate secret) exactly once on 503', async () => {
    const scope = nock(base).patch('/api/v2/webhook/secret').times(3).reply(503);
    const seen = watch(scope);
    const { client } = makeClient();
    await expect(client.webhooks.regenerateSecret()).rejects.toBeInstanceOf(ServerError);
    expect(seen.count).toBe(1);
  });
});

describe('Retry-After', () => {
  it('waits the seconds a 429 asks for (logged as retryInMs)', async () => {
    const scope = nock(base)
      .get(PROFILE_PATH)
      .reply(429, { detail: 'slow down' }, { 'Retry-After': '1' })
      .get(PROFILE_PATH)
      .reply(200, { id: ID });
    const seen = watch(scope);
    const { client, logs } = makeClient({ retry: { ...FAST, maxRetryAfterMs: 2_000 } });
    await expect(client.profiles.get(ID)).resolves.toEqual({ id: ID });
    expect(seen.count).toBe(2);
    expect(logs.map((l) => [l.status, l.retryInMs])).toEqual([
      [429, 1_000],
      [200, undefined],
    ]);
  });

  it('waits until a Retry-After HTTP date on a 503', async () => {
    // Only Date is faked, frozen on a whole second, so the HTTP date is exactly one second ahead.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2030, 0, 1, 12, 0, 0));
    const retryAt = new Date(Date.now() + 1_000).toUTCString();
    const scope = nock(base)
      .get(PROFILE_PATH)
      .reply(503, { detail: 'maintenance' }, { 'Retry-After': retryAt })
      .get(PROFILE_PATH)
      .reply(200, { id: ID });
    const seen = watch(scope);
    const { client, logs } = makeClient({ retry: { ...FAST, maxRetryAfterMs: 2_000 } });
    await expect(client.profiles.get(ID)).resolves.toEqual({ id: ID });
    expect(seen.count).toBe(2);
    expect(logs[0]).toMatchObject({ status: 503, attempt: 1, retryInMs: 1_000 });
  });

  it('Retry-After: 0 retries at once', async () => {
    const scope = nock(base).get(PROFILE_PATH).reply(503, {}, { 'Retry-After': '0' }).get(PROFILE_PATH).reply(200, { id: ID });
    const { client, logs } = makeClient();
    watch(scope);
    await client.profiles.get(ID);
    expect(logs[0]!.retryInMs).toBe(0);
  });

  it('without Retry-After uses the backoff, bounded by maxDelayMs', async () => {
    const scope = nock(base).get(PROFILE_PATH).times(2).reply(503).get(PROFILE_PATH).reply(200, { id: ID });
    watch(scope);
    const { client, logs } = makeClient({ retry: { baseDelayMs: 3, maxDelayMs: 4 } });
    await client.profiles.get(ID);
    expect(logs).toHaveLength(3);
    expect(logs[0]!.retryInMs).toBeGreaterThanOrEqual(0);
    expect(logs[0]!.retryInMs).toBeLessThan(3);
    expect(logs[1]!.retryInMs).toBeGreaterThanOrEqual(0);
    expect(logs[1]!.retryInMs).toBeLessThan(4);
  });

  it('above maxRetryAfterMs: RateLimitError with retryAfter, after exactly 1 request', async () => {
    const scope = nock(base).get(PROFILE_PATH).times(3).reply(429, { detail: 'Request was throttled.' }, { 'Retry-After': '30' });
    const seen = watch(scope);
    const { client, logs } = makeClient({ retry: { ...FAST, maxRetryAfterMs: 2_000 } });
    const error = await caught(client.profiles.get(ID));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(30);
    expect((error as RateLimitError).status).toBe(429);
    expect(error.message).toContain('Retry after 30 s');
    expect(seen.count).toBe(1);
    expect(logs).toHaveLength(1);
    expect(logs[0]!.retryInMs).toBeUndefined();
  });

  it('above maxRetryAfterMs on a 503: ServerError after exactly 1 request', async () => {
    const scope = nock(base).get(PROFILE_PATH).times(3).reply(503, {}, { 'Retry-After': '3600' });
    const seen = watch(scope);
    const { client } = makeClient();
    await expect(client.profiles.get(ID)).rejects.toBeInstanceOf(ServerError);
    expect(seen.count).toBe(1);
  });

  it('retry settings given as undefined keep their defaults (the 60 s Retry-After cap stays)', async () => {
    // e.g. `retry: { maxRetryAfterMs: config.maxWait }` with maxWait unset. Were the cap lost, the
    // client would wait an hour; the logger aborts such a wait so the test ends either way.
    const scope = nock(base).get(PROFILE_PATH).reply(429, { detail: 'throttled' }, { 'Retry-After': '3600' }).get(PROFILE_PATH).reply(200, {});
    const seen = watch(scope);
    const controller = new AbortController();
    const logs: RequestLogEntry[] = [];
    const { client } = makeClient({
      retry: { baseDelayMs: undefined, maxDelayMs: undefined, maxRetryAfterMs: undefined },
      logger: (entry) => {
        logs.push(entry);
        if (entry.retryInMs !== undefined) controller.abort();
      },
    });
    const error = await caught(client.profiles.get(ID, { signal: controller.signal }));
    expect(logs.map((l) => l.retryInMs)).toEqual([undefined]);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(3600);
    expect(seen.count).toBe(1);
  });

  it('a 429 that is not retried (maxRetries 0) still reports retryAfter', async () => {
    nock(base).get(PROFILE_PATH).reply(429, {}, { 'Retry-After': '7' });
    const { client } = makeClient();
    const error = (await caught(client.profiles.get(ID, { maxRetries: 0 }))) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfter).toBe(7);
  });
});

describe('network errors', () => {
  it('retries a GET after ECONNRESET', async () => {
    const scope = nock(base).get(PROFILE_PATH).replyWithError(socketError('ECONNRESET')).get(PROFILE_PATH).reply(200, { id: ID });
    const seen = watch(scope);
    const { client, logs } = makeClient();
    await expect(client.profiles.get(ID)).resolves.toEqual({ id: ID });
    expect(seen.count).toBe(2);
    expect(logs[0]).toMatchObject({ method: 'GET', error: 'ConnectionError', attempt: 1 });
    expect(logs[0]!.status).toBeUndefined();
    expect(typeof logs[0]!.retryInMs).toBe('number');
  });

  it('gives up on a GET after maxRetries with a ConnectionError carrying the cause', async () => {
    const scope = nock(base).get(PROFILE_PATH).times(4).replyWithError(socketError('ECONNRESET'));
    const seen = watch(scope);
    const { client } = makeClient();
    const error = await caught(client.profiles.get(ID));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain('ECONNRESET');
    expect((error.cause as { code?: string }).code).toBe('ECONNRESET');
    expect(seen.count).toBe(3);
  });

  it('ECONNREFUSED (never sent) is retried for a non-idempotent POST', async () => {
    const scope = nock(base)
      .post('/api/v2/webhook')
      .replyWithError(socketError('ECONNREFUSED'))
      .post('/api/v2/webhook')
      .reply(201, { id: ID });
    const seen = watch(scope);
    const { client } = makeClient();
    await expect(client.webhooks.create({ url: 'https://hooks.example.com/a', enabled_events: ['document_upload'] })).resolves.toEqual({ id: ID });
    expect(seen.count).toBe(2);
    expect(seen.bodies[1]).toBe(seen.bodies[0]);
  });

  it('ECONNRESET on a non-idempotent POST is not retried', async () => {
    const scope = nock(base).post('/api/v2/webhook').times(3).replyWithError(socketError('ECONNRESET'));
    const seen = watch(scope);
    const { client } = makeClient();
    await expect(client.webhooks.create({ url: 'https://hooks.example.com/a', enabled_events: ['document_upload'] })).rejects.toBeInstanceOf(
      ConnectionError,
    );
    expect(seen.count).toBe(1);
  });
});

describe('uploads are never re-sent once they may have arrived', () => {
  const upload = (client: AmaniClient, options?: { timeoutMs?: number; maxRetries?: number }) =>
    client.documents.upload({ profile: ID, type: 'TUR_ID_1', pages: [JPEG, PNG] }, options);

  it.each([500, 502, 503])('%i: exactly 1 request, ServerError', async (status) => {
    const scope = nock(base).post('/api/v2/document').times(3).reply(status, { detail: 'oops' });
    const seen = watch(scope);
    const { client } = makeClient({ maxRetries: 5 });
    const error = await caught(upload(client));
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).status).toBe(status);
    expect(seen.count).toBe(1);
  });

  it('429 with a short Retry-After: exactly 1 request, RateLimitError', async () => {
    const scope = nock(base).post('/api/v2/document').times(3).reply(429, {}, { 'Retry-After': '0' });
    const seen = watch(scope);
    const { client } = makeClient();
    await expect(upload(client)).rejects.toBeInstanceOf(RateLimitError);
    expect(seen.count).toBe(1);
  });

  it('ECONNRESET: exactly 1 request, ConnectionError', async () => {
    const scope = nock(base).post('/api/v2/document').times(3).replyWithError(socketError('ECONNRESET'));
    const seen = watch(scope);
    const { client } = makeClient({ maxRetries: 5 });
    await expect(upload(client)).rejects.toBeInstanceOf(ConnectionError);
    expect(seen.count).toBe(1);
  });

  it('timeout: exactly 1 request, TimeoutError', async () => {
    const scope = nock(base).post('/api/v2/document').times(3).delay(1_000).reply(201, { id: ID });
    const seen = watch(scope);
    const { client } = makeClient({ maxRetries: 5 });
    const error = await caught(upload(client, { timeoutMs: 50 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(50);
    expect(seen.count).toBe(1);
  });

  it('ECONNREFUSED (never sent) is retried, with the same multipart content', async () => {
    const scope = nock(base)
      .post('/api/v2/document')
      .replyWithError(socketError('ECONNREFUSED'))
      .post('/api/v2/document')
      .reply(201, { id: ID });
    const seen = watch(scope);
    const { client, logs } = makeClient();
    await expect(upload(client)).resolves.toEqual({ id: ID });
    expect(seen.count).toBe(2);
    expect(logs.map((l) => [l.attempt, l.error ?? l.status])).toEqual([
      [1, 'ConnectionError'],
      [2, 201],
    ]);
    for (const type of seen.contentTypes) expect(type).toMatch(/^multipart\/form-data; boundary=/);
    const first = await multipartParts(seen.contentTypes[0]!, seen.bodies[0]!);
    const second = await multipartParts(seen.contentTypes[1]!, seen.bodies[1]!);
    expect(second).toEqual(first);
    expect(first).toEqual([
      { name: 'type', value: 'TUR_ID_1' },
      { name: 'profile', value: ID },
      { name: 'pages', filename: 'page-1.jpg', type: 'image/jpeg', bytes: Buffer.from(JPEG).toString('hex') },
      { name: 'pages', filename: 'page-2.png', type: 'image/png', bytes: Buffer.from(PNG).toString('hex') },
    ]);
  });

  it('ECONNREFUSED retries are still bounded by maxRetries', async () => {
    const scope = nock(base).post('/api/v2/document').times(5).replyWithError(socketError('ECONNREFUSED'));
    const seen = watch(scope);
    const { client } = makeClient({ maxRetries: 2 });
    const error = await caught(upload(client));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain('ECONNREFUSED');
    expect(seen.count).toBe(3);
  });
});

describe('timeouts', () => {
  it('a response later than timeoutMs is a TimeoutError', async () => {
    const scope = nock(base).get(PROFILE_PATH).delay(1_000).reply(200, { id: ID });
    const seen = watch(scope);
    const { client, logs } = makeClient({ timeoutMs: 50, maxRetries: 0 });
    const error = await caught(client.profiles.get(ID));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(50);
    expect(error.message).toContain(`GET ${PROFILE_PATH} timed out after 50 ms`);
    expect(seen.count).toBe(1);
    expect(logs[0]).toMatchObject({ error: 'TimeoutError', attempt: 1 });
  });

  it('a GET that timed out is retried', async () => {
    const scope = nock(base).get(PROFILE_PATH).delay(1_000).reply(200, { slow: true }).get(PROFILE_PATH).reply(200, { id: ID });
    const seen = watch(scope);
    const { client } = makeClient({ timeoutMs: 50 });
    await expect(client.profiles.get(ID)).resolves.toEqual({ id: ID });
    expect(seen.count).toBe(2);
  });

  it("per-call timeoutMs overrides the client's (shorter)", async () => {
    nock(base).get(PROFILE_PATH).delay(1_000).reply(200, { id: ID });
    const { client } = makeClient({ timeoutMs: 60_000 });
    const error = await caught(client.profiles.get(ID, { timeoutMs: 40, maxRetries: 0 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(40);
  });

  it("per-call timeoutMs overrides the client's (longer)", async () => {
    nock(base).get(PROFILE_PATH).delay(100).reply(200, { id: ID });
    const { client } = makeClient({ timeoutMs: 20, maxRetries: 0 });
    await expect(client.profiles.get(ID, { timeoutMs: 5_000 })).resolves.toEqual({ id: ID });
  });

  it('a body that stalls after the headers is under the timeout too (nock delayBody)', async () => {
    nock(base).get(PROFILE_PATH).delayBody(1_000).reply(200, { id: ID });
    const { client } = makeClient({ timeoutMs: 50, maxRetries: 0 });
    await expect(client.profiles.get(ID)).rejects.toBeInstanceOf(TimeoutError);
  });

  it('a body stream that stalls mid-JSON is under the timeout too (custom fetch)', async () => {
    let calls = 0;
    const stalling = async (request: Request) => {
      calls++;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"id": "6aff82cb'));
          // Like a real socket: the body only ends when the request is aborted.
          request.signal.addEventListener('abort', () => controller.error(request.signal.reason), { once: true });
        },
      });
      return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const { client } = makeClient({ timeoutMs: 50, fetch: stalling });
    const error = await caught(client.profiles.get(ID, { maxRetries: 1 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(calls).toBe(2);
  });
});

describe('abort', () => {
  it('an already aborted signal sends nothing', async () => {
    const scope = nock(base).get(PROFILE_PATH).reply(200, { id: ID });
    const seen = watch(scope);
    const { client } = makeClient();
    const reason = new Error('user left');
    const error = await caught(client.profiles.get(ID, { signal: AbortSignal.abort(reason) }));
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(error.cause).toBe(reason);
    expect(seen.count).toBe(0);
    expect(scope.isDone()).toBe(false);
  });

  it('an abort during the request stops it, with no further request', async () => {
    const scope = nock(base).get(PROFILE_PATH).times(3).delay(2_000).reply(200, { id: ID });
    const seen = watch(scope);
    const { client, logs } = makeClient();
    const controller = new AbortController();
    const pending = client.profiles.get(ID, { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    const error = await caught(pending);
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(error.message).toContain(`GET ${PROFILE_PATH} was aborted by the caller`);
    expect(seen.count).toBe(1);
    expect(logs).toHaveLength(1);
    expect(logs[0]!.error).toBe('RequestAbortedError');
    expect(logs[0]!.retryInMs).toBeUndefined();
  });

  it('an abort during an upload is not turned into a retry', async () => {
    const scope = nock(base).post('/api/v2/document').times(3).delay(2_000).reply(201, { id: ID });
    const seen = watch(scope);
    const { client } = makeClient();
    const controller = new AbortController();
    const pending = client.documents.upload({ profile: ID, type: 'TUR_ID_1', pages: [JPEG] }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await expect(pending).rejects.toBeInstanceOf(RequestAbortedError);
    expect(seen.count).toBe(1);
  });

  it('an abort during the wait between retries ends the wait (a 30 s Retry-After) and sends nothing more', async () => {
    const scope = nock(base)
      .get(PROFILE_PATH)
      .reply(503, {}, { 'Retry-After': '30' })
      .get(PROFILE_PATH)
      .reply(200, { id: ID });
    const seen = watch(scope);
    const controller = new AbortController();
    const { client } = makeClient({
      retry: { ...FAST, maxRetryAfterMs: 60_000 },
      // Abort shortly after the transport has started waiting: were the wait not cancelled, the
      // test would run into its 10 s timeout.
      logger: (entry) => {
        if (entry.retryInMs !== undefined) setTimeout(() => controller.abort(), 10);
      },
    });
    const error = await caught(client.profiles.get(ID, { signal: controller.signal }));
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(seen.count).toBe(1);
    expect(scope.pendingMocks()).toHaveLength(1);
  });

  it('an abort between attempts after a network error sends nothing more', async () => {
    const scope = nock(base).get(PROFILE_PATH).replyWithError(socketError('ECONNRESET')).get(PROFILE_PATH).reply(200, { id: ID });
    const seen = watch(scope);
    const controller = new AbortController();
    const { client } = makeClient({
      retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 },
      logger: (entry) => {
        if (entry.retryInMs !== undefined) controller.abort();
      },
    });
    const error = await caught(client.profiles.get(ID, { signal: controller.signal }));
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(seen.count).toBe(1);
  });
});

describe('response bodies', () => {
  it('invalid JSON in a 200 is an InvalidResponseError', async () => {
    const scope = nock(base).get(PROFILE_PATH).times(3).reply(200, '{"id": "6aff82cb', { 'Content-Type': 'application/json' });
    const seen = watch(scope);
    const { client } = makeClient();
    const error = await caught(client.profiles.get(ID));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).status).toBe(200);
    expect(error.message).toContain('not valid JSON');
    expect(seen.count).toBe(1);
  });

  it('an HTML 200 is an InvalidResponseError naming the content type', async () => {
    nock(base).get(PROFILE_PATH).reply(200, '<html><body>Login</body></html>', { 'Content-Type': 'text/html; charset=utf-8' });
    const { client } = makeClient();
    const error = await caught(client.profiles.get(ID));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain('a text/html body instead of JSON');
    expect(error.message).not.toContain('<html>');
  });

  it('an HTML 502 is a ServerError whose message leaves the HTML out', async () => {
    const html = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr>nginx</body></html>';
    nock(base).get(PROFILE_PATH).reply(502, html, { 'Content-Type': 'text/html' });
    const { client } = makeClient();
    const error = (await caught(client.profiles.get(ID, { maxRetries: 0 }))) as ServerError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error.status).toBe(502);
    expect(error.message).toContain(`GET ${PROFILE_PATH} failed with 502: HTTP 502`);
    expect(error.message).not.toMatch(/<|nginx|<title>/);
    expect(error.detail).toBeUndefined();
  });

  it('a short text 502 becomes the detail', async () => {
    nock(base).get(PROFILE_PATH).reply(502, 'Bad Gateway', { 'Content-Type': 'text/plain' });
    const { client } = makeClient();
    const error = (await caught(client.profiles.get(ID, { maxRetries: 0 }))) as ServerError;
    expect(error.detail).toBe('Bad Gateway');
    expect(error.message).toContain('failed with 502: Bad Gateway');
  });

  it('a 200 with an empty body resolves with undefined', async () => {
    nock(base).delete('/api/v2/ip-whitelist/203.0.113.7').reply(200, '');
    const { client } = makeClient();
    await expect(client.ipWhitelist.remove('203.0.113.7')).resolves.toBeUndefined();
  });

  it('a 204 resolves with undefined', async () => {
    nock(base).delete(`/api/v2/document/${ID}`).reply(204);
    const { client } = makeClient();
    await expect(client.documents.delete(ID)).resolves.toBeUndefined();
  });
});

describe('logger', () => {
  it('gets one line per attempt with method, path, status and attempt', async () => {
    const scope = nock(base).get(PROFILE_PATH).reply(503).get(PROFILE_PATH).reply(200, { id: ID });
    watch(scope);
    const { client, logs } = makeClient();
    await client.profiles.get(ID);
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatchObject({ method: 'GET', path: PROFILE_PATH, status: 503, attempt: 1 });
    expect(typeof logs[0]!.retryInMs).toBe('number');
    expect(logs[1]).toMatchObject({ method: 'GET', path: PROFILE_PATH, status: 200, attempt: 2 });
    expect(logs[1]!.retryInMs).toBeUndefined();
    for (const entry of logs) {
      expect(entry.durationMs).toBeGreaterThanOrEqual(0);
      expect(entry.error).toBeUndefined();
    }
    expect(logs[0]!.message).toMatch(new RegExp(`^GET ${PROFILE_PATH} 503 \\d+ms attempt 1, retrying in \\d+ ms$`));
    expect(logs[1]!.message).toMatch(new RegExp(`^GET ${PROFILE_PATH} 200 \\d+ms attempt 2$`));
  });

  it('redacts query values and never logs the token', async () => {
    nock(base).get('/api/v2/webhook/logs').query({ event: 'profile_create', endpoint: ID }).reply(200, []);
    const { client, logs } = makeClient();
    await client.webhooks.logs({ event: 'profile_create', endpoint: ID });
    expect(logs).toHaveLength(1);
    expect(logs[0]!.path).toBe('/api/v2/webhook/logs?event=[redacted]&endpoint=[redacted]');
    const text = JSON.stringify(logs);
    expect(text).not.toContain(ACCESS);
    expect(text).not.toContain(ID);
  });

  it('a throwing logger does not break the request', async () => {
    nock(base).get(PROFILE_PATH).reply(200, { id: ID });
    const { client } = makeClient({
      logger: () => {
        throw new Error('log sink down');
      },
    });
    await expect(client.profiles.get(ID)).resolves.toEqual({ id: ID });
  });
});

describe('ApiError', () => {
  it('carries status, code, detail, fieldErrors, requestId, method and path', async () => {
    nock(base)
      .post('/api/v2/webhook')
      .reply(
        400,
        { detail: 'Invalid input.', code: 'invalid', url: ['Enter a valid URL.'], enabled_events: ['Unknown event.', 'Duplicate.'] },
        { 'X-Request-Id': 'req-123' },
      );
    const { client } = makeClient();
    const error = (await caught(
      client.webhooks.create({ url: 'https://hooks.example.com/a', enabled_events: ['profile_create'] }),
    )) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      name: 'ValidationError',
      status: 400,
      code: 'invalid',
      detail: 'Invalid input.',
      fieldErrors: { url: ['Enter a valid URL.'], enabled_events: ['Unknown event.', 'Duplicate.'] },
      requestId: 'req-123',
      method: 'POST',
      path: '/api/v2/webhook',
    });
    expect(error.message).toContain('POST /api/v2/webhook failed with 400: Invalid input.');
  });

  it('422 without a detail summarizes the field errors', async () => {
    nock(base).put(`/api/v2/profile/${ID}/status`).reply(422, { status: ['"approved" is not a valid choice.'] });
    const { client } = makeClient();
    const error = (await caught(client.profiles.setStatus(ID, 'APPROVED'))) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.status).toBe(422);
    expect(error.code).toBeUndefined();
    expect(error.detail).toBeUndefined();
    expect(error.requestId).toBeUndefined();
    expect(error.fieldErrors).toEqual({ status: ['"approved" is not a valid choice.'] });
    expect(error.message).toContain('status: "approved" is not a valid choice.');
  });

  it('redacts secrets in the body it keeps', async () => {
    nock(base).get('/api/v2/webhook/secret').reply(403, { detail: 'no', secret: 'whsec_live', token: 'abc' });
    const { client } = makeClient();
    const error = (await caught(client.webhooks.getSecret())) as PermissionDeniedError;
    expect(error.body).toEqual({ detail: 'no', secret: '[redacted]', token: '[redacted]' });
    expect(JSON.stringify(error)).not.toContain('whsec_live');
  });

  it('401: refreshes once, replays, then throws AuthenticationError', async () => {
    const renewed = jwt({ sub: 'access-2' });
    const onTokens = vi.fn();
    const scope = nock(base)
      .get(PROFILE_PATH)
      .matchHeader('authorization', `Bearer ${ACCESS}`)
      .reply(401, { detail: 'Given token not valid for any token type', code: 'token_not_valid' })
      .post('/api/v2/token/refresh/', { refresh: REFRESH })
      .reply(200, { access: renewed, refresh: REFRESH })
      .get(PROFILE_PATH)
      .matchHeader('authorization', `Bearer ${renewed}`)
      .reply(401, { detail: 'Given token not valid for any token type', code: 'token_not_valid' }, { 'x-request-id': 'r-401' });
    const seen = watch(scope);
    const { client, logs } = makeClient({ onTokens });
    const error = (await caught(client.profiles.get(ID))) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 'token_not_valid', requestId: 'r-401', method: 'GET', path: PROFILE_PATH });
    expect(seen.count).toBe(3);
    scope.done();
    expect(onTokens).toHaveBeenCalledTimes(1);
    expect(onTokens).toHaveBeenCalledWith({ access: renewed, refresh: REFRESH });
    expect(logs.map((l) => [l.method, l.path, l.status, l.attempt])).toEqual([
      ['GET', PROFILE_PATH, 401, 1],
      ['POST', '/api/v2/token/refresh/', 200, 1],
      ['GET', PROFILE_PATH, 401, 2],
    ]);
    expect(JSON.stringify(logs)).not.toContain(renewed);
  });

  it('401 then 200 after the refresh succeeds', async () => {
    const renewed = jwt({ sub: 'access-3' });
    const scope = nock(base)
      .get(PROFILE_PATH)
      .reply(401, { code: 'token_not_valid' })
      .post('/api/v2/token/refresh/')
      .reply(200, { access: renewed })
      .get(PROFILE_PATH)
      .matchHeader('authorization', `Bearer ${renewed}`)
      .reply(200, { id: ID });
    const { client } = makeClient();
    await expect(client.profiles.get(ID)).resolves.toEqual({ id: ID });
    scope.done();
  });

  it.each([
    [400, ValidationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ApiError],
    [422, ValidationError],
    [429, RateLimitError],
    [500, ServerError],
    [502, ServerError],
    [503, ServerError],
    [504, ServerError],
    [505, ServerError],
  ] as const)('%i -> %s', async (status, errorClass) => {
    nock(base).get(PROFILE_PATH).reply(status, { detail: `status ${status}` });
    const { client } = makeClient();
    const error = (await caught(client.profiles.get(ID, { maxRetries: 0 }))) as ApiError;
    expect(error.constructor).toBe(errorClass);
    expect(error.name).toBe(errorClass.name);
    expect(error.status).toBe(status);
    expect(error.detail).toBe(`status ${status}`);
  });
});

describe('amani.raw', () => {
  it('uses the same retries: 503, 503, 200 -> data after 3 requests', async () => {
    const scope = nock(base, { reqheaders: { authorization: `Bearer ${ACCESS}` } })
      .get(PROFILE_PATH)
      .times(2)
      .reply(503)
      .get(PROFILE_PATH)
      .reply(200, { id: ID });
    const seen = watch(scope);
    const { client, logs } = makeClient();
    const { data, error, response } = await client.raw.GET('/api/v2/profile/{id}', { params: { path: { id: ID } } });
    expect(data).toEqual({ id: ID });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(seen.count).toBe(3);
    expect(logs.map((l) => l.attempt)).toEqual([1, 2, 3]);
  });

  it('stops after maxRetries and returns { error } instead of throwing', async () => {
    const scope = nock(base).get(PROFILE_PATH).times(5).reply(503, { detail: 'busy' });
    const seen = watch(scope);
    const { client } = makeClient();
    const { data, error, response } = await client.raw.GET('/api/v2/profile/{id}', { params: { path: { id: ID } } });
    expect(data).toBeUndefined();
    expect(error).toEqual({ detail: 'busy' });
    expect(response.status).toBe(503);
    expect(seen.count).toBe(3);
  });

  it('returns a 404 as { error } after one request', async () => {
    const scope = nock(base).get(PROFILE_PATH).times(3).reply(404, { detail: 'Not found.' });
    const seen = watch(scope);
    const { client } = makeClient();
    const { data, error, response } = await client.raw.GET('/api/v2/profile/{id}', { params: { path: { id: ID } } });
    expect(data).toBeUndefined();
    expect(error).toEqual({ detail: 'Not found.' });
    expect(response.status).toBe(404);
    expect(seen.count).toBe(1);
  });

  it('does not re-send a non-idempotent POST', async () => {
    const scope = nock(base).post('/api/v2/webhook').times(3).reply(503, { detail: 'busy' });
    const seen = watch(scope);
    const { client } = makeClient();
    const { error, response } = await client.raw.POST('/api/v2/webhook', {
      body: { url: 'https://hooks.example.com/a', enabled_events: ['profile_create'] },
    });
    expect(response.status).toBe(503);
    expect(error).toEqual({ detail: 'busy' });
    expect(seen.count).toBe(1);
  });

  it('re-sends the get-or-create profile POST with the same body', async () => {
    const scope = nock(base).post('/api/v2/profile').reply(503).post('/api/v2/profile').reply(201, { id: ID });
    const seen = watch(scope);
    const { client } = makeClient();
    const { data } = await client.raw.POST('/api/v2/profile', { body: { id_card_number: '12345678901' } });
    expect(data).toEqual({ id: ID });
    expect(seen.count).toBe(2);
    expect(JSON.parse(seen.bodies[0]!)).toEqual({ id_card_number: '12345678901' });
    expect(seen.bodies[1]).toBe(seen.bodies[0]);
  });

  it('retries a GET after a dropped connection', async () => {
    const scope = nock(base).get(PROFILE_PATH).replyWithError(socketError('ECONNRESET')).get(PROFILE_PATH).reply(200, { id: ID });
    const seen = watch(scope);
    const { client } = makeClient();
    const { data } = await client.raw.GET('/api/v2/profile/{id}', { params: { path: { id: ID } } });
    expect(data).toEqual({ id: ID });
    expect(seen.count).toBe(2);
  });

  it('honours an AbortSignal given to raw: nothing is sent once aborted', async () => {
    const scope = nock(base).get(PROFILE_PATH).reply(200, { id: ID });
    const seen = watch(scope);
    const { client } = makeClient();
    await expect(
      client.raw.GET('/api/v2/profile/{id}', { params: { path: { id: ID } }, signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(RequestAbortedError);
    expect(seen.count).toBe(0);
  });

  it('does not re-send a raw upload on 503, but does after ECONNREFUSED, with the same bytes', async () => {
    const scope = nock(base)
      .post('/api/v2/document')
      .reply(503)
      .post('/api/v2/document')
      .replyWithError(socketError('ECONNREFUSED'))
      .post('/api/v2/document')
      .reply(201, { id: ID });
    const seen = watch(scope);
    const { client } = makeClient();
    const body = { type: 'TUR_ID_1', profile: ID, pages: [new Blob([JPEG], { type: 'image/jpeg' })] };
    const first = await client.raw.POST('/api/v2/document', { body });
    expect(first.response.status).toBe(503);
    expect(seen.count).toBe(1);
    const second = await client.raw.POST('/api/v2/document', { body });
    expect(second.data).toEqual({ id: ID });
    expect(seen.count).toBe(3);
    // The transport keeps the FormData and encodes it again for the retry: a new boundary, the
    // very same parts.
    const [refused, retried] = await Promise.all([1, 2].map((i) => multipartParts(seen.contentTypes[i]!, seen.bodies[i]!)));
    expect(retried!.map((p) => p.name)).toEqual(['type', 'profile', 'pages']);
    expect(retried).toEqual(refused);
  });

  it('sends no token for the public operations', async () => {
    const scope = nock(base, { badheaders: ['authorization'] }).get('/api/v2/profile/url').query({ pid: 'abc' }).reply(200, { access: 'p' });
    const { client } = makeClient();
    const { data } = await client.raw.GET('/api/v2/profile/url', { params: { query: { pid: 'abc' } } });
    expect(data).toEqual({ access: 'p' });
    scope.done();
  });
});
