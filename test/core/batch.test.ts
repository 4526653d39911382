import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { AmaniClient } from '../../src/client.ts';
import { runBatch } from '../../src/core/batch.ts';
import { RateLimiter } from '../../src/core/rate-limiter.ts';
import { ApiError, InvalidInputError, NotFoundError, RateLimitError, RequestAbortedError } from '../../src/errors.ts';
import { nockFetch } from '../support/nock-fetch.ts';

const rateLimited = (retryAfter: number) =>
  new RateLimitError({ status: 429, method: 'GET', path: '/x', body: { detail: 'throttled' } }, retryAfter);

afterEach(() => {
  nock.cleanAll();
});

describe('runBatch', () => {
  it('keeps the order of items and never runs more than `concurrency` at once', async () => {
    let running = 0;
    let peak = 0;
    const results = await runBatch(
      Array.from({ length: 20 }, (_, i) => i),
      async (n) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, (n * 7) % 5));
        running--;
        return n * 2;
      },
      { concurrency: 3 },
    );
    expect(peak).toBe(3);
    expect(results.map((r) => (r.ok ? r.value : null))).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    expect(results.map((r) => r.index)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('reports failures per item instead of throwing', async () => {
    const boom = new NotFoundError({ status: 404, method: 'GET', path: '/p', body: { detail: 'Not found.' } });
    const results = await runBatch(['a', 'b', 'c'], async (item) => {
      if (item === 'b') throw boom;
      return item.toUpperCase();
    });
    expect(results).toEqual([
      { item: 'a', index: 0, ok: true, value: 'A' },
      { item: 'b', index: 1, ok: false, error: boom },
      { item: 'c', index: 2, ok: true, value: 'C' },
    ]);
  });

  it('puts a rate-limited item back after Retry-After, and gives up after maxRateLimitRetries', async () => {
    const attempts = new Map<string, number>();
    const results = await runBatch(
      ['once', 'always'],
      async (item) => {
        const n = (attempts.get(item) ?? 0) + 1;
        attempts.set(item, n);
        if (item === 'always' || n === 1) throw rateLimited(0);
        return n;
      },
      { concurrency: 1, maxRateLimitRetries: 2 },
    );
    expect(results[0]).toMatchObject({ ok: true, value: 2 });
    expect(results[1]).toMatchObject({ ok: false });
    expect((results[1] as { error: unknown }).error).toBeInstanceOf(RateLimitError);
    expect(attempts.get('always')).toBe(3);
  });

  it('stops starting items once aborted, reporting the rest as aborted', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const results = await runBatch(
      [0, 1, 2, 3],
      async (n) => {
        started.push(n);
        if (n === 1) controller.abort();
        return n;
      },
      { concurrency: 1, signal: controller.signal },
    );
    expect(started).toEqual([0, 1]);
    expect(results.slice(2).every((r) => !r.ok && r.error instanceof RequestAbortedError)).toBe(true);
  });

  it('refuses a concurrency that is not a whole number of at least 1', async () => {
    await expect(runBatch([1], async () => 1, { concurrency: 0 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(runBatch([1], async () => 1, { concurrency: 1.5 })).rejects.toThrow(/concurrency/);
  });
});

describe('requestsPerSecond', () => {
  it('paces every attempt, retries included: n attempts take at least (n - 1) intervals', async () => {
    const limiter = new RateLimiter(200);
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      await limiter.take(undefined, 'GET', '/x');
      times.push(Date.now());
    }
    // 1% wider than 5 ms per start; timers may be late but never early.
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(5 * 5);
  });

  it('is refused unless a positive number', () => {
    expect(() => new AmaniClient({ region: 'eu', requestsPerSecond: 0 })).toThrow(/requestsPerSecond/);
    expect(() => new AmaniClient({ region: 'eu', requestsPerSecond: Number.NaN })).toThrow(InvalidInputError);
  });

  it('an aborted signal ends the wait for a slot', async () => {
    const limiter = new RateLimiter(0.1);
    await limiter.take(undefined, 'GET', '/x');
    const controller = new AbortController();
    const waiting = limiter.take(controller.signal, 'GET', '/x');
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(RequestAbortedError);
  });

  it('amani.batch drives API calls and reports the API errors per item', async () => {
    const token = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ exp: 4102444800 })).toString('base64url')}.c2ln`;
    const ids = ['6aff82cb-e91a-4df4-b9a3-d69de0be1a2e', '0c9d5a31-2b7e-4f0a-9d4c-7e1f2a3b4c5d'];
    nock('https://eu.amani.ai').get(`/api/v2/profile/${ids[0]}`).reply(200, { id: ids[0] });
    nock('https://eu.amani.ai').get(`/api/v2/profile/${ids[1]}`).reply(404, { detail: 'Not found.' });
    const amani = new AmaniClient({ fetch: nockFetch, region: 'eu', tokens: { access: token }, requestsPerSecond: 100 });
    const results = await amani.batch(ids, (id) => amani.profiles.get(id), { concurrency: 2 });
    expect(results[0]).toMatchObject({ ok: true, value: { id: ids[0] } });
    expect((results[1] as { error: ApiError }).error).toBeInstanceOf(NotFoundError);
  });
});
