// `amani conformance` over real HTTP: a loopback server that deviates from the spec in six known
// ways (each reported once, by operation and place), the Prism mock (nothing reported), --write's
// cleanup after a failure and after an interrupt (the server records the deletes), usage errors,
// and no secret or personal value in the table, the JSON or the markdown report.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useMockServer } from '../support/mock.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/program.ts';
import { fixtures } from '../../src/testing/fixtures.ts';
import { act, startFaultServer, type FaultServer } from '../reliability/fault-server.ts';
import { ACCESS, PASSWORD, PROFILE_ID, REFRESH, USERNAME } from '../reliability/harness.ts';
import { cleanEnv } from './helpers.ts';

const PERSON = {
  name: 'Zeynep Conformance-Kaya',
  email: 'zeynep.kaya@conformance.example',
  phone: '+905301234567',
  id_card_number: '48213579604',
};
const LOGIN_NAMES = { first_name: 'Berkay', last_name: 'Uzunoglu-Tester', phone: '+905559876543' };
/** Nothing of these may appear in any output. */
const PRIVATE = [PASSWORD, ACCESS, REFRESH, USERNAME, ...Object.values(PERSON), ...Object.values(LOGIN_NAMES)];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  exits: number[];
}

let interrupt: ((signal: NodeJS.Signals) => void) | undefined;
const outputs: string[] = [];

async function conformance(argv: string[], env: Record<string, string>): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const exits: number[] = [];
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from([]),
    env: cleanEnv(env),
    onInterrupt: (handler) => {
      interrupt = handler;
      return () => (interrupt = undefined);
    },
    exit: (code) => void exits.push(code),
  };
  const code = await runCli(['conformance', ...argv], io);
  outputs.push(stdout, stderr);
  return { code, stdout, stderr, exits };
}

const json = (run: Run) =>
  JSON.parse(run.stdout) as {
    conforms: boolean;
    findings: Array<{ operationId: string; outcome: string; status?: number; violations: Array<{ where: string; pointer: string; message: string }> }>;
    cleanup: { removed: string[]; left: unknown[] };
  };

const whitelistEntry = fixtures.response('addIpWhitelist', 201);
const webhook = fixtures.response('createWebhookEndpoint', 201);
const document = fixtures.response('uploadDocument', 201);

/** Answers every operation conformance sends with the spec's own example (personal values swapped in). */
function conformingServer(server: FaultServer): void {
  server
    .fallback('POST', '/api/v2/user/login', act.json(200, { ...fixtures.response('login', 200), ...LOGIN_NAMES, username: USERNAME, access: ACCESS, refresh: REFRESH }))
    .fallback('POST', '/api/v2/token/refresh/', act.json(200, { access: ACCESS }))
    .fallback('GET', '/api/v2/webhook/events', act.json(200, fixtures.response('listWebhookEventTypes', 200)))
    .fallback('GET', '/api/v2/webhook', act.json(200, fixtures.response('listWebhookEndpoints', 200)))
    .fallback('GET', '/api/v2/webhook/logs', act.json(200, fixtures.response('listWebhookDeliveries', 200)))
    .fallback('GET', '/api/v2/ip-whitelist', act.json(200, fixtures.response('listIpWhitelist', 200)))
    .fallback('GET', /^\/api\/v2\/profile\/[^/]+$/, act.json(200, { ...fixtures.response('getProfile', 200), ...PERSON }))
    .fallback('GET', '/api/v2/document', act.json(200, fixtures.response('listDocuments', 200)))
    .fallback('GET', '/api/v2/aml/search', act.json(200, fixtures.response('searchAml', 200)))
    .fallback('GET', /^\/api\/v2\/aml\/report\/[^/]+$/, act.json(200, fixtures.response('getAmlReport', 200)))
    .fallback('POST', '/api/v2/ip-whitelist', act.json(201, whitelistEntry))
    .fallback('DELETE', /^\/api\/v2\/ip-whitelist\/[^/]+$/, act.reply(204))
    .fallback('POST', '/api/v2/webhook', act.json(201, webhook))
    .fallback('DELETE', /^\/api\/v2\/webhook\/[^/]+$/, act.reply(204))
    .fallback('POST', '/api/v2/profile', act.json(200, { ...fixtures.response('createProfile', 200), ...PERSON }))
    .fallback('POST', '/api/v2/document', act.json(201, document))
    .fallback('GET', /^\/api\/v2\/document\/[^/]+$/, act.json(200, fixtures.response('getDocument', 200)))
    .fallback('DELETE', /^\/api\/v2\/document\/[^/]+$/, act.reply(204));
}

let server: FaultServer;
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'amani-conformance-'));

beforeAll(async () => {
  server = await startFaultServer();
  env = { AMANI_BASE_URL: server.url, AMANI_USERNAME: USERNAME, AMANI_PASSWORD: PASSWORD };
});
afterAll(() => server.close());
beforeEach(() => {
  server.forget();
  conformingServer(server);
});

describe('amani conformance against a server that deviates from the spec', () => {
  const deviations: Record<string, { where: string; about: RegExp }> = {
    listWebhookEventTypes: { where: 'status', about: /204/ },
    listWebhookEndpoints: { where: 'body', about: /created_at|integer/ },
    listWebhookDeliveries: { where: 'body', about: /\bid\b/ },
    listIpWhitelist: { where: 'status', about: /404/ },
    getProfile: { where: 'body', about: /gender|allowed/ },
    getAmlReport: { where: 'body', about: /detail/ },
  };

  function deviate(): void {
    const endpoints = fixtures.response('listWebhookEndpoints', 200) as Array<Record<string, unknown>>;
    endpoints[0]!.created_at = 'yesterday'; // a field of another type
    const deliveries = fixtures.response('listWebhookDeliveries', 200) as Array<Record<string, unknown>>;
    delete deliveries[0]!.id; // a missing required field
    server
      .script('GET', '/api/v2/webhook/events', act.reply(204)) // an undeclared status
      .script('GET', '/api/v2/webhook', act.json(200, endpoints))
      .script('GET', '/api/v2/webhook/logs', act.json(200, deliveries))
      // A renamed path: Django's own 404 page
      .script('GET', '/api/v2/ip-whitelist', act.reply(404, '<h1>Not Found</h1><p>The requested resource was not found on this server.</p>', { 'content-type': 'text/html' }))
      // An extra value of a closed enum (gender is M or F)
      .script('GET', /^\/api\/v2\/profile\/[^/]+$/, act.json(200, { ...fixtures.response('getProfile', 200), ...PERSON, gender: 'X' }))
      // An error body of another shape (Error has a required `detail`)
      .script('GET', /^\/api\/v2\/aml\/report\/[^/]+$/, act.json(403, { message: 'You do not have permission to perform this action.' }));
  }

  it('reports each deviation exactly once, by operation and place, and exits 1', async () => {
    deviate();
    const run = await conformance(['--json', '--profile', PROFILE_ID], env);
    expect(run.code, run.stderr).toBe(1);
    const report = json(run);
    expect(report.conforms).toBe(false);
    for (const [operationId, { where, about }] of Object.entries(deviations)) {
      const found = report.findings.filter((f) => f.operationId === operationId);
      expect(found, operationId).toHaveLength(1);
      expect(found[0]!.outcome, operationId).toBe('drift');
      expect(found[0]!.violations, operationId).toHaveLength(1);
      const [violation] = found[0]!.violations;
      expect(violation!.where, operationId).toBe(where);
      expect(`${violation!.pointer} ${violation!.message}`, operationId).toMatch(about);
    }
    const others = report.findings.filter((f) => !(f.operationId in deviations));
    expect(others.map((f) => [f.operationId, f.outcome])).toEqual(['login', 'refreshToken', 'listDocuments', 'searchAml'].map((id) => [id, 'conforms']));
    // Each request was sent once (no retries), and only the safe ones.
    expect(server.requests.map((r) => r.method).filter((m) => m !== 'GET' && m !== 'POST')).toEqual([]);
    expect(server.arrivals('POST').map((r) => r.path)).toEqual(['/api/v2/user/login', '/api/v2/token/refresh/']);
    expect(server.arrivals('GET', '/api/v2/ip-whitelist')).toHaveLength(1);
  });

  it('names each deviation once in the table and in the markdown report', async () => {
    deviate();
    const file = join(dir, 'report.md');
    const run = await conformance(['--profile', PROFILE_ID, '--report', file], env);
    expect(run.code).toBe(1);
    const markdown = readFileSync(file, 'utf8');
    outputs.push(markdown);
    for (const operationId of Object.keys(deviations)) {
      expect(run.stdout.match(new RegExp(`^${operationId} .*DRIFT`, 'gm')), operationId).toHaveLength(1);
      expect(markdown.match(new RegExp(`^## ${operationId}:`, 'gm')), operationId).toHaveLength(1);
    }
    expect(markdown).toMatch(/\| `getProfile` GET `\/api\/v2\/profile\/\{id\}` \| overview \|/);
    expect(run.stdout).not.toMatch(/^login .*DRIFT/m);
  });
});

describe('amani conformance --write', () => {
  it('removes what it created when a step fails mid-run', async () => {
    server.script('POST', '/api/v2/document', act.reset());
    const run = await conformance(['--write', '--json'], env);
    expect(run.code).toBe(1);
    const report = json(run);
    expect(report.findings.find((f) => f.operationId === 'uploadDocument')?.outcome).toBe('failed');
    expect(report.findings.find((f) => f.operationId === 'getDocument')?.outcome).toBe('skipped');
    expect(server.arrivals('DELETE').map((r) => r.path).sort()).toEqual([`/api/v2/ip-whitelist/${whitelistEntry.id}`, `/api/v2/webhook/${webhook.id}`]);
    expect(report.cleanup.left).toEqual([]);
    expect(report.cleanup.removed).toHaveLength(2);
    // The whitelist entry is a TEST-NET-3 address; the endpoint is on example.com.
    expect(JSON.parse(server.arrivals('POST', '/api/v2/ip-whitelist')[0]!.body.toString())).toEqual({ address: expect.stringMatching(/^203\.0\.113\./) });
    expect(server.arrivals('POST', '/api/v2/webhook')[0]!.body.toString()).toContain('https://example.com/');
  });

  it('stops after the call in flight on SIGTERM, removes what it created and exits 143', async () => {
    server.script('POST', '/api/v2/profile', act.handle((_request, res) => {
      interrupt?.('SIGTERM');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...fixtures.response('createProfile', 200), ...PERSON }));
    }));
    const run = await conformance(['--write'], env);
    expect(run.exits).toEqual([143]);
    expect(server.arrivals('POST', '/api/v2/document')).toEqual([]);
    expect(server.arrivals('DELETE')).toHaveLength(2);
    expect(run.stdout).toMatch(/interrupted by SIGTERM/);
  });

  it('adds no whitelist entry to an empty whitelist (it would lock out every other address)', async () => {
    server.script('GET', '/api/v2/ip-whitelist', act.json(200, []));
    const run = await conformance(['--write', '--json', '--only', 'addIpWhitelist'], env);
    expect(json(run).findings).toEqual([expect.objectContaining({ operationId: 'addIpWhitelist', outcome: 'skipped' })]);
    expect(server.arrivals('POST', '/api/v2/ip-whitelist')).toEqual([]);
    expect(run.code).toBe(0);
  });
});

describe('amani conformance usage', () => {
  it('refuses to run with nothing configured instead of checking the embedded mock', async () => {
    const run = await conformance([], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/AMANI_REGION/);
    expect(run.stderr).toMatch(/AMANI_BASE_URL/);
    expect(run.stderr).not.toMatch(/\(mock\)/);
  });

  it('refuses unknown --only ids, listing the valid ones, and ids whose flag is missing', async () => {
    const unknown = await conformance(['--only', 'listWebhookEndpoints,deleteEverything'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/deleteEverything/);
    expect(unknown.stderr).toMatch(/valid ones: .*listIpWhitelist.*createWebhookEndpoint/);
    const write = await conformance(['--only', 'createWebhookEndpoint'], env);
    expect(write.code).toBe(2);
    expect(write.stderr).toMatch(/needs --write/);
    expect(server.requests).toEqual([]);
  });

  it('--only checks only the operations named', async () => {
    const run = await conformance(['--json', '--only', 'listIpWhitelist'], env);
    expect(run.code).toBe(0);
    expect(json(run).findings.map((f) => f.operationId)).toEqual(['listIpWhitelist']);
    expect(server.arrivals('GET').map((r) => r.path)).toEqual(['/api/v2/ip-whitelist']);
  });
});

describe('amani conformance against the Prism mock', () => {
  const mock = useMockServer();

  it('finds nothing, with --profile and --write, and exits 0', async () => {
    const run = await conformance(['--json', '--profile', PROFILE_ID, '--write'], { ...env, AMANI_BASE_URL: mock().url });
    const report = json(run);
    expect(report.findings.filter((f) => f.outcome !== 'conforms')).toEqual([]);
    expect(report.findings.length).toBeGreaterThanOrEqual(16);
    expect(run.code, run.stderr).toBe(0);
  }, 60_000);
});

describe('redaction', () => {
  it('keeps what error answers quote out of the notes it prints', async () => {
    const detail = `User ${USERNAME} (${LOGIN_NAMES.first_name} ${LOGIN_NAMES.last_name}) is locked`;
    server.fallback('POST', '/api/v2/user/login', act.json(401, { detail }));
    const run = await conformance(['--json'], env);
    expect(run.code).toBe(1);
    expect(json(run).findings.find((f) => f.operationId === 'listIpWhitelist')?.outcome).toBe('failed');
    expect(run.stdout).toMatch(/AuthenticationError: answered 401/);
    expect(run.stdout).not.toContain(LOGIN_NAMES.last_name);
  });

  it('leaves no secret or personal value in any table, JSON or markdown output', () => {
    expect(outputs.length).toBeGreaterThan(10);
    const all = outputs.join('\n');
    for (const value of PRIVATE) expect(all.includes(value), `leaked ${value.slice(0, 12)}...`).toBe(false);
  });
});
