// Token lifetimes and clock skew against a fake SimpleJWT server (simplejwt.ts): short access
// tokens, refresh tokens that rotate and are blacklisted after one use, a server clock minutes
// behind or ahead. The client refreshes a token in the last part of its own lifetime, judged by
// the server's clock as estimated from the iat of each token it receives; after a 401 it replays
// with the token the renewal returned. Counts what the server saw, never wall-clock precision.
import { describe, expect, it } from 'vitest';
import type { AmaniClient, AmaniClientOptions, TokenPair } from '../../src/index.ts';
import { PreparedRequest, defaultSender } from '../../src/core/wire.ts';
import { Transport } from '../../src/core/transport.ts';
import { defaultRetrySettings } from '../../src/core/retry.ts';
import { act, type RecordedRequest } from './fault-server.ts';
import { clientFor, credentials, evidence, secretScan, uuid, useFaultServer } from './harness.ts';
import { LOGIN, PROFILE, REFRESH, simpleJwt, type SimpleJwt } from './simplejwt.ts';

const TEST_MS = 30_000;
const MINUTE = 60_000;

const server = useFaultServer();

const bearer = (r: RecordedRequest) => String(r.headers.authorization ?? '').replace(/^Bearer /, '');
const refreshBody = (r: RecordedRequest) => (JSON.parse(r.body.toString()) as { refresh: string }).refresh;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function clientOn(options: Partial<AmaniClientOptions>) {
  const issued: TokenPair[] = [];
  const { client } = clientFor(server, { credentials, tokens: undefined, timeoutMs: 10_000, onTokens: (t) => void issued.push({ ...t }), ...options });
  return { client, issued };
}

/** `n` concurrent profile GETs: every one must succeed. */
async function storm(client: AmaniClient, n: number): Promise<void> {
  const results = await Promise.allSettled(Array.from({ length: n }, (_, i) => client.profiles.get(uuid(i))));
  results.forEach((r, i) => r.status === 'rejected' && evidence.error(`storm call ${i}`, r.reason));
  expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
}

function counts(jwt: SimpleJwt) {
  return {
    logins: jwt.answered(LOGIN).length,
    refreshes: jwt.answered(REFRESH).length,
    rejectedGets: jwt.answered(PROFILE).filter((a) => a.status === 401).length,
  };
}

describe('short-lived tokens (SimpleJWT, rotating and blacklisted refresh tokens)', () => {
  it('3 s tokens: 100 concurrent calls after expiry make exactly 1 refresh and 0 logins; the new token then serves until it expires', async () => {
    const jwt = simpleJwt(server, { accessS: 3 });
    const saved = jwt.pair(10); // the access token expired 7 s ago; the refresh token is valid
    const { client, issued } = clientOn({ tokens: saved });

    await storm(client, 100);
    expect(counts(jwt)).toEqual({ logins: 0, refreshes: 1, rejectedGets: 0 });
    const first = issued[0]!;
    expect(jwt.answered(PROFILE).every((a) => bearer(a.request) === first.access)).toBe(true);

    // A token just issued is used, not refreshed again at once.
    for (let i = 0; i < 5; i++) await client.profiles.get(uuid(i));
    expect(counts(jwt)).toEqual({ logins: 0, refreshes: 1, rejectedGets: 0 });

    // Once it has expired, the next storm makes one refresh with the rotated refresh token.
    await sleep(3_200);
    await storm(client, 100);
    expect(counts(jwt)).toEqual({ logins: 0, refreshes: 2, rejectedGets: 0 });
    const refreshes = jwt.answered(REFRESH);
    expect(refreshes.map((a) => a.status)).toEqual([200, 200]);
    expect(refreshes.map((a) => refreshBody(a.request))).toEqual([saved.refresh, first.refresh]);
    expect(issued).toHaveLength(2);
  }, TEST_MS);

  it.each([2, 3, 10, 60, 300])('a token just issued (lifetime %i s) is never refreshed before its first use', async (lifetimeS) => {
    const jwt = simpleJwt(server, { accessS: lifetimeS });
    const { client, issued } = clientOn({});
    await client.auth.login();
    await client.profiles.get(uuid(1));
    expect(counts(jwt)).toEqual({ logins: 1, refreshes: 0, rejectedGets: 0 });
    await client.auth.refresh();
    await client.profiles.get(uuid(2));
    expect(counts(jwt)).toEqual({ logins: 1, refreshes: 1, rejectedGets: 0 });
    expect(jwt.answered(PROFILE).map((a) => bearer(a.request))).toEqual([issued[0]!.access, issued[1]!.access]);
  }, TEST_MS);

  it('a saved token is judged by its exp, not by its (old) iat: 10 s left of 5 minutes is refreshed before use', async () => {
    const jwt = simpleJwt(server, { accessS: 300 });
    const saved = jwt.pair(290);
    const { client, issued } = clientOn({ tokens: saved });
    for (let i = 0; i < 10; i++) await client.profiles.get(uuid(i));
    expect(counts(jwt)).toEqual({ logins: 0, refreshes: 1, rejectedGets: 0 });
    expect(jwt.answered(PROFILE).every((a) => bearer(a.request) === issued[0]!.access)).toBe(true);
  }, TEST_MS);
});

describe('clock skew', () => {
  it('server clock 4.5 minutes behind, 5-minute tokens: 10 sequential calls after a login cost no refresh', async () => {
    const jwt = simpleJwt(server, { accessS: 300, skewMs: -4.5 * MINUTE });
    const { client } = clientOn({});
    for (let i = 0; i < 10; i++) await client.profiles.get(uuid(i));
    expect(counts(jwt)).toEqual({ logins: 1, refreshes: 0, rejectedGets: 0 });
  }, TEST_MS);

  it('server clock 4.5 minutes behind, tokens saved just now: 10 sequential calls cost at most 1 refresh', async () => {
    const jwt = simpleJwt(server, { accessS: 300, skewMs: -4.5 * MINUTE });
    const { client } = clientOn({ tokens: jwt.pair(0) });
    for (let i = 0; i < 10; i++) await client.profiles.get(uuid(i));
    const { logins, refreshes, rejectedGets } = counts(jwt);
    expect({ logins, rejectedGets }).toEqual({ logins: 0, rejectedGets: 0 });
    expect(refreshes).toBeLessThanOrEqual(1);
  }, TEST_MS);

  it('server clock 4.5 minutes ahead, 4 s tokens: refreshed before they expire by its clock, so no call is answered 401', async () => {
    const jwt = simpleJwt(server, { accessS: 4, skewMs: 4.5 * MINUTE });
    const { client } = clientOn({});
    const until = Date.now() + 6_500;
    let calls = 0;
    while (Date.now() < until) {
      await client.profiles.get(uuid(calls++));
      await sleep(150);
    }
    const { logins, refreshes, rejectedGets } = counts(jwt);
    expect({ logins, rejectedGets }).toEqual({ logins: 1, rejectedGets: 0 });
    // 6.5 s of 4 s tokens: at least one refresh, and far fewer than calls.
    expect(refreshes).toBeGreaterThanOrEqual(1);
    expect(refreshes).toBeLessThanOrEqual(4);
    expect(jwt.answered(REFRESH).every((a) => a.status === 200)).toBe(true);
    expect(jwt.answered(PROFILE)).toHaveLength(calls);
  }, TEST_MS);
});

describe('the replay after a 401 uses the token the renewal returned', () => {
  it('50 concurrent calls with an access token the server rejects (not expired by its exp): exactly 1 refresh, each call replayed once with the new token', async () => {
    const jwt = simpleJwt(server, { accessS: 30 });
    const forged = jwt.forged();
    // Hold the first 401s until all 50 requests are in, so every call needs the renewal.
    let held = 0;
    server.fallback('GET', PROFILE, (r) =>
      bearer(r) !== forged
        ? jwt.profile
        : act.handle(async (request, res) => {
            held++;
            const deadline = Date.now() + 10_000;
            while (held < 50 && Date.now() < deadline) await sleep(2);
            await jwt.profile.run(request, res);
          }, 'held 401'),
    );
    const { client, issued } = clientOn({ tokens: { access: forged, refresh: jwt.issue('refresh') } });
    await storm(client, 50);
    expect(counts(jwt)).toEqual({ logins: 0, refreshes: 1, rejectedGets: 50 });
    expect(issued).toHaveLength(1);
    const perId = new Map<string, string[]>();
    for (const a of jwt.answered(PROFILE)) perId.set(a.request.path, [...(perId.get(a.request.path) ?? []), bearer(a.request)]);
    expect(perId.size).toBe(50);
    expect([...perId.values()].every((tokens) => tokens.length === 2 && tokens[0] === forged && tokens[1] === issued[0]!.access)).toBe(true);
  }, TEST_MS);

  it('the transport replays with what renew() returned and asks the provider for no other token', async () => {
    server.fallback('GET', PROFILE, (r) => (bearer(r) === 'renewed-token' ? act.json(200, { ok: true }) : act.json(401, { detail: 'rejected' })));
    const asked: string[] = [];
    const transport = new Transport({
      send: defaultSender(),
      timeoutMs: 5_000,
      maxRetries: 0,
      retry: defaultRetrySettings,
      unauthenticated: new Set(),
      auth: {
        // A provider whose next token() would be yet another one (e.g. a second refresh).
        token: async () => (asked.push('token'), asked.length === 1 ? 'first-token' : 'another-token'),
        renew: async (rejected) => (asked.push(`renew ${rejected}`), 'renewed-token'),
        secrets: () => [],
        kind: 'user',
      },
    });
    const response = await transport.send(new PreparedRequest(`${server.url}/api/v2/profile/${uuid(1)}`), { schemaPath: '/api/v2/profile/{id}' });
    expect(response.status).toBe(200);
    expect(asked).toEqual(['token', 'renew first-token']);
    expect(server.arrivals('GET').map(bearer)).toEqual(['first-token', 'renewed-token']);
  }, TEST_MS);
});

secretScan(100);
