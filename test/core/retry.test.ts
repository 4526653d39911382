// The pure retry policy: backoff bounds, Retry-After handling, which operations may be re-sent and
// which transport failures prove the request never left.
import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  defaultRetrySettings,
  isIdempotent,
  neverSent,
  RETRYABLE_STATUSES,
  retryDelayForResponse,
  type RetrySettings,
} from '../../src/core/retry.ts';
import { ConnectionError, parseRetryAfterSeconds, RequestAbortedError, TimeoutError } from '../../src/errors.ts';

const settings: RetrySettings = { baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 };
const JUST_BELOW_ONE = 1 - Number.EPSILON;

const response = (status: number, retryAfter?: string) =>
  new Response(null, { status, headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter } });

/** An HTTP date `seconds` after the whole second `now`, as servers write it. */
const httpDate = (now: number, seconds: number) => new Date(now + seconds * 1000).toUTCString();

describe('backoffMs (exponential backoff with full jitter)', () => {
  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 800],
    [5, 1_000],
    [6, 1_000],
    [20, 1_000],
  ])('retry %i waits in [0, %i)', (retry, ceiling) => {
    expect(backoffMs(retry, settings, () => 0)).toBe(0);
    const top = backoffMs(retry, settings, () => JUST_BELOW_ONE);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(ceiling);
    expect(top).toBe(ceiling - 1);
    expect(backoffMs(retry, settings, () => 0.5)).toBe(Math.floor(ceiling / 2));
  });

  it('never exceeds maxDelayMs even for huge retry counts', () => {
    expect(backoffMs(1_000, settings, () => JUST_BELOW_ONE)).toBeLessThan(settings.maxDelayMs);
  });

  it('uses Math.random by default and stays within the bounds', () => {
    for (let i = 0; i < 200; i++) {
      const d = backoffMs(3, settings);
      expect(Number.isInteger(d)).toBe(true);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(400);
    }
  });

  it('has the documented defaults', () => {
    expect(defaultRetrySettings).toEqual({ baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 });
  });
});

describe('retryDelayForResponse', () => {
  it('retries exactly 408, 429, 500, 502, 503 and 504', () => {
    expect([...RETRYABLE_STATUSES].sort()).toEqual([408, 429, 500, 502, 503, 504]);
  });

  it.each([200, 201, 204, 301, 400, 401, 403, 404, 409, 422, 501, 505])('does not retry %i', (status) => {
    expect(retryDelayForResponse(response(status), 1, settings, () => 0.5)).toBeUndefined();
    // Not even when the server sends Retry-After.
    expect(retryDelayForResponse(response(status, '1'), 1, settings, () => 0.5)).toBeUndefined();
  });

  it.each([408, 429, 500, 502, 503, 504])('backs off on %i without Retry-After', (status) => {
    expect(retryDelayForResponse(response(status), 1, settings, () => 0.5)).toBe(50);
    expect(retryDelayForResponse(response(status), 3, settings, () => 0.5)).toBe(200);
  });

  it('waits the Retry-After seconds instead of the backoff', () => {
    expect(retryDelayForResponse(response(503, '3'), 1, settings, () => 0)).toBe(3_000);
    expect(retryDelayForResponse(response(429, '0'), 1, settings, () => 0.9)).toBe(0);
    // Retry-After is not subject to maxDelayMs, only to maxRetryAfterMs.
    expect(retryDelayForResponse(response(429, '5'), 1, settings, () => 0)).toBe(5_000);
  });

  it('waits until a Retry-After HTTP date', () => {
    // An HTTP date has whole seconds: it names a time up to one second short of now + N.
    const delay = retryDelayForResponse(response(503, httpDate(Date.now(), 3)), 1, settings, () => 0);
    expect([2_000, 3_000]).toContain(delay);
  });

  it('retries at once for a Retry-After date in the past', () => {
    expect(retryDelayForResponse(response(503, 'Wed, 21 Oct 2015 07:28:00 GMT'), 1, settings, () => 0.5)).toBe(0);
  });

  it('gives up (undefined) when Retry-After is over maxRetryAfterMs', () => {
    expect(retryDelayForResponse(response(429, '6'), 1, settings)).toBeUndefined();
    expect(retryDelayForResponse(response(503, '86400'), 1, settings)).toBeUndefined();
    expect(retryDelayForResponse(response(429, httpDate(Date.now(), 3_600)), 1, settings)).toBeUndefined();
  });

  it('falls back to the backoff for an unparseable Retry-After', () => {
    expect(retryDelayForResponse(response(503, 'later'), 2, settings, () => 0.5)).toBe(100);
  });
});

describe('parseRetryAfterSeconds', () => {
  const now = Date.UTC(2030, 0, 1, 12, 0, 0);

  it('is undefined when absent or empty', () => {
    expect(parseRetryAfterSeconds(undefined)).toBeUndefined();
    expect(parseRetryAfterSeconds(null)).toBeUndefined();
    expect(parseRetryAfterSeconds('')).toBeUndefined();
    expect(parseRetryAfterSeconds('   ')).toBeUndefined();
  });

  it('reads delta-seconds, with surrounding whitespace', () => {
    expect(parseRetryAfterSeconds('0', now)).toBe(0);
    expect(parseRetryAfterSeconds('120', now)).toBe(120);
    expect(parseRetryAfterSeconds(' 7 ', now)).toBe(7);
    expect(parseRetryAfterSeconds('007', now)).toBe(7);
  });

  it('reads an IMF-fixdate as the seconds from now', () => {
    expect(parseRetryAfterSeconds(httpDate(now, 30), now)).toBe(30);
    expect(parseRetryAfterSeconds('Tue, 01 Jan 2030 12:01:00 GMT', now)).toBe(60);
  });

  it('rounds a date that is part of a second ahead up to a whole second', () => {
    expect(parseRetryAfterSeconds('Tue, 01 Jan 2030 12:00:10 GMT', now + 500)).toBe(10);
  });

  it('reads the obsolete RFC 850 and asctime date forms', () => {
    expect(parseRetryAfterSeconds('Tuesday, 01-Jan-30 12:00:45 GMT', now)).toBe(45);
    expect(parseRetryAfterSeconds('Tue Jan  1 12:00:45 2030', now)).toBe(45);
  });

  it('clamps a date in the past to 0', () => {
    expect(parseRetryAfterSeconds('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(0);
    expect(parseRetryAfterSeconds(httpDate(now, -5), now)).toBe(0);
  });

  it('is undefined for text that is neither seconds nor a date', () => {
    expect(parseRetryAfterSeconds('soon', now)).toBeUndefined();
    expect(parseRetryAfterSeconds('10 seconds', now)).toBeUndefined();
    expect(parseRetryAfterSeconds('1e3', now)).toBeUndefined();
    expect(parseRetryAfterSeconds('0x10', now)).toBeUndefined();
  });

  // RFC 9110 §10.2.3: Retry-After = HTTP-date / delta-seconds, delta-seconds = 1*DIGIT. A negative
  // number or a bare digit inside text is neither; V8's lenient Date.parse reads "-1" and "soon 2"
  // as dates in 2001, which would make the client retry at once (0 s) instead of backing off.
  it.each(['-1', 'soon 2', '1 2'])('is undefined for the malformed value %j', (value) => {
    expect(parseRetryAfterSeconds(value, now)).toBeUndefined();
  });

  it('does not turn a fractional value into "retry immediately"', () => {
    // "1.5" is not delta-seconds; it may be ignored (undefined) or rounded up, but never read as 0.
    expect([undefined, 2]).toContain(parseRetryAfterSeconds('1.5', now));
  });

  it('a malformed Retry-After falls back to the backoff instead of a zero wait', () => {
    expect(retryDelayForResponse(response(503, '-1'), 2, settings, () => 0.5)).toBe(100);
  });
});

describe('isIdempotent', () => {
  it.each([
    ['GET', '/api/v2/profile/{id}', true],
    ['get', '/api/v2/profile/{id}', true],
    ['GET', undefined, true],
    ['HEAD', undefined, true],
    ['OPTIONS', undefined, true],
    ['PUT', '/api/v2/profile/{id}/status', true],
    ['PUT', '/api/v2/document/{id}', true],
    ['DELETE', '/api/v2/document/{id}', true],
    ['DELETE', '/api/v2/ip-whitelist/{ip}', true],
    ['POST', '/api/v2/profile', true],
    ['post', '/api/v2/profile', true],
    ['POST', '/api/v2/user/login', true],
    ['POST', '/api/v2/token/refresh/', true],
    ['POST', '/api/v2/document', false],
    ['POST', '/api/v2/webhook', false],
    ['POST', '/api/v2/profile/url', false],
    ['POST', '/api/v2/ip-whitelist', false],
    ['POST', '/api/v2/webhook/logs/{id}/retry', false],
    ['POST', undefined, false],
    // A concrete path is not a schema path: only the templated one is known to be safe.
    ['POST', '/api/v2/profile/6aff82cb-e91a-4df4-b9a3-d69de0be1a2e', false],
    ['PATCH', '/api/v2/profile/{id}', false],
    ['PATCH', '/api/v2/webhook/secret', false],
    ['PATCH', '/api/v2/profile', false],
  ] as const)('%s %s -> %s', (method, schemaPath, expected) => {
    expect(isIdempotent(method, schemaPath)).toBe(expected);
  });
});

describe('neverSent', () => {
  const coded = (code: string) => Object.assign(new Error(code), { code });
  /** What undici's fetch rejects with: TypeError('fetch failed') caused by the socket error. */
  const undiciFailure = (code: string) => new TypeError('fetch failed', { cause: coded(code) });
  const connection = (cause: unknown) => new ConnectionError('POST', '/api/v2/document', cause);

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'])('is true for %s', (code) => {
    expect(neverSent(connection(coded(code)))).toBe(true);
    expect(neverSent(connection(undiciFailure(code)))).toBe(true);
  });

  it.each(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT'])(
    'is false for %s (the request may have reached the server)',
    (code) => {
      expect(neverSent(connection(coded(code)))).toBe(false);
      expect(neverSent(connection(undiciFailure(code)))).toBe(false);
    },
  );

  it('is false for a connection error with no code, or a non-string code', () => {
    expect(neverSent(connection(new TypeError('fetch failed')))).toBe(false);
    expect(neverSent(connection(undefined))).toBe(false);
    expect(neverSent(connection({ code: 111 }))).toBe(false);
  });

  it('looks a few causes deep, but not forever', () => {
    const deep = (levels: number) => {
      let error: unknown = coded('ECONNREFUSED');
      for (let i = 0; i < levels; i++) error = new Error('wrapped', { cause: error });
      return connection(error);
    };
    expect(neverSent(deep(3))).toBe(true);
    expect(neverSent(deep(10))).toBe(false);
    const cyclic: { code?: string; cause?: unknown } = {};
    cyclic.cause = cyclic;
    expect(neverSent(connection(cyclic))).toBe(false);
  });

  it('is false for anything that is not a ConnectionError', () => {
    expect(neverSent(coded('ECONNREFUSED'))).toBe(false);
    expect(neverSent(undiciFailure('ECONNREFUSED'))).toBe(false);
    expect(neverSent(new TimeoutError('POST', '/api/v2/document', 10))).toBe(false);
    expect(neverSent(new RequestAbortedError('POST', '/api/v2/document', coded('ECONNREFUSED')))).toBe(false);
    expect(neverSent(undefined)).toBe(false);
  });
});
