// The faults the suite injects, each with the typed error AmaniClient documents for it and whether
// the client retries it (for operations that may be retried): shared by faults.test.ts (a GET),
// no-duplicate-writes.test.ts (every write and every idempotent operation) and the hygiene scan.
import { expect } from 'vitest';
import {
  ApiError,
  ConnectionError,
  InvalidResponseError,
  RateLimitError,
  ServerError,
  TimeoutError,
  type RequestLogEntry,
} from '../../src/index.ts';
import { act, type Action } from './fault-server.ts';

/** Per-attempt timeout where every answer stalls (nothing legitimate has to fit in it). */
export const STALL_MS = 250;

export interface Fault {
  name: string;
  action: () => Action;
  /** Set for faults that only a timeout ends. */
  timeoutMs?: number;
  /** Retried for operations that may be repeated (network error, timeout, 408/429/5xx). */
  retried: boolean;
  /** The documented typed error, for a call `METHOD path`. */
  check: (error: Error, method: string, path: string) => void;
}

/** The `code`s in an error's cause chain (undici nests the socket error in "fetch failed"). */
export function causeCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let cause = (error as { cause?: unknown }).cause, depth = 0; cause && depth < 10; cause = (cause as { cause?: unknown }).cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}

/** The log shows attempts 1..n, every one but the last announcing a retry. */
export function expectAttempts(logs: RequestLogEntry[], n: number): void {
  expect(logs.map((entry) => entry.attempt)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  expect(logs.slice(0, -1).every((entry) => entry.retryInMs !== undefined)).toBe(true);
  expect(logs.at(-1)!.retryInMs).toBeUndefined();
}

export const FAULTS: readonly Fault[] = [
  {
    name: 'connection reset (RST) after the request arrived',
    action: act.reset,
    retried: true,
    check: (e) => {
      expect(e).toBeInstanceOf(ConnectionError);
      expect(causeCodes(e)).toContain('ECONNRESET');
    },
  },
  {
    name: 'connection closed (FIN) without an answer',
    action: act.hangup,
    retried: true,
    check: (e) => expect(e).toBeInstanceOf(ConnectionError),
  },
  {
    name: 'no answer at all (stall past the timeout)',
    action: act.stall,
    timeoutMs: STALL_MS,
    retried: true,
    check: (e) => expect(e).toBeInstanceOf(TimeoutError),
  },
  {
    name: 'headers sent, then the body stalls past the timeout',
    action: () => act.stallBody(200),
    timeoutMs: STALL_MS,
    retried: true,
    check: (e) => expect(e).toBeInstanceOf(TimeoutError),
  },
  {
    name: 'body cut short (content-length larger than sent, then the connection closes)',
    action: () => act.truncated(200),
    retried: true,
    check: (e) => expect(e).toBeInstanceOf(ConnectionError),
  },
  {
    name: 'HTML 502 from a proxy',
    action: () => act.html(502),
    retried: true,
    check: (e, method, path) => {
      expect(e).toBeInstanceOf(ServerError);
      expect((e as ServerError).status).toBe(502);
      // The page is kept out of the message (a query, if any, shows redacted).
      expect(e.message.replace(/\?\S+ failed/, ' failed')).toBe(
        `${method} ${path} failed with 502: HTTP 502. Amani failed to handle the request; it may succeed later. A write may have taken effect: check before repeating it`,
      );
    },
  },
  {
    name: 'JSON 503',
    action: () => act.json(503, { detail: 'Service temporarily unavailable.' }),
    retried: true,
    check: (e) => {
      expect(e).toBeInstanceOf(ServerError);
      expect((e as ServerError).detail).toBe('Service temporarily unavailable.');
    },
  },
  {
    name: '504 with an empty body',
    action: () => act.reply(504),
    retried: true,
    check: (e) => {
      expect(e).toBeInstanceOf(ServerError);
      expect((e as ServerError).status).toBe(504);
    },
  },
  {
    name: '408 request timeout',
    action: () => act.json(408, { detail: 'Request timeout.' }),
    retried: true,
    check: (e) => {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).status).toBe(408);
    },
  },
  {
    name: '429 with Retry-After: 0',
    action: () => act.json(429, { detail: 'Request was throttled.' }, { 'retry-after': '0' }),
    retried: true,
    check: (e) => {
      expect(e).toBeInstanceOf(RateLimitError);
      expect((e as RateLimitError).retryAfter).toBe(0);
    },
  },
  {
    name: '200 with invalid (cut off) JSON',
    action: () => act.invalidJson(200),
    retried: false,
    check: (e) => {
      expect(e).toBeInstanceOf(InvalidResponseError);
      expect((e as InvalidResponseError).status).toBe(200);
      expect(e.message).toContain('not valid JSON');
    },
  },
  {
    name: '200 with an HTML page',
    action: () => act.html(200),
    retried: false,
    check: (e) => {
      expect(e).toBeInstanceOf(InvalidResponseError);
      expect(e.message).toContain('a text/html body instead of JSON');
    },
  },
  {
    name: '200 with a wrong content type and a body that is not JSON',
    action: () => act.wrongContentType(200, 'OK', 'text/plain'),
    retried: false,
    check: (e) => {
      expect(e).toBeInstanceOf(InvalidResponseError);
      expect(e.message).toContain('a text/plain body instead of JSON');
    },
  },
];
