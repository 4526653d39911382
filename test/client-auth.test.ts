import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { AmaniClient, AuthenticationError, type AmaniClientOptions, type TokenPair } from '../src/index.ts';
import { nockFetch } from './support/nock-fetch.ts';

const base = 'https://eu.amani.ai';
const credentials = { username: 'ops@company.example', password: 'pw-1' };
const PROFILE_ID = '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e';
const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** An unsigned JWT; `expiresInS` relative to the real clock (the client reads Date.now()). */
function jwt(name: string, expiresInS: number, claims: Record<string, unknown> = {}): string {
  const payload = { token_type: 'access', jti: name, exp: Math.floor(Date.now() / 1000) + expiresInS, ...claims };
  return `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}.sig-${name}`;
}

const LOGIN_ACCESS = jwt('login-access', 3600);
const LOGIN_REFRESH = jwt('login-refresh', 86_400, { token_type: 'refresh' });
const OLD_ACCESS = jwt('old-access', 3600);
const EXPIRED_ACCESS = jwt('expired-access', -60);
const REFRESH = jwt('refresh', 86_400, { token_type: 'refresh' });
const NEW_ACCESS = jwt('new-access', 3600);
const NEW_REFRESH = jwt('new-refresh', 86_400, { token_type: 'refresh' });

const tokenNotValid = { detail: 'Given token not valid for any token type', code: 'token_not_valid' };
const refreshRejected = { detail: 'Token is invalid or expired', code: 'token_not_valid' };
const loginRejected = { detail: 'No active account found with the given credentials' };

function client(options: Partial<AmaniClientOptions> = {}): AmaniClient {
  return new AmaniClient({ fetch: nockFetch, region: 'eu', retry: { baseDelayMs: 1, maxDelayMs: 5 }, maxRetries: 0, ...options });
}

const bearer = (header: string | string[] | undefined) => String(header ?? '').replace(/^Bearer /, '');

/** Counts and records every request to the auth endpoints and to GET /api/v2/profile/{id}. */
function fakeApi(behaviour: {
  login?: () => [number, unknown] | Promise<[number, unknown]>;
  refresh?: (refresh: string) => [number, unknown] | Promise<[number, unknown]>;
  profile?: (token: string, id: string) => [number, unknown] | Promise<[number, unknown]>;
}) {
  const log = {
    logins: [] as Array<{ body: unknown; authorization: string | undefined }>,
    refreshes: [] as Array<{ body: unknown; authorization: string | undefined }>,
    gets: [] as Array<{ id: string; token: string }>,
  };
  nock(base)
    .persist()
    .post('/api/v2/user/login')
    .reply(async function (_uri, body) {
      log.logins.push({ body, authorization: this.req.headers.authorization as string | undefined });
      return behaviour.login ? behaviour.login() : [200, { access: LOGIN_ACCESS, refresh: LOGIN_REFRESH }];
    })
    .post('/api/v2/token/refresh/')
    .reply(async function (_uri, body) {
      log.refreshes.push({ body, authorization: this.req.headers.authorization as string | undefined });
      const refresh = (body as { refresh: string }).refresh;
      return behaviour.refresh ? behaviour.refresh(refresh) : [200, { access: NEW_ACCESS, refresh: NEW_REFRESH }];
    })
    .get(/^\/api\/v2\/profile\/[0-9a-f-]{36}$/)
    .reply(async function (uri) {
      const id = uri.split('/').pop()!;
      const token = bearer(this.req.headers.authorization);
      log.gets.push({ id, token });
      return behaviour.profile ? behaviour.profile(token, id) : [200, { id }];
    });
  return log;
}

/** nock hands over a body that is not valid UTF-8 (a JPEG page) as hex. */
function bodyText(body: unknown): string {
  if (typeof body !== 'string') return JSON.stringify(body);
  return /^(?:[0-9a-f]{2})+$/.test(body) ? Buffer.from(body, 'hex').toString('latin1') : body;
}

/** Resolves once `condition` holds (polled), so a fake server can hold answers until N requests arrived. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
}

afterEach(() => {
  nock.cleanAll();
});

describe('AmaniClient auth: lazy login', () => {
  it('sends nothing on construction, logs in on the first call and sends the login access token', async () => {
    const log = fakeApi({});
    const amani = client({ credentials });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(log.logins).toHaveLength(0);

    expect(await amani.profiles.get(PROFILE_ID)).toEqual({ id: PROFILE_ID });
    expect(log.logins).toEqual([{ body: credentials, authorization: undefined }]);
    expect(log.gets).toEqual([{ id: PROFILE_ID, token: LOGIN_ACCESS }]);

    // The token is cached: no second login.
    await amani.profiles.get(PROFILE_ID);
    expect(log.logins).toHaveLength(1);
    expect(log.refreshes).toHaveLength(0);
    expect(log.gets.map((g) => g.token)).toEqual([LOGIN_ACCESS, LOGIN_ACCESS]);
  });

  it('100 concurrent first calls share one login', async () => {
    const log = fakeApi({});
    const amani = client({ credentials });
    await Promise.all(Array.from({ length: 100 }, (_, i) => amani.profiles.get(uuid(i))));
    expect(log.logins).toHaveLength(1);
    expect(log.gets).toHaveLength(100);
    expect(log.gets.every((g) => g.token === LOGIN_ACCESS)).toBe(true);
  });

  it('auth.login() logs in now and returns the answer; later calls reuse its token', async () => {
    const log = fakeApi({ login: () => [200, { access: LOGIN_ACCESS, refresh: LOGIN_REFRESH, username: 'ops' }] });
    const amani = client({ credentials });
    const [a, b] = await Promise.all([amani.auth.login(), amani.auth.login()]);
    // The user, without the tokens (onTokens gets those).
    expect(a).toEqual({ username: 'ops' });
    expect(b).toBe(a);
    await amani.profiles.get(PROFILE_ID);
    expect(log.logins).toHaveLength(1);
    expect(log.gets).toEqual([{ id: PROFILE_ID, token: LOGIN_ACCESS }]);
  });
});

describe('AmaniClient auth: refresh', () => {
  it('100 concurrent calls with an expired access token make exactly one refresh and 100 GETs with the new token', async () => {
    const log = fakeApi({});
    const seen: TokenPair[] = [];
    const amani = client({ credentials, tokens: { access: EXPIRED_ACCESS, refresh: REFRESH }, onTokens: (t) => seen.push({ ...t }) });
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => amani.profiles.get(uuid(i))));
    expect(results).toHaveLength(100);
    expect(log.refreshes).toEqual([{ body: { refresh: REFRESH }, authorization: undefined }]);
    expect(log.logins).toHaveLength(0);
    expect(log.gets).toHaveLength(100);
    expect(log.gets.every((g) => g.token === NEW_ACCESS)).toBe(true);
    expect(new Set(log.gets.map((g) => g.id)).size).toBe(100);
    expect(seen).toEqual([{ access: NEW_ACCESS, refresh: NEW_REFRESH }]);
  });

  it('100 concurrent calls answered 401 for the old token: exactly 1 refresh, each request replayed once', async () => {
    const log = fakeApi({
      profile: async (token, id) => {
        if (token === OLD_ACCESS) {
          // Hold the 401s until all 100 requests were sent with the old token.
          await until(() => log.gets.filter((g) => g.token === OLD_ACCESS).length === 100);
          return [401, tokenNotValid];
        }
        return token === NEW_ACCESS ? [200, { id }] : [401, tokenNotValid];
      },
    });
    const amani = client({ credentials, tokens: { access: OLD_ACCESS, refresh: REFRESH } });
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => amani.profiles.get(uuid(i))));
    expect(results.map((r) => r.id)).toEqual(Array.from({ length: 100 }, (_, i) => uuid(i)));
    expect(log.refreshes).toHaveLength(1);
    expect(log.logins).toHaveLength(0);
    expect(log.gets).toHaveLength(200);
    for (let i = 0; i < 100; i++) {
      const tokens = log.gets.filter((g) => g.id === uuid(i)).map((g) => g.token);
      expect(tokens).toEqual([OLD_ACCESS, NEW_ACCESS]);
    }
  });

  it('a late 401 to the old token after the refresh finished reuses the new token (no second refresh)', async () => {
    let releaseSlow = false;
    const log = fakeApi({
      profile: async (token, id) => {
        if (token === OLD_ACCESS && id === uuid(1)) {
          await until(() => releaseSlow);
          return [401, tokenNotValid];
        }
        return token === NEW_ACCESS ? [200, { id }] : [401, tokenNotValid];
      },
    });
    const amani = client({ tokens: { access: OLD_ACCESS, refresh: REFRESH } });
    const slow = amani.profiles.get(uuid(1));
    await amani.profiles.get(uuid(0)); // 401, refresh, replay: done before the slow 401 arrives
    expect(log.refreshes).toHaveLength(1);
    releaseSlow = true;
    await slow;
    expect(log.refreshes).toHaveLength(1);
    expect(log.gets.filter((g) => g.id === uuid(0)).map((g) => g.token)).toEqual([OLD_ACCESS, NEW_ACCESS]);
    expect(log.gets.filter((g) => g.id === uuid(1)).map((g) => g.token)).toEqual([OLD_ACCESS, NEW_ACCESS]);
    expect(log.gets).toHaveLength(4);
  });

  it('a rejected refresh (401) with credentials logs in again exactly once, even for concurrent calls', async () => {
    const log = fakeApi({ refresh: () => [401, refreshRejected] });
    const seen: TokenPair[] = [];
    const amani = client({ credentials, tokens: { access: EXPIRED_ACCESS, refresh: REFRESH }, onTokens: (t) => seen.push({ ...t }) });
    await Promise.all(Array.from({ length: 20 }, (_, i) => amani.profiles.get(uuid(i))));
    expect(log.refreshes).toHaveLength(1);
    expect(log.logins).toHaveLength(1);
    expect(log.gets).toHaveLength(20);
    expect(log.gets.every((g) => g.token === LOGIN_ACCESS)).toBe(true);
    expect(seen).toEqual([{ access: LOGIN_ACCESS, refresh: LOGIN_REFRESH }]);
  });

  it('a 401 to the old token, then a rejected refresh, with credentials: one re-login and one replay', async () => {
    const log = fakeApi({
      refresh: () => [401, refreshRejected],
      profile: (token, id) => (token === LOGIN_ACCESS ? [200, { id }] : [401, tokenNotValid]),
    });
    const amani = client({ credentials, tokens: { access: OLD_ACCESS, refresh: REFRESH } });
    await amani.profiles.get(PROFILE_ID);
    expect(log.refreshes).toHaveLength(1);
    expect(log.logins).toHaveLength(1);
    expect(log.gets.map((g) => g.token)).toEqual([OLD_ACCESS, LOGIN_ACCESS]);
  });

  it('a rejected refresh without credentials fails with AuthenticationError and does not loop', async () => {
    const log = fakeApi({ refresh: () => [401, refreshRejected], profile: () => [401, tokenNotValid] });
    const amani = client({ tokens: { access: OLD_ACCESS, refresh: REFRESH }, maxRetries: 2 });
    const error = await amani.profiles.get(PROFILE_ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
    expect(log.gets).toHaveLength(1);
    expect(log.refreshes).toHaveLength(1);
    expect(log.logins).toHaveLength(0);
  });

  it('a rejected refresh of an expired access token without credentials: AuthenticationError, no GET, no loop', async () => {
    const log = fakeApi({ refresh: () => [401, refreshRejected] });
    const amani = client({ tokens: { access: EXPIRED_ACCESS, refresh: REFRESH } });
    const errors = await Promise.all(Array.from({ length: 10 }, (_, i) => amani.profiles.get(uuid(i)).catch((e: unknown) => e)));
    expect(errors.every((e) => e instanceof AuthenticationError)).toBe(true);
    expect(log.refreshes).toHaveLength(1);
    expect(log.gets).toHaveLength(0);
    expect(log.logins).toHaveLength(0);
  });

  it('an expired access token with no refresh token and no credentials fails locally with AuthenticationError', async () => {
    const log = fakeApi({});
    const amani = client({ tokens: { access: EXPIRED_ACCESS } });
    await expect(amani.profiles.get(PROFILE_ID)).rejects.toBeInstanceOf(AuthenticationError);
    expect(log.refreshes).toHaveLength(0);
    expect(log.gets).toHaveLength(0);
  });

  it('a 401 after the replay fails with AuthenticationError: replayed at most once', async () => {
    const log = fakeApi({ profile: () => [401, tokenNotValid] });
    const amani = client({ credentials, tokens: { access: OLD_ACCESS, refresh: REFRESH }, maxRetries: 3 });
    const error = await amani.profiles.get(PROFILE_ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).code).toBe('token_not_valid');
    expect(log.gets.map((g) => g.token)).toEqual([OLD_ACCESS, NEW_ACCESS]);
    expect(log.refreshes).toHaveLength(1);
    expect(log.logins).toHaveLength(0);
  });

  it('a 401 after the replay following a lazy login: one login, one refresh, two GETs', async () => {
    const log = fakeApi({ profile: () => [401, tokenNotValid] });
    const amani = client({ credentials });
    await expect(amani.profiles.get(PROFILE_ID)).rejects.toBeInstanceOf(AuthenticationError);
    expect(log.logins).toHaveLength(1);
    expect(log.refreshes).toEqual([{ body: { refresh: LOGIN_REFRESH }, authorization: undefined }]);
    expect(log.gets.map((g) => g.token)).toEqual([LOGIN_ACCESS, NEW_ACCESS]);
  });
});

describe('AmaniClient auth: auth.refresh()', () => {
  it('exchanges the refresh token without an Authorization header, reports the pair and uses it', async () => {
    const log = fakeApi({});
    const seen: TokenPair[] = [];
    const amani = client({ tokens: { access: OLD_ACCESS, refresh: REFRESH }, onTokens: (t) => seen.push({ ...t }) });
    expect(await amani.auth.refresh()).toEqual({ access: NEW_ACCESS, refresh: NEW_REFRESH });
    expect(log.refreshes).toEqual([{ body: { refresh: REFRESH }, authorization: undefined }]);
    expect(seen).toEqual([{ access: NEW_ACCESS, refresh: NEW_REFRESH }]);
    await amani.profiles.get(PROFILE_ID);
    expect(log.gets).toEqual([{ id: PROFILE_ID, token: NEW_ACCESS }]);
  });

  it('a rejected refresh token is reported as AuthenticationError, without a login', async () => {
    const log = fakeApi({ refresh: () => [401, refreshRejected] });
    const amani = client({ credentials, tokens: { access: OLD_ACCESS, refresh: REFRESH } });
    await expect(amani.auth.refresh()).rejects.toBeInstanceOf(AuthenticationError);
    expect(log.refreshes).toHaveLength(1);
    expect(log.logins).toHaveLength(0);
  });
});

describe('AmaniClient auth: explicit login during a refresh', () => {
  it('auth.login() while a refresh is in flight resolves to the login answer, not undefined', async () => {
    let releaseRefresh = false;
    const log = fakeApi({
      login: () => [200, { access: LOGIN_ACCESS, refresh: LOGIN_REFRESH, username: 'ops' }],
      refresh: async () => {
        await until(() => releaseRefresh);
        return [200, { access: NEW_ACCESS, refresh: NEW_REFRESH }];
      },
    });
    const amani = client({ credentials, tokens: { access: EXPIRED_ACCESS, refresh: REFRESH } });
    const call = amani.profiles.get(PROFILE_ID); // starts the refresh
    await until(() => log.refreshes.length === 1);
    const user = amani.auth.login();
    releaseRefresh = true;
    await call;
    expect(await user).toEqual({ username: 'ops' });
    expect(log.logins).toHaveLength(1);
  });
});

describe('AmaniClient auth: rejected login', () => {
  it('every one of N concurrent calls gets AuthenticationError from a single login request', async () => {
    const log = fakeApi({
      login: async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return [401, loginRejected];
      },
    });
    const amani = client({ credentials, maxRetries: 2 });
    const errors = await Promise.all(Array.from({ length: 25 }, (_, i) => amani.profiles.get(uuid(i)).catch((e: unknown) => e)));
    expect(errors.every((e) => e instanceof AuthenticationError)).toBe(true);
    expect((errors[0] as AuthenticationError).detail).toBe(loginRejected.detail);
    expect(log.logins).toHaveLength(1);
    expect(log.gets).toHaveLength(0);
  });

  it('sequential calls after a rejected login try at most one login each', async () => {
    const log = fakeApi({ login: () => [401, loginRejected] });
    const amani = client({ credentials });
    for (let i = 0; i < 3; i++) await expect(amani.profiles.get(PROFILE_ID)).rejects.toBeInstanceOf(AuthenticationError);
    expect(log.logins).toHaveLength(3);
    expect(log.gets).toHaveLength(0);
  });

  it('auth.login() rejects with AuthenticationError', async () => {
    const log = fakeApi({ login: () => [401, loginRejected] });
    await expect(client({ credentials }).auth.login()).rejects.toBeInstanceOf(AuthenticationError);
    expect(log.logins).toHaveLength(1);
  });

  it('no credentials and no tokens: AuthenticationError without any request', async () => {
    const log = fakeApi({});
    const amani = client();
    await expect(amani.profiles.get(PROFILE_ID)).rejects.toBeInstanceOf(AuthenticationError);
    await expect(amani.auth.login()).rejects.toBeInstanceOf(AuthenticationError);
    expect(log.logins.length + log.refreshes.length + log.gets.length).toBe(0);
  });
});

describe('AmaniClient auth: public operations', () => {
  it('login, refresh and resolveVerificationLink send no Authorization header', async () => {
    const log = fakeApi({ profile: (token, id) => (token === NEW_ACCESS ? [200, { id }] : [401, tokenNotValid]) });
    const link = nock(base, { badheaders: ['authorization'] })
      .get('/api/v2/profile/url')
      .query({ pid: 'link-pid-1' })
      .reply(200, { access_token: 'profile-token', server_url: 'https://eu.amani.ai' });
    const amani = client({ credentials, tokens: { access: OLD_ACCESS, refresh: REFRESH } });
    await amani.auth.login(); // explicit login, while a valid token is held
    await amani.profiles.get(PROFILE_ID); // 401 -> refresh -> replay
    expect(await amani.profiles.resolveVerificationLink('link-pid-1')).toEqual({ access_token: 'profile-token', server_url: 'https://eu.amani.ai' });
    link.done();
    expect(log.logins).toEqual([{ body: credentials, authorization: undefined }]);
    expect(log.refreshes).toHaveLength(1);
    expect(log.refreshes[0]!.authorization).toBeUndefined();
  });

  it('resolveVerificationLink works on a client with no credentials or tokens', async () => {
    const link = nock(base, { badheaders: ['authorization'] })
      .get('/api/v2/profile/url')
      .query({ pid: 'abc' })
      .reply(200, { access_token: 'profile-token', server_url: 'https://eu.amani.ai' });
    await client().profiles.resolveVerificationLink('abc');
    link.done();
  });

  it('public operations through `raw` send no Authorization header either', async () => {
    const scope = nock(base, { badheaders: ['authorization'] })
      .post('/api/v2/user/login')
      .reply(200, { access: 'a', refresh: 'r' })
      .post('/api/v2/token/refresh/')
      .reply(200, { access: 'b' });
    const amani = client({ credentials, tokens: { access: OLD_ACCESS, refresh: REFRESH } });
    expect((await amani.raw.POST('/api/v2/user/login', { body: credentials })).response.status).toBe(200);
    expect((await amani.raw.POST('/api/v2/token/refresh/', { body: { refresh: REFRESH } })).response.status).toBe(200);
    scope.done();
  });

  it('authenticated operations through `raw` carry the token and refresh on 401', async () => {
    const log = fakeApi({ profile: (token, id) => (token === NEW_ACCESS ? [200, { id }] : [401, tokenNotValid]) });
    const amani = client({ tokens: { access: OLD_ACCESS, refresh: REFRESH } });
    const { data } = await amani.raw.GET('/api/v2/profile/{id}', { params: { path: { id: PROFILE_ID } } });
    expect(data).toEqual({ id: PROFILE_ID });
    expect(log.gets.map((g) => g.token)).toEqual([OLD_ACCESS, NEW_ACCESS]);
    expect(log.refreshes).toHaveLength(1);
  });
});

describe('AmaniClient auth: onTokens', () => {
  it('gets each new pair: login, then refresh (keeping the refresh token when the answer has none), then re-login', async () => {
    const LOGIN_ACCESS_2 = jwt('login-access-2', 3600);
    const LOGIN_REFRESH_2 = jwt('login-refresh-2', 86_400, { token_type: 'refresh' });
    let refreshOk = true;
    const accepted = new Set<string>([NEW_ACCESS, LOGIN_ACCESS_2]);
    const log = fakeApi({
      login: () => [200, log.logins.length === 1 ? { access: LOGIN_ACCESS, refresh: LOGIN_REFRESH } : { access: LOGIN_ACCESS_2, refresh: LOGIN_REFRESH_2 }],
      refresh: () => (refreshOk ? [200, { access: NEW_ACCESS }] : [401, refreshRejected]),
      profile: (token, id) => (accepted.has(token) ? [200, { id }] : [401, tokenNotValid]),
    });
    const seen: TokenPair[] = [];
    const amani = client({ credentials, onTokens: (t) => seen.push({ ...t }) });
    await amani.profiles.get(PROFILE_ID); // login -> 401 -> refresh -> replay
    expect(seen).toEqual([
      { access: LOGIN_ACCESS, refresh: LOGIN_REFRESH },
      { access: NEW_ACCESS, refresh: LOGIN_REFRESH },
    ]);
    // Now NEW_ACCESS is rejected, and so is the refresh token: one re-login.
    accepted.delete(NEW_ACCESS);
    refreshOk = false;
    await amani.profiles.get(PROFILE_ID);
    expect(seen).toEqual([
      { access: LOGIN_ACCESS, refresh: LOGIN_REFRESH },
      { access: NEW_ACCESS, refresh: LOGIN_REFRESH },
      { access: LOGIN_ACCESS_2, refresh: LOGIN_REFRESH_2 },
    ]);
    expect(log.logins).toHaveLength(2);
    expect(log.refreshes.map((r) => r.body)).toEqual([{ refresh: LOGIN_REFRESH }, { refresh: LOGIN_REFRESH }]);
    expect(log.gets.map((g) => g.token)).toEqual([LOGIN_ACCESS, NEW_ACCESS, NEW_ACCESS, LOGIN_ACCESS_2]);
  });

  it('a throwing onTokens does not fail the call', async () => {
    const log = fakeApi({});
    const amani = client({
      credentials,
      onTokens: () => {
        throw new Error('cannot persist');
      },
    });
    expect(await amani.profiles.get(PROFILE_ID)).toEqual({ id: PROFILE_ID });
    expect(log.gets).toEqual([{ id: PROFILE_ID, token: LOGIN_ACCESS }]);
  });
});

describe('AmaniClient.forProfile', () => {
  const profileToken = jwt('profile-access', 3600, { profile_id: PROFILE_ID });
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);

  it('sends the profile token and fills `profile` from its profile_id claim on upload', async () => {
    let authorization: string | undefined;
    let raw = '';
    const scope = nock(base)
      .post('/api/v2/document')
      .reply(function (_uri, body) {
        authorization = this.req.headers.authorization as string | undefined;
        raw = bodyText(body);
        return [201, { id: uuid(9), profile: PROFILE_ID, type: 'XXX_SE_0' }];
      });
    const amani = client({ credentials }); // the company credentials must not be used
    const profile = amani.forProfile(profileToken);
    expect(profile.profileId).toBe(PROFILE_ID);
    await profile.documents.upload({ type: 'XXX_SE_0', pages: [jpeg] });
    scope.done();
    expect(authorization).toBe(`Bearer ${profileToken}`);
    expect(raw).toMatch(new RegExp(`name="profile"\\r\\n\\r\\n${PROFILE_ID}\\r\\n`));
    expect(raw).toMatch(/name="type"\r\n\r\nXXX_SE_0\r\n/);
  });

  it('an explicit profile overrides the claim; other calls send the profile token too', async () => {
    const other = uuid(7);
    let raw = '';
    const seen: Array<string | undefined> = [];
    const scope = nock(base)
      .post('/api/v2/document')
      .reply(function (_uri, body) {
        seen.push(this.req.headers.authorization as string | undefined);
        raw = bodyText(body);
        return [201, { id: uuid(9) }];
      })
      .patch(`/api/v2/profile/${PROFILE_ID}`)
      .reply(function () {
        seen.push(this.req.headers.authorization as string | undefined);
        return [200, { id: PROFILE_ID }];
      })
      .get(`/api/v2/document/${uuid(9)}`)
      .reply(function () {
        seen.push(this.req.headers.authorization as string | undefined);
        return [200, { id: uuid(9) }];
      });
    const profile = client().forProfile(profileToken);
    await profile.documents.upload({ profile: other, type: 'XXX_SE_0', pages: [jpeg] });
    await profile.profiles.update(PROFILE_ID, { name: 'Ada' });
    await profile.documents.get(uuid(9));
    scope.done();
    expect(raw).toMatch(new RegExp(`name="profile"\\r\\n\\r\\n${other}\\r\\n`));
    expect(seen).toEqual(Array(3).fill(`Bearer ${profileToken}`));
  });

  it('a profile token without profile_id needs an explicit profile on upload', async () => {
    const profile = client().forProfile('opaque-profile-token');
    expect(profile.profileId).toBeUndefined();
    await expect(profile.documents.upload({ type: 'XXX_SE_0', pages: [jpeg] })).rejects.toThrow(/profile/);
  });

  it('a profile pair refreshes with the profile refresh token, reports to its own onTokens, never logs in', async () => {
    const profileRefresh = jwt('profile-refresh', 86_400, { token_type: 'refresh', profile_id: PROFILE_ID });
    const renewed = jwt('profile-access-2', 3600, { profile_id: PROFILE_ID });
    const log = fakeApi({ refresh: () => [200, { access: renewed }] });
    const tokens: string[] = [];
    const scope = nock(base)
      .patch(`/api/v2/profile/${PROFILE_ID}`)
      .times(2)
      .reply(function () {
        const token = bearer(this.req.headers.authorization);
        tokens.push(token);
        return token === renewed ? [200, { id: PROFILE_ID }] : [401, tokenNotValid];
      });
    const seen: TokenPair[] = [];
    const userSeen: TokenPair[] = [];
    const amani = client({ credentials, onTokens: (t) => userSeen.push({ ...t }) });
    const profile = amani.forProfile({ access: profileToken, refresh: profileRefresh }, { onTokens: (t) => seen.push({ ...t }) });
    await profile.profiles.update(PROFILE_ID, { name: 'Ada' });
    scope.done();
    expect(tokens).toEqual([profileToken, renewed]);
    expect(log.refreshes).toEqual([{ body: { refresh: profileRefresh }, authorization: undefined }]);
    expect(log.logins).toHaveLength(0);
    expect(seen).toEqual([{ access: renewed, refresh: profileRefresh }]);
    expect(userSeen).toEqual([]);
  });

  it('a rejected profile token without a refresh token fails with AuthenticationError after one request', async () => {
    const log = fakeApi({});
    let patches = 0;
    nock(base)
      .persist()
      .patch(`/api/v2/profile/${PROFILE_ID}`)
      .reply(() => {
        patches++;
        return [401, tokenNotValid];
      });
    const profile = client({ credentials }).forProfile(profileToken);
    await expect(profile.profiles.update(PROFILE_ID, { name: 'Ada' })).rejects.toBeInstanceOf(AuthenticationError);
    expect(patches).toBe(1);
    expect(log.logins.length + log.refreshes.length).toBe(0);
  });
});
