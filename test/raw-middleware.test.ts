// openapi-fetch middleware on `amani.raw` (and, through the shared client, on the resource
// methods), over real HTTP: a middleware gets what openapi-fetch documents (a Fetch Request it can
// clone, rebuild or replace; a Fetch Response), and what it returns is what goes out, retries
// included, with the operation's idempotency and auth decided as without it.
import type { Middleware } from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import { act } from './reliability/fault-server.ts';
import { clientFor, JPEG, PROFILE_ID, secretScan, useFaultServer } from './reliability/harness.ts';

const server = useFaultServer();
const PROFILE_PATH = `/api/v2/profile/${PROFILE_ID}`;

/** Adds `x-trace` by building a new Request from the one it got, as openapi-fetch's examples do. */
const replacing = (value = 'replaced'): Middleware => ({
  onRequest({ request }) {
    const headers = new Headers(request.headers);
    headers.set('x-trace', value);
    return new Request(request, { headers });
  },
});

describe('amani.raw middleware', () => {
  it('onRequest gets a Fetch Request: instanceof, clone() and new Request(request, init) work', async () => {
    server.script('POST', '/api/v2/profile', act.json(201, { id: PROFILE_ID }));
    const { client } = clientFor(server);
    const seen: Array<{ isRequest: boolean; cloned: string; rebuilt: string; method: string; schemaPath: string }> = [];
    client.raw.use({
      async onRequest({ request, schemaPath }) {
        const cloned = await request.clone().text();
        // Building a Request from this one takes its body over (per the Fetch spec): the body
        // sent must not depend on it.
        const rebuilt = new Request(request, { headers: { 'x-probe': '1' } });
        seen.push({
          isRequest: request instanceof Request,
          cloned,
          rebuilt: rebuilt.headers.get('x-probe') ?? '',
          method: request.method,
          schemaPath,
        });
        return undefined;
      },
    });
    const { data } = await client.raw.POST('/api/v2/profile', { body: { id_card_number: '12345678901' } });
    expect(data).toEqual({ id: PROFILE_ID });
    expect(seen).toEqual([
      { isRequest: true, cloned: '{"id_card_number":"12345678901"}', rebuilt: '1', method: 'POST', schemaPath: '/api/v2/profile' },
    ]);
    // Neither reading the clone nor the rebuild that used the body up changed what was sent.
    expect(server.arrivals('POST', '/api/v2/profile').map((r) => r.body.toString())).toEqual(['{"id_card_number":"12345678901"}']);
  });

  it('sends the Request a middleware returns: its header arrives, the token is still added', async () => {
    server.script('GET', PROFILE_PATH, act.json(200, { id: PROFILE_ID }));
    const { client } = clientFor(server);
    client.raw.use(replacing('from-middleware'));
    const { data } = await client.raw.GET('/api/v2/profile/{id}', { params: { path: { id: PROFILE_ID } } });
    expect(data).toEqual({ id: PROFILE_ID });
    const [arrival] = server.arrivals('GET', PROFILE_PATH);
    expect(arrival?.headers['x-trace']).toBe('from-middleware');
    expect(arrival?.headers.authorization).toMatch(/^Bearer /);
  });

  it('a header set on the Request passed through arrives too', async () => {
    server.script('GET', PROFILE_PATH, act.json(200, { id: PROFILE_ID }));
    const { client } = clientFor(server);
    client.raw.use({
      onRequest({ request }) {
        request.headers.set('x-trace', 'mutated');
        return request;
      },
    });
    await client.raw.GET('/api/v2/profile/{id}', { params: { path: { id: PROFILE_ID } } });
    expect(server.arrivals('GET', PROFILE_PATH)[0]?.headers['x-trace']).toBe('mutated');
  });

  it('a replaced POST keeps its body and its idempotency: the get-or-create is retried with the same bytes', async () => {
    server.script('POST', '/api/v2/profile', act.json(503, { detail: 'busy' }), act.json(201, { id: PROFILE_ID }));
    const { client, logs } = clientFor(server);
    client.raw.use(replacing());
    const { data } = await client.raw.POST('/api/v2/profile', { body: { id_card_number: '12345678901', name: 'Ayse Yilmaz' } });
    expect(data).toEqual({ id: PROFILE_ID });
    const arrivals = server.arrivals('POST', '/api/v2/profile');
    expect(arrivals).toHaveLength(2);
    expect(JSON.parse(arrivals[0]!.body.toString())).toEqual({ id_card_number: '12345678901', name: 'Ayse Yilmaz' });
    expect(arrivals[1]!.body.equals(arrivals[0]!.body)).toBe(true);
    expect(arrivals.map((r) => [r.headers['x-trace'], r.headers['content-type']])).toEqual([
      ['replaced', 'application/json'],
      ['replaced', 'application/json'],
    ]);
    expect(logs.map((l) => l.attempt)).toEqual([1, 2]);
  });

  it('a replaced non-idempotent POST is still sent once', async () => {
    server.script('POST', '/api/v2/webhook', act.json(503, { detail: 'busy' })).fallback('POST', '/api/v2/webhook', act.json(201, {}));
    const { client } = clientFor(server);
    client.raw.use(replacing());
    const { response } = await client.raw.POST('/api/v2/webhook', {
      body: { url: 'https://hooks.example.com/a', enabled_events: ['profile_status_change'] },
    });
    expect(response.status).toBe(503);
    expect(server.arrivals('POST', '/api/v2/webhook')).toHaveLength(1);
  });

  it('a replaced request to a public operation still goes without a token', async () => {
    server.script('GET', '/api/v2/profile/url', act.json(200, { access: 'profile-access' }));
    const { client } = clientFor(server);
    client.raw.use(replacing());
    const { data } = await client.raw.GET('/api/v2/profile/url', { params: { query: { pid: 'abc' } } });
    expect(data).toEqual({ access: 'profile-access' });
    const [arrival] = server.arrivals('GET', '/api/v2/profile/url');
    expect(arrival?.headers['x-trace']).toBe('replaced');
    expect(arrival?.headers.authorization).toBeUndefined();
  });

  it('onResponse gets a Fetch Response it can clone and read', async () => {
    server.script('GET', PROFILE_PATH, act.json(200, { id: PROFILE_ID }, { 'x-request-id': 'req-1' }));
    const { client } = clientFor(server);
    const seen: unknown[] = [];
    client.raw.use({
      async onResponse({ response, schemaPath }) {
        seen.push([response instanceof Response, response.status, response.headers.get('x-request-id'), await response.clone().json(), schemaPath]);
        return undefined;
      },
    });
    const { data } = await client.raw.GET('/api/v2/profile/{id}', { params: { path: { id: PROFILE_ID } } });
    expect(data).toEqual({ id: PROFILE_ID });
    expect(seen).toEqual([[true, 200, 'req-1', { id: PROFILE_ID }, '/api/v2/profile/{id}']]);
  });

  it('a per-call middleware gets a Fetch Request as well', async () => {
    server.script('GET', PROFILE_PATH, act.json(200, { id: PROFILE_ID }));
    const { client } = clientFor(server);
    const kinds: boolean[] = [];
    const { data } = await client.raw.GET('/api/v2/profile/{id}', {
      params: { path: { id: PROFILE_ID } },
      middleware: [{ onRequest: ({ request }) => void kinds.push(request instanceof Request) }, replacing('per-call')],
    });
    expect(data).toEqual({ id: PROFILE_ID });
    expect(kinds).toEqual([true]);
    expect(server.arrivals('GET', PROFILE_PATH)[0]?.headers['x-trace']).toBe('per-call');
  });
});

describe('middleware registered on amani.raw also sees the resource methods', () => {
  it('profiles.get: the middleware sees a Request and a Response, its header arrives', async () => {
    server.script('GET', PROFILE_PATH, act.json(200, { id: PROFILE_ID }));
    const { client } = clientFor(server);
    const seen: unknown[] = [];
    client.raw.use(replacing('resource'), {
      onRequest: ({ request, schemaPath }) => void seen.push(['request', request instanceof Request, schemaPath]),
      onResponse: ({ response }) => void seen.push(['response', response instanceof Response, response.status]),
    });
    expect(await client.profiles.get(PROFILE_ID)).toEqual({ id: PROFILE_ID });
    expect(seen).toEqual([
      ['request', true, '/api/v2/profile/{id}'],
      ['response', true, 200],
    ]);
    expect(server.arrivals('GET', PROFILE_PATH)[0]?.headers['x-trace']).toBe('resource');
  });

  it('documents.upload through a replacing middleware sends the whole multipart body with its own boundary', async () => {
    server.script('POST', '/api/v2/document', act.json(201, { id: PROFILE_ID }));
    const { client } = clientFor(server);
    client.raw.use(replacing('upload'));
    await client.documents.upload({ profile: PROFILE_ID, type: 'TUR_ID_1', pages: [JPEG] });
    const [arrival] = server.arrivals('POST', '/api/v2/document');
    expect(arrival?.headers['x-trace']).toBe('upload');
    const boundary = /boundary=(.+)$/.exec(String(arrival?.headers['content-type']))?.[1];
    expect(boundary).toBeTruthy();
    const body = arrival!.body.toString('latin1');
    expect(body.startsWith(`--${boundary}`)).toBe(true);
    expect(body).toContain('name="type"\r\n\r\nTUR_ID_1');
    expect(arrival!.body.includes(Buffer.from(JPEG))).toBe(true);
  });

  it('after eject() the middleware no longer runs', async () => {
    server.fallback('GET', PROFILE_PATH, act.json(200, { id: PROFILE_ID }));
    const { client } = clientFor(server);
    let calls = 0;
    const counting: Middleware = { onRequest: () => void calls++ };
    client.raw.use(counting);
    await client.profiles.get(PROFILE_ID);
    client.raw.eject(counting);
    await client.profiles.get(PROFILE_ID);
    await client.raw.GET('/api/v2/profile/{id}', { params: { path: { id: PROFILE_ID } } });
    expect(calls).toBe(1);
    expect(server.arrivals('GET', PROFILE_PATH)).toHaveLength(3);
  });
});

secretScan();
