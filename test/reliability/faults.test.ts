// Every fault a real HTTP server can produce, against a real AmaniClient over a real socket: each
// ends in the documented typed error or in success, after exactly the documented number of
// attempts (counted at the server and in the logger), with no unhandled rejection and no hang.
// The call here is profiles.get, a GET: retried on network errors, timeouts and 408/429/5xx,
// maxRetries (2) times by default. Writes are covered by no-duplicate-writes.test.ts.
import { describe, expect, it } from 'vitest';
import { ConnectionError, RateLimitError, ServerError, TimeoutError, type AmaniClientOptions } from '../../src/index.ts';
import { causeCodes, expectAttempts, FAULTS } from './catalogue.ts';
import { act, closedPort } from './fault-server.ts';
import { ACCESS, clientFor, failure, PROFILE_ID, secretScan, until, useFaultServer } from './harness.ts';

const PATH = `/api/v2/profile/${PROFILE_ID}`;
const PROFILE = { id: PROFILE_ID, name: 'Ayse Yilmaz', status: 'CREATED' };
const ok = () => act.json(200, PROFILE);
// Generous timeouts except where an answer stalls, so a busy machine cannot flake.
const TEST_MS = 10_000;

const server = useFaultServer();

function getProfile(options: Partial<AmaniClientOptions> = {}) {
  const { client, logs } = clientFor(server, { timeoutMs: 5_000, ...options });
  return { logs, call: (perCall = {}) => client.profiles.get(PROFILE_ID, perCall) };
}

const arrivals = () => server.arrivals('GET', PATH);

describe('a GET under a fault on every attempt', () => {
  it.each(FAULTS)('$name: the typed error after exactly the documented attempts', async (fault) => {
    server.fallback('GET', PATH, fault.action());
    const { logs, call } = getProfile(fault.timeoutMs ? { timeoutMs: fault.timeoutMs } : {});
    const error = await failure(fault.name, () => call());
    fault.check(error, 'GET', PATH);
    if (fault.timeoutMs) expect((error as TimeoutError).timeoutMs).toBe(fault.timeoutMs);
    expect(error.message.startsWith(`GET ${PATH} `)).toBe(true);
    const attempts = fault.retried ? 3 : 1;
    expect(arrivals()).toHaveLength(attempts);
    expect(server.requests).toHaveLength(attempts); // nothing else was sent (no refresh, no login)
    expect(arrivals().every((r) => r.headers.authorization === `Bearer ${ACCESS}`)).toBe(true);
    expectAttempts(logs, attempts);
    // No hang: every connection the client gave up on is closed, none left dangling.
    if (fault.timeoutMs) await until(() => arrivals().every((r) => r.closedAt !== undefined), 3_000, 'abandoned connections to close');
  }, TEST_MS);

  it.each(FAULTS.filter((f) => f.retried))('$name, then 200: succeeds on the second attempt', async (fault) => {
    server.script('GET', PATH, fault.action()).fallback('GET', PATH, ok());
    // The stall costs this timeout once; the answer after it must fit in it even on a busy machine.
    const { logs, call } = getProfile(fault.timeoutMs ? { timeoutMs: 1_000 } : {});
    expect(await call()).toEqual(PROFILE);
    expect(arrivals().map((r) => r.action)).toEqual([fault.action().kind, 'json 200']);
    expectAttempts(logs, 2);
    expect(logs[1]!.status).toBe(200);
  }, TEST_MS);

  it('200 with JSON under a wrong content type: the JSON is used, one attempt', async () => {
    server.fallback('GET', PATH, act.wrongContentType(200, JSON.stringify(PROFILE), 'text/html'));
    const { logs, call } = getProfile();
    expect(await call()).toEqual(PROFILE);
    expect(arrivals()).toHaveLength(1);
    expectAttempts(logs, 1);
  }, TEST_MS);
});

describe('503 then 200, and the retry budget', () => {
  it('503 then 200: success after exactly 2 attempts', async () => {
    server.script('GET', PATH, act.json(503, { detail: 'down' })).fallback('GET', PATH, ok());
    const { logs, call } = getProfile();
    expect(await call()).toEqual(PROFILE);
    expect(arrivals()).toHaveLength(2);
    expect(logs.map((l) => l.status)).toEqual([503, 200]);
  }, TEST_MS);

  it('reset, stall, 503 then 200: the 3 faults use up the budget; the 200 is never asked for', async () => {
    server.script('GET', PATH, act.reset(), act.stall(), act.json(503, {})).fallback('GET', PATH, ok());
    const { logs, call } = getProfile({ timeoutMs: 1_000 });
    const error = await failure('mixed faults', () => call());
    expect(error).toBeInstanceOf(ServerError);
    expect(arrivals().map((r) => r.action)).toEqual(['reset', 'stall', 'json 503']);
    expect(logs.map((l) => l.error ?? l.status)).toEqual(['ConnectionError', 'TimeoutError', 503]);
  }, TEST_MS);

  it('reset, 502 then 200: success on the last attempt the budget allows', async () => {
    server.script('GET', PATH, act.reset(), act.html(502)).fallback('GET', PATH, ok());
    const { call } = getProfile();
    expect(await call()).toEqual(PROFILE);
    expect(arrivals()).toHaveLength(3);
  }, TEST_MS);

  it.each([0, 1, 5])('per-call maxRetries %i: exactly maxRetries + 1 attempts', async (maxRetries) => {
    server.fallback('GET', PATH, act.json(503, {}));
    const { logs, call } = getProfile();
    expect(await failure('maxRetries', () => call({ maxRetries }))).toBeInstanceOf(ServerError);
    expect(arrivals()).toHaveLength(maxRetries + 1);
    expectAttempts(logs, maxRetries + 1);
  }, TEST_MS);
});

describe('429 and Retry-After', () => {
  it('Retry-After in seconds (1): waits exactly that long, then succeeds', async () => {
    server.script('GET', PATH, act.json(429, { detail: 'throttled' }, { 'retry-after': '1' })).fallback('GET', PATH, ok());
    const { logs, call } = getProfile();
    expect(await call()).toEqual(PROFILE);
    expect(arrivals()).toHaveLength(2);
    expect(logs[0]).toMatchObject({ status: 429, attempt: 1, retryInMs: 1000 });
  }, TEST_MS);

  it('Retry-After as an HTTP date 3 s ahead: waits until then (whole seconds, not the millisecond backoff), then succeeds', async () => {
    server
      .script('GET', PATH, act.handle((_req, res) => {
        // HTTP dates have whole seconds: 3 s ahead reads as 1-3 s, however late the client parses it.
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': new Date(Date.now() + 3_000).toUTCString() });
        res.end('{"detail": "throttled"}');
      }, 'json 429 dated'))
      .fallback('GET', PATH, ok());
    const { logs, call } = getProfile();
    expect(await call()).toEqual(PROFILE);
    expect(arrivals()).toHaveLength(2);
    expect([1000, 2000, 3000]).toContain(logs[0]!.retryInMs);
  }, TEST_MS);

  it('Retry-After as an HTTP date in the past: retried at once', async () => {
    server
      .script('GET', PATH, act.json(429, {}, { 'retry-after': new Date(Date.now() - 60_000).toUTCString() }))
      .fallback('GET', PATH, ok());
    const { logs, call } = getProfile();
    expect(await call()).toEqual(PROFILE);
    expect(logs[0]!.retryInMs).toBe(0);
  }, TEST_MS);

  it('Retry-After beyond maxRetryAfterMs (120 s): RateLimitError with retryAfter after 1 attempt, no wait', async () => {
    server.fallback('GET', PATH, act.json(429, { detail: 'throttled' }, { 'retry-after': '120' }));
    const { logs, call } = getProfile();
    const error = await failure('429 120 s', () => call());
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(120);
    expect(arrivals()).toHaveLength(1);
    expectAttempts(logs, 1);
  }, TEST_MS);

  it('Retry-After as an HTTP date 2 minutes ahead: RateLimitError with retryAfter ~120 after 1 attempt', async () => {
    server.fallback('GET', PATH, act.json(429, {}, { 'retry-after': new Date(Date.now() + 120_000).toUTCString() }));
    const { call } = getProfile();
    const error = (await failure('429 dated', () => call())) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfter).toBeGreaterThanOrEqual(118);
    expect(error.retryAfter).toBeLessThanOrEqual(120);
    expect(arrivals()).toHaveLength(1);
  }, TEST_MS);

  it('an unparseable Retry-After falls back to the (millisecond) backoff', async () => {
    server.script('GET', PATH, act.json(429, {}, { 'retry-after': 'soon' })).fallback('GET', PATH, ok());
    const { logs, call } = getProfile();
    expect(await call()).toEqual(PROFILE);
    expect(logs[0]!.retryInMs).toBeLessThanOrEqual(5);
  }, TEST_MS);
});

describe('connection refused', () => {
  it('a GET to a port nobody listens on: ConnectionError (ECONNREFUSED) after exactly 3 attempts', async () => {
    const port = await closedPort();
    const { client, logs } = clientFor({ url: `http://127.0.0.1:${port}` });
    const error = await failure('refused', () => client.profiles.get(PROFILE_ID));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(causeCodes(error)).toContain('ECONNREFUSED');
    expectAttempts(logs, 3);
  }, TEST_MS);
});

secretScan(100);
