// Where requests may go, and what a failure to get there says. Plain http to a host other than this
// machine (a mock in docker-compose, a CI service container) only with allowInsecureHttp, a
// test-only opt-in: refused before anything is sent without it; with it, sent over http and warned
// about once per client, no token in the warning. A baseUrl with a path, query or fragment is
// refused (the client adds /api/v2/... itself).
// Over real HTTP: only 127.0.0.1 can be reached here, so a caller's fetch carries the requests for
// http://mock.internal:4010 to the fault server, and http://mock.invalid:4010 (a name that never
// resolves) proves that a request was attempted.
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AmaniClient, ConnectionError, createAmaniFetchClient, InvalidInputError, type AmaniClientOptions } from '../../src/index.ts';
import { act } from './fault-server.ts';
import { ACCESS, clientFor, evidence, failure, FAST_RETRY, JPEG, jwt, PROFILE_ID, REFRESH, secretScan, useFaultServer } from './harness.ts';

const TEST_MS = 10_000;
const INSECURE = 'http://mock.internal:4010';
const NOWHERE = 'http://mock.invalid:4010';
const GET_PATH = `/api/v2/profile/${PROFILE_ID}`;
const PROFILE = { id: PROFILE_ID, name: 'Ayse Yilmaz' };
const PROFILE_TOKEN = jwt('InsecureProfileAccess', 3600, { profile_id: PROFILE_ID });

const server = useFaultServer();

/** The URLs the client asked viaFaultServer for, in order. */
let asked: string[] = [];
/** A caller's fetch that carries every request for INSECURE to the fault server, as a proxy would. */
const viaFaultServer = async (request: Request): Promise<Response> => {
  asked.push(request.url);
  const body = request.body ? await request.arrayBuffer() : undefined;
  return fetch(request.url.replace(INSECURE, server.url), { method: request.method, headers: request.headers, body, redirect: 'manual' });
};

/** A console-style logger that keeps what it is told at each level. */
function consoleLike() {
  const said: Record<'debug' | 'info' | 'warn' | 'error', string[]> = { debug: [], info: [], warn: [], error: [] };
  const logger = {
    debug: (message: string) => void said.debug.push(message),
    info: (message: string) => void said.info.push(message),
    warn: (message: string, fields?: unknown) => void said.warn.push(`${message} ${inspect(fields)}`),
    error: (message: string) => void said.error.push(message),
  };
  return { said, logger };
}

const refusedBeforeSending = (label: string, make: () => unknown): InvalidInputError => {
  let thrown: unknown;
  try {
    make();
  } catch (error) {
    thrown = error;
  }
  evidence.error(label, thrown);
  expect(thrown, label).toBeInstanceOf(InvalidInputError);
  expect((thrown as InvalidInputError).field).toBe('baseUrl');
  expect(server.requests).toEqual([]);
  return thrown as InvalidInputError;
};

beforeEach(() => {
  asked = [];
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('plain http to a non-loopback host', () => {
  it.each([
    ['not given', {}],
    ['false', { allowInsecureHttp: false }],
    ['a truthy non-boolean', { allowInsecureHttp: 'true' as unknown as boolean }],
  ])('allowInsecureHttp %s: refused before anything is sent, naming the test-only opt-in', (_what, optIn) => {
    const error = refusedBeforeSending('insecure refused', () =>
      new AmaniClient({ baseUrl: INSECURE, tokens: { access: ACCESS }, fetch: viaFaultServer, ...optIn }),
    );
    expect(error.message).toMatch(/^baseUrl: plain http is refused for mock\.internal: the Amani API is HTTPS-only/);
    expect(error.message).toContain('for a test server elsewhere, allowInsecureHttp: true');
  });

  it('allowInsecureHttp: true sends over http and warns once through a console-style logger, naming the host and no token', async () => {
    server.fallback('GET', GET_PATH, act.json(200, PROFILE));
    server.fallback('PATCH', GET_PATH, act.json(200, PROFILE));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { said, logger } = consoleLike();
    const client = new AmaniClient({
      baseUrl: INSECURE,
      allowInsecureHttp: true,
      tokens: { access: ACCESS, refresh: REFRESH },
      fetch: viaFaultServer,
      logger,
      retry: FAST_RETRY,
    });
    expect(client.baseUrl).toBe(INSECURE);
    expect(await client.profiles.get(PROFILE_ID)).toEqual(PROFILE);
    expect(await client.profiles.get(PROFILE_ID)).toEqual(PROFILE);
    // A profile client shares its parent's base URL: no second warning.
    await client.forProfile(PROFILE_TOKEN).profiles.update(PROFILE_ID, { name: 'Ayse' });
    expect(asked).toEqual([`${INSECURE}${GET_PATH}`, `${INSECURE}${GET_PATH}`, `${INSECURE}${GET_PATH}`]);
    expect(server.requests.map((r) => [r.method, r.path])).toEqual([
      ['GET', GET_PATH],
      ['GET', GET_PATH],
      ['PATCH', GET_PATH],
    ]);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${ACCESS}`);
    expect(said.warn).toHaveLength(1);
    expect(said.warn[0]).toContain('mock.internal:4010');
    expect(said.warn[0]).toContain('test only: tokens and identity documents travel unencrypted');
    for (const text of said.warn) evidence.text('insecure warning', text);
    expect(warn).not.toHaveBeenCalled();
  }, TEST_MS);

  it.each([
    ['no logger', {}],
    ['a function logger', { logger: () => undefined }],
  ] as Array<[string, Partial<AmaniClientOptions>]>)('with %s, the one warning goes to console.warn', async (_what, options) => {
    server.fallback('POST', '/api/v2/document', act.json(201, { id: PROFILE_ID }));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const client = new AmaniClient({ baseUrl: INSECURE, allowInsecureHttp: true, tokens: { access: ACCESS }, fetch: viaFaultServer, ...options });
    await client.documents.upload({ profile: PROFILE_ID, type: 'XXX_SE_0', pages: [JPEG] });
    expect(asked).toEqual([`${INSECURE}/api/v2/document`]);
    expect(server.arrivals('POST', '/api/v2/document')).toHaveLength(1);
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0]![0]);
    evidence.text('console.warn', warn.mock.calls.map((call) => call.join(' ')).join('\n'));
    expect(message).toContain('mock.internal:4010');
    expect(message).toContain('test only: tokens and identity documents travel unencrypted');
  }, TEST_MS);

  it('every client warns once: a second client for the same host warns again', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    new AmaniClient({ baseUrl: INSECURE, allowInsecureHttp: true });
    new AmaniClient({ baseUrl: INSECURE, allowInsecureHttp: true });
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('loopback hosts need no opt-in and get no warning', async () => {
    server.fallback('GET', GET_PATH, act.json(200, PROFILE));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { client } = clientFor(server);
    expect(await client.profiles.get(PROFILE_ID)).toEqual(PROFILE);
    expect(warn).not.toHaveBeenCalled();
  }, TEST_MS);

  it('with the opt-in, an unresolvable host is really tried: a ConnectionError naming it and ENOTFOUND', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const client = new AmaniClient({ baseUrl: NOWHERE, allowInsecureHttp: true, tokens: { access: ACCESS }, maxRetries: 0 });
    const error = await failure('mock.invalid', () => client.profiles.get(PROFILE_ID));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toBe(`GET ${GET_PATH} failed: could not reach mock.invalid:4010 (ENOTFOUND): nothing was sent. Check the network and the base URL`);
  }, TEST_MS);

  it('createAmaniFetchClient: refused without the opt-in, sent over http and warned about once with it', async () => {
    server.fallback('GET', '/api/v2/webhook/events', act.json(200, ['profile_create']));
    refusedBeforeSending('fetch client insecure', () => createAmaniFetchClient({ baseUrl: INSECURE, token: ACCESS, fetch: viaFaultServer }));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const client = createAmaniFetchClient({ baseUrl: INSECURE, allowInsecureHttp: true, token: ACCESS, fetch: viaFaultServer });
    const { data } = await client.GET('/api/v2/webhook/events');
    await client.GET('/api/v2/webhook/events');
    expect(data).toEqual(['profile_create']);
    expect(asked).toEqual([`${INSECURE}/api/v2/webhook/events`, `${INSECURE}/api/v2/webhook/events`]);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${ACCESS}`, `Bearer ${ACCESS}`]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain('test only: tokens and identity documents travel unencrypted');
    expect(String(warn.mock.calls[0]![0])).not.toContain(ACCESS);
  }, TEST_MS);
});

describe('a baseUrl with a path, query or fragment', () => {
  it.each([
    ['/api/v2', '/api/v2'],
    ['/api/v2/', '/api/v2/'],
    ['/amani', '/amani'],
    ['?region=eu', 'a query'],
    ['/?token=abc', 'a query'],
    ['#top', 'a fragment'],
  ])('%s: refused before anything is sent, saying to give the origin only', (suffix, named) => {
    const error = refusedBeforeSending(`baseUrl ${suffix}`, () => new AmaniClient({ baseUrl: `${server.url}${suffix}`, tokens: { access: ACCESS } }));
    expect(error.message).toMatch(/^baseUrl: must be the origin only, e\.g\. "https:\/\/eu\.amani\.ai", without /);
    expect(error.message).toContain(named);
    // A query may carry a secret: never quoted.
    expect(error.message).not.toContain('abc');
    expect(() => createAmaniFetchClient({ baseUrl: `${server.url}${suffix}` })).toThrow(error.message);
  });

  it('the origin, with or without a trailing slash, is used as it is', async () => {
    server.fallback('GET', GET_PATH, act.json(200, PROFILE));
    for (const baseUrl of [server.url, `${server.url}/`]) {
      const { client } = clientFor({ url: baseUrl });
      expect(client.baseUrl).toBe(server.url);
      expect(await client.profiles.get(PROFILE_ID)).toEqual(PROFILE);
    }
    expect(server.requests.map((r) => r.url)).toEqual([GET_PATH, GET_PATH]);
  }, TEST_MS);
});

secretScan();
