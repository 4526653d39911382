// What an answer means, over a real socket: a 2xx without a body is an InvalidResponseError where
// the operation declares a JSON body, and resolves (void) where it declares none (a delete's 204).
// A DELETE retried after an attempt that may have reached Amani (timeout, broken connection, 5xx)
// and then answered 404 resolves as deleted; a 404 with no such earlier attempt stays NotFoundError.
import { describe, expect, it } from 'vitest';
import { InvalidResponseError, NotFoundError, type AmaniClient } from '../../src/index.ts';
import { BodilessOperations } from '../../generated/constants.ts';
import { act, createFaultServer, type Action } from './fault-server.ts';
import { clientFor, failure, JPEG, PROFILE_ID, refusedOnceThen, secretScan, uuid, useFaultServer } from './harness.ts';

const TEST_MS = 10_000;
const server = useFaultServer();

interface Operation {
  name: string;
  method: string;
  path: string;
  call: (client: AmaniClient) => Promise<unknown>;
}

/** Operations whose success answer the spec declares as a JSON body (200 or 201). */
const WITH_BODY: readonly Operation[] = [
  { name: 'profiles.get (200)', method: 'GET', path: `/api/v2/profile/${PROFILE_ID}`, call: (c) => c.profiles.get(PROFILE_ID) },
  { name: 'webhooks.list (200)', method: 'GET', path: '/api/v2/webhook', call: (c) => c.webhooks.list() },
  {
    name: 'documents.upload (201)',
    method: 'POST',
    path: '/api/v2/document',
    call: (c) => c.documents.upload({ profile: PROFILE_ID, type: 'TUR_ID_1', pages: [JPEG] }),
  },
  {
    name: 'webhooks.create (201)',
    method: 'POST',
    path: '/api/v2/webhook',
    call: (c) => c.webhooks.create({ url: 'https://example.com/amani', enabled_events: ['profile_status_change'] }),
  },
  { name: 'ipWhitelist.add (201)', method: 'POST', path: '/api/v2/ip-whitelist', call: (c) => c.ipWhitelist.add('203.0.113.0/24') },
];

/** Every DELETE resource method: the spec declares 204 without content for each. */
const DELETES: readonly Operation[] = [
  { name: 'documents.delete', method: 'DELETE', path: `/api/v2/document/${uuid(1)}`, call: (c) => c.documents.delete(uuid(1)) },
  { name: 'webhooks.delete', method: 'DELETE', path: `/api/v2/webhook/${uuid(2)}`, call: (c) => c.webhooks.delete(uuid(2)) },
  { name: 'ipWhitelist.remove', method: 'DELETE', path: `/api/v2/ip-whitelist/${uuid(3)}`, call: (c) => c.ipWhitelist.remove(uuid(3)) },
];

const json = { 'content-type': 'application/json' };
const EMPTY_ANSWERS: ReadonlyArray<{ label: string; action: (status: number) => Action }> = [
  { label: 'an empty body', action: (status) => act.reply(status, '', json) },
  { label: 'null', action: (status) => act.reply(status, 'null', json) },
];

describe('a 2xx without a body', () => {
  const cases = WITH_BODY.flatMap((op) => EMPTY_ANSWERS.map((answer) => ({ op, answer, label: `${op.name} answered ${answer.label}` })));

  it.each(cases)('$label: InvalidResponseError naming method, path and status', async ({ op, answer }) => {
    const status = op.method === 'POST' ? 201 : 200;
    server.fallback(op.method, op.path, answer.action(status));
    const { client } = clientFor(server);
    const error = await failure(op.name, () => op.call(client));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).status).toBe(status);
    expect(error.message).toContain(`${op.method} ${op.path} answered ${status} with an empty body`);
    // A complete answer: nothing to retry, for the GETs either.
    expect(server.arrivals(op.method, op.path)).toHaveLength(1);
  }, TEST_MS);

  it.each(DELETES)('$name: the declared 204 resolves undefined (so does a 200 without a body)', async (op) => {
    server.script(op.method, op.path, act.reply(204), act.reply(200, '', json));
    const { client } = clientFor(server);
    expect(await op.call(client)).toBeUndefined();
    expect(await op.call(client)).toBeUndefined();
    expect(server.arrivals(op.method, op.path)).toHaveLength(2);
  }, TEST_MS);

  it('the bodiless operations come from the spec: exactly its three DELETEs', () => {
    expect([...BodilessOperations].sort()).toEqual(['DELETE /api/v2/document/{id}', 'DELETE /api/v2/ip-whitelist/{ip}', 'DELETE /api/v2/webhook/{id}']);
  });
});

const notFound = () => act.json(404, { detail: 'No Document matches the given query.' });

describe('a DELETE retried, then answered 404', () => {
  const earlier: ReadonlyArray<{ name: string; action: () => Action; timeoutMs?: number }> = [
    { name: 'a connection reset', action: act.reset },
    { name: 'a stall past the timeout', action: act.stall, timeoutMs: 250 },
    { name: 'a 502 from a proxy', action: () => act.html(502) },
    { name: 'a 503', action: () => act.json(503, { detail: 'Service temporarily unavailable.' }) },
  ];
  const cases = DELETES.flatMap((op) => earlier.map((first) => ({ op, first, label: `${op.name} after ${first.name}` })));

  it.each(cases)('$label: resolves as deleted (the earlier attempt did it)', async ({ op, first }) => {
    server.script(op.method, op.path, first.action(), notFound());
    const { client, logs } = clientFor(server, first.timeoutMs ? { timeoutMs: first.timeoutMs } : {});
    expect(await op.call(client)).toBeUndefined();
    expect(server.arrivals(op.method, op.path).map((r) => r.action)).toEqual([first.action().kind, 'json 404']);
    expect(logs.at(-1)!.status).toBe(404);
  }, TEST_MS);

  it.each(DELETES)('$name: a 404 to the first attempt stays NotFoundError', async (op) => {
    server.script(op.method, op.path, notFound());
    const { client } = clientFor(server);
    const error = await failure(`${op.name} 404`, () => op.call(client));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(server.arrivals(op.method, op.path)).toHaveLength(1);
  }, TEST_MS);

  it.each(DELETES)('$name: 429 (refused unprocessed), then 404: NotFoundError', async (op) => {
    server.script(op.method, op.path, act.json(429, { detail: 'Request was throttled.' }, { 'retry-after': '0' }), notFound());
    const { client } = clientFor(server);
    expect(await failure(`${op.name} 429 404`, () => op.call(client))).toBeInstanceOf(NotFoundError);
    expect(server.arrivals(op.method, op.path)).toHaveLength(2);
  }, TEST_MS);

  it.each(DELETES)('$name: refused (never sent), then 404: NotFoundError', async (op) => {
    const late = createFaultServer();
    late.script(op.method, op.path, notFound());
    const { client, logs } = await refusedOnceThen(late);
    try {
      expect(await failure(`${op.name} refused 404`, () => op.call(client))).toBeInstanceOf(NotFoundError);
      expect(logs.map((l) => l.error ?? l.status)).toEqual(['ConnectionError', 404]);
      expect(late.arrivals(op.method, op.path)).toHaveLength(1);
    } finally {
      await late.close();
    }
  }, TEST_MS);

  it('amani.raw sees the real 404 (it gets the responses as they are)', async () => {
    const op = DELETES[0]!;
    server.script(op.method, op.path, act.reset(), notFound());
    const { client } = clientFor(server);
    const result = await client.raw.DELETE('/api/v2/document/{id}', { params: { path: { id: uuid(1) } } });
    expect(result.response.status).toBe(404);
    expect(server.arrivals(op.method, op.path)).toHaveLength(2);
  }, TEST_MS);
});

secretScan();
