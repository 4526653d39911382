import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/testing/mock-server.ts';
import { runScript } from '../support/scripts.ts';

describe('npm run mock', () => {
  it('serves on 127.0.0.1:PORT and stops cleanly on Ctrl-C, leaving nothing listening', async () => {
    const port = await freePort();
    // node --import tsx, as `npm run mock` does through tsx, without a wrapper process in between.
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/mock.ts'], {
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit');
    try {
      const deadline = Date.now() + 30_000;
      while (!output.includes('Amani mock listening') && Date.now() < deadline && child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(output).toContain(`Amani mock listening on http://127.0.0.1:${port}`);
      const res = await fetch(`http://127.0.0.1:${port}/api/v2/webhook/events`, {
        headers: { Authorization: 'Bearer t' },
      });
      expect(res.status).toBe(200);
    } finally {
      child.kill('SIGINT');
    }
    const [code] = await exited;
    expect(code).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/api/v2/webhook/events`)).rejects.toThrow();
  }, 40_000);

  it('refuses a PORT that is not a port number', async () => {
    const { code, stderr } = await runScript('scripts/mock.ts', { PORT: 'http' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/PORT must be a TCP port number/);
  }, 20_000);
});
