// Waits and timers over a real socket: batch() under 429 pauses (its signal, the client's
// maxRetryAfterMs), delays that setTimeout cannot hold (refused where they are configured, never
// handed to a timer), and a custom fetch that ignores its AbortSignal (the timeout and the caller's
// abort still end the call). Counted at the server, bounds generous: nothing here is a stopwatch.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AmaniClient,
  InvalidInputError,
  RateLimitError,
  RequestAbortedError,
  TimeoutError,
  type AmaniClientOptions,
} from '../../src/index.ts';
import { act } from './fault-server.ts';
import { clientFor, failure, secretScan, until, uuid, useFaultServer } from './harness.ts';

const TEST_MS = 10_000;
/** The longest delay setTimeout honours; Node runs a longer one after 1 ms. */
const MAX_TIMER = 2 ** 31 - 1;
const DAY_S = 86_400;
const profilePath = (i: number) => `/api/v2/profile/${uuid(i)}`;
const throttled = (retryAfterS: number) => act.json(429, { detail: 'Request was throttled.' }, { 'retry-after': String(retryAfterS) });
const profile = (i: number) => act.json(200, { id: uuid(i) });

const server = useFaultServer();

/** Records every delay handed to setTimeout from now on, for this test. */
function timerDelays(): number[] {
  const delays: number[] = [];
  const original = globalThis.setTimeout;
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((handler: () => void, ms?: number, ...rest: unknown[]) => {
    delays.push(ms ?? 0);
    return original(handler, ms, ...rest);
  }) as typeof setTimeout);
  return delays;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('batch(): 429 pauses', () => {
  it("a Retry-After beyond the client's maxRetryAfterMs fails that item at once; the others go on", async () => {
    server.script('GET', profilePath(1), throttled(2), profile(1)).fallback('GET', profilePath(2), profile(2));
    const { client } = clientFor(server, { retry: { baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 1_000 } });
    const started = Date.now();
    const results = await client.batch([1, 2], (i) => client.profiles.get(uuid(i)), { concurrency: 1 });
    expect(Date.now() - started).toBeLessThan(1_500);
    const first = results[0]!;
    expect(first.ok).toBe(false);
    const error = (first as { error: unknown }).error;
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(2);
    expect(results[1]).toMatchObject({ ok: true, value: { id: uuid(2) } });
    // Not put back: the 200 scripted after the 429 was never asked for.
    expect(server.arrivals('GET', profilePath(1))).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
  }, TEST_MS);

  it('a 30-day Retry-After fails the item at once: no busy loop of overflowing timers', async () => {
    server.fallback('GET', profilePath(1), throttled(30 * DAY_S)).fallback('GET', profilePath(2), profile(2));
    const { client } = clientFor(server);
    const delays = timerDelays();
    const results = await client.batch([1, 2], (i) => client.profiles.get(uuid(i)), { concurrency: 1 });
    expect((results[0] as { error: unknown }).error).toBeInstanceOf(RateLimitError);
    expect(((results[0] as { error: RateLimitError }).error).retryAfter).toBe(30 * DAY_S);
    expect(results[1]!.ok).toBe(true);
    expect(server.arrivals('GET', profilePath(1))).toHaveLength(1);
    expect(delays.filter((ms) => ms > MAX_TIMER)).toEqual([]);
  }, TEST_MS);

  it('an abort during the pause reports the waiting items aborted promptly; unstarted ones too', async () => {
    // The transport does not retry (maxRetries 0): both 429s reach batch(), which pauses 30 s.
    server.fallback('GET', profilePath(1), throttled(30)).fallback('GET', profilePath(2), throttled(30)).fallback('GET', profilePath(3), profile(3));
    const { client, logs } = clientFor(server, { maxRetries: 0 });
    const controller = new AbortController();
    const { signal } = controller;
    const running = client.batch([1, 2, 3], (i) => client.profiles.get(uuid(i), { signal }), { concurrency: 2, signal });
    await until(() => logs.length === 2, 5_000, 'both 429s');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const abortedAt = Date.now();
    controller.abort();
    const results = await running;
    expect(Date.now() - abortedAt).toBeLessThan(1_500);
    expect(results.map((r) => r.ok)).toEqual([false, false, false]);
    for (const result of results) expect((result as { error: unknown }).error).toBeInstanceOf(RequestAbortedError);
    expect(server.requests.map((r) => r.path)).toEqual([profilePath(1), profilePath(2)]);
  }, TEST_MS);
});

describe('delays setTimeout cannot hold', () => {
  const base = (): AmaniClientOptions => ({ baseUrl: server.url });

  it.each([
    ['timeoutMs', { timeoutMs: Number.MAX_SAFE_INTEGER }, 'options.timeoutMs'],
    ['timeoutMs 2^31', { timeoutMs: 2 ** 31 }, 'options.timeoutMs'],
    ['retry.maxRetryAfterMs 40 days', { retry: { maxRetryAfterMs: 40 * DAY_S * 1000 } }, 'retry.maxRetryAfterMs'],
    ['retry.baseDelayMs 2^31', { retry: { baseDelayMs: 2 ** 31 } }, 'retry.baseDelayMs'],
    ['retry.maxDelayMs 2^32', { retry: { maxDelayMs: 2 ** 32 } }, 'retry.maxDelayMs'],
  ] as const)('%s is refused at configuration, naming the field and the maximum', (_name, options, field) => {
    let error: unknown;
    try {
      new AmaniClient({ ...base(), ...options });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe(field);
    expect((error as Error).message).toContain('at most 2147483647 ms (about 24.8 days)');
  });

  it('a per-call timeoutMs over 2^31-1 is refused before anything is sent', async () => {
    const { client } = clientFor(server);
    server.fallback('GET', profilePath(1), profile(1));
    const error = await failure('timeoutMs 2^53', () => client.profiles.get(uuid(1), { timeoutMs: Number.MAX_SAFE_INTEGER }));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe('options.timeoutMs');
    expect(error.message).toContain('2147483647');
    expect(server.count).toBe(0);
  });

  it('timeoutMs 2^31-1 is the longest accepted, and really waits (a 300 ms answer arrives)', async () => {
    server.fallback('GET', profilePath(1), act.handle((_req, res) => void setTimeout(() => profile(1).run(_req, res), 300)));
    const { client } = clientFor(server, { timeoutMs: MAX_TIMER });
    expect(await client.profiles.get(uuid(1))).toEqual({ id: uuid(1) });
    expect(await client.profiles.get(uuid(1), { timeoutMs: MAX_TIMER })).toEqual({ id: uuid(1) });
    expect(server.count).toBe(2);
  });

  it('a Retry-After beyond the largest maxRetryAfterMs is not waited: RateLimitError after 1 arrival', async () => {
    server.fallback('GET', profilePath(1), throttled(30 * DAY_S));
    const { client } = clientFor(server, { retry: { baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: MAX_TIMER } });
    const delays = timerDelays();
    const error = await failure('30-day Retry-After', () => client.profiles.get(uuid(1)));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(30 * DAY_S);
    expect(server.count).toBe(1);
    expect(delays.filter((ms) => ms > MAX_TIMER)).toEqual([]);
  });

  it('requestsPerSecond so low that the next slot is years away: waits with a timer it can hold, until aborted', async () => {
    server.fallback('GET', profilePath(1), profile(1));
    const { client } = clientFor(server, { requestsPerSecond: 1e-9 });
    await client.profiles.get(uuid(1));
    const delays = timerDelays();
    const controller = new AbortController();
    const waiting = failure('paced call', () => client.profiles.get(uuid(1), { signal: controller.signal }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort();
    expect(await waiting).toBeInstanceOf(RequestAbortedError);
    expect(server.count).toBe(1);
    // Overflowing delays would run after 1 ms, over and over: a busy loop of hundreds of timers.
    expect(delays.filter((ms) => ms > MAX_TIMER)).toEqual([]);
    expect(delays.length).toBeLessThan(20);
  });
});

describe('a custom fetch that ignores its AbortSignal', () => {
  /** Sends to the fault server with the global fetch, dropping the signal it was given. */
  const deaf = (request: Request) => globalThis.fetch(request.url, { method: request.method, headers: request.headers });
  const late = (ms: number, action = profile(1)) =>
    act.handle((req, res) => void setTimeout(() => action.run(req, res), ms), `late ${action.kind}`);

  it('times out at timeoutMs although the fetch has not settled; its late answer is dropped quietly', async () => {
    server.fallback('GET', profilePath(1), late(2_000));
    const { client } = clientFor(server, { fetch: deaf, timeoutMs: 150, maxRetries: 0 });
    const started = Date.now();
    const error = await failure('deaf fetch timeout', () => client.profiles.get(uuid(1)));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(150);
    expect(Date.now() - started).toBeLessThan(1_500);
    // Let the abandoned fetch settle (afterEach fails the test on an unhandled rejection).
    await until(() => server.requests[0]?.closedAt !== undefined, 3_000, 'the late answer');
    expect(server.count).toBe(1);
  }, TEST_MS);

  it('a late failure of the abandoned fetch is no unhandled rejection; the GET was retried', async () => {
    server.fallback('GET', profilePath(1), late(1_500, act.reset()));
    const { client, logs } = clientFor(server, { fetch: deaf, timeoutMs: 100, maxRetries: 1 });
    const started = Date.now();
    const error = await failure('deaf fetch reset', () => client.profiles.get(uuid(1)));
    expect(error).toBeInstanceOf(TimeoutError);
    // Two attempts of 100 ms each, not two waits for the resets.
    expect(Date.now() - started).toBeLessThan(1_200);
    expect(logs.map((l) => l.error)).toEqual(['TimeoutError', 'TimeoutError']);
    await until(() => server.requests.length === 2 && server.requests.every((r) => r.closedAt !== undefined), 3_000, 'the late resets');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }, TEST_MS);

  it("honours the caller's abort", async () => {
    server.fallback('GET', profilePath(1), late(3_000));
    const { client } = clientFor(server, { fetch: deaf, timeoutMs: 5_000 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const error = await failure('deaf fetch abort', () => client.profiles.get(uuid(1), { signal: controller.signal }));
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(server.count).toBe(1);
  }, TEST_MS);
});

secretScan();
