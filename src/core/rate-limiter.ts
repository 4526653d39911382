// Client-side pacing of every attempt the transport makes (first tries and retries alike), so a
// client told the API's rate never trips the server's limit, and retries of a 429 take a slot of
// the budget instead of adding to it.
import { MAX_DELAY_MS, sleep } from './retry.ts';

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
    let now = Date.now();
    // sleep() rejects once aborted. Woken, a waiter checks again: another may have taken the slot.
    // A slot further away than a timer holds (a tiny rate) is waited for in steps.
    while (this.#next > now || signal?.aborted) {
      await sleep(Math.min(this.#next - now, MAX_DELAY_MS), signal, method, path);
      now = Date.now();
    }
    // Late by less than an interval: the schedule catches up. Later (idle): it starts afresh.
    this.#next = now - this.#next < this.#interval ? this.#next + this.#interval : now + this.#interval;
  }
}
