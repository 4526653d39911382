import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, MockPortInUseError, startMockServer } from '../../src/testing/mock-server.ts';
import { isAlive } from '../../scripts/lib/processes.ts';
import { killParentOfMock } from '../support/orphans.ts';

/** Another HTTP server (an earlier mock, a dev server) holding a port; counts what reaches it. */
async function otherServer(host: string): Promise<{ server: Server; port: number; arrivals: () => number }> {
  let arrivals = 0;
  const server = createServer((_req, res) => {
    arrivals++;
    res.end('{"other":"server"}');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as AddressInfo).port, arrivals: () => arrivals };
}


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

  // Any address, IPv4 or dual-stack IPv6, also holds 127.0.0.1's port.
  it.each(['127.0.0.1', '0.0.0.0', '::'])('refuses a port another HTTP server holds on %s, naming the port, and leaves it alone', async (host) => {
    const other = await otherServer(host);
    try {
      const error = await startMockServer({ port: other.port }).then(
        () => new Error('startMockServer resolved on a port another server holds'),
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(MockPortInUseError);
      expect((error as MockPortInUseError).port).toBe(other.port);
      expect((error as Error).message).toBe(
        `port ${other.port} is in use (by another server); pass port 0 for a free port or stop the other process`,
      );
      // Nothing was sent to the other server, and it still serves.
      expect(other.arrivals()).toBe(0);
      expect(await (await fetch(`http://127.0.0.1:${other.port}/`)).json()).toEqual({ other: 'server' });
    } finally {
      other.server.close();
    }
  }, 40_000);

  it('on a port asked for, what answers is the Prism it started', async () => {
    const port = await freePort();
    const mock = await startMockServer({ port });
    try {
      expect(mock.url).toBe(`http://127.0.0.1:${port}`);
      const res = await fetch(`${mock.url}/api/v2/webhook/events`);
      // Prism's own answer to a missing token: 401 with its violation header.
      expect(res.status).toBe(401);
      expect(res.headers.get('sl-violations')).not.toBeNull();
      // While the mock holds the port, a second one is refused.
      await expect(startMockServer({ port })).rejects.toBeInstanceOf(MockPortInUseError);
    } finally {
      await mock.stop();
    }
    expect(isAlive(mock.pid)).toBe(false);
    await expect(fetch(`${mock.url}/`)).rejects.toThrow();
  }, 60_000);

  it('Prism exits within seconds when the process that started it is killed with SIGKILL', async () => {
    const outcome = await killParentOfMock("import { startMockServer } from './src/testing/mock-server.ts';", { nodeArgs: ['--import', 'tsx'] });
    expect(outcome).toEqual({ prismPid: expect.any(Number), aliveBefore: true, aliveAfter: false });
  }, 60_000);

  it('freePort returns a bindable loopback port', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65536);
  });
});
