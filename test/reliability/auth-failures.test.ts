// Refresh and login failures over real HTTP, against the fake SimpleJWT server (simplejwt.ts). A
// login or refresh answer without a string token is an InvalidResponseError naming the field,
// never a request with "Bearer undefined".
import { describe, expect, it } from 'vitest';
import { InvalidResponseError, type AmaniClientOptions, type TokenPair } from '../../src/index.ts';
import { act, type RecordedRequest } from './fault-server.ts';
import { clientFor, credentials, failure, secretScan, uuid, useFaultServer } from './harness.ts';
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
