// The package as a user outside this repository meets it: built, packed, and installed from the
// tarball into a throwaway project (with Prism and Redocly, as a user's CI has them), using the
// packing and installing of scripts/pack-smoke.ts. What is checked runs in that project, from
// node_modules/amani-client, never from this repository's sources.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install, pack, PEERS, run, TOOLS, writeProject } from '../../scripts/pack-smoke.ts';
import { killParentOfMock } from '../support/orphans.ts';
import { BLOCK_TOOLS, readmeBlocks, runCommand, TSCONFIGS, writeReadmeBlocks } from './readme-blocks.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The one-line command of the README code block that follows `<!-- package-test: NAME -->`. */
function readmeCommand(name: string): string {
  const block = readme.match(new RegExp(`<!-- package-test: ${name} -->\\n\`\`\`sh\\n([^\\n]+)\\n\`\`\``));
  if (!block) throw new Error(`README.md has no sh block marked <!-- package-test: ${name} -->`);
  return block[1]!;
}

let work = '';
let project = '';

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'amani-client-consumer-'));
  project = join(work, 'project');
  await run('npm', ['run', 'build'], root, 240_000);
  const tarball = await pack(work);
  writeProject(project);
  await install(project, [tarball, ...TOOLS, ...PEERS, '@redocly/cli@2.77.0']);
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('README code blocks, from the tarball', () => {
  const blocks = readmeBlocks(readme);
  const tsc = () => join(project, 'node_modules/typescript/bin/tsc');

  beforeAll(async () => {
    await install(project, BLOCK_TOOLS);
    writeReadmeBlocks(project, blocks);
  }, 200_000);

  it('finds the ts blocks, the runnable ones marked', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(12);
    expect(blocks.filter((block) => block.run).length).toBeGreaterThanOrEqual(2);
  });

  // Compiler errors name the block's file, line-NNNN.mts: NNNN is the README line of its fence.
  it.each(Object.entries(TSCONFIGS))(
    'every block compiles under strict, exactOptionalPropertyTypes and noUncheckedIndexedAccess (%s)',
    async (_resolution, config) => {
      await run(process.execPath, [tsc(), '-p', config], project, 120_000);
    },
    130_000,
  );

  // Uses the modules the nodenext compile above emitted.
  it('every runnable block exits 0 against the mock it starts', async () => {
    const failures: string[] = [];
    for (const block of blocks.filter((candidate) => candidate.run)) {
      const [command, args] = runCommand(project, block);
      await run(command, args, project, 90_000).catch((error: Error) => failures.push(`README.md line ${block.line}: ${error.message}`));
    }
    expect(failures).toEqual([]);
  }, 300_000);
});

describe('use 2: linting the shipped spec in the consumer CI', () => {
  it("the README's lint command, run verbatim from the consumer project, exits 0", async () => {
    const command = readmeCommand('lint command');
    expect(command).toMatch(/^npx @redocly\/cli lint /);
    // Telemetry is off in the shipped config; the variable makes sure no test depends on the internet.
    process.env.REDOCLY_TELEMETRY = 'off';
    const { stdout, stderr } = await run('sh', ['-c', command], project, 120_000);
    // Redocly 2.77.0 prints a Node 20 banner with the word "warning": read its summary line instead.
    expect(`${stdout}${stderr}`).toMatch(/Your API description is valid/);
  }, 130_000);
});

/** Runs an ES module given as text in the consumer project (so `amani-client` is the installed one). */
const consumerScript = (source: string, timeoutMs = 60_000) => run(process.execPath, ['--input-type=module', '-e', source], project, timeoutMs);

describe('use 3: the mock in the consumer tests', () => {
  it('a port another server holds: startMockServer rejects with MockPortInUseError, `amani mock` prints one line and exits 1', async () => {
    const other = createServer((_req, res) => res.end('other'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as AddressInfo).port;
    try {
      const { stdout } = await consumerScript(`
        import { MockPortInUseError, startMockServer } from 'amani-client/testing';
        const outcome = await startMockServer({ port: ${port} }).then(
          async (mock) => { await mock.stop(); return 'RESOLVED'; },
          (error) => (error instanceof MockPortInUseError ? 'REFUSED ' + error.port : 'OTHER ' + error.message),
        );
        console.log(outcome);
      `);
      expect(stdout.trim()).toBe(`REFUSED ${port}`);
      const amani = join(project, 'node_modules/.bin/amani');
      const failure = await run(amani, ['mock', '--port', String(port)], project, 60_000).then(
        () => 'exited 0',
        (error: Error) => error.message,
      );
      expect(failure).toBe(
        `${amani} mock --port ${port} exited with 1\nerror: port ${port} is in use (by another server); pass --port 0 for a free port or stop the other process`,
      );
    } finally {
      other.close();
    }
  }, 130_000);

  it('Prism exits within seconds after the process that started it is killed with SIGKILL', async () => {
    const outcome = await killParentOfMock("import { startMockServer } from 'amani-client/testing';", { cwd: project });
    expect(outcome).toEqual({ prismPid: expect.any(Number), aliveBefore: true, aliveAfter: false });
  }, 60_000);

  it('a file part without Content-Type gets a declared 400 and the mock keeps serving', async () => {
    const { stdout } = await consumerScript(`
      import { startMockServer } from 'amani-client/testing';
      const mock = await startMockServer();
      try {
        const body = '--B\\r\\nContent-Disposition: form-data; name="pages"; filename="front.jpg"\\r\\n\\r\\nJPEG\\r\\n--B--\\r\\n';
        const odd = await fetch(mock.url + '/api/v2/document', {
          method: 'POST',
          headers: { authorization: 'Bearer t', 'content-type': 'multipart/form-data; boundary=B' },
          body,
        });
        const next = await fetch(mock.url + '/api/v2/webhook/events', { headers: { authorization: 'Bearer t' } });
        let alive = true;
        try { process.kill(mock.pid, 0); } catch { alive = false; }
        console.log(JSON.stringify({ odd: odd.status, next: next.status, alive }));
      } finally {
        await mock.stop();
      }
    `);
    expect(JSON.parse(stdout.trim())).toEqual({ odd: 400, next: 200, alive: true });
  }, 60_000);
});

describe('the CLI, installed: nothing that pretends', () => {
  const amani = () => join(project, 'node_modules/.bin/amani');
  const failure = (promise: Promise<unknown>) => promise.then(() => 'exited 0', (error: Error) => error.message);

  it('credentials without AMANI_REGION: exit 2 naming AMANI_REGION, not "Deleted document" from the mock', async () => {
    const args = ['-u', 'AMANI_REGION', '-u', 'AMANI_BASE_URL', 'AMANI_USERNAME=ops@acme.example', 'AMANI_PASSWORD=consumer-pw-81d2'];
    const message = await failure(run('env', [...args, amani(), 'documents', 'delete', '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e'], project, 60_000));
    expect(message).toMatch(/exited with 2\nerror: .*set AMANI_REGION/);
    expect(message).not.toContain('Deleted document');
  }, 70_000);

  it('`amani webhooks trigger` signs the example as Amani does: a verifying receiver answers 200, a wrong secret 400 and exit 1', async () => {
    const { verifyWebhook } = await import('../../src/webhooks/index.ts');
    const secret = 'whsec-consumer-trigger-5e0a';
    const receiver = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const verified = await verifyWebhook({ body: Buffer.concat(chunks), signature: String(req.headers['webhook-signature']), secret }).then(
        (event) => event.event,
        () => undefined,
      );
      res.writeHead(verified ? 200 : 400).end(verified ? `handled ${verified}` : 'refused');
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      const sent = await run('env', [`AMANI_WEBHOOK_SECRET=${secret}`, amani(), 'webhooks', 'trigger', 'profile_status_change', '--forward-to', url], project, 60_000);
      expect(sent.stdout).toBe(`Sent profile_status_change to ${url}\nReceiver answered 200 OK\nhandled profile_status_change\n`);
      const wrong = await failure(run('env', ['AMANI_WEBHOOK_SECRET=whsec-wrong', amani(), 'webhooks', 'trigger', 'profile_create', '--forward-to', url], project, 60_000));
      expect(wrong).toMatch(/exited with 1\nSent profile_create to \S+\nReceiver answered 400 Bad Request\nrefused\nerror: the receiver answered 400 Bad Request/);
    } finally {
      receiver.close();
    }
  }, 130_000);
});

describe('the client, installed: points 7-9', () => {
  /** A 127.0.0.1 server answering the login and one GET, recording what arrives. */
  async function tinyAmani(): Promise<{ url: string; seen: string[]; close: () => void }> {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      req.resume();
      const login = { access: 'installed-access-5c1d.x.y', refresh: 'installed-refresh-7e2a.x.y', id: 'u1', username: 'ops@acme.example' };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(req.url === '/api/v2/user/login' ? login : ['profile_create']));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => server.close() };
  }

  it('7: plain http to another host only with allowInsecureHttp (one warning), and the CLI with --insecure-http', async () => {
    const api = await tinyAmani();
    try {
      const { stdout } = await consumerScript(`
        import { AmaniClient, InvalidInputError } from 'amani-client';
        const warnings = [];
        console.warn = (message) => warnings.push(String(message));
        // A caller's fetch carries the requests for mock.internal to the 127.0.0.1 server.
        const fetch = (request) => globalThis.fetch(request.url.replace('http://mock.internal:4010', ${JSON.stringify(api.url)}), { method: request.method, headers: request.headers });
        let refused;
        try { new AmaniClient({ baseUrl: 'http://mock.internal:4010', tokens: { access: 'tok' }, fetch }); } catch (error) { refused = error instanceof InvalidInputError && error.field; }
        const amani = new AmaniClient({ baseUrl: 'http://mock.internal:4010', allowInsecureHttp: true, tokens: { access: 'tok' }, fetch });
        const events = [await amani.webhooks.eventTypes(), await amani.webhooks.eventTypes()];
        console.log(JSON.stringify({ refused, events, warnings }));
      `);
      expect(JSON.parse(stdout.trim())).toEqual({
        refused: 'baseUrl',
        events: [['profile_create'], ['profile_create']],
        warnings: ['plain http to mock.internal:4010, test only: tokens and identity documents travel unencrypted'],
      });
      expect(api.seen).toEqual(['GET /api/v2/webhook/events', 'GET /api/v2/webhook/events']);
      const cli = await run('env', ['AMANI_BASE_URL=http://mock.invalid:4010', 'AMANI_USERNAME=ops', 'AMANI_PASSWORD=installed-pw-3b9f', join(project, 'node_modules/.bin/amani'), '--insecure-http', 'webhooks', 'events'], project, 60_000).then(
        () => 'exited 0',
        (error: Error) => error.message,
      );
      expect(cli).toMatch(/exited with 1\nwarning: plain http to mock\.invalid:4010, test only: tokens and identity documents travel unencrypted\nerror: POST \/api\/v2\/user\/login failed: could not reach mock\.invalid:4010 \(ENOTFOUND\)/);
    } finally {
      api.close();
    }
  }, 130_000);

  it('8: a baseUrl with a path is refused; a ConnectionError names the host and code; local problems name no HTTP status', async () => {
    const closed = await tinyAmani();
    closed.close();
    const { stdout } = await consumerScript(`
      import { AmaniClient } from 'amani-client';
      const messages = [];
      try { new AmaniClient({ baseUrl: 'https://eu.amani.ai/api/v2' }); } catch (error) { messages.push(error.message); }
      await new AmaniClient({ baseUrl: ${JSON.stringify(closed.url)}, tokens: { access: 'tok' }, maxRetries: 0 }).webhooks.list().catch((error) => messages.push(error.message));
      await new AmaniClient({ region: 'eu' }).auth.login().catch((error) => messages.push(error.name + ': ' + error.message));
      console.log(JSON.stringify(messages));
    `);
    expect(JSON.parse(stdout.trim())).toEqual([
      'baseUrl: must be the origin only, e.g. "https://eu.amani.ai", without the path "/api/v2"',
      `GET /api/v2/webhook failed: could not reach ${new URL(closed.url).host} (ECONNREFUSED): nothing was sent. Check the network and the base URL`,
      'AuthenticationError: auth.login(): no credentials were given, so nothing was sent. Pass AmaniClient valid credentials, or tokens with a valid refresh token',
    ]);
  }, 60_000);

  it('9: auth.login() resolves the user without the tokens; onTokens has them', async () => {
    const api = await tinyAmani();
    try {
      const { stdout } = await consumerScript(`
        import { inspect } from 'node:util';
        import { AmaniClient } from 'amani-client';
        const saved = [];
        const amani = new AmaniClient({ baseUrl: ${JSON.stringify(api.url)}, credentials: { username: 'ops', password: 'installed-pw-3b9f' }, onTokens: (t) => saved.push(t) });
        const user = await amani.auth.login();
        console.log(JSON.stringify({ json: JSON.stringify(user), inspected: inspect(user, { showHidden: true }), spread: Object.keys({ ...user }), saved }));
      `);
      const { json, inspected, spread, saved } = JSON.parse(stdout.trim());
      expect(JSON.parse(json)).toEqual({ id: 'u1', username: 'ops@acme.example' });
      expect(spread).toEqual(['id', 'username']);
      expect(inspected).not.toMatch(/installed-(access|refresh)/);
      expect(saved).toEqual([{ access: 'installed-access-5c1d.x.y', refresh: 'installed-refresh-7e2a.x.y' }]);
    } finally {
      api.close();
    }
  }, 60_000);
});

describe('drift detection, installed', () => {
  it('onDrift reports an answer that is not what the spec says, from ESM and CommonJS, once per drift', async () => {
    // Endpoints answered as a list of strings: each item should be a webhook endpoint object.
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(['not-an-endpoint']));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const body = `
      const drifts = [];
      const amani = new AmaniClient({ baseUrl: ${JSON.stringify(url)}, tokens: { access: 'installed-access-9d1e' }, onDrift: (d) => drifts.push(d) });
      const results = [await amani.webhooks.list(), await amani.webhooks.list()];
      const until = Date.now() + 20000;
      while (drifts.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 200));
      console.log(JSON.stringify({ results, drifts }));`;
    try {
      const esm = await consumerScript(`import { AmaniClient } from 'amani-client';\n${body}`);
      const cjs = await run(process.execPath, ['-e', `const { AmaniClient } = require('amani-client');\n(async () => {${body}})();`], project, 60_000);
      for (const { stdout } of [esm, cjs]) {
        const { results, drifts } = JSON.parse(stdout.trim());
        expect(results).toEqual([['not-an-endpoint'], ['not-an-endpoint']]);
        expect(drifts).toHaveLength(1);
        expect(drifts[0]).toMatchObject({ operationId: 'listWebhookEndpoints', method: 'GET', status: 200 });
        expect(drifts[0].violations.map((v: { pointer: string }) => v.pointer)).toEqual(['/0']);
        expect(stdout).not.toContain('installed-access-9d1e');
      }
    } finally {
      server.close();
    }
  }, 90_000);

  it('`amani conformance --mock` runs the safe operations against the embedded mock and exits 0', async () => {
    const { stdout } = await run('env', ['-u', 'AMANI_REGION', '-u', 'AMANI_BASE_URL', join(project, 'node_modules/.bin/amani'), '--mock', 'conformance', '--json'], project, 120_000);
    const report = JSON.parse(stdout.slice(stdout.indexOf('{')));
    expect(report.conforms).toBe(true);
    const ids = report.findings.map((f: { operationId: string }) => f.operationId);
    expect(ids).toEqual(expect.arrayContaining(['login', 'refreshToken', 'listWebhookEventTypes', 'listWebhookEndpoints']));
    expect(report.findings.filter((f: { outcome: string }) => f.outcome !== 'conforms')).toEqual([]);
  }, 130_000);
});

