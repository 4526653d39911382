// Auth storms over real HTTP: 500 calls at once on a token that has expired or that the server
// revokes. The README's promise is that at most one login and one refresh are in flight, that
// every waiting call uses their result, and that no request is replayed more than once per cause;
// so the server sees exactly one refresh (or one login), and when credentials are rejected every
// call fails with AuthenticationError after a bounded number of requests.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ConnectionError,
  RequestAbortedError,
  ServerError,
  TimeoutError,
  type AmaniClient,
  type AmaniClientOptions,
  type TokenPair,
} from '../../src/index.ts';
import { act, type RecordedRequest } from './fault-server.ts';
import {
  clientFor,
  credentials,
  evidence,
  failure,
  jwt,
  REFRESH,
  secretScan,
  until,
  uuid,
  useFaultServer,
} from './harness.ts';

const N = 500;
const TEST_MS = 60_000;
const PROFILE = /^\/api\/v2\/profile\/[0-9a-f-]{36}$/;
const LOGIN = '/api/v2/user/login';
const REFRESH_PATH = '/api/v2/token/refresh/';

const EXPIRED = jwt('ExpiredAccess', -60);
const REVOKED = jwt('RevokedAccess', 3600);
const NEW_ACCESS = jwt('RefreshedAccess', 3600);
const NEW_REFRESH = jwt('RefreshedRefresh', 86_400, { token_type: 'refresh' });
const LOGIN_ACCESS = jwt('LoginAccess', 3600);
const LOGIN_REFRESH = jwt('LoginRefresh', 86_400, { token_type: 'refresh' });

const tokenNotValid = { detail: 'Given token not valid for any token type', code: 'token_not_valid' };
const loginRejected = { detail: 'No active account found with the given credentials' };

const server = useFaultServer();

const bearer = (r: RecordedRequest) => String(r.headers.authorization ?? '').replace(/^Bearer /, '');
const gets = () => server.arrivals('GET', PROFILE);
const logins = () => server.arrivals('POST', LOGIN);
const refreshes = () => server.arrivals('POST', REFRESH_PATH);

/** The API: profiles answer 200 to the tokens in `valid`, 401 to any other. */
function serveProfiles(valid: readonly string[]): void {
  server.fallback('GET', PROFILE, (r) => (valid.includes(bearer(r)) ? act.json(200, { id: r.path.split('/').pop() }) : act.json(401, tokenNotValid)));
}

/** An answer held until all N first requests have arrived, so the whole storm piles up behind it. */
function afterTheStorm(status: number, body: unknown) {
  return act.handle(async (_req, res) => {
    await until(() => gets().length >= N || logins().length + refreshes().length > 1, 30_000, 'the storm');
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }, `held ${status}`);
}

function stormClient(options: Partial<AmaniClientOptions>) {
  const issued: TokenPair[] = [];
  const { client } = clientFor(server, { timeoutMs: 30_000, onTokens: (pair) => void issued.push({ ...pair }), ...options });
  return { client, issued };
}

/** N concurrent calls; every rejection is kept as evidence. */
async function storm(client: AmaniClient, n = N, call: (c: AmaniClient, i: number) => Promise<unknown> = (c, i) => c.profiles.get(uuid(i))) {
  const results = await Promise.allSettled(Array.from({ length: n }, (_, i) => call(client, i)));
  const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
  errors.forEach((error, i) => evidence.error(`storm error ${i}`, error));
  return { fulfilled: results.length - errors.length, errors };
}

describe('500 concurrent calls', () => {
  it('on an expired access token: exactly 1 refresh, then every call with the new token', async () => {
    serveProfiles([NEW_ACCESS]);
    server.fallback('POST', REFRESH_PATH, act.json(200, { access: NEW_ACCESS, refresh: NEW_REFRESH }));
    const { client, issued } = stormClient({ tokens: { access: EXPIRED, refresh: REFRESH }, credentials });
    const { fulfilled } = await storm(client);
    expect(fulfilled).toBe(N);
    expect(refreshes()).toHaveLength(1);
    expect(refreshes()[0]!.headers.authorization).toBeUndefined();
    expect(JSON.parse(refreshes()[0]!.body.toString())).toEqual({ refresh: REFRESH });
    expect(logins()).toHaveLength(0);
    expect(gets()).toHaveLength(N);
    expect(gets().every((r) => bearer(r) === NEW_ACCESS)).toBe(true);
    expect(issued).toEqual([{ access: NEW_ACCESS, refresh: NEW_REFRESH }]);
    // The new token is kept: the next call sends it without renewing.
    await client.profiles.get(uuid(0));
    expect(refreshes()).toHaveLength(1);
  }, TEST_MS);

  it('on a token the server revokes (500 x 401): exactly 1 refresh, each call replayed once', async () => {
    serveProfiles([NEW_ACCESS]);
    server.fallback('POST', REFRESH_PATH, afterTheStorm(200, { access: NEW_ACCESS, refresh: NEW_REFRESH }));
    const { client, issued } = stormClient({ tokens: { access: REVOKED, refresh: REFRESH }, credentials });
    const { fulfilled } = await storm(client);
    expect(fulfilled).toBe(N);
    expect(refreshes()).toHaveLength(1);
    expect(logins()).toHaveLength(0);
    expect(gets().filter((r) => bearer(r) === REVOKED)).toHaveLength(N);
    expect(gets().filter((r) => bearer(r) === NEW_ACCESS)).toHaveLength(N);
    expect(issued).toHaveLength(1);
  }, TEST_MS);

  it('expired token and the refresh rejected: exactly 1 refresh and 1 re-login, then every call succeeds', async () => {
    serveProfiles([LOGIN_ACCESS]);
    server
      .fallback('POST', REFRESH_PATH, act.json(401, { detail: 'Token is invalid or expired', code: 'token_not_valid' }))
      .fallback('POST', LOGIN, act.json(200, { access: LOGIN_ACCESS, refresh: LOGIN_REFRESH }));
    const { client, issued } = stormClient({ tokens: { access: EXPIRED, refresh: REFRESH }, credentials });
    const { fulfilled } = await storm(client);
    expect(fulfilled).toBe(N);
    expect(refreshes()).toHaveLength(1);
    expect(logins()).toHaveLength(1);
    expect(JSON.parse(logins()[0]!.body.toString())).toEqual(credentials);
    expect(logins()[0]!.headers.authorization).toBeUndefined();
    expect(gets()).toHaveLength(N);
    expect(gets().every((r) => bearer(r) === LOGIN_ACCESS)).toBe(true);
    expect(issued).toEqual([{ access: LOGIN_ACCESS, refresh: LOGIN_REFRESH }]);
  }, TEST_MS);

  it('revoked token (500 x 401) and the refresh rejected: exactly 1 refresh, 1 re-login, each call replayed once', async () => {
    serveProfiles([LOGIN_ACCESS]);
    server
      .fallback('POST', REFRESH_PATH, afterTheStorm(401, { detail: 'Token is blacklisted', code: 'token_not_valid' }))
      .fallback('POST', LOGIN, act.json(200, { access: LOGIN_ACCESS, refresh: LOGIN_REFRESH }));
    const { client } = stormClient({ tokens: { access: REVOKED, refresh: REFRESH }, credentials });
    const { fulfilled } = await storm(client);
    expect(fulfilled).toBe(N);
    expect(refreshes()).toHaveLength(1);
    expect(logins()).toHaveLength(1);
    expect(gets()).toHaveLength(2 * N);
    expect(gets().filter((r) => bearer(r) === LOGIN_ACCESS)).toHaveLength(N);
  }, TEST_MS);

  it('first calls with the login rejected: AuthenticationError for every call after exactly 1 login request', async () => {
    serveProfiles([LOGIN_ACCESS]);
    server.fallback('POST', LOGIN, act.json(401, loginRejected));
    const { client, issued } = stormClient({ tokens: undefined, credentials });
    const { fulfilled, errors } = await storm(client);
    expect(fulfilled).toBe(0);
    expect(errors.every((e) => e instanceof AuthenticationError)).toBe(true);
    expect(errors[0]!.message).toBe(
      `POST ${LOGIN} failed with 401: ${loginRejected.detail}. Pass AmaniClient valid credentials, or tokens with a valid refresh token`,
    );
    expect(server.requests).toHaveLength(1);
    expect(logins()).toHaveLength(1);
    expect(issued).toHaveLength(0);
  }, TEST_MS);

  it('login rejected, calls arriving in 5 waves: one login per wave, never more (bounded)', async () => {
    server.fallback('POST', LOGIN, act.json(401, loginRejected));
    const { client } = stormClient({ tokens: undefined, credentials });
    for (let wave = 0; wave < 5; wave++) {
      const { errors } = await storm(client, N / 5);
      expect(errors.every((e) => e instanceof AuthenticationError)).toBe(true);
    }
    expect(logins()).toHaveLength(5);
    expect(server.requests).toHaveLength(5);
  }, TEST_MS);

  it('expired token, refresh rejected, login rejected: AuthenticationError for all after 1 refresh + 1 login', async () => {
    serveProfiles([LOGIN_ACCESS]);
    server
      .fallback('POST', REFRESH_PATH, act.json(401, { detail: 'Token is invalid or expired', code: 'token_not_valid' }))
      .fallback('POST', LOGIN, act.json(401, loginRejected));
    const { client } = stormClient({ tokens: { access: EXPIRED, refresh: REFRESH }, credentials });
    const { errors } = await storm(client);
    expect(errors).toHaveLength(N);
    expect(errors.every((e) => e instanceof AuthenticationError)).toBe(true);
    expect(refreshes()).toHaveLength(1);
    expect(logins()).toHaveLength(1);
    expect(gets()).toHaveLength(0);
  }, TEST_MS);

  it('revoked token, refresh rejected, no credentials: AuthenticationError for all, no replay', async () => {
    serveProfiles([NEW_ACCESS]);
    server.fallback('POST', REFRESH_PATH, afterTheStorm(401, { detail: 'Token is blacklisted', code: 'token_not_valid' }));
    const { client } = stormClient({ tokens: { access: REVOKED, refresh: REFRESH } });
    const { errors } = await storm(client);
    expect(errors).toHaveLength(N);
    expect(errors.every((e) => e instanceof AuthenticationError)).toBe(true);
    expect(refreshes()).toHaveLength(1);
    expect(gets()).toHaveLength(N);
    expect(logins()).toHaveLength(0);
  }, TEST_MS);

  it('every token rejected, even the refreshed one: AuthenticationError for all after exactly one replay each', async () => {
    serveProfiles([]);
    server.fallback('POST', REFRESH_PATH, afterTheStorm(200, { access: NEW_ACCESS, refresh: NEW_REFRESH }));
    const { client } = stormClient({ tokens: { access: REVOKED, refresh: REFRESH }, credentials });
    const { errors } = await storm(client);
    expect(errors).toHaveLength(N);
    expect(errors.every((e) => e instanceof AuthenticationError)).toBe(true);
    expect(refreshes()).toHaveLength(1);
    expect(logins()).toHaveLength(0);
    expect(gets()).toHaveLength(2 * N);
  }, TEST_MS);

  it('500 non-idempotent POSTs on a revoked token: 1 refresh, each POST arrives exactly twice (refused, then acted on)', async () => {
    const RETRY = /^\/api\/v2\/webhook\/logs\/[0-9a-f-]{36}\/retry$/;
    server
      .fallback('POST', RETRY, (r) => (bearer(r) === NEW_ACCESS ? act.json(200, { id: r.path.split('/')[5] }) : act.json(401, tokenNotValid)))
      .fallback('POST', REFRESH_PATH, act.json(200, { access: NEW_ACCESS, refresh: NEW_REFRESH }));
    const { client } = stormClient({ tokens: { access: REVOKED, refresh: REFRESH }, credentials });
    const { fulfilled } = await storm(client, N, (c, i) => c.webhooks.retry(uuid(i)));
    expect(fulfilled).toBe(N);
    expect(refreshes()).toHaveLength(1);
    const posts = server.arrivals('POST', RETRY);
    expect(posts).toHaveLength(2 * N);
    const perId = new Map<string, string[]>();
    for (const r of posts) perId.set(r.path, [...(perId.get(r.path) ?? []), bearer(r)]);
    expect(perId.size).toBe(N);
    expect([...perId.values()].every((tokens) => tokens.length === 2 && tokens[0] === REVOKED && tokens[1] === NEW_ACCESS)).toBe(true);
  }, TEST_MS);
});

describe("a call's signal and timeoutMs apply while it waits for a login or refresh", () => {
  const LOGIN_MS = 3_000;
  const slow = (status: number, body: unknown) =>
    act.handle(async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, LOGIN_MS));
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    }, `slow ${status}`);

  /** Starts the call, aborting it after `ms`; resolves with its error and how long it took. */
  async function abortedAfter(ms: number, call: (signal: AbortSignal) => Promise<unknown>) {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), ms);
    const error = await failure('aborted wait', () => call(controller.signal));
    return { error, elapsed: Date.now() - started, signal: controller.signal };
  }

  it.each([
    ['the login it started', true],
    ['a login another call started', false],
  ])('abort at 200 ms during a 3 s login (%s): RequestAbortedError at once; the login goes on for the other calls', async (_name, first) => {
    serveProfiles([LOGIN_ACCESS]);
    server.fallback('POST', LOGIN, slow(200, { access: LOGIN_ACCESS, refresh: LOGIN_REFRESH }));
    const { client, issued } = stormClient({ tokens: undefined, credentials });
    const aborted = () => abortedAfter(200, (signal) => client.profiles.get(uuid(999), { signal }));
    const before = first ? aborted() : undefined;
    const others = storm(client, 20);
    const { error, elapsed, signal } = await (before ?? aborted());
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(elapsed).toBeLessThan(1_000);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    expect(logins()).toHaveLength(1);
    expect(logins()[0]!.closedAt).toBeUndefined(); // still in flight for the others
    const { fulfilled } = await others;
    expect(fulfilled).toBe(20);
    expect(logins()).toHaveLength(1);
    expect(gets()).toHaveLength(20);
    expect(gets().some((r) => r.path.endsWith(uuid(999)))).toBe(false);
    expect(issued).toEqual([{ access: LOGIN_ACCESS, refresh: LOGIN_REFRESH }]);
  }, TEST_MS);

  it('abort at 200 ms while waiting for a 3 s refresh: RequestAbortedError at once; the refresh goes on for the others', async () => {
    serveProfiles([NEW_ACCESS]);
    server.fallback('POST', REFRESH_PATH, slow(200, { access: NEW_ACCESS, refresh: NEW_REFRESH }));
    const { client } = stormClient({ tokens: { access: EXPIRED, refresh: REFRESH }, credentials });
    const others = storm(client, 20);
    const { error, elapsed } = await abortedAfter(200, (signal) => client.profiles.get(uuid(999), { signal }));
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(elapsed).toBeLessThan(1_000);
    expect((await others).fulfilled).toBe(20);
    expect(refreshes()).toHaveLength(1);
    expect(logins()).toHaveLength(0);
    expect(gets()).toHaveLength(20);
  }, TEST_MS);

  it('timeoutMs 300 while waiting for a 3 s login: TimeoutError at once; the login goes on for the other calls', async () => {
    serveProfiles([LOGIN_ACCESS]);
    server.fallback('POST', LOGIN, slow(200, { access: LOGIN_ACCESS, refresh: LOGIN_REFRESH }));
    const { client } = stormClient({ tokens: undefined, credentials });
    const others = storm(client, 20);
    const started = Date.now();
    const error = await failure('timed-out wait', () => client.profiles.get(uuid(999), { timeoutMs: 300 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(300);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect((await others).fulfilled).toBe(20);
    expect(logins()).toHaveLength(1);
    expect(gets()).toHaveLength(20);
  }, TEST_MS);

  it('a signal shared by 200 calls that waited for a login keeps no listener once they are done', async () => {
    serveProfiles([LOGIN_ACCESS]);
    server.fallback('POST', LOGIN, act.json(200, { access: LOGIN_ACCESS, refresh: LOGIN_REFRESH }));
    const { client } = stormClient({ tokens: undefined, credentials });
    const controller = new AbortController();
    const { fulfilled } = await storm(client, 200, (c, i) => c.profiles.get(uuid(i), { signal: controller.signal }));
    expect(fulfilled).toBe(200);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  }, TEST_MS);
});

describe('storms against a failing auth server stay bounded', () => {
  it('login answers HTML 503: ServerError for all 500 calls after exactly 3 login attempts (login is retried)', async () => {
    server.fallback('POST', LOGIN, act.html(503));
    const { client } = stormClient({ tokens: undefined, credentials });
    const { errors } = await storm(client);
    expect(errors).toHaveLength(N);
    expect(errors.every((e) => e instanceof ServerError)).toBe(true);
    expect(logins()).toHaveLength(3);
    expect(server.requests).toHaveLength(3);
  }, TEST_MS);

  it('login stalls: TimeoutError for all 500 calls, and exactly 3 login attempts', async () => {
    server.fallback('POST', LOGIN, act.stall());
    const { client } = stormClient({ tokens: undefined, credentials, timeoutMs: 300 });
    const { errors } = await storm(client);
    expect(errors).toHaveLength(N);
    expect(errors.every((e) => e instanceof TimeoutError)).toBe(true);
    // Each call stops waiting at its own timeout; the login they shared goes on to its last attempt.
    await until(() => logins().length === 3 && logins().every((r) => r.closedAt !== undefined), 5_000, 'stalled logins to close');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(logins()).toHaveLength(3);
  }, TEST_MS);

  it('the refresh connection resets: ConnectionError for all after 3 refresh attempts, and no login (a network failure is no rejection)', async () => {
    server.fallback('POST', REFRESH_PATH, act.reset());
    const { client } = stormClient({ tokens: { access: EXPIRED, refresh: REFRESH }, credentials });
    const { errors } = await storm(client);
    expect(errors).toHaveLength(N);
    expect(errors.every((e) => e instanceof ConnectionError)).toBe(true);
    expect(refreshes()).toHaveLength(3);
    expect(logins()).toHaveLength(0);
    expect(gets()).toHaveLength(0);
  }, TEST_MS);
});

secretScan(1_000);
