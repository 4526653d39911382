// Region and baseUrl resolution: HTTPS only (loopback excepted, or allowInsecureHttp), the origin
// only, no credentials in the URL, and every refusal an InvalidInputError naming the field.
import { describe, expect, it } from 'vitest';
import { regions, resolveBaseUrl } from '../../src/core/base-url.ts';
import { AmaniClient } from '../../src/client.ts';
import { refusal } from '../support/refusals.ts';


describe('region', () => {
  it.each([
    ['eu', 'https://eu.amani.ai'],
    ['eu1', 'https://eu1.amani.ai'],
    ['tr', 'https://tr.amani.ai'],
    ['ae', 'https://ae.amani.ai'],
  ] as const)('%s -> %s', (region, url) => {
    expect(resolveBaseUrl({ region })).toBe(url);
    expect(new AmaniClient({ region }).baseUrl).toBe(url);
  });

  it('lists exactly the regions of the spec\'s servers, eu1 being the Web SDK guide\'s European host (D1)', () => {
    expect([...regions].sort()).toEqual(['ae', 'eu', 'eu1', 'tr']);
  });

  it.each(['us', 'EU', '', 'eu '])('refuses the unknown region %j, naming region and the valid ones', (region) => {
    const error = refusal(() => resolveBaseUrl({ region }));
    expect(error.field).toBe('region');
    expect(error.message).toMatch(/^region: /);
    expect(error.message).toContain('eu, eu1, tr, ae');
  });

  // Names inherited from Object.prototype are not regions either.
  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])('refuses the prototype key %j as a region', (region) => {
    const error = refusal(() => resolveBaseUrl({ region }));
    expect(error.field).toBe('region');
    expect(refusal(() => new AmaniClient({ region: region as 'eu' })).field).toBe('region');
  });

  it('asks for region or baseUrl when neither is given', () => {
    const error = refusal(() => resolveBaseUrl({}));
    expect(error.field).toBe('region');
    expect(error.message).toContain('baseUrl');
    expect(refusal(() => new AmaniClient({})).field).toBe('region');
  });
});

describe('baseUrl', () => {
  it('overrides region', () => {
    expect(resolveBaseUrl({ region: 'tr', baseUrl: 'https://proxy.example.com' })).toBe('https://proxy.example.com');
    expect(new AmaniClient({ region: 'ae', baseUrl: 'https://eu.amani.ai' }).baseUrl).toBe('https://eu.amani.ai');
  });

  it('is used even when region is unknown', () => {
    expect(resolveBaseUrl({ region: 'nowhere', baseUrl: 'https://proxy.example.com' })).toBe('https://proxy.example.com');
  });

  it.each([
    ['https://eu.amani.ai/', 'https://eu.amani.ai'],
    ['https://eu.amani.ai//', 'https://eu.amani.ai'],
    ['https://proxy.example.com:8443/', 'https://proxy.example.com:8443'],
    ['HTTPS://EU.AMANI.AI', 'https://eu.amani.ai'],
  ])('normalizes %s to %s (trailing slash trimmed)', (input, expected) => {
    expect(resolveBaseUrl({ baseUrl: input })).toBe(expected);
  });

  it.each([
    'http://localhost',
    'http://localhost:4010/',
    'http://127.0.0.1:4010',
    'http://[::1]:4010',
    'http://LOCALHOST:4010',
  ])('allows plain http for the loopback address %s', (baseUrl) => {
    expect(resolveBaseUrl({ baseUrl })).toMatch(/^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/);
  });

  it.each([
    'http://eu.amani.ai',
    'http://example.com:4010',
    'http://10.0.0.5',
    'http://192.168.1.10:8080',
    'http://localhost.example.com',
    'http://127.0.0.1.nip.io',
    'http://[2001:db8::1]',
  ])('refuses plain http for %s as HTTPS-only', (baseUrl) => {
    const error = refusal(() => resolveBaseUrl({ baseUrl }));
    expect(error.field).toBe('baseUrl');
    expect(error.message).toMatch(/^baseUrl: /);
    expect(error.message).toContain('HTTPS-only');
    expect(error.message).toContain(new URL(baseUrl).hostname);
  });

  it('refuses http through the client constructor too', () => {
    const error = refusal(() => new AmaniClient({ baseUrl: 'http://eu.amani.ai' }));
    expect(error.field).toBe('baseUrl');
    expect(error.message).toContain('HTTPS-only');
  });

  it.each(['ftp://eu.amani.ai', 'ws://localhost:4010', 'file:///etc/passwd', 'data:text/plain,hi'])(
    'refuses the non-http scheme %s',
    (baseUrl) => {
      const error = refusal(() => resolveBaseUrl({ baseUrl }));
      expect(error.field).toBe('baseUrl');
      expect(error.message).toMatch(/https/i);
    },
  );

  it.each([
    ['https://eu.amani.ai/api/v2', 'the path "/api/v2"'],
    ['https://proxy.example.com/amani/', 'the path "/amani/"'],
    ['https://eu.amani.ai?region=eu', 'a query'],
    ['https://eu.amani.ai/#top', 'a fragment'],
  ])('refuses %s: the origin only (the client adds /api/v2/...)', (baseUrl, named) => {
    const error = refusal(() => resolveBaseUrl({ baseUrl }));
    expect(error.field).toBe('baseUrl');
    expect(error.message).toBe(`baseUrl: must be the origin only, e.g. "https://eu.amani.ai", without ${named}`);
  });

  it('with allowInsecureHttp, plain http to another host is resolved and warned about once', () => {
    const warnings: string[] = [];
    expect(resolveBaseUrl({ baseUrl: 'http://mock.internal:4010/', allowInsecureHttp: true }, (m) => warnings.push(m))).toBe('http://mock.internal:4010');
    expect(warnings).toEqual(['plain http to mock.internal:4010, test only: tokens and identity documents travel unencrypted']);
    expect(resolveBaseUrl({ baseUrl: 'http://127.0.0.1:4010', allowInsecureHttp: true }, (m) => warnings.push(m))).toBe('http://127.0.0.1:4010');
    expect(resolveBaseUrl({ baseUrl: 'https://eu.amani.ai', allowInsecureHttp: true }, (m) => warnings.push(m))).toBe('https://eu.amani.ai');
    expect(warnings).toHaveLength(1);
  });

  it.each(['eu.amani.ai', '', 'not a url', '//eu.amani.ai', 'https://'])('refuses %j as not a URL, with an example', (baseUrl) => {
    const error = refusal(() => resolveBaseUrl({ baseUrl }));
    expect(error.field).toBe('baseUrl');
    expect(error.message).toContain('is not a URL');
    expect(error.message).toContain('https://eu.amani.ai');
  });

  it.each(['https://user:secret@eu.amani.ai', 'https://user@eu.amani.ai', 'http://user:secret@localhost:4010'])(
    'refuses credentials in %s without echoing them',
    (baseUrl) => {
      const error = refusal(() => resolveBaseUrl({ baseUrl }));
      expect(error.field).toBe('baseUrl');
      expect(error.message).toContain('credentials');
      expect(error.message).not.toContain('secret');
    },
  );
});
