// The server errors every operation declares (500, 502, 503), as AmaniClient meets them through a
// recording proxy in front of the mock, with retries on: an idempotent call is sent 1 + maxRetries
// times, a write that is not idempotent exactly once, and each ends in a ServerError carrying the
// declared body and saying that a write may have taken effect. (The per-status checks of each
// client, with retries off, are in the area files and client.test.ts.) A gateway's HTML page is
// declared as well: the typed client gets it as text, the wrapper a ServerError that does not
// quote it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmaniClient } from '../src/client.ts';
import { ServerError } from '../src/errors.ts';
import type { FaultServer } from '../test/reliability/fault-server.ts';
import { cases } from './methods.ts';
import { startRecordingProxy } from './recording-proxy.ts';
import { api, expectBodyMatchesSpec, prefer, prismUrl, routeOf, SERVER_ERRORS } from './support.ts';

const credentials = { username: 'user@account.com', password: 'correct-horse-battery-staple' };
const MAX_RETRIES = 2;

/**
 * The writes a repeat could apply twice: each call creates something (an upload, a link, an
 * endpoint, a whitelist entry, a queued delivery, a new secret) or changes a profile. Login,
 * refresh and the get-or-create profile POST are safe to repeat, as are GET, PUT and DELETE.
 */
const SENT_ONCE = new Set([
  'uploadDocument',
  'createVerificationUrl',
  'createWebhookEndpoint',
  'retryWebhookDelivery',
  'regenerateWebhookSecret',
  'addIpWhitelist',
  'updateProfile',
]);

let proxy: FaultServer;
beforeAll(async () => {
  proxy = await startRecordingProxy(prismUrl());
});
afterAll(() => proxy?.close());

describe('a 5xx with retries on: idempotent calls are retried, other writes are never re-sent', () => {
  it('every write the table calls sent once is a POST or PATCH', () => {
    for (const operationId of SENT_ONCE) expect(['POST', 'PATCH']).toContain(routeOf(operationId).method);
  });

  describe.each(cases)('$method ($operationId)', ({ operationId, call }) => {
    const once = SENT_ONCE.has(operationId);
    it.each(SERVER_ERRORS)(`%i: sent ${once ? 'once' : `${1 + MAX_RETRIES} times`}, then a ServerError`, async (status) => {
      const amani = new AmaniClient({ baseUrl: proxy.url, credentials, maxRetries: MAX_RETRIES, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
      if (operationId === 'refreshToken') await amani.auth.login();
      const { method, path } = routeOf(operationId);
      const before = proxy.count;
      const error = await call(amani, { headers: prefer(status) }).then(
        () => undefined,
        (e: unknown) => e,
      );
      const sent = proxy.requests.filter((r) => r.seq > before && r.method === method && path.test(r.path));
      expect(sent.map((r) => r.action)).toEqual(Array(once ? 1 : 1 + MAX_RETRIES).fill('forward to Prism'));
      expect(error).toBeInstanceOf(ServerError);
      const serverError = error as ServerError;
      expect(serverError.status).toBe(status);
      expectBodyMatchesSpec(operationId, status, serverError.body);
      expect(serverError.detail).toEqual(expect.any(String));
      expect(serverError.message).toMatch(/A write may have taken effect: check before repeating it$/);
    });
  });
});

describe("a gateway's HTML page", () => {
  it.each(SERVER_ERRORS)('%i: the typed client gets the declared page as text, the wrapper a ServerError without it', async (status) => {
    const headers = { ...prefer(status), Accept: 'text/html' };
    const result = await api().GET('/api/v2/webhook/events', { headers });
    expect(result.response.status).toBe(status);
    expect(result.response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(result.error).toEqual(expect.stringMatching(new RegExp(`<title>(${status} |Server Error \\(${status}\\))`)));

    const amani = new AmaniClient({ baseUrl: prismUrl(), credentials, maxRetries: 0 });
    const error = await amani.webhooks.eventTypes({ headers }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).detail).toBeUndefined();
    expect((error as ServerError).message).toBe(
      `GET /api/v2/webhook/events failed with ${status}: HTTP ${status}. Amani failed to handle the request; it may succeed later. A write may have taken effect: check before repeating it`,
    );
  });
});
