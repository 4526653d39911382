// Runs examples/express-onboarding/server.ts against a Prism mock and calls every route over real
// HTTP; the expected answers come from the same mock through AmaniClient, not from copies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpAnswerFor } from '../../examples/express-onboarding/errors.ts';
import { AmaniClient, ApiError, ConnectionError, InvalidInputError, TimeoutError, type TokenPair } from '../../src/index.ts';
import { freePort, startMockServer, type MockServer } from '../../src/testing/mock-server.ts';
import { runExample, type RunningExample } from './run-example.ts';

const SCRIPT = 'examples/express-onboarding/server.ts';
const PASSWORD = 'onboarding-example-password-5f1c';
const CUSTOMER = { id_card_number: '12345678901', name: 'Ayse Yilmaz', email: 'ayse.yilmaz@example.com', is_vip: true };
// A JPEG signature followed by every byte value, like the compressed data of a real photo (which
// holds bytes such as '/', '+' and '=' that a multipart parser must take as they are).
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Array.from({ length: 256 }, (_, i) => i)]).toString('base64');

function env(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, PORT: '0', AMANI_USERNAME: 'user@account.com', AMANI_PASSWORD: PASSWORD };
  delete base.AMANI_REGION;
  delete base.AMANI_BASE_URL;
  return { ...base, ...extra };
}

async function call(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    ...(body !== undefined
      ? { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } }
      : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe('examples/express-onboarding', () => {
  let mock: MockServer;
  let app: RunningExample;
  let base: string;
  let amani: AmaniClient; // the test's own client, for the answers the app should pass on

  beforeAll(async () => {
    mock = await startMockServer();
    amani = new AmaniClient({ baseUrl: mock.url, credentials: { username: 'user@account.com', password: PASSWORD } });
    app = runExample(SCRIPT, env({ AMANI_BASE_URL: mock.url }));
    base = await app.waitFor(/Onboarding API on (http:\/\/127\.0\.0\.1:\d+)/);
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await mock?.stop();
  }, 30_000);

  it('serves every route against the mock, maps errors to HTTP answers and logs no secret', async () => {
    const expected = await amani.profiles.create(CUSTOMER);

    const created = await call(base, 'POST', '/customers', CUSTOMER);
    expect(created.status).toBe(201);
    expect(created.body.id).toBe(expected.id);
    expect(created.body).not.toHaveProperty('access');
    expect(created.body).not.toHaveProperty('refresh');
    const id = created.body.id as string;

    const pages = [JPEG, `data:image/jpeg;base64,${JPEG}`];
    const uploaded = await call(base, 'POST', `/customers/${id}/documents`, { type: 'TUR_ID_1', pages });
    expect(uploaded.status).toBe(201);
    const expectedDocument = await amani.documents.upload({ profile: id, type: 'TUR_ID_1', pages: [Buffer.from(JPEG, 'base64')] });
    expect(uploaded.body).toEqual(expectedDocument);

    const shown = await call(base, 'GET', `/customers/${id}`);
    expect(shown.status).toBe(200);
    const { access: _a, refresh: _r, ...expectedProfile } = await amani.profiles.get(id);
    expect(shown.body).toEqual({ profile: expectedProfile, documents: await amani.documents.list(id) });

    const link = await call(base, 'POST', `/customers/${id}/verification-link`, { language: 'tr' });
    expect(link).toEqual({ status: 201, body: { url: (await amani.profiles.createVerificationUrl({ profile_id: id, language: 'tr' })).url } });
    expect((await call(base, 'POST', `/customers/${id}/verification-link`)).status).toBe(201);

    // Refused by the client before anything is sent: 400 naming the field.
    expect(await call(base, 'POST', '/customers', { name: 'No Number' })).toMatchObject({ status: 400, body: { field: 'id_card_number' } });
    expect(await call(base, 'GET', '/customers/42')).toMatchObject({ status: 400, body: { field: 'id' } });
    // A string page is base64, never a path on the server: '/etc/passwd' decodes to non-image bytes.
    const pathPage = await call(base, 'POST', `/customers/${id}/documents`, { type: 'TUR_ID_1', pages: ['/etc/passwd'] });
    expect(pathPage).toMatchObject({ status: 400, body: { field: 'pages[0]' } });
    expect(await call(base, 'POST', `/customers/${id}/documents`, { type: 'TUR_ID_1', pages: ['not base64!'] })).toMatchObject({
      status: 400,
      body: { field: 'pages[0]' },
    });
    expect(await call(base, 'POST', `/customers/${id}/documents`, { type: 'TUR_ID_1', pages: [] })).toMatchObject({ status: 400, body: { field: 'pages' } });
    // Refused by the API (Prism validates the request): a ValidationError becomes 422 with its fields.
    const invalid = await call(base, 'POST', '/customers', { ...CUSTOMER, email: 'not-an-email' });
    expect(invalid.status).toBe(422);
    expect(Object.keys(invalid.body.fieldErrors).length).toBeGreaterThan(0);
    expect((await call(base, 'POST', `/customers/${id}/verification-link`, { language: 'turkish' })).status).toBe(422);
    expect((await call(base, 'POST', '/customers', '{not json')).status).toBe(400);
    expect((await call(base, 'GET', '/nowhere')).status).toBe(404);

    const output = app.output();
    for (const route of ['POST /customers -> 201', `POST /customers/${id}/documents -> 201`, `GET /customers/${id} -> 200`, `POST /customers/${id}/verification-link -> 201`]) {
      expect(output).toContain(route);
    }
    expect(output).toContain('amani POST /api/v2/user/login 200');
    let login: Readonly<TokenPair> = { access: '' };
    await new AmaniClient({ baseUrl: mock.url, credentials: { username: 'user@account.com', password: PASSWORD }, onTokens: (tokens) => (login = tokens) }).auth.login();
    for (const secret of [PASSWORD, login.access, login.refresh!, expected.access, expected.refresh, JPEG, CUSTOMER.id_card_number]) {
      expect(output).not.toContain(secret);
    }
  }, 60_000);

  it('answers 502 when Amani cannot be reached, and logs why', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const offline = runExample(SCRIPT, env({ AMANI_BASE_URL: closed }));
    try {
      const url = await offline.waitFor(/Onboarding API on (http:\/\/127\.0\.0\.1:\d+)/);
      const answer = await call(url, 'POST', '/customers', CUSTOMER);
      expect(answer).toEqual({ status: 502, body: { error: 'The identity-verification service is unavailable' } });
      await offline.waitFor(new RegExp(`POST /customers failed: .*could not reach ${new URL(closed).host} \\(ECONNREFUSED\\)`));
      expect(offline.output()).not.toContain(PASSWORD);
    } finally {
      expect(await offline.stop()).toBe(0);
    }
  }, 60_000);

  it('refuses to start without its configuration, naming what is missing', async () => {
    const unconfigured = runExample(SCRIPT, env({ AMANI_PASSWORD: '' }));
    expect(await unconfigured.exited()).toBe(1);
    expect(unconfigured.output()).toContain('AMANI_REGION (eu, tr or ae) or AMANI_BASE_URL, AMANI_PASSWORD');

    const badRegion = runExample(SCRIPT, env({ AMANI_REGION: 'mars' }));
    expect(await badRegion.exited()).toBe(1);
    expect(badRegion.output()).toMatch(/Bad Amani configuration: .*region/);
    expect(badRegion.output()).not.toContain(PASSWORD);
  }, 60_000);

  it('maps each typed error to an HTTP answer', () => {
    const api = (status: number, headers?: Headers) => ApiError.from({ status, method: 'GET', path: '/api/v2/profile/x', body: { detail: 'x' }, ...(headers ? { headers } : {}) });
    expect(httpAnswerFor(new InvalidInputError('id', 'must be a uuid'))).toMatchObject({ status: 400, body: { field: 'id' } });
    expect(httpAnswerFor(api(400)).status).toBe(422);
    expect(httpAnswerFor(api(404)).status).toBe(404);
    expect(httpAnswerFor(api(401))).toMatchObject({ status: 502, alert: true });
    expect(httpAnswerFor(api(403))).toMatchObject({ status: 502, alert: true });
    expect(httpAnswerFor(api(429, new Headers({ 'retry-after': '7' })))).toMatchObject({ status: 503, headers: { 'Retry-After': '7' } });
    expect(httpAnswerFor(api(503))).toMatchObject({ status: 502, alert: true });
    expect(httpAnswerFor(new ConnectionError('GET', '/x', new Error('ECONNREFUSED'))).status).toBe(502);
    expect(httpAnswerFor(new TimeoutError('GET', '/x', 10)).status).toBe(504);
    expect(httpAnswerFor(new Error('bug'))).toMatchObject({ status: 500, body: { error: 'Internal error' } });
  });
});
