// The areas AmaniClient loads on first use (src/core/lazy.ts): profiles, documents, webhooks, aml,
// ipWhitelist and batch. Over a real server on 127.0.0.1: each one lists exactly its class's
// methods, validates before anything is sent, works on its first call and after, inspects as its
// methods only; a load that fails rejects with an AmaniError naming the call, sends nothing, and
// the next call loads again; so do requestsPerSecond's pacing and the user login; the
// profile-token calls (forProfile) need none of it.
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Aml } from '../src/resources/aml.ts';
import { Documents } from '../src/resources/documents.ts';
import { IpWhitelist } from '../src/resources/ip-whitelist.ts';
import { Profiles } from '../src/resources/profiles.ts';
import { Webhooks } from '../src/resources/webhooks.ts';
import { act } from './reliability/fault-server.ts';
import { ACCESS, JPEG, PROFILE_ID, uuid, useFaultServer } from './reliability/harness.ts';

const server = useFaultServer();

/** A client from a fresh copy of the package's modules, so the areas have not been loaded yet. */
async function freshClient() {
  vi.resetModules();
  const pkg = await import('../src/index.ts');
  return { pkg, client: new pkg.AmaniClient({ baseUrl: server.url, tokens: { access: ACCESS }, maxRetries: 0 }) };
}

/** Public methods of a class and the classes it extends. */
function methodsOf(cls: { prototype: object }): string[] {
  const names: string[] = [];
  for (let proto = cls.prototype; proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    names.push(...Object.getOwnPropertyNames(proto).filter((name) => name !== 'constructor'));
  }
  return names.sort();
}

/** What the call rejected with; fails the test when it resolved. */
const rejection = (call: Promise<unknown>): Promise<Error> =>
  call.then(
    () => {
      throw new Error('expected a rejection, the call resolved');
    },
    (error: unknown) => error as Error,
  );

const DELIVERY = { id: uuid(1), event: 'profile_create', status: 'failed' };
const failedLoad = new Error('the chunk is gone');

afterEach(() => {
  vi.doUnmock('../src/core/lazy-areas.ts');
  vi.doUnmock('../src/core/upload-chunk.ts');
});

describe('the areas AmaniClient loads on first use', () => {
  it('each lists every method of its class, and only those', async () => {
    const { client } = await freshClient();
    const areas = { profiles: Profiles, documents: Documents, webhooks: Webhooks, aml: Aml, ipWhitelist: IpWhitelist };
    for (const [name, cls] of Object.entries(areas)) {
      expect(Object.keys(client[name as keyof typeof areas]).sort(), name).toEqual(methodsOf(cls));
    }
  });

  it('the first call of an area loads it and sends the request; later calls go to the same area', async () => {
    server.fallback('GET', '/api/v2/webhook/logs', act.json(200, [DELIVERY]));
    server.fallback('GET', '/api/v2/aml/search', act.json(200, { id: uuid(2), profile: PROFILE_ID }));
    const { client } = await freshClient();
    const [first, second] = await Promise.all([client.webhooks.logs({ event: 'profile_create' }), client.webhooks.logs()]);
    expect([first, second]).toEqual([[DELIVERY], [DELIVERY]]);
    // Called without its object, a method still reaches its area (it is a plain function).
    const { search } = client.aml;
    expect(await search(PROFILE_ID)).toEqual({ id: uuid(2), profile: PROFILE_ID });
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/v2/webhook/logs?event=profile_create',
      'GET /api/v2/webhook/logs',
      `GET /api/v2/aml/search?profile=${PROFILE_ID}`,
    ]);
  });

  it('bad input is refused with the same InvalidInputError, before anything is sent, on the first call too', async () => {
    const { pkg, client } = await freshClient();
    const refusals = await Promise.all([
      rejection(client.webhooks.create({ url: 'http://hooks.example.com', enabled_events: ['profile_create'] })),
      rejection(client.ipWhitelist.remove('not an address')),
      rejection(client.aml.report('42')),
      rejection(client.profiles.setStatus(PROFILE_ID, 'MAYBE' as never)),
      rejection(client.documents.reject(PROFILE_ID, '  ')),
      rejection(client.batch([1], async (n) => n, { concurrency: 0 })),
    ]);
    expect(refusals.map((e) => [(e as Error).constructor.name, (e as InstanceType<typeof pkg.InvalidInputError>).field])).toEqual([
      ['InvalidInputError', 'url'],
      ['InvalidInputError', 'ip'],
      ['InvalidInputError', 'id'],
      ['InvalidInputError', 'status'],
      ['InvalidInputError', 'reason'],
      ['InvalidInputError', 'concurrency'],
    ]);
    for (const e of refusals) expect(e).toBeInstanceOf(pkg.InvalidInputError);
    expect(server.count).toBe(0);
  });

  it('an area inspects and serializes as its methods, with none of the client inside', async () => {
    server.fallback('GET', '/api/v2/ip-whitelist', act.json(200, []));
    const { client } = await freshClient();
    await client.ipWhitelist.list();
    expect(inspect(client)).toBe(`AmaniClient { baseUrl: '${server.url}' }`);
    expect(Object.keys(client)).toEqual(['auth', 'profiles', 'documents', 'webhooks', 'aml', 'ipWhitelist', 'raw', 'baseUrl']);
    const shown = inspect(client.ipWhitelist, { depth: Infinity, showHidden: true });
    expect(shown).toMatch(/^\{\n?\s*list: \[Function/);
    expect(shown).not.toMatch(/Caller|transport|Bearer|access/);
    expect(JSON.stringify(client.webhooks)).toBe('{}');
  });

  it('a load that fails rejects the call with an AmaniError naming it, sends nothing, and the next call loads again', async () => {
    server.fallback('GET', '/api/v2/webhook', act.json(200, []));
    const { pkg, client } = await freshClient();
    vi.doMock('../src/core/lazy-areas.ts', () => {
      throw failedLoad;
    });
    const errors = await Promise.all([
      rejection(client.webhooks.list()),
      rejection(client.batch([1], async (n) => n)),
    ]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(pkg.AmaniError);
      expect(error.name).toBe('AmaniError');
      // The cause, quoted (here as vitest reports the module that failed to load).
      expect(error.cause).toBeInstanceOf(Error);
      expect(error.message).toContain(`could not load its code (${String(error.cause)})`);
      expect(error.message).toMatch(/: the request was not sent\. Check that the app serves all its chunks, then retry$/);
    }
    expect(errors.map((e) => e.message.split(':')[0])).toEqual(['amani.webhooks.list()', 'amani.batch()']);
    expect(server.count).toBe(0);

    vi.doUnmock('../src/core/lazy-areas.ts');
    expect(await client.webhooks.list()).toEqual([]);
    expect(await client.batch([1, 2], async (n) => n * 2)).toEqual([
      { item: 1, index: 0, ok: true, value: 2 },
      { item: 2, index: 1, ok: true, value: 4 },
    ]);
    expect(server.arrivals('GET', '/api/v2/webhook')).toHaveLength(1);
  });

  it("requestsPerSecond's pacing and the user login load with the areas: a failed load sends nothing, the next call loads again", async () => {
    server.fallback('POST', '/api/v2/user/login', act.json(200, { access: ACCESS, username: 'ops' }));
    server.fallback('GET', '/api/v2/webhook/events', act.json(200, ['profile_create']));
    vi.resetModules();
    const pkg = await import('../src/index.ts');
    const paced = new pkg.AmaniClient({ baseUrl: server.url, tokens: { access: ACCESS }, maxRetries: 0, requestsPerSecond: 50 });
    const loggingIn = new pkg.AmaniClient({ baseUrl: server.url, credentials: { username: 'ops', password: 'lazy-login-pw-1' }, maxRetries: 0 });
    vi.doMock('../src/core/lazy-areas.ts', () => {
      throw failedLoad;
    });
    const errors = [await rejection(paced.raw.GET('/api/v2/webhook/events')), await rejection(loggingIn.auth.login())];
    for (const error of errors) expect(error).toBeInstanceOf(pkg.AmaniError);
    expect(errors.map((e) => e.message.split(':')[0])).toEqual(['amani.limiter.take()', 'amani.auth.login()']);
    expect(server.count).toBe(0);

    vi.doUnmock('../src/core/lazy-areas.ts');
    expect((await paced.raw.GET('/api/v2/webhook/events')).data).toEqual(['profile_create']);
    expect(await loggingIn.auth.login()).toEqual({ username: 'ops' });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v2/webhook/events', 'POST /api/v2/user/login']);
  });

  it('once loaded, an area is called directly: a later failing load changes nothing', async () => {
    server.fallback('GET', '/api/v2/webhook/events', act.json(200, ['profile_create']));
    const { client } = await freshClient();
    expect(await client.webhooks.eventTypes()).toEqual(['profile_create']);
    vi.doMock('../src/core/lazy-areas.ts', () => {
      throw failedLoad;
    });
    vi.resetModules();
    expect(await client.webhooks.eventTypes()).toEqual(['profile_create']);
    expect(server.arrivals('GET', '/api/v2/webhook/events')).toHaveLength(2);
  });

  it('the profile-token calls (forProfile) need none of the code loaded on first use', async () => {
    const document = { id: uuid(3), type: 'XXX_SE_0', status: 'PENDING_REVIEW' };
    server.fallback('POST', '/api/v2/document', act.json(201, document));
    server.fallback('GET', `/api/v2/document/${uuid(3)}`, act.json(200, document));
    server.fallback('PATCH', `/api/v2/profile/${PROFILE_ID}`, act.json(200, { id: PROFILE_ID, name: 'Ayse' }));
    const { client } = await freshClient();
    vi.doMock('../src/core/lazy-areas.ts', () => {
      throw failedLoad;
    });
    const customer = client.forProfile(ACCESS);
    expect(await customer.documents.upload({ profile: PROFILE_ID, type: 'XXX_SE_0', pages: [JPEG] })).toEqual(document);
    expect(await customer.documents.get(uuid(3))).toEqual(document);
    expect(await customer.profiles.update(PROFILE_ID, { name: 'Ayse' })).toEqual({ id: PROFILE_ID, name: 'Ayse' });
    // The user-token areas do need it.
    await expect(client.profiles.get(PROFILE_ID)).rejects.toThrow(/^amani\.profiles\.get\(\): could not load its code/);
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'GET', 'PATCH']);
  });

  it('page preparation loads with the first upload: a failed load sends nothing, names the call, and the next upload loads again', async () => {
    const document = { id: uuid(4), type: 'XXX_SE_0', status: 'PENDING_REVIEW' };
    server.fallback('POST', '/api/v2/document', act.json(201, document));
    server.fallback('GET', `/api/v2/document/${uuid(4)}`, act.json(200, document));
    const { pkg, client } = await freshClient();
    vi.doMock('../src/core/upload-chunk.ts', () => {
      throw failedLoad;
    });
    const customer = client.forProfile(ACCESS);
    // Reading documents needs none of it.
    expect(await customer.documents.get(uuid(4))).toEqual(document);
    const error = await rejection(customer.documents.upload({ profile: PROFILE_ID, type: 'XXX_SE_0', pages: [JPEG] }));
    expect(error).toBeInstanceOf(pkg.AmaniError);
    expect(error.message).toMatch(/^documents\.upload\(\): could not load its code \(.+\): the request was not sent\. Check that the app serves all its chunks, then retry$/);
    expect(server.arrivals('POST', '/api/v2/document')).toHaveLength(0);

    vi.doUnmock('../src/core/upload-chunk.ts');
    expect(await customer.documents.upload({ profile: PROFILE_ID, type: 'XXX_SE_0', pages: [JPEG] })).toEqual(document);
    expect(server.arrivals('POST', '/api/v2/document')).toHaveLength(1);
  });
});
