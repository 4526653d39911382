// When a failed attempt may be tried again, and how long to wait. A request is re-sent only when
// that cannot duplicate a write: idempotent operations on retryable failures, and any operation
// whose previous attempt provably never reached the server (connection refused, name not found).
import { parseRetryAfterSeconds, RequestAbortedError } from '../errors.ts';
import { within } from './tokens.ts';

export interface RetrySettings {
  /** First backoff ceiling; the n-th retry waits a random time up to baseDelayMs * 2^(n-1). */
  baseDelayMs: number;
  /** Ceiling of any single backoff. */
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error is thrown with `retryAfter`. */
  maxRetryAfterMs: number;
}

/**
 * The longest delay setTimeout holds (2^31-1 ms, about 24.8 days): Node and browsers run a longer
 * one after 1 ms. Every configured delay is refused above it, so no wait here can exceed it.
 */
export const MAX_DELAY_MS = 2 ** 31 - 1;
export const MAX_DELAY_HINT = `; at most ${MAX_DELAY_MS} ms (about 24.8 days)`;

export const defaultRetrySettings: RetrySettings = { baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 };

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Operations that may be sent again: every GET, PUT, DELETE, HEAD and OPTIONS, the get-or-create
 * profile POST (the same id_card_number returns the same profile), and login/refresh (they create
 * no resource).
 */
const IDEMPOTENT_POSTS = new Set(['/api/v2/profile', '/api/v2/user/login', '/api/v2/token/refresh/']);

export function isIdempotent(method: string, schemaPath: string | undefined): boolean {
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'PUT' || m === 'DELETE' || m === 'HEAD' || m === 'OPTIONS') return true;
  return m === 'POST' && schemaPath !== undefined && IDEMPOTENT_POSTS.has(schemaPath);
}

// Whether an error proves the request never reached a server reads Node's socket error codes;
// browsers report no codes, so their build leaves the check out (./platform.browser.ts).
export { neverSent } from './platform.ts';

/** Exponential backoff with full jitter: spreads retries of many clients instead of syncing them. */
export function backoffMs(retry: number, settings: RetrySettings, random: () => number = Math.random): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * How long to wait before retrying a response, or undefined when it must not be retried: the
 * status is not retryable, or the server asked for a longer pause than we are willing to hold.
 */
export function retryDelayForResponse(
  response: { status: number; headers: { get(name: string): string | null } },
  retry: number,
  settings: RetrySettings,
  random?: () => number,
): number | undefined {
  if (!RETRYABLE_STATUSES.has(response.status)) return undefined;
  const retryAfter = parseRetryAfterSeconds(response.headers.get('retry-after'));
  if (retryAfter === undefined) return backoffMs(retry, settings, random);
  const ms = retryAfter * 1000;
  return ms > settings.maxRetryAfterMs ? undefined : ms;
}

/**
 * A sleep that ends early, with RequestAbortedError, when the caller aborts (at once when already
 * aborted). `ms` is at most MAX_DELAY_MS: every delay comes from settings refused above it.
 */
export function sleep(ms: number, signal: AbortSignal | undefined, method: string, path: string): Promise<void> {
  // within() on a flight that never lands: only the timer (resolving) or the signal ends the wait.
  const late = () => {
    if (signal?.aborted) throw new RequestAbortedError(method, path, signal.reason);
  };
  return within(new Promise<void>(() => {}), ms, late, signal);
}
