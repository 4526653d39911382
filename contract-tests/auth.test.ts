import { describe, expect, it } from 'vitest';
import { toFormData } from '../src/fetch-client.ts';
import { api, expectContract, expectRejected, prefer, recordSent, requestExamples, SERVER_ERRORS } from './support.ts';

const credentials = { username: 'user@account.com', password: 'correct-horse-battery-staple' };
const jwt = /^[\w-]+\.[\w-]+\.[\w-]+$/;

describe('login', () => {
  it('200 with JSON credentials returns a token pair and the user', async () => {
    const result = await api(null).POST('/api/v2/user/login', { body: credentials });
    const body = expectContract('login', 200, result);
    expect(result.data?.access).toMatch(jwt);
    expect(result.data?.refresh).toMatch(jwt);
    expect(result.data?.groups?.[0]?.name).toBe('Company Admin');
    expect(body).toEqual(result.data);
  });

  it('200 with the URL-encoded form the Web SDK guide shows', async () => {
    const result = await api(null).POST('/api/v2/user/login', {
      body: credentials,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expectContract('login', 200, result);
    expect(result.data?.access).toMatch(jwt);
  });

  it('200 with the multipart form the Web SDK guide sends (curl --form)', async () => {
    const sent = recordSent();
    const result = await api(null).POST('/api/v2/user/login', {
      body: credentials,
      bodySerializer: (body) => toFormData(body),
      fetch: sent.fetch,
    });
    expect(sent.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expectContract('login', 200, result);
    expect(result.data?.access).toMatch(jwt);
  });

  it.each([
    ['application/x-www-form-urlencoded', 'urlencoded'],
    ['multipart/form-data', 'multipart'],
  ])('every form encoding (%s) declares an example', (mediaType) => {
    const examples = requestExamples('login', mediaType);
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(example).toEqual({ username: expect.any(String), password: expect.any(String) });
  });

  it('rejects a URL-encoded form without a password', async () => {
    const result = await api(null).POST('/api/v2/user/login', {
      // @ts-expect-error the spec requires password in the form too
      body: { username: credentials.username },
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expectRejected(result, 400, /password/);
  });

  it.each([400, 401, 429, ...SERVER_ERRORS])('%i is declared and matches the error schema', async (status) => {
    const result = await api(null).POST('/api/v2/user/login', { body: credentials, headers: prefer(status) });
    expectContract('login', status, result);
  });

  it('401 explains wrong credentials', async () => {
    const result = await api(null).POST('/api/v2/user/login', { body: credentials, headers: prefer(401) });
    expect(result.error).toMatchObject({ code: 'no_active_account' });
  });

  it('rejects a login without a password', async () => {
    const result = await api(null).POST('/api/v2/user/login', {
      // @ts-expect-error the spec requires password: that is what this test proves
      body: { username: credentials.username },
    });
    expectRejected(result, 400, /password/);
  });

  it('rejects a password of the wrong type', async () => {
    const result = await api(null).POST('/api/v2/user/login', {
      // @ts-expect-error password must be a string
      body: { username: credentials.username, password: 12345 },
    });
    expectRejected(result, 400, /password/);
  });
});

describe('refreshToken', () => {
  const refresh = { refresh: 'eyJhbGciOiJIUzI1NiJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCJ9.c2ln' };

  it('200 returns a new access token', async () => {
    const result = await api(null).POST('/api/v2/token/refresh/', { body: refresh });
    expectContract('refreshToken', 200, result);
    expect(result.data?.access).toMatch(jwt);
  });

  it.each([400, 401, 429, ...SERVER_ERRORS])('%i is declared and matches the error schema', async (status) => {
    const result = await api(null).POST('/api/v2/token/refresh/', { body: refresh, headers: prefer(status) });
    expectContract('refreshToken', status, result);
  });

  it('rejects an empty refresh token', async () => {
    const result = await api(null).POST('/api/v2/token/refresh/', { body: { refresh: '' } });
    expectRejected(result, 400, /refresh|fewer than 1/);
  });
});
