// What an answer means, over a real socket: a 2xx without a body is an InvalidResponseError where
// the operation declares a JSON body, and resolves (void) where it declares none (a delete's 204).
import { describe, expect, it } from 'vitest';
import { InvalidResponseError, type AmaniClient } from '../../src/index.ts';
import { BodilessOperations } from '../../generated/constants.ts';
import { act, type Action } from './fault-server.ts';
import { clientFor, failure, JPEG, PROFILE_ID, secretScan, uuid, useFaultServer } from './harness.ts';

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

secretScan();
