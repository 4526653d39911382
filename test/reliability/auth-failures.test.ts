// Refresh and login failures over real HTTP, against the fake SimpleJWT server (simplejwt.ts).
// A refresh tried before the token expires is optional: when it fails (5xx, a broken connection, a
// timeout) the call goes on with the still-valid token, and the refresh is tried again only after
// a pause, not by every call. Once the token has expired a failing refresh fails the call. A login
// or refresh answer without a string token is an InvalidResponseError naming the field, never a
// request with "Bearer undefined".
import { describe, expect, it } from 'vitest';
import { InvalidResponseError, ServerError, type AmaniClientOptions, type TokenPair } from '../../src/index.ts';
import { act, type Action, type RecordedRequest } from './fault-server.ts';
import { clientFor, credentials, failure, secretScan, until, uuid, useFaultServer } from './harness.ts';
import { LOGIN, PROFILE, REFRESH, simpleJwt } from './simplejwt.ts';

const TEST_MS = 30_000;

const server = useFaultServer();

const bearer = (r: RecordedRequest) => String(r.headers.authorization ?? '').replace(/^Bearer /, '');
const refreshes = () => server.arrivals('POST', REFRESH);
const gets = () => server.arrivals('GET', PROFILE);

function clientOn(options: Partial<AmaniClientOptions>) {
  const issued: TokenPair[] = [];
  const { client } = clientFor(server, { credentials, timeoutMs: 10_000, onTokens: (t) => void issued.push({ ...t }), ...options });
  return { client, issued };
}

describe('a refresh before expiry that fails does not fail the call', () => {
  const faults: Array<[string, Action, Partial<AmaniClientOptions>]> = [
    ['answered 503', act.html(503), {}],
    ['a reset connection', act.reset(), {}],
    ['a timeout', act.stall(), { timeoutMs: 400 }],
  ];

  it.each(faults)('refresh %s: the calls go on with the still-valid token, and no call retries the refresh during the pause', async (_name, fault, options) => {
    const jwt = simpleJwt(server, { accessS: 300 });
    const saved = jwt.pair(270); // 30 s left: inside the refresh margin, still valid
    server.script('POST', REFRESH, fault, fault, fault);
    const { client, issued } = clientOn({ tokens: saved, ...options });
    expect(await client.profiles.get(uuid(0))).toEqual({ id: uuid(0) });
    // The failing refresh (and its retries) finish; calls meanwhile and after use the saved token.
    await until(() => refreshes().length === 3 && refreshes().every((r) => r.closedAt !== undefined), 10_000, 'the refresh attempts');
    for (let i = 1; i <= 10; i++) expect(await client.profiles.get(uuid(i))).toEqual({ id: uuid(i) });
    expect(refreshes()).toHaveLength(3);
    expect(server.arrivals('POST', LOGIN)).toHaveLength(0);
    expect(gets()).toHaveLength(11);
    expect(gets().every((r) => bearer(r) === saved.access)).toBe(true);
    expect(issued).toEqual([]);
  }, TEST_MS);

  it('after the pause the next call tries the refresh again, and then uses the new token', async () => {
    const jwt = simpleJwt(server, { accessS: 300 });
    const saved = jwt.pair(270);
    server.script('POST', REFRESH, act.html(503), act.html(503), act.html(503));
    const { client, issued } = clientOn({ tokens: saved });
    await client.profiles.get(uuid(0));
    await until(() => refreshes().length === 3, 5_000, 'the failed refresh');
    await client.profiles.get(uuid(1));
    expect(refreshes()).toHaveLength(3);
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    await client.profiles.get(uuid(2)); // tries again: the server answers now
    await until(() => issued.length === 1, 5_000, 'the refresh');
    await client.profiles.get(uuid(3));
    expect(refreshes()).toHaveLength(4);
    expect(jwt.answered(REFRESH).map((a) => a.status)).toEqual([200]);
    expect(gets().map(bearer).slice(0, 2)).toEqual([saved.access, saved.access]);
    expect(bearer(gets()[3]!)).toBe(issued[0]!.access);
  }, TEST_MS);

  it('an expired token whose refresh fails (503) fails the call with the refresh error, sending nothing else', async () => {
    const jwt = simpleJwt(server, { accessS: 300 });
    server.fallback('POST', REFRESH, act.html(503));
    const { client } = clientOn({ tokens: jwt.pair(301) });
    const error = await failure('expired, refresh 503', () => client.profiles.get(uuid(0)));
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).path).toBe(REFRESH);
    expect(refreshes()).toHaveLength(3);
    expect(gets()).toHaveLength(0);
  }, TEST_MS);
});

describe('a login or refresh answer without a string token', () => {
  const broken: Array<[string, unknown, string]> = [
    ['{}', {}, 'access'],
    ['{"access": null}', { access: null }, 'access'],
    ['{"access": 42}', { access: 42 }, 'access'],
    ['a refresh that is not a string', { access: 'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl', refresh: 42 }, 'refresh'],
  ];

  it.each(broken)('login answered 200 %s: InvalidResponseError naming the field, and no API request', async (_name, body, field) => {
    server.fallback('POST', LOGIN, act.json(200, body));
    const { client, issued } = clientOn({ tokens: undefined });
    for (let i = 0; i < 2; i++) {
      const error = await failure(`login ${JSON.stringify(body)}`, () => client.profiles.get(uuid(i)));
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect(error.message).toContain(`POST ${LOGIN} answered 200 with a body without a string \`${field}\``);
    }
    expect(server.arrivals('POST', LOGIN)).toHaveLength(2);
    expect(gets()).toHaveLength(0);
    expect(issued).toEqual([]);
  }, TEST_MS);

  it.each(broken)('refresh answered 200 %s: InvalidResponseError naming the field, the old tokens kept', async (_name, body, field) => {
    const jwt = simpleJwt(server, { accessS: 300 });
    const saved = jwt.pair(400); // expired: the refresh is needed
    server.script('POST', REFRESH, act.json(200, body));
    const { client, issued } = clientOn({ tokens: saved });
    const error = await failure(`refresh ${JSON.stringify(body)}`, () => client.profiles.get(uuid(0)));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain(`POST ${REFRESH} answered 200 with a body without a string \`${field}\``);
    expect(gets()).toHaveLength(0);
    // The next call refreshes again with the same refresh token (the broken answer was not stored).
    expect(await client.profiles.get(uuid(1))).toEqual({ id: uuid(1) });
    expect(refreshes().map((r) => (JSON.parse(r.body.toString()) as { refresh: string }).refresh)).toEqual([saved.refresh, saved.refresh]);
    expect(gets().map(bearer)).toEqual([issued[0]!.access]);
  }, TEST_MS);

  it('auth.refresh() answered {"access": null}: InvalidResponseError, nothing stored', async () => {
    const jwt = simpleJwt(server, { accessS: 300 });
    const saved = jwt.pair(0);
    server.script('POST', REFRESH, act.json(200, { access: null }));
    const { client, issued } = clientOn({ tokens: saved });
    expect(await failure('auth.refresh', () => client.auth.refresh())).toBeInstanceOf(InvalidResponseError);
    await client.profiles.get(uuid(0));
    expect(gets().map(bearer)).toEqual([saved.access]);
    expect(issued).toEqual([]);
  }, TEST_MS);

  it('a refresh answer without `refresh` (no rotation) keeps the old refresh token for the next refresh', async () => {
    const jwt = simpleJwt(server, { accessS: 300, rotate: false });
    const saved = jwt.pair(400);
    const { client, issued } = clientOn({ tokens: saved });
    await client.profiles.get(uuid(0));
    await client.auth.refresh();
    expect(issued.map((t) => t.refresh)).toEqual([saved.refresh, saved.refresh]);
    expect(refreshes().map((r) => (JSON.parse(r.body.toString()) as { refresh: string }).refresh)).toEqual([saved.refresh, saved.refresh]);
  }, TEST_MS);
});

secretScan(10);
