// The mock's public face: a node:http proxy in the process that started the mock, listening on the
// port the caller asked for and forwarding to Prism on a private port. Holding the port itself
// means a port another server already holds is refused (EADDRINUSE) before Prism starts, and what
// answers on the mock's URL is always this mock, never another server that held the port first.
import { Agent, createServer, request as forwardRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { faultsPathParameter, NOT_FOUND, type DeclaredAnswer, type PathGuard, type PathRoute } from './mock-paths.ts';

/**
 * Thrown by {@link startMockServer} (and printed by `amani mock`): the port asked for is held by
 * another process, so nothing was started. Pass port 0 for a free port, or stop the other server.
 */
export class MockPortInUseError extends Error {
  /** As Node's own error for a port in use. */
  readonly code = 'EADDRINUSE';
  /** The port that was asked for. */
  readonly port: number;
  constructor(port: number, cause?: Error) {
    super(`port ${port} is in use (by another server); pass port 0 for a free port or stop the other process`, cause && { cause });
    this.port = port;
  }
  override get name(): string {
    return 'MockPortInUseError';
  }
}

/** Hop-by-hop headers are the connection's own, not the answer's: Node sets its own. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade']);

function endToEnd(raw: string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (!HOP_BY_HOP.has(raw[i]!.toLowerCase())) kept.push(raw[i]!, raw[i + 1]!);
  return kept;
}

function answer(res: ServerResponse, status: number, body: object): void {
  if (res.headersSent) return void res.destroy();
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

export interface MockFront {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

/** Why a request body must not reach Prism (it is answered 400 with that reason), or undefined. */
export type BodyCheck = (headers: IncomingHttpHeaders, body: Buffer) => string | undefined;

/**
 * Prism's validation answer (400 or 422) to a request for an operation with path parameters: read
 * whole, and replaced by the operation's declared answer when it faults a path parameter.
 */
function passOrReplace(reply: IncomingMessage, res: ServerResponse, malformed: DeclaredAnswer): void {
  const chunks: Buffer[] = [];
  reply.on('data', (chunk: Buffer) => chunks.push(chunk));
  reply.once('end', () => {
    const body = Buffer.concat(chunks);
    if (faultsPathParameter(reply.headers['sl-violations'], body.toString('utf8'))) return answer(res, malformed.status, malformed.body as object);
    res.writeHead(reply.statusCode!, reply.statusMessage, endToEnd(reply.rawHeaders)).end(body);
  });
}

/**
 * Listens on 127.0.0.1:`port` (0: a free one) and forwards to Prism at `prismPort()` once it is
 * known; bodies with a Content-Type pass `check` first, and `paths` (mock-paths.ts) decides what a
 * malformed path parameter gets. Rejects with MockPortInUseError when the port is taken.
 */
export async function startFront(port: number, prismPort: () => number, check: BodyCheck, paths?: PathGuard): Promise<MockFront> {
  const agent = new Agent({ keepAlive: true });
  const forward = (req: IncomingMessage, res: ServerResponse, route: PathRoute | undefined, body?: Buffer) => {
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
    const upstream = forwardRequest({ host: '127.0.0.1', port: prismPort(), method: req.method, path: req.url, headers, agent }, (reply) => {
      reply.once('error', () => res.destroy());
      if (route?.malformed && (reply.statusCode === 400 || reply.statusCode === 422)) return passOrReplace(reply, res, route.malformed);
      res.writeHead(reply.statusCode ?? 502, reply.statusMessage, endToEnd(reply.rawHeaders));
      reply.pipe(res);
    });
    upstream.once('error', (error) => answer(res, 502, { detail: `the Prism mock did not answer: ${error.message}` }));
    res.once('close', () => upstream.destroy());
    if (body) upstream.end(body);
    else req.pipe(upstream);
  };
  const server = createServer((req, res) => {
    req.once('error', () => res.destroy());
    const route = paths?.(req.method ?? 'GET', req.url ?? '/');
    if (route?.unreadable) {
      const { status, body } = route.malformed ?? NOT_FOUND;
      req.resume();
      return answer(res, status, body as object);
    }
    if (!req.headers['content-type']) return forward(req, res, route);
    // Read whole first (Prism does too, up to 10 MB), to check it before Prism parses it.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      const body = Buffer.concat(chunks);
      const problem = check(req.headers, body);
      if (problem) answer(res, 400, { detail: problem, code: 'parse_error' });
      else forward(req, res, route, body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new MockPortInUseError(port, error) : error));
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    server,
    port: typeof address === 'object' && address ? address.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
