// No call follows a redirect: a 3xx answer becomes a RedirectError naming the status and the
// origin Location points to (never the whole Location: it may carry tokens in its query), and
// nothing is sent anywhere else. Two real servers on 127.0.0.1: the API answers every request
// with a redirect to the second, which must receive nothing. Covered: an upload (multipart, sent
// through fetch), a JSON POST and a GET (through undici in Node), a raw call, a caller's `fetch`,
// and a browser's opaque-redirect answer (status 0, no Location).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, RedirectError, type AmaniClient } from '../../src/index.ts';
import { act, startFaultServer, type FaultServer } from './fault-server.ts';
import { ACCESS, clientFor, failure, JPEG, PROFILE_ID, secret, secretScan, useFaultServer } from './harness.ts';

const TEST_MS = 10_000;
// A token a redirecting proxy might put in Location: it must not reach the error.
const LOCATION_TOKEN = secret('location token', 'LocTok_Redirect_4hV8q');

const server = useFaultServer();
let elsewhere: FaultServer;
beforeAll(async () => {
  elsewhere = await startFaultServer();
  // If anything ever arrived there, it would "succeed": the test would see a success, not a leak.
  elsewhere.fallback('POST', /.*/, act.json(201, { id: PROFILE_ID }));
  elsewhere.fallback('GET', /.*/, act.json(200, { id: PROFILE_ID }));
});
afterAll(() => elsewhere.close());

interface Call {
  name: string;
  method: string;
  path: string;
  run: (client: AmaniClient) => Promise<unknown>;
}

const CALLS: Call[] = [
  {
    name: 'documents.upload (multipart POST)',
    method: 'POST',
    path: '/api/v2/document',
    run: (c) => c.documents.upload({ profile: PROFILE_ID, type: 'TUR_ID_1', pages: [JPEG] }),
  },
  {
    name: 'webhooks.create (JSON POST)',
    method: 'POST',
    path: '/api/v2/webhook',
    run: (c) => c.webhooks.create({ url: 'https://example.com/amani', enabled_events: ['profile_status_change'] }),
  },
  { name: 'profiles.get (GET)', method: 'GET', path: `/api/v2/profile/${PROFILE_ID}`, run: (c) => c.profiles.get(PROFILE_ID) },
  {
    name: 'raw GET',
    method: 'GET',
    path: `/api/v2/profile/${PROFILE_ID}`,
    run: (c) => c.raw.GET('/api/v2/profile/{id}', { params: { path: { id: PROFILE_ID } } }),
  },
];

const STATUSES = [301, 302, 303, 307, 308];
const cases = CALLS.flatMap((call) => STATUSES.map((status) => ({ ...call, status, label: `${call.name} answered ${status}` })));

function redirectTo(target: string, status: number) {
  const location = `${target}/upload/here?token=${LOCATION_TOKEN}`;
  return act.reply(status, `Redirecting to ${location}`, { location, 'content-type': 'text/plain' });
}

function expectRedirectError(error: Error, status: number, method: string, path: string, origin: string | undefined): void {
  expect(error).toBeInstanceOf(RedirectError);
  expect(error).toBeInstanceOf(ApiError);
  const redirect = error as RedirectError;
  expect(redirect.status).toBe(status);
  expect(redirect.locationOrigin).toBe(origin);
  expect(redirect.message.startsWith(`${method} ${path} `)).toBe(true);
  expect(redirect.message).toContain(String(status));
  if (origin) expect(redirect.message).toContain(origin);
  expect(redirect.message).toMatch(/does not redirect/);
  expect(redirect.message).toMatch(/not re-sent/);
  // Only the origin: not the path, nor the token in the query (the body quoted Location whole).
  expect(redirect.message).not.toContain('/upload/here');
  expect(JSON.stringify(redirect)).not.toContain('/upload/here');
}

describe('a 3xx answer is a RedirectError, nothing is re-sent anywhere', () => {
  it.each(cases)('$label: one request to the API, none to Location', async ({ method, path, status, run }) => {
    server.fallback(method, path, redirectTo(elsewhere.url, status));
    elsewhere.forget();
    const { client, logs } = clientFor(server);
    const error = await failure(`${method} ${status}`, () => run(client));
    expectRedirectError(error, status, method, path, elsewhere.url);
    expect(server.requests).toHaveLength(1);
    expect(server.arrivals(method, path)).toHaveLength(1);
    expect(elsewhere.requests).toEqual([]);
    expect(logs).toHaveLength(1);
  }, TEST_MS);

  it('a relative Location is reported as the API origin itself; still nothing is re-sent', async () => {
    const path = `/api/v2/profile/${PROFILE_ID}`;
    server.script('GET', path, act.reply(302, '', { location: `/elsewhere?token=${LOCATION_TOKEN}` }));
    server.fallback('GET', '/elsewhere', act.json(200, { id: PROFILE_ID }));
    const { client } = clientFor(server);
    const error = await failure('relative location', () => client.profiles.get(PROFILE_ID));
    expectRedirectError(error, 302, 'GET', path, server.url);
    expect(server.requests).toHaveLength(1);
  }, TEST_MS);

  it('a redirect without Location, or with one that is not a URL, names no origin', async () => {
    const path = `/api/v2/profile/${PROFILE_ID}`;
    server.script('GET', path, act.reply(307, ''), act.reply(301, '', { location: 'http://[not a url' }));
    const { client } = clientFor(server);
    for (const status of [307, 301]) {
      const error = await failure(`no location ${status}`, () => client.profiles.get(PROFILE_ID));
      expectRedirectError(error, status, 'GET', path, undefined);
      expect(error.message).toMatch(/Location/);
    }
    expect(server.requests).toHaveLength(2);
  }, TEST_MS);

  it('an idempotent call is not retried after a redirect (it is not a transient failure)', async () => {
    const path = `/api/v2/profile/${PROFILE_ID}`;
    server.fallback('GET', path, redirectTo(elsewhere.url, 307));
    elsewhere.forget();
    const { client } = clientFor(server, { maxRetries: 3 });
    await failure('no retry', () => client.profiles.get(PROFILE_ID, { maxRetries: 3 }));
    expect(server.requests).toHaveLength(1);
    expect(elsewhere.requests).toEqual([]);
  }, TEST_MS);

  it('a 304 (not a redirect: only conditional requests get one) stays an ordinary ApiError', async () => {
    const path = `/api/v2/profile/${PROFILE_ID}`;
    server.fallback('GET', path, act.reply(304, ''));
    const { client } = clientFor(server);
    const error = await failure('304', () => client.profiles.get(PROFILE_ID, { headers: { 'if-none-match': '"abc"' } }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(RedirectError);
    expect((error as ApiError).status).toBe(304);
  }, TEST_MS);
});

describe("a caller's fetch gets Requests that do not follow redirects", () => {
  it.each([
    ['an upload', CALLS[0]!],
    ['a JSON POST', CALLS[1]!],
    ['a GET', CALLS[2]!],
  ])('%s: the Request carries redirect "manual"; the 307 is a RedirectError', async (_name, { method, path, run }) => {
    server.fallback(method, path, redirectTo(elsewhere.url, 307));
    elsewhere.forget();
    const seen: RequestRedirect[] = [];
    const { client } = clientFor(server, {
      fetch: (request) => {
        seen.push(request.redirect);
        return globalThis.fetch(request);
      },
    });
    const error = await failure(`custom fetch ${method}`, () => run(client));
    expectRedirectError(error, 307, method, path, elsewhere.url);
    expect(seen).toEqual(['manual']);
    expect(server.requests).toHaveLength(1);
    expect(elsewhere.requests).toEqual([]);
  }, TEST_MS);

  it("a browser's opaque-redirect answer (status 0, Location hidden) is a RedirectError with no origin", async () => {
    const { method, path, run } = CALLS[0]!;
    server.fallback(method, path, redirectTo(elsewhere.url, 308));
    elsewhere.forget();
    const { client } = clientFor(server, {
      // What a browser's fetch hands back for redirect: 'manual' (the real answer, as it would hide it).
      fetch: async (request) => {
        const real = await globalThis.fetch(request);
        await real.text();
        return { type: 'opaqueredirect', status: 0, statusText: '', ok: false, headers: new Headers(), text: async () => '' } as unknown as Response;
      },
    });
    const error = await failure('opaque redirect', () => run(client));
    expectRedirectError(error, 0, method, path, undefined);
    expect(error.message).toMatch(/Location/);
    expect(server.requests).toHaveLength(1);
    expect(elsewhere.requests).toEqual([]);
  }, TEST_MS);
});

describe('undici request() (the Node path for JSON calls) does not follow redirects by itself', () => {
  it('answers the 3xx itself, sending nothing to Location', async () => {
    const { request } = await import('undici');
    server.fallback('POST', '/probe', redirectTo(elsewhere.url, 307));
    elsewhere.forget();
    const answer = await request(`${server.url}/probe`, { method: 'POST', body: '{}', headers: { authorization: `Bearer ${ACCESS}` } });
    await answer.body.text();
    expect(answer.statusCode).toBe(307);
    expect(server.requests).toHaveLength(1);
    expect(elsewhere.requests).toEqual([]);
  }, TEST_MS);
});

secretScan(40);
