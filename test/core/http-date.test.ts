// Retry-After's HTTP-date form: parsed in Node (platform.ts), left to the backoff in browser builds
// (platform.browser.ts), where Amani's own throttling sends delta-seconds anyway.
import { describe, expect, it } from 'vitest';
import { parseHttpDate as browserParse } from '../../src/core/platform.browser.ts';
// Loading the Node platform is what lets parseRetryAfterSeconds read a date.
import { parseHttpDate } from '../../src/core/platform.ts';
import { parseRetryAfterSeconds } from '../../src/errors.ts';

describe('parseHttpDate', () => {
  it('Node reads the three HTTP date forms and refuses junk Date.parse would take', () => {
    const when = Date.UTC(1994, 10, 6, 8, 49, 37);
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(when);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(when);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(new Date(1994, 10, 6, 8, 49, 37).getTime());
    for (const junk of ['-1', 'soon 2', 'May 2', 'Sun, not a date']) expect(parseHttpDate(junk), junk).toBeUndefined();
    expect(parseRetryAfterSeconds(new Date(Date.now() + 30_000).toUTCString())).toBeGreaterThanOrEqual(29);
  });

  it('the browser build reads no date: its Retry-After is delta-seconds or nothing', () => {
    expect(browserParse('Sun, 06 Nov 1994 08:49:37 GMT')).toBeUndefined();
  });
});
