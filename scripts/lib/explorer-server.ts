// The API explorer behind `npm run explorer`: Swagger UI (from swagger-ui-dist, served locally) on
// the bundled spec, whose first server is an embedded Prism mock so "Try it out" works offline.
// Tests start and stop it in-process; nothing here belongs in the browser-safe client.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, extname, resolve, sep } from 'node:path';
import { once } from 'node:events';
import { startMockServer, type MockServer, type MockServerOptions } from '../../src/testing/mock-server.ts';
import { bundledSpec } from './paths.ts';
import { serverOrigins, type ServerLike } from './servers.ts';
import { indexHtml, initializerJs } from './explorer-page.ts';

const require = createRequire(import.meta.url);

/** swagger-ui-dist's package directory: the only directory whose files the explorer serves. */
export const swaggerUiDir = dirname(require.resolve('swagger-ui-dist/package.json'));

export interface ExplorerOptions {
  /** Port on 127.0.0.1; 0 picks a free one. Defaults to 8080. */
  port?: number;
  /** The bundled spec to explore. Defaults to generated/openapi.json. */
  spec?: string;
  /** Passed to startMockServer (the spec is always the explorer's). */
  mock?: Omit<MockServerOptions, 'spec'>;
}

export interface Explorer {
  /** The page, e.g. http://127.0.0.1:8080/ */
  readonly url: string;
  /** The embedded Prism mock "Try it out" calls by default. */
  readonly mockUrl: string;
  readonly mockPid: number;
  /** Closes the HTTP server and stops the mock; safe to call more than once. */
  stop(): Promise<void>;
}

interface Spec {
  servers?: (ServerLike & { description?: string })[];
  [key: string]: unknown;
}

/**
 * The spec with the embedded mock as its first server, so "Try it out" works offline. The spec's
 * own servers are Amani's regions only (the mock is no server of the API), kept as they are.
 */
export function withMockServer(spec: Spec, mockUrl: string): Spec {
  return {
    ...spec,
    servers: [{ url: mockUrl, description: 'Embedded Prism mock of this description (started by the explorer)' }, ...(spec.servers ?? [])],
  };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The file under swagger-ui-dist for a URL path, or undefined when the path would leave the
 * package (`..`, encoded slashes, symlinks) or is not a regular file.
 */
export async function resolveAsset(urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const root = await realpath(swaggerUiDir);
  const candidate = resolve(root, `.${decoded}`);
  if (!candidate.startsWith(root + sep)) return undefined;
  try {
    const real = await realpath(candidate);
    if (!real.startsWith(root + sep) || !(await stat(real)).isFile()) return undefined;
    return real;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, csp?: string): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(csp ? { 'content-security-policy': csp } : {}),
  });
  res.end(body);
}

export async function startExplorerServer(options: ExplorerOptions = {}): Promise<Explorer> {
  const specPath = options.spec ?? bundledSpec;
  const spec = JSON.parse(await readFile(specPath, 'utf8')) as Spec;
  // Set once the mock is up: the spec names its URL, and the page needs both.
  let page: { specJson: string; csp: string } | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed\n');
    }
    if (!page) return send(res, 503, 'text/plain; charset=utf-8', 'Starting the mock, try again shortly\n');
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/' || path === '/index.html') return send(res, 200, TYPES['.html']!, indexHtml, page.csp);
    if (path === '/swagger-initializer.js') return send(res, 200, TYPES['.js']!, initializerJs);
    if (path === '/openapi.json') return send(res, 200, TYPES['.json']!, page.specJson);
    const file = await resolveAsset(path);
    if (!file) return send(res, 404, 'text/plain; charset=utf-8', 'Not found\n');
    return send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(file));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal error\n');
      else res.destroy();
    });
  });
  const close = () => {
    const closed = new Promise<void>((done) => server.close(() => done()));
    // Browsers keep connections alive; without this, close() would wait for them to time out.
    server.closeAllConnections();
    return closed;
  };
  // Listen first: a busy port fails at once, before Prism is spawned.
  server.listen(options.port ?? 8080, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  let mock: MockServer;
  try {
    mock = await startMockServer({ ...options.mock, spec: specPath });
  } catch (error) {
    await close();
    throw error;
  }
  const served = withMockServer(spec, mock.url);
  // Scripts and styles only from the explorer itself; requests only to the spec's servers (each
  // value of a server variable: Swagger UI lets the reader pick eu1 for Europe).
  const connect = ["'self'", ...serverOrigins(served.servers ?? [])].join(' ');
  page = {
    specJson: JSON.stringify(served, null, 2),
    csp: `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src ${connect}; frame-ancestors 'none'`,
  };

  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/`,
    mockUrl: mock.url,
    mockPid: mock.pid,
    stop: () => (stopping ??= Promise.all([close(), mock.stop()]).then(() => undefined)),
  };
}
