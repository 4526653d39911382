// Bulk work with bounded concurrency, so thousands of items neither stampede the API nor fail on
// its rate limit (pace requests with the client's `requestsPerSecond`). A rate-limited item is put back and tried again
// after the server's Retry-After (up to maxRetryAfterMs); every other failure is reported for its item, not thrown.
import { InvalidInputError, RateLimitError } from '../errors.ts';
import { defaultRetrySettings, sleep } from './retry.ts';

export interface BatchOptions {
  /** Items in flight at once; default 4. */
  concurrency?: number | undefined;
  /** How often one item may be put back after a 429; default 5. */
  maxRateLimitRetries?: number | undefined;
  /**
   * Stops starting new items, and ends the wait after a 429: items not started, or waiting to be
   * tried again, are reported as aborted.
   */
  signal?: AbortSignal | undefined;
}

export type BatchResult<T, R> =
  | { item: T; index: number; ok: true; value: R }
  | { item: T; index: number; ok: false; error: unknown };

export async function runBatch<T, R>(
  items: Iterable<T>,
  fn: (item: T, index: number) => Promise<R>,
  options: BatchOptions = {},
  /** A Retry-After longer than this fails the item (AmaniClient.batch passes the client's setting). */
  maxRetryAfterMs = defaultRetrySettings.maxRetryAfterMs,
): Promise<Array<BatchResult<T, R>>> {
  const list = [...items];
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidInputError('concurrency', `must be a whole number of at least 1, got ${String(concurrency)}`);
  }
  const maxRateLimitRetries = options.maxRateLimitRetries ?? 5;
  const results: Array<BatchResult<T, R>> = new Array(list.length);
  const queue = list.map((_, index) => ({ index, rateLimited: 0 }));
  // Shared across workers: after a 429 that outlived the transport's retries, no item starts
  // before the server's Retry-After.
  let pausedUntil = 0;

  async function worker(): Promise<void> {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const item = list[job.index]!;
      try {
        // Once aborted, this item and then every other one is reported aborted, at once even while
        // paused. A pause is at most maxRetryAfterMs, which a timer can hold.
        while (pausedUntil > Date.now() || options.signal?.aborted) {
          await sleep(pausedUntil - Date.now(), options.signal, 'BATCH', `item ${job.index}`);
        }
        results[job.index] = { item, index: job.index, ok: true, value: await fn(item, job.index) };
      } catch (error) {
        const pause = error instanceof RateLimitError ? (error.retryAfter ?? 1) * 1000 : Infinity;
        if (pause <= maxRetryAfterMs && job.rateLimited < maxRateLimitRetries) {
          job.rateLimited++;
          pausedUntil = Math.max(pausedUntil, Date.now() + pause);
          queue.unshift(job);
          continue;
        }
        results[job.index] = { item, index: job.index, ok: false, error };
      }
    }
  }

  await Promise.all(Array.from({ length: Math.min(concurrency, list.length) }, worker));
  return results;
}
