// "Never re-sent once they may have reached Amani": every non-idempotent operation, under every
// fault, reaches the server at most once, although the server would answer 200 to a second try.
// The exceptions the README documents are proven too: a refused connection (nothing was sent) is
// retried, and a 401 is replayed exactly once after a refresh. Idempotent operations, by contrast,
// are retried exactly maxRetries times on the retryable faults, and not at all on the others.
import { describe, expect, it } from 'vitest';
import { ConnectionError, ServerError, type AmaniClient } from '../../src/index.ts';
import { causeCodes, expectAttempts, FAULTS } from './catalogue.ts';
import { act, closedPort, createFaultServer, type Action } from './fault-server.ts';
import {
  ACCESS,
  clientFor,
  failure,
  JPEG,
  jwt,
  PROFILE_ID,
  refusedOnceThen,
  secret,
  secretScan,
  until,
  uuid,
  useFaultServer,
} from './harness.ts';

const TEST_MS = 10_000;
const WEBHOOK_SECRET = secret('webhook secret', 'whsec_Reliability_9sKq2Lm4Xz');
const NEW_ACCESS = jwt('ReplayAccess', 3600);

interface Operation {
  name: string;
  method: string;
  path: string;
  call: (client: AmaniClient) => Promise<unknown>;
  /** What the server answers when the operation succeeds. */
  answer: unknown;
}

const WRITES: readonly Operation[] = [
  {
    name: 'documents.upload',
    method: 'POST',
    path: '/api/v2/document',
    call: (c) => c.documents.upload({ profile: PROFILE_ID, type: 'TUR_ID_1', pages: [JPEG] }),
    answer: { id: uuid(1), type: 'TUR_ID_1', status: 'PENDING_REVIEW' },
  },
  {
    name: 'webhooks.create',
    method: 'POST',
    path: '/api/v2/webhook',
    call: (c) => c.webhooks.create({ url: 'https://example.com/amani', enabled_events: ['profile_status_change'] }),
    answer: { id: uuid(2), url: 'https://example.com/amani', enabled_events: ['profile_status_change'] },
  },
  {
    name: 'webhooks.regenerateSecret',
    method: 'PATCH',
    path: '/api/v2/webhook/secret',
    call: (c) => c.webhooks.regenerateSecret(),
    answer: { secret: WEBHOOK_SECRET },
  },
  {
    name: 'webhooks.retry',
    method: 'POST',
    path: `/api/v2/webhook/logs/${uuid(3)}/retry`,
    call: (c) => c.webhooks.retry(uuid(3)),
    answer: { id: uuid(3), success: false },
  },
  {
    name: 'profiles.createVerificationUrl',
    method: 'POST',
    path: '/api/v2/profile/url',
    call: (c) => c.profiles.createVerificationUrl({ profile_id: PROFILE_ID }),
    answer: { url: 'https://eu.amani.ai/verify?pid=abc' },
  },
  {
    name: 'ipWhitelist.add',
    method: 'POST',
    path: '/api/v2/ip-whitelist',
    call: (c) => c.ipWhitelist.add('203.0.113.0/24'),
    answer: { id: uuid(4), address: '203.0.113.0/24' },
  },
  {
    name: 'profiles.update (PATCH)',
    method: 'PATCH',
    path: `/api/v2/profile/${PROFILE_ID}`,
    call: (c) => c.profiles.update(PROFILE_ID, { phone: '905321260000' }),
    answer: { id: PROFILE_ID, phone: '905321260000' },
  },
];

/** Operations the README lists as safe to repeat: every GET, PUT, DELETE and the get-or-create POST. */
const IDEMPOTENT: readonly Operation[] = [
  { name: 'profiles.get', method: 'GET', path: `/api/v2/profile/${PROFILE_ID}`, call: (c) => c.profiles.get(PROFILE_ID), answer: { id: PROFILE_ID } },
  {
    name: 'profiles.create (get-or-create)',
    method: 'POST',
    path: '/api/v2/profile',
    call: (c) => c.profiles.create({ id_card_number: '12345678901' }),
    answer: { id: PROFILE_ID },
  },
  {
    name: 'profiles.setStatus',
    method: 'PUT',
    path: `/api/v2/profile/${PROFILE_ID}/status`,
    call: (c) => c.profiles.setStatus(PROFILE_ID, 'APPROVED'),
    answer: { status: 'APPROVED' },
  },
  { name: 'documents.list', method: 'GET', path: '/api/v2/document', call: (c) => c.documents.list(PROFILE_ID), answer: [] },
  { name: 'documents.approve', method: 'PUT', path: `/api/v2/document/${uuid(11)}`, call: (c) => c.documents.approve(uuid(11)), answer: { id: uuid(11) } },
  { name: 'documents.delete', method: 'DELETE', path: `/api/v2/document/${uuid(12)}`, call: (c) => c.documents.delete(uuid(12)), answer: {} },
  {
    name: 'webhooks.update',
    method: 'PUT',
    path: `/api/v2/webhook/${uuid(13)}`,
    call: (c) => c.webhooks.update(uuid(13), { enabled_events: ['document_upload'] }),
    answer: { id: uuid(13) },
  },
  { name: 'webhooks.getSecret', method: 'GET', path: '/api/v2/webhook/secret', call: (c) => c.webhooks.getSecret(), answer: { secret: WEBHOOK_SECRET } },
  { name: 'ipWhitelist.remove', method: 'DELETE', path: `/api/v2/ip-whitelist/${uuid(14)}`, call: (c) => c.ipWhitelist.remove(uuid(14)), answer: {} },
  { name: 'aml.search', method: 'GET', path: '/api/v2/aml/search', call: (c) => c.aml.search(PROFILE_ID), answer: { id: uuid(15) } },
];

const server = useFaultServer();

/** The fault once, then (for anyone who asks again) success: a retry would have "worked". */
function scriptFaultThenSuccess(op: Operation, action: Action): void {
  server.script(op.method, op.path, action).fallback(op.method, op.path, act.json(200, op.answer));
}

const cases = WRITES.flatMap((op) => FAULTS.map((fault) => ({ op, fault, label: `${op.name} x ${fault.name}` })));

describe('non-idempotent operations reach the server at most once, under every fault', () => {
  it.each(cases)('$label', async ({ op, fault }) => {
    scriptFaultThenSuccess(op, fault.action());
    const { client, logs } = clientFor(server, { timeoutMs: fault.timeoutMs ?? 5_000 });
    const error = await failure(`${op.name} ${fault.name}`, () => op.call(client));
    fault.check(error, op.method, op.path);
    expect(server.arrivals(op.method, op.path)).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
    expectAttempts(logs, 1);
    if (fault.timeoutMs) await until(() => server.requests[0]!.closedAt !== undefined, 3_000, 'the abandoned connection to close');
  }, TEST_MS);

  it.each(WRITES)('$name: the one upload/write that arrived carried the whole body', async (op) => {
    scriptFaultThenSuccess(op, act.reset());
    const { client } = clientFor(server);
    await failure(`${op.name} reset`, () => op.call(client));
    const [arrival] = server.arrivals(op.method, op.path);
    if (op.name === 'documents.upload') {
      expect(arrival!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      expect(arrival!.body.includes(Buffer.from(JPEG))).toBe(true);
    }
    expect(arrival!.headers.authorization).toBe(`Bearer ${ACCESS}`);
  }, TEST_MS);

  it.each(WRITES)('$name: answered 200, it succeeds after exactly one request', async (op) => {
    server.fallback(op.method, op.path, act.json(200, op.answer));
    const { client } = clientFor(server);
    expect(await op.call(client)).toEqual(op.answer);
    expect(server.requests).toHaveLength(1);
  }, TEST_MS);

  it('amani.raw: a non-idempotent POST is not re-sent either (503, then a reset)', async () => {
    const op = WRITES[1]!;
    const { client } = clientFor(server);
    server.script(op.method, op.path, act.json(503, {}), act.reset()).fallback(op.method, op.path, act.json(200, op.answer));
    const body = { url: 'https://example.com/amani', enabled_events: ['profile_status_change' as const] };
    const result = await client.raw.POST('/api/v2/webhook', { body });
    expect(result.response.status).toBe(503);
    expect(server.requests).toHaveLength(1);
    expect(await failure('raw reset', () => client.raw.POST('/api/v2/webhook', { body }))).toBeInstanceOf(ConnectionError);
    expect(server.requests).toHaveLength(2);
  }, TEST_MS);
});

describe('the documented exceptions', () => {
  it.each(WRITES)('$name: a refused connection (nothing sent) is retried, and arrives exactly once', async (op) => {
    const late = createFaultServer();
    late.fallback(op.method, op.path, act.json(200, op.answer));
    const { client, logs } = await refusedOnceThen(late);
    try {
      expect(await op.call(client)).toEqual(op.answer);
      expect(logs.map((l) => l.error ?? l.status)).toEqual(['ConnectionError', 200]);
      expect(late.arrivals(op.method, op.path)).toHaveLength(1);
    } finally {
      await late.close();
    }
  }, TEST_MS);

  it.each(WRITES)('$name: refused on every attempt, it gives up after maxRetries with ECONNREFUSED', async (op) => {
    const port = await closedPort();
    const { client, logs } = clientFor({ url: `http://127.0.0.1:${port}` });
    const error = await failure(`${op.name} refused`, () => op.call(client));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(causeCodes(error)).toContain('ECONNREFUSED');
    expectAttempts(logs, 3);
  }, TEST_MS);

  it.each(WRITES)('$name: a 401 is replayed exactly once, with the refreshed token (2 arrivals, 1 refresh)', async (op) => {
    server
      .script(op.method, op.path, act.json(401, { detail: 'Given token not valid for any token type', code: 'token_not_valid' }))
      .fallback(op.method, op.path, act.json(200, op.answer))
      .fallback('POST', '/api/v2/token/refresh/', act.json(200, { access: NEW_ACCESS }));
    const { client } = clientFor(server);
    expect(await op.call(client)).toEqual(op.answer);
    const arrivals = server.arrivals(op.method, op.path);
    expect(arrivals.map((r) => r.headers.authorization)).toEqual([`Bearer ${ACCESS}`, `Bearer ${NEW_ACCESS}`]);
    expect(server.arrivals('POST', '/api/v2/token/refresh/')).toHaveLength(1);
  }, TEST_MS);

  it.each(WRITES)('$name: 401, then a reset on the replay: 2 arrivals, ConnectionError, no third', async (op) => {
    server
      .script(op.method, op.path, act.json(401, { code: 'token_not_valid' }), act.reset())
      .fallback(op.method, op.path, act.json(200, op.answer))
      .fallback('POST', '/api/v2/token/refresh/', act.json(200, { access: NEW_ACCESS }));
    const { client } = clientFor(server);
    expect(await failure(`${op.name} 401 reset`, () => op.call(client))).toBeInstanceOf(ConnectionError);
    expect(server.arrivals(op.method, op.path)).toHaveLength(2);
  }, TEST_MS);
});

describe('idempotent operations are retried exactly maxRetries (2) times on retryable faults', () => {
  it.each(FAULTS)('$name: every idempotent operation, concurrently', async (fault) => {
    for (const op of IDEMPOTENT) server.fallback(op.method, op.path, fault.action());
    const { client, logs } = clientFor(server, { timeoutMs: fault.timeoutMs ?? 5_000 });
    const errors = await Promise.all(IDEMPOTENT.map((op) => failure(`${op.name} ${fault.name}`, () => op.call(client))));
    const attempts = fault.retried ? 3 : 1;
    IDEMPOTENT.forEach((op, i) => {
      fault.check(errors[i]!, op.method, op.path);
      expect(server.arrivals(op.method, op.path), op.name).toHaveLength(attempts);
    });
    expect(server.requests).toHaveLength(attempts * IDEMPOTENT.length);
    expect(logs).toHaveLength(attempts * IDEMPOTENT.length);
  }, TEST_MS);

  it('fault then 200: every idempotent operation succeeds on its second attempt', async () => {
    for (const op of IDEMPOTENT) scriptFaultThenSuccess(op, act.reset());
    const { client } = clientFor(server);
    const results = await Promise.all(IDEMPOTENT.map((op) => op.call(client)));
    IDEMPOTENT.forEach((op, i) => {
      // DELETE answers resolve with nothing.
      if (op.method !== 'DELETE') expect(results[i], op.name).toEqual(op.answer);
      expect(server.arrivals(op.method, op.path), op.name).toHaveLength(2);
    });
  }, TEST_MS);

  it('the get-or-create profile POST resends the very same body', async () => {
    const op = IDEMPOTENT[1]!;
    server.script(op.method, op.path, act.reset(), act.html(502)).fallback(op.method, op.path, act.json(200, op.answer));
    const { client } = clientFor(server);
    await op.call(client);
    const bodies = server.arrivals(op.method, op.path).map((r) => r.body.toString());
    expect(bodies).toHaveLength(3);
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0]!)).toEqual({ id_card_number: '12345678901' });
  }, TEST_MS);

  it('4xx answers are not retried (one request each)', async () => {
    for (const op of IDEMPOTENT) server.fallback(op.method, op.path, act.json(404, { detail: 'Not found.' }));
    const { client } = clientFor(server);
    await Promise.all(IDEMPOTENT.map((op) => failure(op.name, () => op.call(client))));
    expect(server.requests).toHaveLength(IDEMPOTENT.length);
  }, TEST_MS);

  it('maxRetries 0: a ServerError after exactly one request each', async () => {
    for (const op of IDEMPOTENT) server.fallback(op.method, op.path, act.json(503, {}));
    const { client } = clientFor(server, { maxRetries: 0 });
    const errors = await Promise.all(IDEMPOTENT.map((op) => failure(op.name, () => op.call(client))));
    expect(errors.every((e) => e instanceof ServerError)).toBe(true);
    expect(server.requests).toHaveLength(IDEMPOTENT.length);
  }, TEST_MS);
});

secretScan(500);
