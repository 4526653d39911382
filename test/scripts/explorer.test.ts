import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/testing/mock-server.ts';
import { runScript } from '../support/scripts.ts';


describe('npm run explorer', () => {
  it('prints its URLs, serves the page and stops itself and the mock on Ctrl-C', async () => {
    const port = await freePort();
    // node --import tsx, as `npm run explorer` does through tsx, without a wrapper process in between.
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/explorer.ts'], {
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit');
    let mockUrl = '';
    try {
      const deadline = Date.now() + 40_000;
      while (!/calls the embedded Prism mock at/.test(output) && Date.now() < deadline && child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(output).toContain(`Amani API explorer: http://127.0.0.1:${port}/`);
      mockUrl = /mock at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
      expect(mockUrl).not.toBe('');
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.status).toBe(200);
      const events = await fetch(`${mockUrl}/api/v2/webhook/events`, { headers: { Authorization: 'Bearer t' } });
      expect(events.status).toBe(200);
    } finally {
      child.kill('SIGINT');
    }
    const [code] = await exited;
    expect(code).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    await expect(fetch(`${mockUrl}/api/v2/webhook/events`)).rejects.toThrow();
  }, 60_000);

  it('refuses a PORT that is not a port number', async () => {
    const { code, stderr } = await runScript('scripts/explorer.ts', { PORT: 'http' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/PORT must be a TCP port number/);
  }, 20_000);
});
