// The explorer's HTTP server without a browser: what it serves, what it refuses (paths outside
// swagger-ui-dist), the spec it hands to Swagger UI, CORS on the mock it starts, and a clean stop.
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAsset, startExplorerServer, withMockServer, type Explorer } from '../scripts/lib/explorer-server.ts';
import { serverOrigins, type ServerLike } from '../scripts/lib/servers.ts';
import { bundledSpec } from '../scripts/lib/paths.ts';
import { isAlive } from '../scripts/lib/processes.ts';

const spec = JSON.parse(readFileSync(bundledSpec, 'utf8')) as { servers: { url: string }[]; paths: object };
const rootPackageName = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string }).name;

/**
 * A GET with the path sent byte for byte over a plain socket: fetch would normalize `..` away, and
 * node:http (patched by nock in this suite) would read `//etc` as a host.
 */
function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`);
    });
    let raw = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer for ${path}`)));
    socket.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = raw.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), body });
    });
  });
}


describe('withMockServer', () => {
  it('puts the mock first and keeps the spec\'s servers as they are, variables included', () => {
    const europe = { url: 'https://{europe}.example.org', variables: { europe: { default: 'eu', enum: ['eu', 'eu1'] } } };
    const input = { openapi: '3.1.0', servers: [europe, { url: 'https://tr.example.org' }] };
    const out = withMockServer(input, 'http://127.0.0.1:5555');
    expect(out.servers).toEqual([{ url: 'http://127.0.0.1:5555', description: expect.stringContaining('mock') }, europe, { url: 'https://tr.example.org' }]);
    expect(out.openapi).toBe('3.1.0');
    expect(input.servers).toHaveLength(2); // the input is not modified
  });
});

describe('serverOrigins', () => {
  it('is the origin of every server, one per value of each server variable', () => {
    const servers: ServerLike[] = [
      { url: 'https://{europe}.example.org/v2', variables: { europe: { default: 'eu', enum: ['eu', 'eu1'] } } },
      { url: 'https://{host}:{port}', variables: { host: { default: 'tr.example.org' }, port: { default: '443', enum: ['443', '8443'] } } },
      { url: 'http://127.0.0.1:5555' },
    ];
    expect(serverOrigins(servers)).toEqual(['https://eu.example.org', 'https://eu1.example.org', 'https://tr.example.org', 'https://tr.example.org:8443', 'http://127.0.0.1:5555']);
  });
});

describe('resolveAsset', () => {
  it.each(['/../package.json', '/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/..%5c..%5cpackage.json', '/%00', '/%E0%A4%A', '/', '/nope.js'])(
    'refuses %s',
    async (path) => {
      expect(await resolveAsset(path)).toBeUndefined();
    },
  );

  it('finds swagger-ui-dist files', async () => {
    expect(await resolveAsset('/swagger-ui-bundle.js')).toMatch(/swagger-ui-dist[/\\]swagger-ui-bundle\.js$/);
  });
});

describe('explorer server', () => {
  let explorer: Explorer | undefined;
  beforeAll(async () => {
    explorer = await startExplorerServer({ port: 0 });
  }, 40_000);
  afterAll(async () => {
    await explorer?.stop();
  });

  it('binds 127.0.0.1 and serves its own page, whose scripts and styles are all local', async () => {
    expect(explorer!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(explorer!.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    const refs = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(refs.length).toBeGreaterThan(2);
    for (const ref of refs) {
      expect(ref, 'a local path').toMatch(/^\/[^/]/);
      const asset = await fetch(new URL(ref, explorer!.url));
      expect(asset.status, ref).toBe(200);
    }
    expect(html).not.toMatch(/<script>/); // no inline script
  });

  it('replaces swagger-ui-dist\'s Petstore initializer with one that loads /openapi.json', async () => {
    const js = await (await fetch(new URL('/swagger-initializer.js', explorer!.url))).text();
    expect(js).toContain("url: '/openapi.json'");
    expect(js).not.toMatch(/petstore|https?:/);
  });

  it('serves the bundled spec with the embedded mock as the first server, then Amani\'s regions only', async () => {
    const served = (await (await fetch(new URL('/openapi.json', explorer!.url))).json()) as typeof spec;
    expect(served.servers[0]!.url).toBe(explorer!.mockUrl);
    expect(served.servers.slice(1)).toEqual(spec.servers);
    for (const server of served.servers.slice(1)) expect(server.url).toMatch(/^https:\/\/[a-z0-9{}]+\.amani\.ai$/);
    expect(served.paths).toEqual(spec.paths);
  });

  it('shows each operation\'s evidence level and source in its description', async () => {
    const served = (await (await fetch(new URL('/openapi.json', explorer!.url))).json()) as {
      paths: Record<string, Record<string, { description?: string; 'x-amani-evidence'?: string; externalDocs?: { url: string } }>>;
    };
    const operations = Object.values(served.paths).flatMap((item) => Object.values(item).filter((op) => typeof op === 'object' && 'x-amani-evidence' in op));
    expect(operations.length).toBeGreaterThan(20);
    for (const op of operations) {
      expect(op.description).toContain(`Evidence: \`${op['x-amani-evidence']}\` (source: [`);
      expect(op.description).toContain(`](${op.externalDocs!.url}))`);
    }
  });

  it('lets the page call the mock and every region, eu1 included, and nothing else', async () => {
    const csp = (await fetch(explorer!.url)).headers.get('content-security-policy') ?? '';
    const connect = /connect-src ([^;]*)/.exec(csp)?.[1]?.split(' ');
    expect(connect).toEqual(["'self'", new URL(explorer!.mockUrl).origin, 'https://eu.amani.ai', 'https://eu1.amani.ai', 'https://tr.amani.ai', 'https://ae.amani.ai']);
  });

  it('refuses paths outside swagger-ui-dist and methods other than GET and HEAD', async () => {
    for (const path of ['/../package.json', '/../../package.json', '/..%2f..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/%2e%2e/package.json', '//etc/passwd', '/..%5c..%5cpackage.json']) {
      const res = await rawGet(explorer!.url, path);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain(rootPackageName);
    }
    const post = await fetch(new URL('/openapi.json', explorer!.url), { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('lets the page call the mock across origins (Prism answers CORS preflights)', async () => {
    const origin = new URL(explorer!.url).origin;
    const preflight = await fetch(`${explorer!.mockUrl}/api/v2/webhook/events`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
  });
});

describe('explorer stop', () => {
  it('closes the server and stops the mock', async () => {
    const explorer = await startExplorerServer({ port: 0 });
    const held = await fetch(explorer.url); // a kept-alive connection must not delay the stop
    expect(held.status).toBe(200);
    expect(isAlive(explorer.mockPid)).toBe(true);
    await explorer.stop();
    expect(isAlive(explorer.mockPid)).toBe(false);
    await expect(fetch(explorer.url)).rejects.toThrow();
  }, 40_000);

  it('fails at once on a busy port (before Prism is started)', async () => {
    const first = await startExplorerServer({ port: 0 });
    try {
      const port = Number(new URL(first.url).port);
      await expect(startExplorerServer({ port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await first.stop();
    }
  }, 60_000);
});
