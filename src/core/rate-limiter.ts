// Client-side pacing of every attempt the transport makes (first tries and retries alike), so a
// client told the API's rate never trips the server's limit, and retries of a 429 take a slot of
// the budget instead of adding to it.
import { RequestAbortedError } from '../errors.ts';

export class RateLimiter {
  readonly #interval: number;
  #next = 0;

  constructor(perSecond: number) {
    // 1% wider than the rate: jitter between our start and the server's count of the arrival must
    // not tip a window over the limit.
    this.#interval = (1000 / perSecond) * 1.01;
  }

  /** Resolves when the next attempt may start. A slightly late timer keeps its slot; after idle time nothing bursts. */
  async take(signal: AbortSignal | undefined, method: string, path: string): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw new RequestAbortedError(method, path, signal.reason);
      const now = Date.now();
      if (this.#next <= now) {
        // Late by less than an interval: the schedule catches up. Later (idle): it starts afresh.
        this.#next = now - this.#next < this.#interval ? this.#next + this.#interval : now + this.#interval;
        return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.#next - now);
        function done() {
          signal?.removeEventListener('abort', done);
          clearTimeout(timer);
          resolve();
        }
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  }
}
