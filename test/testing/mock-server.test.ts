import { describe, expect, it } from 'vitest';
import { freePort, startMockServer } from '../../src/testing/mock-server.ts';
import { isAlive } from '../../scripts/lib/processes.ts';


describe('startMockServer', () => {
  it('serves the spec on a loopback port and leaves no process behind after stop', async () => {
    const mock = await startMockServer();
    try {
      expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${mock.url}/api/v2/user/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'user@account.com', password: 'pw' }),
      });
      expect(res.status).toBe(200);
      expect(isAlive(mock.pid)).toBe(true);
    } finally {
      await mock.stop();
    }
    expect(isAlive(mock.pid)).toBe(false);
    await expect(fetch(`${mock.url}/api/v2/user/login`)).rejects.toThrow();
  }, 40_000);

  it('reports why Prism could not start, and cleans up', async () => {
    await expect(startMockServer({ spec: '/nonexistent/openapi.json', readyTimeoutMs: 20_000 })).rejects.toThrow(
      /Prism did not start/,
    );
  }, 40_000);

  it('freePort returns a bindable loopback port', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65536);
  });
});
