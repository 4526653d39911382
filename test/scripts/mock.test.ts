import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/testing/mock-server.ts';
import { runScript, startScript } from '../support/scripts.ts';

describe('npm run mock', () => {
  it('serves on 127.0.0.1:PORT and stops cleanly on Ctrl-C, leaving nothing listening', async () => {
    const port = await freePort();
    const mock = startScript('scripts/mock.ts', { PORT: String(port) });
    try {
      await mock.waitFor(new RegExp(`Amani mock listening on http://127\\.0\\.0\\.1:${port}`));
      const res = await fetch(`http://127.0.0.1:${port}/api/v2/webhook/events`, {
        headers: { Authorization: 'Bearer t' },
      });
      expect(res.status).toBe(200);
    } finally {
      expect(await mock.stop('SIGINT')).toBe(0);
    }
    await expect(fetch(`http://127.0.0.1:${port}/api/v2/webhook/events`)).rejects.toThrow();
  }, 40_000);

  it('refuses a PORT that is not a port number', async () => {
    const { code, stderr } = await runScript('scripts/mock.ts', { PORT: 'http' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/PORT must be a TCP port number/);
  }, 20_000);

  it('refuses a PORT another server holds: one line naming it, exit 1', async () => {
    const other = createServer((_req, res) => res.end('other'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as AddressInfo).port;
    try {
      const { code, stdout, stderr } = await runScript('scripts/mock.ts', { PORT: String(port) });
      expect({ code, stdout, stderr }).toEqual({
        code: 1,
        stdout: '',
        stderr: `port ${port} is in use (by another server); set PORT to another port or stop the other process\n`,
      });
    } finally {
      other.close();
    }
  }, 30_000);
});
