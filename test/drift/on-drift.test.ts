// onDrift over real HTTP: a local server that answers unlike the spec in known ways (a field of
// another type, a missing required field, a value outside a closed enum, an undeclared status, a
// renamed path answering 404, an error body of another shape), each reported once with its
// pointer, whatever the number of calls; a throwing onDrift changes nothing; no secret or personal
// value reaches a report.
import { describe, expect, it } from 'vitest';
import { useMockServer } from '../support/mock.ts';
import type { AmaniClientOptions, Drift } from '../../src/index.ts';
import { fixtures } from '../../src/testing/fixtures.ts';
import { act } from '../reliability/fault-server.ts';
import { ACCESS, clientFor, evidence, failure, jwt, PROFILE_ID, secret, secretScan, until, useFaultServer } from '../reliability/harness.ts';

const server = useFaultServer();
const PROFILE_PATH = `/api/v2/profile/${PROFILE_ID}`;

// Personal values and the profile's tokens: none may appear in a report.
const NAME = secret('profile name', 'Zeynep Drift-Kaya');
const ID_NUMBER = secret('id card number', '98765432109');
const EMAIL = secret('e-mail', 'zeynep.drift@example.com');
const PROFILE_ACCESS = jwt('ProfileAccess', 3600, { profile_id: PROFILE_ID });
const PROFILE_REFRESH = jwt('ProfileRefresh', 3600, { token_type: 'refresh' });
const PID = secret('link pid', 'pid-7f3a9c1e5b2d');

const profile = (changes: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...(fixtures.response('getProfile', 200) as unknown as Record<string, unknown>),
  name: NAME,
  id_card_number: ID_NUMBER,
  email: EMAIL,
  access: PROFILE_ACCESS,
  refresh: PROFILE_REFRESH,
  ...changes,
});

/** A client on the fault server collecting its drifts (and recording them as evidence). */
function watched(options: Partial<AmaniClientOptions> = {}) {
  const drifts: Drift[] = [];
  const { client } = clientFor(server, {
    maxRetries: 0,
    onDrift: (drift) => {
      drifts.push(drift);
      evidence.object('drift', drift);
    },
    ...options,
  });
  return { client, drifts };
}

/** Lets the checks of answers already received finish (they run after the call has its result). */
async function settled(): Promise<void> {
  await import('../../src/drift/validator.ts');
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('onDrift against a server that deviates from the spec', () => {
  it('reports a field of another type once, by its pointer, however often it comes', async () => {
    server.fallback('GET', PROFILE_PATH, act.json(200, profile({ created_at: '2024-03-05T15:10:28Z' })));
    const { client, drifts } = watched();
    for (let i = 0; i < 3; i++) await client.profiles.get(PROFILE_ID);
    await until(() => drifts.length > 0, 5_000, 'a drift');
    await settled();
    expect(server.arrivals('GET', PROFILE_PATH)).toHaveLength(3);
    expect(drifts).toEqual([
      {
        operationId: 'getProfile',
        method: 'GET',
        path: PROFILE_PATH,
        status: 200,
        violations: [{ where: 'body', pointer: '/created_at', message: 'must be integer, got a string' }],
      },
    ]);
  });

  it('reports a missing required field and a value outside a closed enum, each once', async () => {
    const { access: _, ...withoutAccess } = profile();
    server.script('GET', PROFILE_PATH, act.json(200, withoutAccess), act.json(200, profile({ gender: 'D' })), act.json(200, withoutAccess));
    const { client, drifts } = watched();
    for (let i = 0; i < 3; i++) await client.profiles.get(PROFILE_ID);
    await until(() => drifts.length >= 2, 5_000, 'two drifts');
    await settled();
    expect(drifts.map((d) => d.violations)).toEqual([
      [{ where: 'body', pointer: '', message: "must have required property 'access'" }],
      [
        {
          where: 'body',
          pointer: '/gender',
          message: 'must be equal to one of the allowed values ("M", "F"); must be null; must match exactly one schema in oneOf, got a string',
        },
      ],
    ]);
  });

  it('reports the same deviation in every record of a list once', async () => {
    const endpoint = fixtures.response('listWebhookEndpoints', 200)[0] as unknown as Record<string, unknown>;
    const wrong = { ...endpoint, enabled_events: 'profile_update' };
    server.fallback('GET', '/api/v2/webhook', act.json(200, [wrong, { ...wrong, id: '00000000-0000-4000-8000-000000000002' }]));
    const { client, drifts } = watched();
    const listed = await client.webhooks.list();
    await client.webhooks.list();
    await until(() => drifts.length > 0, 5_000, 'a drift');
    await settled();
    expect(listed).toHaveLength(2);
    expect(drifts).toHaveLength(1);
    expect(drifts[0]!.violations.map((v) => v.pointer)).toEqual(['/0/enabled_events', '/1/enabled_events']);
  });

  it('reports an undeclared status and a renamed path answering 404 (the call fails as before)', async () => {
    server.script('GET', '/api/v2/webhook/events', act.json(418, { detail: 'teapot' }), act.json(418, { detail: 'teapot' }));
    server.fallback('GET', '/api/v2/webhook/events', act.json(404, { detail: 'Not found.' }));
    const { client, drifts } = watched();
    const errors = [];
    for (let i = 0; i < 4; i++) errors.push(await failure('eventTypes', () => client.webhooks.eventTypes()));
    await until(() => drifts.length >= 2, 5_000, 'two drifts');
    await settled();
    expect(errors.map((e) => (e as { status?: number }).status)).toEqual([418, 418, 404, 404]);
    expect(drifts.map(({ operationId, status, violations }) => ({ operationId, status, violations }))).toEqual([
      {
        operationId: 'listWebhookEventTypes',
        status: 418,
        violations: [{ where: 'status', pointer: '418', message: 'status 418 is not declared (declared: 200, 401, 403, 429, 500, 502, 503)' }],
      },
      {
        operationId: 'listWebhookEventTypes',
        status: 404,
        violations: [{ where: 'status', pointer: '404', message: 'status 404 is not declared (declared: 200, 401, 403, 429, 500, 502, 503)' }],
      },
    ]);
  });

  it('reports an error body of another shape, the error thrown as without onDrift', async () => {
    const body = { error: { message: 'no such profile', code: 404 } };
    server.fallback('GET', PROFILE_PATH, act.json(404, body));
    const { client, drifts } = watched();
    const { client: plain } = clientFor(server, { maxRetries: 0 });
    const withDrift = await failure('get 404', () => client.profiles.get(PROFILE_ID));
    const without = await failure('get 404 plain', () => plain.profiles.get(PROFILE_ID));
    await client.profiles.get(PROFILE_ID).catch(() => undefined);
    await until(() => drifts.length > 0, 5_000, 'a drift');
    await settled();
    expect(withDrift.constructor).toBe(without.constructor);
    expect(withDrift.message).toBe(without.message);
    expect(drifts).toHaveLength(1);
    expect(drifts[0]!.violations).toEqual([{ where: 'body', pointer: '', message: "must have required property 'detail'" }]);
  });

  it('redacts the path as the logs do, and never quotes a secret or personal value', async () => {
    server.fallback('GET', '/api/v2/profile/url', act.json(200, { access_token: 42, server_url: EMAIL }));
    const { client, drifts } = watched();
    await client.profiles.resolveVerificationLink(PID);
    await until(() => drifts.length > 0, 5_000, 'a drift');
    expect(drifts[0]).toMatchObject({ operationId: 'resolveVerificationLink', path: '/api/v2/profile/url?pid=[redacted]' });
    expect(drifts[0]!.violations.map((v) => v.pointer)).toContain('/access_token');
    const reported = JSON.stringify(drifts);
    for (const value of [NAME, ID_NUMBER, EMAIL, PROFILE_ACCESS, PROFILE_REFRESH, PID, ACCESS, 'no such profile']) expect(reported).not.toContain(value);
  });

  it('a throwing onDrift changes neither the result nor the error of a call', async () => {
    const body = profile({ created_at: 'yesterday' });
    server.fallback('GET', PROFILE_PATH, act.json(200, body));
    let calls = 0;
    const { client } = clientFor(server, {
      onDrift: () => {
        calls++;
        throw new Error('onDrift failed');
      },
    });
    const { client: plain } = clientFor(server);
    const result = await client.profiles.get(PROFILE_ID);
    await until(() => calls === 1, 5_000, 'onDrift');
    await settled();
    expect(result).toEqual(await plain.profiles.get(PROFILE_ID));
    expect(result).toMatchObject({ id: PROFILE_ID, created_at: 'yesterday' });
    // Raw callers get the same Response either way.
    const raw = await client.raw.GET('/api/v2/profile/{id}', { params: { path: { id: PROFILE_ID } } });
    expect(raw.response.status).toBe(200);
    expect(raw.data).toEqual(result);
    expect(calls).toBe(1);
  });

  it('refuses an onDrift that is not a function, naming the option', () => {
    expect(() => clientFor(server, { onDrift: 'yes' as never })).toThrow(/onDrift.*must be a function/);
  });
});

describe('onDrift against the Prism mock of the spec', () => {
  const mock = useMockServer();

  it('reports nothing for conforming answers, 2xx and errors', async () => {
    const drifts: Drift[] = [];
    const { client } = clientFor({ url: mock().url }, { maxRetries: 0, onDrift: (drift) => void drifts.push(drift) });
    await client.profiles.get(PROFILE_ID);
    await client.webhooks.eventTypes();
    await client.webhooks.list();
    await client.ipWhitelist.list();
    await client.webhooks.logs();
    for (const status of [401, 404, 429, 500]) {
      await client.profiles.get(PROFILE_ID, { headers: { Prefer: `code=${status}` } }).catch((error: { status?: number }) => expect(error.status).toBe(status));
    }
    await settled();
    expect(drifts).toEqual([]);
  }, 30_000);
});

secretScan();
