// Every API command against one Prism mock, in-process: exit 0, a table showing the mock's example
// values, and --json printing exactly the example (tokens and secrets redacted). Also --help on
// every command (naming the operations it sends, with their evidence from the spec), and that no
// secret reaches any output.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/program.ts';
import { fixtures } from '../../src/testing/fixtures.ts';
import { defaultSpecPath, startMockServer, type MockServer } from '../../src/testing/mock-server.ts';
import { pathOperations } from '../../scripts/lib/spec-operations.ts';
import { allOutput, cli, JPEG } from './helpers.ts';

const PASSWORD = 'cli-test-password-5f1e';
const PROFILE = fixtures.response('getProfile', 200).id;
const DOCUMENT = fixtures.response('getDocument', 200).id;
const ENDPOINT = fixtures.response('createWebhookEndpoint', 201).id;
const DELIVERY = fixtures.response('retryWebhookDelivery', 202).id;
const SCREENING = fixtures.response('searchAml', 200).id;

/** What the CLI must print instead of a secret-named field (written out here, not imported). */
function redacted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redacted);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, /^(access|refresh|access_token|secret)$/.test(k) && typeof v === 'string' ? '[redacted]' : redacted(v)]),
  );
}

/** Every secret in the spec's examples (tokens, webhook secrets, passwords): none may be printed. */
function specSecrets(): string[] {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (/^(access|refresh|access_token|secret|password)$/.test(key) && typeof value === 'string' && value.length >= 8) found.add(value);
      walk(value);
    }
  };
  walk(JSON.parse(readFileSync(defaultSpecPath, 'utf8')));
  return [...found];
}

let mock: MockServer;
let dir: string;
const env = () => ({ AMANI_BASE_URL: mock.url, AMANI_USERNAME: 'ops@acme.example', AMANI_PASSWORD: PASSWORD });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'amani-cli-'));
  writeFileSync(join(dir, 'front.jpg'), JPEG);
  writeFileSync(join(dir, 'back.jpg'), JPEG);
  mock = await startMockServer();
}, 60_000);

afterAll(async () => {
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Case {
  argv: () => string[];
  /** The mock's answer (the spec's first example of the success status). */
  expected: () => unknown;
  /** Values the table must show. */
  shows: (expected: any) => unknown[];
}

const doc = (verb: string) => ({
  argv: () => ['documents', verb, DOCUMENT],
  expected: () => fixtures.response('updateDocument', 200),
  shows: (d: any) => [d.id, d.status, d.type],
});

const cases: Record<string, Case> = {
  login: {
    argv: () => ['login'],
    // The user, never the tokens (not even redacted).
    expected: () => {
      const { access: _access, refresh: _refresh, ...user } = fixtures.response('login', 200);
      return user;
    },
    shows: (u) => [u.id, u.username, u.groups[0].name],
  },
  'profiles create': {
    argv: () => ['profiles', 'create', '--id-card-number', '12345678901', '--name', 'Ayse Yilmaz', '--gender', 'F', '--city', 'Istanbul', '--level', '1'],
    expected: () => fixtures.response('createProfile', 200),
    shows: (p) => [p.id, p.id_card_number, p.name, p.status],
  },
  'profiles get': { argv: () => ['profiles', 'get', PROFILE], expected: () => fixtures.response('getProfile', 200), shows: (p) => [p.id, p.email, p.status, 'Istanbul'] },
  'profiles update': {
    argv: () => ['profiles', 'update', PROFILE, '--phone', '905321260000', '--street', 'Buyukdere Cad. No 185'],
    expected: () => fixtures.response('updateProfile', 200),
    shows: (p) => [p.id, p.phone],
  },
  'profiles status': {
    argv: () => ['profiles', 'status', PROFILE, 'APPROVED'],
    expected: () => fixtures.response('setProfileStatus', 200),
    shows: (r) => ['result', String(r.result), r.status],
  },
  'profiles url create': {
    argv: () => ['profiles', 'url', 'create', PROFILE, '--language', 'tr', '--redirect-url', 'https://www.example.com/kyc/done'],
    expected: () => fixtures.response('createVerificationUrl', 200),
    shows: (r) => [r.url, r.profile_id],
  },
  'profiles url resolve': {
    argv: () => ['profiles', 'url', 'resolve', 'Xk29fQ7a'],
    expected: () => fixtures.response('resolveVerificationLink', 200),
    shows: (r) => [r.server_url, r.company, '[redacted]'],
  },
  'documents upload': {
    argv: () => ['documents', 'upload', '--profile', PROFILE, '--type', 'TUR_ID_1', '--cropped', join(dir, 'front.jpg'), join(dir, 'back.jpg')],
    expected: () => fixtures.response('uploadDocument', 201),
    shows: (d) => [d.id, d.status, d.type],
  },
  'documents list': {
    argv: () => ['documents', 'list', '--profile', PROFILE],
    expected: () => fixtures.response('listDocuments', 200),
    shows: (list) => list.flatMap((d: any) => [d.id, d.type, d.status]),
  },
  'documents get': { argv: () => ['documents', 'get', DOCUMENT], expected: () => fixtures.response('getDocument', 200), shows: (d) => [d.id, d.reject_reason] },
  'documents approve': doc('approve'),
  'documents reject': { ...doc('reject'), argv: () => ['documents', 'reject', DOCUMENT, '--reason', 'The photo is blurred.'] },
  'documents archive': doc('archive'),
  'documents restore': doc('restore'),
  'aml search': { argv: () => ['aml', 'search', PROFILE], expected: () => fixtures.response('searchAml', 200), shows: (r) => [r.id, r.status, r.databases[0]] },
  'aml report': {
    argv: () => ['aml', 'report', SCREENING],
    expected: () => fixtures.response('getAmlReport', 200),
    shows: (r) => [r.id, r.matches[0].name, String(r.matches[0].score)],
  },
  'webhooks events': { argv: () => ['webhooks', 'events'], expected: () => fixtures.response('listWebhookEventTypes', 200), shows: (names) => names },
  'webhooks create': {
    argv: () => ['webhooks', 'create', '--url', 'https://hooks.acme-finance.com/amani/events', '--events', 'profile_status_change,document_status_change', '--header', 'X-Acme-Source=amani', '--metadata', 'team=onboarding'],
    expected: () => fixtures.response('createWebhookEndpoint', 201),
    shows: (e) => [e.id, e.url, 'profile_status_change, document_status_change'],
  },
  'webhooks list': { argv: () => ['webhooks', 'list'], expected: () => fixtures.response('listWebhookEndpoints', 200), shows: (list) => list.flatMap((e: any) => [e.id, e.url]) },
  'webhooks update': {
    argv: () => ['webhooks', 'update', ENDPOINT, '--events', 'profile_status_change,document_status_change,video_call_status_change'],
    expected: () => fixtures.response('updateWebhookEndpoint', 200),
    shows: (e) => [e.id, 'video_call_status_change'],
  },
  'webhooks secret': { argv: () => ['webhooks', 'secret'], expected: () => fixtures.response('getWebhookSecret', 200), shows: () => ['[redacted]', '--reveal'] },
  'webhooks secret --regenerate': {
    argv: () => ['webhooks', 'secret', '--regenerate'],
    expected: () => fixtures.response('regenerateWebhookSecret', 200),
    shows: () => ['[redacted]'],
  },
  'webhooks logs': {
    argv: () => ['webhooks', 'logs', '--failed', '--event', 'profile_status_change', '--endpoint', ENDPOINT],
    expected: () => fixtures.response('listWebhookDeliveries', 200),
    shows: (list) => list.flatMap((d: any) => [d.id, d.event, String(d.response_status)]),
  },
  'webhooks retry': { argv: () => ['webhooks', 'retry', DELIVERY], expected: () => fixtures.response('retryWebhookDelivery', 202), shows: (d) => [d.id, String(d.attempts)] },
  'ip-whitelist list': { argv: () => ['ip-whitelist', 'list'], expected: () => fixtures.response('listIpWhitelist', 200), shows: (list) => list.flatMap((e: any) => [e.id, e.address]) },
  'ip-whitelist add': { argv: () => ['ip-whitelist', 'add', '127.0.0.1/32'], expected: () => fixtures.response('addIpWhitelist', 201), shows: (e) => [e.id, e.address] },
};

describe('amani commands against the mock', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(`${name}: a table, and --json with exactly the API result`, async () => {
      const table = await cli(c.argv(), { env: env() });
      expect(table.stderr).toBe('');
      expect(table.code).toBe(0);
      for (const value of c.shows(c.expected())) expect(table.stdout).toContain(String(value));

      const json = await cli([...c.argv(), '--json'], { env: env() });
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toEqual(redacted(c.expected()));
    });
  }

  for (const argv of [
    ['documents', 'delete', DOCUMENT],
    ['webhooks', 'delete', ENDPOINT],
    ['ip-whitelist', 'remove', '203.0.113.0/24'],
    ['ip-whitelist', 'remove', fixtures.response('addIpWhitelist', 201).id],
  ]) {
    it(`${argv.join(' ')}: a confirmation, and nothing with --json (the API answers 204)`, async () => {
      const table = await cli(argv, { env: env() });
      expect([table.code, table.stderr]).toEqual([0, '']);
      expect(table.stdout).toMatch(new RegExp(`^(Deleted|Removed) .*${argv.at(-1)!.replace(/[./]/g, '\\$&')}`));
      const json = await cli([...argv, '--json'], { env: env() });
      expect([json.code, json.stdout, json.stderr]).toEqual([0, '', '']);
    });
  }

  it('webhooks secret --reveal prints the secret (the one command that may)', async () => {
    const { secret } = fixtures.response('getWebhookSecret', 200);
    const table = await cli(['webhooks', 'secret', '--reveal'], { env: env() });
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(secret);
    const json = await cli(['webhooks', 'secret', '--reveal', '--json'], { env: env() });
    expect(JSON.parse(json.stdout)).toEqual({ secret });
    allOutput.splice(-4); // expected to hold the secret: left out of the secret scan below
  });

  it('reads the password from stdin with --password-stdin, and flags override the environment', async () => {
    const result = await cli(['login', '--json', '--base-url', mock.url, '--username', 'ops@acme.example', '--password-stdin'], {
      env: { AMANI_BASE_URL: 'http://127.0.0.1:9', AMANI_REGION: 'eu' },
      stdin: `${PASSWORD}\nignored\n`,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).id).toBe(fixtures.response('login', 200).id);
  });

  it('draws a progress line on a terminal during an upload, and none otherwise', async () => {
    const argv = ['documents', 'upload', '--profile', PROFILE, '--type', 'TUR_ID_1', join(dir, 'front.jpg'), join(dir, 'back.jpg')];
    const tty = await cli(argv, { env: env(), tty: true });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toContain('Uploading 2 pages');
    expect(tty.stderr.endsWith('\r\x1b[2K')).toBe(true); // the line is cleared afterwards
    expect(tty.stdout).not.toContain('Uploading');
    const plain = await cli(argv, { env: env() });
    expect(plain.stderr).toBe('');
  });

  it('answers --help on every command, naming its usage (exit 0)', async () => {
    const paths: string[][] = [];
    const walk = (command: Command, path: string[]) => {
      paths.push(path);
      for (const sub of command.commands) walk(sub, [...path, sub.name()]);
    };
    walk(buildProgram({} as never), []);
    expect(paths.length).toBeGreaterThan(30);
    for (const path of paths) {
      const result = await cli([...path, '--help']);
      expect(result.code, path.join(' ')).toBe(0);
      expect(result.stdout).toContain(`Usage: amani${path.length ? ` ${path.join(' ')}` : ''}`);
      expect(result.stdout).toContain('--json');
    }
  });

  it('--help of every API command names the operations it sends, each with its evidence, source and discrepancies from the spec', async () => {
    const spec = new Map(pathOperations.map((op) => [op.operationId, op]));
    const local = new Set(['mock', 'webhooks verify', 'webhooks trigger']);
    let checked = 0;
    for (const path of leafCommands()) {
      const sent = helpOperations((await cli([...path, '--help'])).stdout);
      // conformance sends a plan of operations, not one: test/cli/conformance.test.ts checks what each run sends.
      if (path.join(' ') === 'conformance') continue;
      if (local.has(path.join(' '))) {
        expect(sent, path.join(' ')).toEqual([]);
        continue;
      }
      expect(sent.length, `${path.join(' ')} names no operation`).toBeGreaterThan(0);
      for (const { operationId, method, template, block } of sent) {
        const op = spec.get(operationId);
        const raw = op?.raw as { 'x-amani-evidence': string; externalDocs: { url: string }; 'x-amani-discrepancies'?: string[] } | undefined;
        expect(op, `${path.join(' ')}: ${operationId}`).toBeDefined();
        expect(`${method} ${template}`).toBe(`${op!.method.toUpperCase()} ${op!.path}`);
        expect(block).toContain(`Evidence: ${raw!['x-amani-evidence']}\n`);
        expect(block).toMatch(new RegExp(`Source: .*${raw!.externalDocs.url.replace(/[.?*+()[\]\\/]/g, '\\$&')}\n`));
        const ids = raw!['x-amani-discrepancies'] ?? [];
        if (ids.length) expect(block).toMatch(new RegExp(`Discrepancies: ${ids.map((id) => `${id} [^;\n]+`).join('; ')}\n`));
        else expect(block).not.toContain('Discrepancies');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(25);
  });

  it('sends what its --help names: every request of every API command, recorded over HTTP on the way to the mock', async () => {
    const proxy = await recordingProxy(mock.url);
    try {
      const runs = [
        ...Object.values(cases).map((c) => c.argv()),
        ['documents', 'delete', DOCUMENT],
        ['webhooks', 'delete', ENDPOINT],
        ['ip-whitelist', 'remove', '203.0.113.0/24'],
      ];
      for (const argv of runs) {
        proxy.seen.length = 0;
        const result = await cli(argv, { env: { ...env(), AMANI_BASE_URL: proxy.url } });
        expect(result.code, argv.join(' ')).toBe(0);
        const path = commandPath(argv);
        const sent = helpOperations((await cli([...path, '--help'])).stdout);
        const own = proxy.seen.filter((line) => path[0] === 'login' || line !== 'POST /api/v2/user/login');
        expect(own.length, argv.join(' ')).toBeGreaterThan(0);
        for (const line of own) {
          const named = sent.some(({ method, template }) => new RegExp(`^${method} ${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(line));
          expect(named, `${argv.join(' ')} sent ${line}; its --help names ${sent.map((s) => `${s.method} ${s.template}`).join(', ')}`).toBe(true);
        }
      }
    } finally {
      await proxy.close();
    }
  }, 60_000);

  // Last: scans what every test above printed.
  it('never printed the password, a token or a webhook secret', () => {
    const secrets = [PASSWORD, ...specSecrets()];
    expect(secrets.length).toBeGreaterThan(5);
    expect(allOutput.length).toBeGreaterThan(60);
    for (const output of allOutput) for (const secret of secrets) expect(output).not.toContain(secret);
  });
});

/** Every command without subcommands, as the words that name it. */
function leafCommands(): string[][] {
  const paths: string[][] = [];
  const walk = (command: Command, path: string[]) => {
    if (!command.commands.length && path.length) paths.push(path);
    for (const sub of command.commands) walk(sub, [...path, sub.name()]);
  };
  walk(buildProgram({} as never), []);
  return paths;
}

/** The words of argv that name its command (`profiles url create`), without arguments and options. */
function commandPath(argv: string[]): string[] {
  const path: string[] = [];
  let command: Command = buildProgram({} as never);
  for (const word of argv) {
    const sub = command.commands.find((c) => c.name() === word);
    if (!sub) break;
    path.push(word);
    command = sub;
  }
  return path;
}

/** "Sends: GET /api/v2/profile/{id} (operationId getProfile)" lines of a help text, each with the indented lines below it. */
function helpOperations(help: string): Array<{ method: string; template: string; operationId: string; block: string }> {
  return [...help.matchAll(/^Sends(?: \([^)]*\))?: (\S+) (\S+) \(operationId (\w+)\)\n((?: {2}.*\n)*)/gm)].map((m) => ({
    method: m[1]!,
    template: m[2]!,
    operationId: m[3]!,
    block: m[4]!.replace(/^ {2}/gm, ''),
  }));
}

/** A node:http proxy to `target` that records "METHOD /path" of every request it forwards. */
async function recordingProxy(target: string): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const server = createServer((incoming, outgoing) => {
    seen.push(`${incoming.method} ${incoming.url!.split('?')[0]}`);
    const upstream = request(new URL(incoming.url!, target), { method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
