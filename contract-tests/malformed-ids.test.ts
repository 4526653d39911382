// Malformed ids: every operation with a path parameter declares a 404 for one (what Django REST
// Framework answers), and the mock answers exactly that, never Prism's own 422 or the operation's
// 400. Through the typed client, a malformed id goes out percent-encoded and gets the declared 404
// and body; a value that cannot stay in its path segment ('', '.', '..') is refused before
// sending. Raw HTTP sends what no client would (dot segments, broken %-escapes, which ended the
// Prism process before): the same 404, and the mock keeps serving. Through AmaniClient, every
// method that takes an id refuses a malformed one before sending.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmaniClient } from '../src/client.ts';
import { InvalidInputError } from '../src/errors.ts';
import { createAmaniFetchClient } from '../src/fetch-client.ts';
import { fixtures, type OperationId } from '../src/testing/fixtures.ts';
import { startFaultServer, type FaultServer } from '../test/reliability/fault-server.ts';
import { api, expectContract, prismUrl, recordMalformedId, USER_TOKEN, withPathParameters, type Route } from './support.ts';

const uuid = '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e';
/** Sent through a client: each is percent-encoded into its segment and is no uuid (nor an address). */
const MALFORMED = [
  'not-a-uuid',
  uuid.slice(0, -1),
  `{${uuid}}`,
  `${uuid}0`,
  ' ',
  '0',
  'null',
  'a'.repeat(4000),
  uuid + 'f'.repeat(2000),
  'ünïcødé',
  '🆔',
  `${uuid.slice(0, -1)}é`,
  '%zz',
  '%2E%2E',
  '%00',
  'a/b',
  '../secret',
  '?x=1',
];
/** Values no URL can carry in their own segment. */
const UNSENDABLE = ['', '.', '..'];
/** Path segments only raw HTTP sends: dot segments a URL parser would resolve, broken %-escapes. */
const RAW = ['..', '.', '%2e%2E', '.%2E', '%zz', '%E0%A4%A', '%', ''];

const routes = withPathParameters();
const declared404 = (route: Route) => fixtures.response(route.operationId as OperationId, 404 as never, 'malformedId');
const pathWith = (route: Route, value: string) => route.template.replace(/\{[^}]+\}/g, value);

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server?.close());

it('every operation with a path parameter is here, and each declares the malformed-id 404', () => {
  expect(routes.map((r) => r.operationId).sort()).toEqual(Object.keys(wrapperCalls).sort());
  for (const route of routes) expect(declared404(route)).toEqual({ detail: 'Not found.' });
});

describe.each(routes)('$operationId ($method $template)', (route) => {
  const { operationId, method, template } = route;
  const send = (value: string) =>
    api().request(method as never, template as never, {
      params: { path: Object.fromEntries(route.pathParameters.map((name) => [name, value])) },
      ...(route.body === undefined ? {} : { body: route.body }),
    } as never) as Promise<{ response: Response; data?: unknown; error?: unknown }>;

  it('the typed client: each malformed id gets the declared 404 and body', async () => {
    for (const value of MALFORMED) {
      const result = await send(value);
      expect(result.response.status, JSON.stringify(value.slice(0, 40))).toBe(404);
      expectContract(operationId, 404, result);
      expect(result.error).toEqual(declared404(route));
    }
    recordMalformedId(operationId, 'typed');
  });

  it("the typed client refuses '', '.' and '..' before sending, naming the parameter", async () => {
    const client = createAmaniFetchClient({ baseUrl: server.url, token: USER_TOKEN });
    const before = server.count;
    for (const value of UNSENDABLE) {
      const error = await client
        .request(method as never, template as never, { params: { path: { [route.pathParameters[0]!]: value } } } as never)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe(`params.path.${route.pathParameters[0]}`);
      expect((error as Error).message).toMatch(/would send the request to another path/);
    }
    expect(server.count).toBe(before);
  });

  it('raw HTTP: dot segments and broken %-escapes get the declared 404, and the mock keeps serving', async () => {
    for (const segment of RAW) {
      const answer = await rawRequest(method, pathWith(route, segment));
      expect([segment, answer.status]).toEqual([segment, 404]);
      expect(JSON.parse(answer.body)).toEqual(declared404(route));
    }
    const events = await fetch(`${prismUrl()}/api/v2/webhook/events`, { headers: { authorization: `Bearer ${USER_TOKEN}` } });
    expect(events.status).toBe(200);
  });

  it('AmaniClient refuses every malformed id before sending, naming the field', async () => {
    const amani = new AmaniClient({ baseUrl: server.url, credentials: { username: 'user@account.com', password: 'correct-horse-battery-staple' } });
    const before = server.count;
    for (const [, call] of wrapperCalls[operationId]!) {
      for (const value of [...MALFORMED, ...UNSENDABLE]) {
        const error = await call(amani, value).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error, JSON.stringify(value.slice(0, 40))).toBeInstanceOf(InvalidInputError);
        expect((error as InvalidInputError).field).toBe(operationId === 'removeIpWhitelist' ? 'ip' : 'id');
        expect((error as Error).message).toMatch(/uuid/);
      }
    }
    expect(server.count).toBe(before);
    recordMalformedId(operationId, 'wrapper');
  });
});

/** One request exactly as given (node:http neither resolves dot segments nor re-encodes). */
function rawRequest(method: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(prismUrl());
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers: { authorization: `Bearer ${USER_TOKEN}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

type Call = (amani: AmaniClient, id: string) => Promise<unknown>;
/** Every AmaniClient method that puts an id in the path, by operation. */
const wrapperCalls: Record<string, Array<[method: string, call: Call]>> = {
  getProfile: [['profiles.get', (a, id) => a.profiles.get(id)]],
  updateProfile: [['profiles.update', (a, id) => a.profiles.update(id, { email: 'ayse.yilmaz@example.com' })]],
  setProfileStatus: [['profiles.setStatus', (a, id) => a.profiles.setStatus(id, 'APPROVED')]],
  getDocument: [['documents.get', (a, id) => a.documents.get(id)]],
  updateDocument: [
    ['documents.approve', (a, id) => a.documents.approve(id)],
    ['documents.reject', (a, id) => a.documents.reject(id, 'The photo is blurred')],
    ['documents.archive', (a, id) => a.documents.archive(id)],
    ['documents.restore', (a, id) => a.documents.restore(id)],
  ],
  deleteDocument: [['documents.delete', (a, id) => a.documents.delete(id)]],
  updateWebhookEndpoint: [['webhooks.update', (a, id) => a.webhooks.update(id, { enabled_events: ['document_upload'] })]],
  deleteWebhookEndpoint: [['webhooks.delete', (a, id) => a.webhooks.delete(id)]],
  retryWebhookDelivery: [['webhooks.retry', (a, id) => a.webhooks.retry(id)]],
  getAmlReport: [['aml.report', (a, id) => a.aml.report(id)]],
  removeIpWhitelist: [['ipWhitelist.remove', (a, id) => a.ipWhitelist.remove(id)]],
};
