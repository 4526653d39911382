// Secret hygiene over real HTTP. Every file of the suite scans what it produced (secretScan());
// this one drives the paths that handle secrets on purpose: logins and refreshes under every
// fault, error answers that echo the password, tokens and webhook secret, verification links,
// webhook verification and the node receiver, inspect/JSON of every client object. The scan: the
// password, every token (and its payload and signature parts), the webhook secrets and the link
// id must appear in no error (message, stack, cause chain, inspect, JSON), log entry or inspect
// output.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  AmaniError,
  ApiError,
  AuthenticationError,
  nodeWebhookHandler,
  type AmaniClient,
  verifyWebhook,
  WebhookSignatureError,
  type VerifyWebhookOptions,
} from '../../src/index.ts';
import { hmacBase64 } from '../webhooks/helpers.ts';
import { FAULTS } from './catalogue.ts';
import { act } from './fault-server.ts';
import {
  ACCESS,
  clientFor,
  credentials,
  Evidence,
  evidence,
  failure,
  JPEG,
  jwt,
  PASSWORD,
  PROFILE_ID,
  REFRESH,
  secret,
  secretScan,
  uuid,
  useFaultServer,
} from './harness.ts';

const TEST_MS = 15_000;
const PROFILE_PATH = `/api/v2/profile/${PROFILE_ID}`;
const LOGIN = '/api/v2/user/login';
const REFRESH_PATH = '/api/v2/token/refresh/';
const WEBHOOK_SECRET = secret('webhook secret', 'whsec_Hygiene_current_4Tq9Lz');
const OLD_WEBHOOK_SECRET = secret('old webhook secret', 'whsec_Hygiene_previous_8Vb2Kc');
const PID = secret('verification link id', 'pid-Hyg13ne-7c1e9a4b');
const LOGIN_ACCESS = jwt('HygieneLoginAccess', 3600);
const LOGIN_REFRESH = jwt('HygieneLoginRefresh', 86_400, { token_type: 'refresh' });
const NEW_ACCESS = jwt('HygieneNewAccess', 3600);
const PROFILE_ACCESS = jwt('HygieneProfileAccess', 3600, { profile_id: PROFILE_ID });
const PROFILE_REFRESH = jwt('HygieneProfileRefresh', 86_400, { token_type: 'refresh', profile_id: PROFILE_ID });

/** An error body that echoes every secret under secret-named fields. */
const echo = (detail: string) => ({
  detail,
  password: PASSWORD,
  access: ACCESS,
  refresh: REFRESH,
  token: PROFILE_ACCESS,
  secret: WEBHOOK_SECRET,
  webhook_secret: OLD_WEBHOOK_SECRET,
  nested: { access_token: LOGIN_ACCESS, refresh_token: LOGIN_REFRESH, authorization: `Bearer ${ACCESS}` },
});

const server = useFaultServer();

describe('the scan itself', () => {
  it('finds a planted secret, whole or in part, in a message, a log entry and inspect output', () => {
    const probe = new Evidence();
    probe.text('message', `failed with token ${ACCESS.split('.')[2]}`);
    probe.log({ message: `GET /x?pid=${PID}`, method: 'GET', path: '/x', durationMs: 1, attempt: 1 });
    probe.object('object', { nested: { deeper: { password: PASSWORD } } });
    const leaks = probe.leaks();
    expect(leaks).toContain('UserAccess signature in message');
    expect(leaks.some((l) => l.startsWith('verification link id in log'))).toBe(true);
    expect(leaks.some((l) => l.startsWith('password in object inspect'))).toBe(true);
  }, TEST_MS);
});

describe('logins and refreshes under every fault', () => {
  it.each(FAULTS)('login: $name', async (fault) => {
    server.fallback('POST', LOGIN, fault.action());
    const { client } = clientFor(server, { tokens: undefined, credentials, timeoutMs: fault.timeoutMs ?? 5_000, maxRetries: 0 });
    fault.check(await failure(`login ${fault.name}`, () => client.profiles.get(PROFILE_ID)), 'POST', LOGIN);
    expect(JSON.parse(server.arrivals('POST', LOGIN)[0]!.body.toString())).toEqual(credentials);
    evidence.object('client after a failed login', client);
  }, TEST_MS);

  it.each(FAULTS)('refresh: $name', async (fault) => {
    server.fallback('POST', REFRESH_PATH, fault.action()).fallback('GET', PROFILE_PATH, act.json(401, { code: 'token_not_valid' }));
    // The 401 before the refresh must fit in the timeout: generous even where the refresh stalls.
    const { client } = clientFor(server, { timeoutMs: fault.timeoutMs ? 1_500 : 5_000, maxRetries: 0 });
    fault.check(await failure(`refresh ${fault.name}`, () => client.profiles.get(PROFILE_ID)), 'POST', REFRESH_PATH);
    expect(JSON.parse(server.arrivals('POST', REFRESH_PATH)[0]!.body.toString())).toEqual({ refresh: REFRESH });
  }, TEST_MS);

  it('auth.login() and auth.refresh() rejected with bodies echoing the secrets', async () => {
    server
      .fallback('POST', LOGIN, act.json(401, echo('No active account found with the given credentials')))
      .fallback('POST', REFRESH_PATH, act.json(401, echo('Token is invalid or expired')));
    const { client } = clientFor(server, { credentials });
    const login = await failure('auth.login', () => client.auth.login());
    const refresh = await failure('auth.refresh', () => client.auth.refresh());
    for (const error of [login, refresh]) {
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as ApiError).body).toMatchObject({ password: '[redacted]', access: '[redacted]', secret: '[redacted]' });
    }
  }, TEST_MS);
});

describe('error answers that echo secrets', () => {
  it.each([400, 401, 403, 404, 409, 422, 429, 500, 502, 503])('%i answers to reads and writes', async (status) => {
    const body = echo(`failed with ${status}`);
    server
      .fallback('GET', PROFILE_PATH, act.json(status, body, { 'retry-after': '0' }))
      .fallback('POST', '/api/v2/webhook', act.json(status, body))
      .fallback('PATCH', '/api/v2/webhook/secret', act.json(status, body))
      .fallback('POST', REFRESH_PATH, act.json(200, { access: NEW_ACCESS }));
    const { client } = clientFor(server, { credentials });
    const errors = [
      await failure(`GET ${status}`, () => client.profiles.get(PROFILE_ID)),
      await failure(`POST ${status}`, () => client.webhooks.create({ url: 'https://example.com/h', enabled_events: ['profile_update'] })),
      await failure(`PATCH ${status}`, () => client.webhooks.regenerateSecret()),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).body).toMatchObject({ password: '[redacted]', secret: '[redacted]', nested: { authorization: '[redacted]' } });
    }
  }, TEST_MS);

  it('a webhook secret in a successful answer stays out of the log; a 200 cut short around it stays out of the error', async () => {
    server
      .script('GET', '/api/v2/webhook/secret', act.json(200, { secret: WEBHOOK_SECRET }))
      .script('PATCH', '/api/v2/webhook/secret', act.truncated(200, `{"secret": "${OLD_WEBHOOK_SECRET}`), act.reply(200, `{"secret": "${WEBHOOK_SECRET}`, { 'content-type': 'application/json' }));
    const { client, logs } = clientFor(server);
    expect(await client.webhooks.getSecret()).toEqual({ secret: WEBHOOK_SECRET });
    await failure('regenerate truncated', () => client.webhooks.regenerateSecret());
    await failure('regenerate invalid JSON', () => client.webhooks.regenerateSecret());
    expect(logs).toHaveLength(3);
  }, TEST_MS);

  it('a verification link id stays out of paths, logs and errors', async () => {
    server.script('GET', '/api/v2/profile/url', act.reset(), act.json(404, { detail: 'Not found.' }));
    const { client, logs } = clientFor(server);
    const error = await failure('resolve link', () => client.profiles.resolveVerificationLink(PID));
    expect(error).toBeInstanceOf(AmaniError);
    expect(server.arrivals('GET', '/api/v2/profile/url')[0]!.url).toBe(`/api/v2/profile/url?pid=${PID}`);
    expect(logs.map((l) => l.path)).toEqual(['/api/v2/profile/url?pid=[redacted]', '/api/v2/profile/url?pid=[redacted]']);
  }, TEST_MS);

  it('profile-token calls under faults, and the profile client itself', async () => {
    const UPLOAD = '/api/v2/document';
    server.script('POST', UPLOAD, act.reset(), act.json(401, echo('token expired'))).fallback('POST', REFRESH_PATH, act.json(401, echo('refresh rejected')));
    const { client } = clientFor(server);
    const customer = client.forProfile({ access: PROFILE_ACCESS, refresh: PROFILE_REFRESH });
    const page = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
    await failure('profile upload reset', () => customer.documents.upload({ type: 'XXX_SE_0', pages: [page] }));
    await failure('profile upload 401', () => customer.documents.upload({ type: 'XXX_SE_0', pages: [page] }));
    expect(server.arrivals('POST', UPLOAD).every((r) => r.headers.authorization === `Bearer ${PROFILE_ACCESS}`)).toBe(true);
    evidence.object('profile client', customer);
    evidence.object('profile client documents', customer.documents);
  }, TEST_MS);
});

describe('inspect and JSON of every client object', () => {
  it('AmaniClient and everything reachable from it', async () => {
    server.fallback('POST', LOGIN, act.json(200, { access: LOGIN_ACCESS, refresh: LOGIN_REFRESH })).fallback('GET', PROFILE_PATH, act.json(200, { id: PROFILE_ID }));
    const { client } = clientFor(server, { tokens: undefined, credentials });
    await client.profiles.get(PROFILE_ID); // now holding login tokens
    for (const [label, value] of Object.entries({ client, ...client, raw: client.raw })) {
      evidence.object(`client.${label}`, value);
      evidence.text(`client.${label} inspect without custom`, inspect(value, { depth: 8, showHidden: true, customInspect: false, getters: true }));
    }
  }, TEST_MS);
});

describe('webhook verification', () => {
  const body = JSON.stringify({ event: 'profile_update', profile: { id: PROFILE_ID } });
  const good = hmacBase64(WEBHOOK_SECRET, body);

  it.each([
    ['missing_secret', { body, signature: good, secrets: [] }],
    ['missing_secret (empty)', { body, signature: good, secret: '' }],
    ['missing_signature', { body, headers: {}, secret: WEBHOOK_SECRET }],
    ['malformed_signature', { body, signature: WEBHOOK_SECRET, secret: WEBHOOK_SECRET }],
    ['malformed_signature (several)', { body, headers: { 'webhook-signature': [good, good] }, secret: WEBHOOK_SECRET }],
    ['mismatch', { body: `${body} `, signature: good, secrets: [WEBHOOK_SECRET, OLD_WEBHOOK_SECRET] }],
    ['mismatch (old secret only)', { body, signature: good, secret: OLD_WEBHOOK_SECRET }],
    ['invalid_body', { body: 42, signature: good, secret: WEBHOOK_SECRET }],
    ['invalid_body (verified, unknown event)', { body: '{"event": "nope"}', signature: hmacBase64(WEBHOOK_SECRET, '{"event": "nope"}'), secret: WEBHOOK_SECRET }],
  ])('%s', async (reason, options) => {
    const error = await failure(`verify ${reason}`, () => verifyWebhook(options as VerifyWebhookOptions));
    expect(error).toBeInstanceOf(WebhookSignatureError);
    expect((error as WebhookSignatureError).reason).toBe(reason.split(' ')[0]);
  }, TEST_MS);

  it('the node receiver over real HTTP: rejections reach onRejected without the secret', async () => {
    const rejected: WebhookSignatureError[] = [];
    const handler = nodeWebhookHandler({ secrets: [WEBHOOK_SECRET, OLD_WEBHOOK_SECRET], onEvent: () => undefined, onRejected: (e) => void rejected.push(e) });
    const receiver = createServer((req, res) => void handler(req, res).catch((e: unknown) => evidence.error('receiver', e)));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
    try {
      const statuses: number[] = [];
      const attempts: Array<Record<string, string>> = [{}, { 'webhook-signature': 'x' }, { 'webhook-signature': hmacBase64('whsec_wrong_secret_000', body) }, { 'webhook-signature': good }];
      for (const headers of attempts) {
        statuses.push((await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } })).status);
      }
      expect(statuses).toEqual([400, 400, 400, 200]);
      expect(rejected.map((e) => e.reason)).toEqual(['missing_signature', 'malformed_signature', 'mismatch']);
      rejected.forEach((e, i) => evidence.error(`receiver rejection ${i}`, e));
    } finally {
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  }, TEST_MS);
});

// Found by this suite: both fail today (see the report for the fix).
describe('secrets the client itself puts at risk', () => {
  it.each([
    ['text/plain', (auth: string) => `Unauthorized: invalid token ${auth.replace(/^Bearer /, '')}`],
    ['application/json', (auth: string) => JSON.stringify({ detail: `Token ${auth.replace(/^Bearer /, '')} is blacklisted`, code: 'token_not_valid' })],
  ])('a gateway that echoes the bearer token in a %s 401 does not get it into the AuthenticationError', async (type, page) => {
    server
      .fallback('GET', PROFILE_PATH, act.handle((req, res) => void res.writeHead(401, { 'content-type': type }).end(page(String(req.headers.authorization)))))
      .fallback('POST', REFRESH_PATH, act.json(200, { access: NEW_ACCESS }));
    const { client } = clientFor(server);
    const error = await failure(`echoing gateway ${type}`, () => client.profiles.get(PROFILE_ID));
    expect(error).toBeInstanceOf(AuthenticationError);
    for (const text of [error.message, inspect(error, { depth: Infinity }), JSON.stringify((error as ApiError).body)]) {
      expect(text).not.toContain(NEW_ACCESS);
      expect(text).not.toContain(NEW_ACCESS.split('.')[1]);
    }
  }, TEST_MS);

  it.each([
    ['a JSON call (undici)', (c: AmaniClient) => c.profiles.get(uuid(1))],
    ['an upload (fetch)', (c: AmaniClient) => c.documents.upload({ profile: PROFILE_ID, type: 'TUR_ID_1', pages: [JPEG] })],
  ])('a token that is no valid header value (a line break inside) fails %s as an AmaniError that does not show it', async (label, call) => {
    const broken = secret(`broken token ${label}`, `${LOGIN_ACCESS.slice(0, 60)}\n${LOGIN_ACCESS.slice(60)}`);
    server.fallback('POST', LOGIN, act.json(200, { access: broken, refresh: LOGIN_REFRESH }));
    const { client } = clientFor(server, { tokens: undefined, credentials });
    const error = await failure(`header-invalid token, ${label}`, () => call(client));
    expect(error).toBeInstanceOf(AmaniError);
    for (const text of [error.message, inspect(error, { depth: Infinity })]) {
      expect(text).not.toContain(LOGIN_ACCESS.slice(0, 60));
      expect(text).not.toContain(LOGIN_ACCESS.slice(60));
    }
    expect(server.requests.filter((r) => r.path !== LOGIN)).toHaveLength(0);
  }, TEST_MS);
});

secretScan(300);
