import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/testing/mock-server.ts';
import { runScript, startScript } from '../support/scripts.ts';


describe('npm run explorer', () => {
  it('prints its URLs, serves the page and stops itself and the mock on Ctrl-C', async () => {
    const port = await freePort();
    const explorer = startScript('scripts/explorer.ts', { PORT: String(port) });
    let mockUrl = '';
    try {
      mockUrl = (await explorer.waitFor(/mock at (http:\/\/127\.0\.0\.1:\d+)/, 40_000))[1]!;
      expect(explorer.output()).toContain(`Amani API explorer: http://127.0.0.1:${port}/`);
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.status).toBe(200);
      const events = await fetch(`${mockUrl}/api/v2/webhook/events`, { headers: { Authorization: 'Bearer t' } });
      expect(events.status).toBe(200);
    } finally {
      expect(await explorer.stop('SIGINT')).toBe(0);
    }
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    await expect(fetch(`${mockUrl}/api/v2/webhook/events`)).rejects.toThrow();
  }, 60_000);

  it('refuses a PORT that is not a port number', async () => {
    const { code, stderr } = await runScript('scripts/explorer.ts', { PORT: 'http' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/PORT must be a TCP port number/);
  }, 20_000);
});
