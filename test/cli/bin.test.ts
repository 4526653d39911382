// The real executable (`node --import tsx src/cli/main.ts`) as a child process: exit codes, the
// embedded mock started and stopped for one command, and `amani mock` stopped by SIGINT.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../src/testing/fixtures.ts';
import { freePort } from '../../src/testing/mock-server.ts';
import { signWebhook } from '../../src/webhooks/index.ts';
import { cleanEnv, cliProcess, isClosed, tinyApi } from './helpers.ts';

/** `amani mock --port N` as a child process, with what it printed so far. */
function amaniMock(port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'mock', '--port', String(port)], {
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  return { child, output };
}

// Sequential: each test starts processes, and Prism starts slowly on a busy machine.
describe('the amani executable', () => {
  it('exits 0 for --help, 2 for an unknown command and 1 for an API error', async () => {
    const help = await cliProcess(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: amani \[options\] \[command\]/);

    const unknown = await cliProcess(['profiles', 'frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);

    const api = await tinyApi(() => [429, { detail: 'Request was throttled.' }]);
    try {
      const failed = await cliProcess(['profiles', 'url', 'resolve', 'Xk29fQ7a', '--base-url', api.url]);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/^error: GET \/api\/v2\/profile\/url\?pid=\[redacted\] failed with 429: Request was throttled/);
      expect(failed.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await api.close();
    }
  }, 60_000);

  it('with nothing configured, runs against the embedded mock, says so, and stops it', async () => {
    const result = await cliProcess(['webhooks', 'events', '--json']);
    expect(result.stderr).toMatch(
      /^\(mock\) answers come from the embedded Prism mock, not Amani \(nothing configured: set AMANI_REGION or AMANI_BASE_URL for your account\)\n\(mock\) Prism at http:\/\/127\.0\.0\.1:\d+\n$/,
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(fixtures.response('listWebhookEventTypes', 200));
    const url = result.stderr.match(/http:\/\/127\.0\.0\.1:\d+/)![0];
    expect(await isClosed(url)).toBe(true);
  }, 60_000);

  it('verifies a delivery piped to its stdin (exit 0, the event)', async () => {
    const secret = 'whsec-bin-test-31f9';
    const event = fixtures.webhook('document_status_change');
    const { body, headers } = await signWebhook(event, secret);
    const valid = await cliProcess(['webhooks', 'verify', '--signature', headers['Webhook-Signature'], '--json'], {
      env: { AMANI_WEBHOOK_SECRET: secret },
      stdin: body,
    });
    expect([valid.code, valid.stderr]).toEqual([0, '']);
    expect(JSON.parse(valid.stdout)).toEqual(event);
    expect(valid.stdout).not.toContain(secret);
  }, 60_000);

  it('`amani mock` serves until SIGINT, then stops Prism and exits 0', async () => {
    const port = await freePort();
    const { child, output } = amaniMock(port);
    const exited = once(child, 'exit');
    const url = `http://127.0.0.1:${port}`;
    try {
      const deadline = Date.now() + 45_000;
      while (!output.stdout.includes('listening') && child.exitCode === null && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(output.stdout).toBe(`Amani mock listening on ${url} (Ctrl-C to stop)\n`);
      const res = await fetch(`${url}/api/v2/webhook/events`, { headers: { Authorization: 'Bearer t' } });
      expect(res.status).toBe(200);
    } finally {
      child.kill('SIGINT');
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const [code] = await exited;
    clearTimeout(timer);
    expect(code).toBe(0);
    expect(output.stderr).toContain('Stopped the mock.');
    expect(await isClosed(url)).toBe(true);
  }, 60_000);

  it('`amani mock --port N` on a port another server holds: one line on stderr, exit 1', async () => {
    const other = createServer((_req, res) => res.end('other'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as AddressInfo).port;
    try {
      const { child, output } = amaniMock(port);
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const [code] = await once(child, 'exit');
      clearTimeout(timer);
      expect({ code, ...output }).toEqual({
        code: 1,
        stdout: '',
        stderr: `error: port ${port} is in use (by another server); pass --port 0 for a free port or stop the other process\n`,
      });
    } finally {
      other.close();
    }
  }, 40_000);
});
