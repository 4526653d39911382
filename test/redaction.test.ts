// Secret hygiene: no password, token or link id may appear in an error (message, stack, inspect
// output, JSON), in inspect/String/JSON output of a client, or in a log entry, whatever fails.
import nock from 'nock';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AmaniClient,
  AuthenticationError,
  ConnectionError,
  InvalidInputError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  TimeoutError,
  ValidationError,
  type AmaniClientOptions,
  type RequestLogEntry,
} from '../src/index.ts';
import { nockFetch } from './support/nock-fetch.ts';

const base = 'https://eu.amani.ai';
const PROFILE_ID = '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e';
const DOCUMENT_ID = '1b2c3d4e-0000-4000-8000-000000000001';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
function jwt(name: string, claims: Record<string, unknown> = {}): string {
  const payload = { token_type: 'access', jti: `${name}-jti`, exp: Math.floor(Date.now() / 1000) + 3600, ...claims };
  return `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}.Sig${name}Zq9`;
}

const PASSWORD = 'S3cr3t-Passw0rd!';
const ACCESS = jwt('UserAccessSecret');
const REFRESH = jwt('UserRefreshSecret', { token_type: 'refresh' });
const LOGIN_ACCESS = jwt('LoginAccessSecret');
const LOGIN_REFRESH = jwt('LoginRefreshSecret', { token_type: 'refresh' });
const NEW_ACCESS = jwt('NewAccessSecret');
const NEW_REFRESH = jwt('NewRefreshSecret', { token_type: 'refresh' });
const PROFILE_ACCESS = jwt('ProfileAccessSecret', { profile_id: PROFILE_ID });
const PROFILE_REFRESH = jwt('ProfileRefreshSecret', { token_type: 'refresh', profile_id: PROFILE_ID });
const PID = 'pid-secret-123';

const TOKENS = { ACCESS, REFRESH, LOGIN_ACCESS, LOGIN_REFRESH, NEW_ACCESS, NEW_REFRESH, PROFILE_ACCESS, PROFILE_REFRESH };
/** Every secret, and the distinctive parts of each token (its payload and its signature). */
const SECRETS: Array<[string, string]> = [
  ['password', PASSWORD],
  ['pid', PID],
  ...Object.entries(TOKENS).flatMap(([name, token]): Array<[string, string]> => {
    const [, payload, signature] = token.split('.');
    return [
      [name, token],
      [`${name} payload`, payload!],
      [`${name} signature`, signature!],
    ];
  }),
];

const credentials = { username: 'ops@company.example', password: PASSWORD };

/** A body that echoes every secret-named field. */
const echo = (detail: string) => ({ detail, access: ACCESS, refresh: REFRESH, password: PASSWORD, token: PROFILE_ACCESS });

class Evidence {
  readonly texts: Array<{ label: string; text: string }> = [];
  readonly logs: RequestLogEntry[] = [];
  readonly logger = (entry: RequestLogEntry) => {
    this.logs.push(entry);
  };

  add(label: string, text: unknown): void {
    this.texts.push({ label, text: String(text) });
  }

  error(label: string, error: unknown): void {
    expect(error).toBeInstanceOf(Error);
    const e = error as Error;
    this.add(`${label} message`, e.message);
    this.add(`${label} stack`, e.stack);
    this.add(`${label} inspect`, inspect(e, { depth: 10 }));
    this.add(`${label} inspect showHidden`, inspect(e, { depth: 10, showHidden: true }));
    this.add(`${label} JSON`, JSON.stringify(e));
    this.add(`${label} String`, String(e));
  }

  /** Runs the call, which must fail, and records the error. */
  async failure(label: string, call: () => Promise<unknown>): Promise<unknown> {
    // Some methods validate synchronously: catch a throw as well as a rejection.
    const error = await Promise.resolve()
      .then(call)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error, `${label} should fail`).toBeDefined();
    this.error(label, error);
    return error;
  }

  object(label: string, value: unknown): void {
    this.add(`${label} inspect`, inspect(value, { depth: 10 }));
    this.add(`${label} inspect showHidden`, inspect(value, { depth: 10, showHidden: true }));
    this.add(`${label} JSON`, JSON.stringify(value));
    this.add(`${label} String`, String(value));
  }

  /** Every (secret, place) pair where a secret shows up. */
  leaks(): string[] {
    const all = [...this.texts, ...this.logs.map((entry, i) => ({ label: `log entry ${i}`, text: JSON.stringify(entry) }))];
    const found: string[] = [];
    for (const { label, text } of all) {
      for (const [name, secret] of SECRETS) if (text.includes(secret)) found.push(`${name} in ${label}`);
    }
    return found;
  }

  expectClean(): void {
    expect(this.texts.length + this.logs.length).toBeGreaterThan(0);
    expect(this.leaks()).toEqual([]);
  }
}

function client(evidence: Evidence, options: Partial<AmaniClientOptions> = {}): AmaniClient {
  return new AmaniClient({
    fetch: nockFetch,
    region: 'eu',
    credentials,
    tokens: { access: ACCESS, refresh: REFRESH },
    logger: evidence.logger,
    maxRetries: 0,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });
}

afterEach(() => {
  nock.cleanAll();
});

describe('secrets never leak', () => {
  it.each([
    [400, ValidationError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [429, RateLimitError],
    [500, ServerError],
  ] as const)('from a %i answer that echoes access, refresh, password and token', async (status, type) => {
    const evidence = new Evidence();
    nock(base)
      .persist()
      .get(`/api/v2/profile/${PROFILE_ID}`)
      .reply(status, echo(`failed with ${status}`), { 'retry-after': '1' })
      .post('/api/v2/token/refresh/')
      .reply(200, { access: NEW_ACCESS, refresh: NEW_REFRESH });
    const amani = client(evidence);
    const error = await evidence.failure(`GET ${status}`, () => amani.profiles.get(PROFILE_ID));
    expect(error).toBeInstanceOf(type);
    expect((error as ValidationError).body).toEqual({
      detail: `failed with ${status}`,
      access: '[redacted]',
      refresh: '[redacted]',
      password: '[redacted]',
      token: '[redacted]',
    });
    evidence.object('client', amani);
    evidence.expectClean();
    expect(evidence.logs.length).toBeGreaterThan(0);
  });

  it('from a 400 with validation messages under secret-named fields: messages kept, secret strings redacted', async () => {
    const evidence = new Evidence();
    nock(base)
      .get(`/api/v2/profile/${PROFILE_ID}`)
      .reply(400, {
        password: ['This field may not be blank.'],
        refresh: ['This field is required.'],
        token: ACCESS,
        access: REFRESH,
        name: ['This field may not be blank.'],
      });
    const error = (await evidence.failure('GET 400 lists', () => client(evidence).profiles.get(PROFILE_ID))) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.body).toEqual({
      password: ['This field may not be blank.'],
      refresh: ['This field is required.'],
      token: '[redacted]',
      access: '[redacted]',
      name: ['This field may not be blank.'],
    });
    expect(error.fieldErrors).toEqual({
      password: ['This field may not be blank.'],
      refresh: ['This field is required.'],
      name: ['This field may not be blank.'],
    });
    evidence.add('fieldErrors', JSON.stringify(error.fieldErrors));
    evidence.expectClean();
  });

  it('from a rejected login (400 and 401) echoing the password', async () => {
    const evidence = new Evidence();
    nock(base)
      .post('/api/v2/user/login')
      .reply(400, { username: credentials.username, password: PASSWORD, non_field_errors: ['Unable to log in with provided credentials.'] })
      .post('/api/v2/user/login')
      .reply(401, { detail: 'No active account found with the given credentials', password: PASSWORD });
    const amani = client(evidence, { tokens: undefined });
    const first = await evidence.failure('login 400', () => amani.profiles.get(PROFILE_ID));
    expect(first).toBeInstanceOf(ValidationError);
    expect((first as ValidationError).body).toMatchObject({ password: '[redacted]' });
    const second = await evidence.failure('login 401', () => amani.auth.login());
    expect(second).toBeInstanceOf(AuthenticationError);
    evidence.object('client', amani);
    evidence.expectClean();
  });

  it('from answers that quote the password or a token inside messages, not under secret-named fields', async () => {
    const evidence = new Evidence();
    nock(base)
      .post('/api/v2/user/login')
      .reply(400, { non_field_errors: [`The password "${PASSWORD}" is too common.`] })
      .get(`/api/v2/profile/${PROFILE_ID}`)
      .reply(404, `No profile for the session of ${REFRESH} (${JSON.stringify(PASSWORD)})`);
    const amani = client(evidence, { tokens: undefined });
    const login = (await evidence.failure('login 400 quoting', () => amani.auth.login())) as ValidationError;
    expect(login).toBeInstanceOf(ValidationError);
    expect(login.fieldErrors).toEqual({ non_field_errors: ['The password "[redacted]" is too common.'] });
    const withTokens = client(evidence);
    const missing = await evidence.failure('GET 404 quoting', () => withTokens.profiles.get(PROFILE_ID));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).detail).toBe('No profile for the session of [redacted] ("[redacted]")');
    evidence.expectClean();
  });

  it('from a rejected refresh (401) echoing the refresh token, with and without credentials', async () => {
    const evidence = new Evidence();
    nock(base)
      .persist()
      .post('/api/v2/token/refresh/')
      .reply(401, { detail: 'Token is invalid or expired', code: 'token_not_valid', refresh: REFRESH, token: ACCESS })
      .post('/api/v2/user/login')
      .reply(401, { detail: 'No active account found', password: PASSWORD, access: LOGIN_ACCESS })
      .get(`/api/v2/profile/${PROFILE_ID}`)
      .reply(401, { detail: 'Given token not valid for any token type', code: 'token_not_valid', token: ACCESS });
    const withoutCredentials = client(evidence, { credentials: undefined });
    expect(await evidence.failure('refresh 401', () => withoutCredentials.profiles.get(PROFILE_ID))).toBeInstanceOf(AuthenticationError);
    const withCredentials = client(evidence);
    expect(await evidence.failure('refresh 401 + login 401', () => withCredentials.profiles.get(PROFILE_ID))).toBeInstanceOf(
      AuthenticationError,
    );
    evidence.object('client', withCredentials);
    evidence.expectClean();
  });

  it('from a refresh failing with 500 echoing the tokens', async () => {
    const evidence = new Evidence();
    nock(base)
      .get(`/api/v2/profile/${PROFILE_ID}`)
      .reply(401, { detail: 'expired' })
      .post('/api/v2/token/refresh/')
      .reply(500, { detail: 'boom', refresh: REFRESH, access: NEW_ACCESS });
    const amani = client(evidence);
    expect(await evidence.failure('refresh 500', () => amani.profiles.get(PROFILE_ID))).toBeInstanceOf(ServerError);
    evidence.expectClean();
  });

  it('from timeouts (request and login)', async () => {
    const evidence = new Evidence();
    nock(base)
      .get(`/api/v2/profile/${PROFILE_ID}`)
      .delay(300)
      .reply(200, { id: PROFILE_ID })
      .post('/api/v2/user/login')
      .delay(300)
      .reply(200, { access: LOGIN_ACCESS, refresh: LOGIN_REFRESH });
    const request = await evidence.failure('GET timeout', () => client(evidence, { timeoutMs: 20 }).profiles.get(PROFILE_ID));
    expect(request).toBeInstanceOf(TimeoutError);
    const login = await evidence.failure('login timeout', () => client(evidence, { timeoutMs: 20, tokens: undefined }).auth.login());
    expect(login).toBeInstanceOf(TimeoutError);
    evidence.expectClean();
  });

  it('from connection errors (request, login, refresh), including their causes', async () => {
    const evidence = new Evidence();
    const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    nock(base)
      .get(`/api/v2/profile/${PROFILE_ID}`)
      .replyWithError(reset())
      .post('/api/v2/user/login')
      .replyWithError(reset())
      .get(`/api/v2/profile/${PROFILE_ID}`)
      .reply(401, { detail: 'expired' })
      .post('/api/v2/token/refresh/')
      .replyWithError('connection refused');
    const errors = [
      await evidence.failure('GET connection', () => client(evidence).profiles.get(PROFILE_ID)),
      await evidence.failure('login connection', () => client(evidence, { tokens: undefined }).auth.login()),
      await evidence.failure('refresh connection', () => client(evidence).profiles.get(PROFILE_ID)),
    ];
    for (const error of errors) expect(error).toBeInstanceOf(ConnectionError);
    evidence.expectClean();
  });

  it('from InvalidInputError for bad input', async () => {
    const evidence = new Evidence();
    const amani = client(evidence);
    const construct = (options: unknown) => async () => new AmaniClient(options as AmaniClientOptions);
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['bad id', () => amani.profiles.get('not-a-uuid')],
      ['bad status', () => amani.profiles.setStatus(PROFILE_ID, 'NOPE' as never)],
      ['empty username', construct({ region: 'eu', credentials: { username: '', password: PASSWORD } })],
      ['numeric password', construct({ region: 'eu', credentials: { username: 'u', password: 42 } })],
      ['empty access with refresh', construct({ region: 'eu', tokens: { access: '', refresh: REFRESH } })],
      ['bad timeout', construct({ region: 'eu', credentials, tokens: { access: ACCESS, refresh: REFRESH }, timeoutMs: -1 })],
      ['bad region', construct({ region: 'mars', credentials, tokens: { access: ACCESS, refresh: REFRESH } })],
      ['http baseUrl', construct({ baseUrl: 'http://eu.amani.ai', credentials, tokens: { access: ACCESS } })],
      ['credentials in baseUrl', construct({ baseUrl: `https://ops:${PASSWORD}@eu.amani.ai`, credentials })],
      ['forProfile empty access', async () => amani.forProfile({ access: '', refresh: PROFILE_REFRESH })],
      ['profile upload bad type', () => amani.forProfile(PROFILE_ACCESS).documents.upload({ type: 'selfie', pages: [new Uint8Array([1])] })],
      ['profile upload bad page', () => amani.forProfile(PROFILE_ACCESS).documents.upload({ type: 'XXX_SE_0', pages: [new Uint8Array([1, 2, 3])] })],
      ['bad options', () => amani.profiles.get(PROFILE_ID, { maxRetries: 99 })],
    ];
    for (const [label, call] of cases) {
      expect(await evidence.failure(label, call), label).toBeInstanceOf(InvalidInputError);
    }
    evidence.expectClean();
  });

  it('from an unparseable baseUrl that carries credentials', async () => {
    // A typo in the port makes the URL unparseable; the error must still not echo the password.
    const evidence = new Evidence();
    const error = await evidence.failure('unparseable baseUrl', async () => new AmaniClient({ baseUrl: `https://ops:${PASSWORD}@eu.amani.ai:44x3` }));
    expect(error).toBeInstanceOf(InvalidInputError);
    evidence.expectClean();
  });

  it('from profile-token clients (403, 404, 401 with a rejected profile refresh)', async () => {
    const evidence = new Evidence();
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
    nock(base)
      .post('/api/v2/document')
      .reply(403, { detail: 'You do not have permission', token: PROFILE_ACCESS, access: PROFILE_ACCESS })
      .get(`/api/v2/document/${DOCUMENT_ID}`)
      .reply(404, { detail: 'Not found.', refresh: PROFILE_REFRESH })
      .patch(`/api/v2/profile/${PROFILE_ID}`)
      .reply(401, { detail: 'expired', token: PROFILE_ACCESS })
      .post('/api/v2/token/refresh/')
      .reply(401, { detail: 'Token is invalid or expired', refresh: PROFILE_REFRESH });
    const amani = client(evidence);
    const profile = amani.forProfile({ access: PROFILE_ACCESS, refresh: PROFILE_REFRESH });
    expect(await evidence.failure('upload 403', () => profile.documents.upload({ type: 'XXX_SE_0', pages: [jpeg] }))).toBeInstanceOf(
      PermissionDeniedError,
    );
    expect(await evidence.failure('document 404', () => profile.documents.get(DOCUMENT_ID))).toBeInstanceOf(NotFoundError);
    expect(await evidence.failure('profile refresh 401', () => profile.profiles.update(PROFILE_ID, { name: 'Ada' }))).toBeInstanceOf(
      AuthenticationError,
    );
    evidence.object('profile client', profile);
    evidence.expectClean();
  });
});

describe('clients show no secrets', () => {
  it('util.inspect, String and JSON of a client, its resources and its profile clients', async () => {
    const evidence = new Evidence();
    nock(base)
      .post('/api/v2/user/login')
      .reply(200, { access: LOGIN_ACCESS, refresh: LOGIN_REFRESH })
      .get(`/api/v2/profile/${PROFILE_ID}`)
      .reply(200, { id: PROFILE_ID });
    const amani = client(evidence, { tokens: undefined });
    const user = await amani.auth.login(); // the client now holds tokens
    evidence.object('login result', user); // the user only: the tokens go to onTokens
    await amani.profiles.get(PROFILE_ID);
    evidence.object('client', amani);
    evidence.object('client.auth', amani.auth);
    evidence.object('client.profiles', amani.profiles);
    evidence.object('client.documents', amani.documents);
    evidence.object('client.raw', amani.raw);
    const withTokens = client(evidence);
    evidence.object('client with tokens', withTokens);
    evidence.object('forProfile(string)', amani.forProfile(PROFILE_ACCESS));
    evidence.object('forProfile(pair)', amani.forProfile({ access: PROFILE_ACCESS, refresh: PROFILE_REFRESH }));
    evidence.object('forProfile().documents', amani.forProfile(PROFILE_ACCESS).documents);
    evidence.add('template literal', `${String(amani)} ${String(amani.forProfile(PROFILE_ACCESS))}`);
    evidence.expectClean();
    expect(inspect(amani)).toBe(`AmaniClient { baseUrl: '${base}' }`);
    expect(inspect(amani.forProfile(PROFILE_ACCESS))).toBe(`ProfileClient { profileId: '${PROFILE_ID}' }`);
  });

  it('log entries of successful calls with retries carry no token or password', async () => {
    const evidence = new Evidence();
    nock(base)
      .post('/api/v2/user/login')
      .reply(503, { detail: 'try later', password: PASSWORD })
      .post('/api/v2/user/login')
      .reply(200, { access: LOGIN_ACCESS, refresh: LOGIN_REFRESH })
      .get(`/api/v2/profile/${PROFILE_ID}`)
      .reply(401, { detail: 'expired' })
      .post('/api/v2/token/refresh/')
      .reply(200, { access: NEW_ACCESS, refresh: NEW_REFRESH })
      .get(`/api/v2/profile/${PROFILE_ID}`)
      .reply(200, { id: PROFILE_ID, access: PROFILE_ACCESS });
    const amani = client(evidence, { tokens: undefined, maxRetries: 1 });
    await amani.profiles.get(PROFILE_ID);
    expect(evidence.logs.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'POST /api/v2/user/login 503',
      'POST /api/v2/user/login 200',
      `GET /api/v2/profile/${PROFILE_ID} 401`,
      'POST /api/v2/token/refresh/ 200',
      `GET /api/v2/profile/${PROFILE_ID} 200`,
    ]);
    evidence.expectClean();
  });
});

describe('redaction details', () => {
  it('query values are redacted in log paths and error paths (resolveVerificationLink)', async () => {
    const evidence = new Evidence();
    nock(base)
      .get('/api/v2/profile/url')
      .query({ pid: PID })
      .reply(500, { detail: 'boom' })
      .get('/api/v2/profile/url')
      .query({ pid: PID })
      .reply(200, { access_token: PROFILE_ACCESS, server_url: base })
      .get('/api/v2/profile/url')
      .query({ pid: PID })
      .reply(404, { detail: 'Not found.' });
    const amani = client(evidence, { maxRetries: 1 });
    const answer = await amani.profiles.resolveVerificationLink(PID);
    expect(answer.access_token).toBe(PROFILE_ACCESS);
    const error = await evidence.failure('link 404', () => amani.profiles.resolveVerificationLink(PID));
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).path).toBe('/api/v2/profile/url?pid=[redacted]');
    expect(evidence.logs.map((e) => e.path)).toEqual(Array(3).fill('/api/v2/profile/url?pid=[redacted]'));
    for (const entry of evidence.logs) expect(entry.message).toContain('/api/v2/profile/url?pid=[redacted]');
    evidence.expectClean();
  });

  it('every query value is redacted, whatever its name', async () => {
    const evidence = new Evidence();
    nock(base)
      .get('/api/v2/aml/search')
      .query({ profile: PROFILE_ID })
      .reply(404, { detail: 'Not found.' });
    const error = await evidence.failure('aml 404', () => client(evidence).aml.search(PROFILE_ID));
    expect((error as NotFoundError).path).toBe('/api/v2/aml/search?profile=[redacted]');
    expect((error as NotFoundError).message).not.toContain(PROFILE_ID);
    expect(evidence.logs.map((e) => e.path)).toEqual(['/api/v2/aml/search?profile=[redacted]']);
  });

  it('error.body has secret fields replaced with [redacted], at any depth and in lists', async () => {
    const evidence = new Evidence();
    nock(base)
      .get(`/api/v2/profile/${PROFILE_ID}`)
      .reply(400, {
        detail: 'invalid',
        Access: ACCESS,
        user: { name: 'ops', password: PASSWORD, tokens: { refresh_token: REFRESH, access_token: ACCESS } },
        items: [{ token: PROFILE_ACCESS, kept: 1 }, { authorization: `Bearer ${ACCESS}` }],
        profile_token: PROFILE_ACCESS,
        empty: null,
        password: null,
      });
    const error = (await evidence.failure('nested 400', () => client(evidence).profiles.get(PROFILE_ID))) as ValidationError;
    expect(error.body).toEqual({
      detail: 'invalid',
      Access: '[redacted]',
      user: { name: 'ops', password: '[redacted]', tokens: { refresh_token: '[redacted]', access_token: '[redacted]' } },
      items: [{ token: '[redacted]', kept: 1 }, { authorization: '[redacted]' }],
      profile_token: '[redacted]',
      empty: null,
      password: null,
    });
    evidence.expectClean();
  });

  it('the Evidence check itself finds a planted secret (the test can fail)', () => {
    const evidence = new Evidence();
    evidence.add('planted', `oops ${ACCESS.split('.')[2]}`);
    evidence.logger({ message: `leak ${PASSWORD}`, method: 'GET', path: '/', durationMs: 0, attempt: 1 });
    expect(evidence.leaks()).toEqual(['ACCESS signature in planted', 'password in log entry 0']);
  });
});
