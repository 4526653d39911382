// A real HTTP server on 127.0.0.1 whose answer to each request is scripted by the test: a queue
// of actions per route (reply, reset, hang up, stall, stall the body, truncate the body), then a
// fallback. It records every request as it arrives (method, path, headers, body bytes, times,
// connection) so tests count arrivals instead of trusting the client's own account, and close()
// destroys every socket, stalled ones included, so no test can hang on it.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';

export interface RecordedRequest {
  /** 1-based arrival order over the whole server. */
  seq: number;
  method: string;
  /** The path without the query. */
  path: string;
  /** The path with the query. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Date.now() when the headers arrived, and when the body was complete. */
  arrivedAt: number;
  receivedAt?: number;
  /**
   * When the exchange ended: the answer was sent, or the connection closed under it (a stalled
   * request gets this only when the client gives up on it, or on close()).
   */
  closedAt?: number;
  /** The connection it came on (1-based, in order of connection). */
  connection: number;
  /** The kind of action that answered it. */
  action: string;
}

export type Handler = (request: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface Action {
  kind: string;
  run: Handler;
}

type Headers = Record<string, string>;

function send(res: ServerResponse, status: number, body: string | Buffer, headers: Headers): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'content-length': String(bytes.length), ...headers });
  res.end(bytes);
}

/** The action builders: each one fault (or answer) the server can give a request. */
export const act = {
  /** A complete answer. */
  reply(status: number, body: string | Buffer = '', headers: Headers = {}): Action {
    return { kind: `reply ${status}`, run: (_req, res) => send(res, status, body, headers) };
  },
  json(status: number, value: unknown, headers: Headers = {}): Action {
    return {
      kind: `json ${status}`,
      run: (_req, res) => send(res, status, JSON.stringify(value), { 'content-type': 'application/json', ...headers }),
    };
  },
  /** An HTML error page, as a proxy or load balancer answers. */
  html(status: number, headers: Headers = {}): Action {
    const page = `<!DOCTYPE html><html><head><title>${status}</title></head><body><h1>${status} Bad Gateway</h1><hr>nginx</body></html>`;
    return { kind: `html ${status}`, run: (_req, res) => send(res, status, page, { 'content-type': 'text/html', ...headers }) };
  },
  /** A complete answer whose body is cut off JSON (the content-length matches what is sent). */
  invalidJson(status = 200): Action {
    return {
      kind: `invalid json ${status}`,
      run: (_req, res) => send(res, status, '{"id": "6aff82cb-e91a-4df4-b9a3-d69de0be1a2e", "name": "Ay', { 'content-type': 'application/json' }),
    };
  },
  /** A complete answer labelled with another content type. */
  wrongContentType(status: number, body: string, contentType = 'text/plain; charset=utf-8'): Action {
    return { kind: `${contentType} ${status}`, run: (_req, res) => send(res, status, body, { 'content-type': contentType }) };
  },
  /** TCP reset after the request arrived: no answer at all. */
  reset(): Action {
    return { kind: 'reset', run: (_req, res) => void res.socket?.resetAndDestroy() };
  },
  /** The connection is closed cleanly (FIN) without an answer. */
  hangup(): Action {
    return { kind: 'hangup', run: (_req, res) => void res.socket?.end() };
  },
  /** Never answers; close() (or the client giving up) ends it. */
  stall(): Action {
    return { kind: 'stall', run: () => undefined };
  },
  /** Sends the status line, headers and part of the body, then stalls. */
  stallBody(status = 200, partial = '{"id": "6aff82cb-'): Action {
    return {
      kind: `stall body ${status}`,
      run: (_req, res) => {
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(partial.length + 100) });
        res.write(partial);
      },
    };
  },
  /** Declares more bytes than it sends, then closes the connection mid-body. */
  truncated(status = 200, body = '{"id": "6aff82cb-e91a-4df4-b9a3-d69de0be1a2e", "name": "Ayse'): Action {
    return {
      kind: `truncated ${status}`,
      run: (_req, res) => {
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(body.length + 64) });
        res.write(body, () => res.socket?.destroy());
      },
    };
  },
  /** Anything else, e.g. an answer that depends on the request's token. */
  handle(handler: Handler, kind = 'handler'): Action {
    return { kind, run: handler };
  },
};

interface Route {
  method: string;
  path: string | RegExp;
  queue: Action[];
  fallback?: Action | ((request: RecordedRequest) => Action);
}

export interface FaultServer {
  /** http://127.0.0.1:PORT (once listening) */
  readonly url: string;
  /**
   * Starts listening on `port` (0: any free port). The socket is bound before this returns, so a
   * test can open the port between two attempts of a client from inside its logger.
   */
  listen(port?: number): Promise<void>;
  /** Every request in arrival order (empty when started with `record: false`). */
  readonly requests: RecordedRequest[];
  /** How many requests have arrived (also counted when not recorded). */
  readonly count: number;
  /** Queues actions for the next requests to METHOD path (exact, or a RegExp on the path). */
  script(method: string, path: string | RegExp, ...actions: Action[]): FaultServer;
  /** What the route answers once its queue is empty (default: an "unscripted" 599). */
  fallback(method: string, path: string | RegExp, action: Action | ((request: RecordedRequest) => Action)): FaultServer;
  /** The requests to METHOD (and path, when given). */
  arrivals(method: string, path?: string | RegExp): RecordedRequest[];
  /** Connections accepted so far. */
  readonly connections: number;
  /** Forgets the scripts and recorded requests (open connections stay). */
  forget(): void;
  close(): Promise<void>;
}

const matches = (pattern: string | RegExp, path: string) => (typeof pattern === 'string' ? pattern === path : pattern.test(path));

export interface FaultServerOptions {
  /** Keep every request (default). Off for soaks: only `count` grows. */
  record?: boolean;
}

/** A listening fault server on a free 127.0.0.1 port. */
export async function startFaultServer(options: FaultServerOptions = {}): Promise<FaultServer> {
  const server = createFaultServer(options);
  await server.listen();
  return server;
}

/** A fault server that is not listening yet: script it, then listen(). */
export function createFaultServer({ record = true }: FaultServerOptions = {}): FaultServer {
  const routes: Route[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Map<Socket, number>();
  let connections = 0;
  let count = 0;

  const routeFor = (method: string, path: string | RegExp): Route => {
    const found = routes.find((r) => r.method === method && String(r.path) === String(path));
    if (found) return found;
    const route: Route = { method, path, queue: [] };
    routes.push(route);
    return route;
  };

  const server = createServer({ keepAlive: true }, (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    const path = url.split('?')[0]!;
    // Recorded on arrival of the headers: a request whose body never completes still counts.
    const request: RecordedRequest = {
      seq: ++count,
      method,
      path,
      url,
      headers: req.headers,
      body: Buffer.alloc(0),
      arrivedAt: Date.now(),
      connection: sockets.get(req.socket) ?? 0,
      action: '(body not complete)',
    };
    if (record) requests.push(request);
    res.on('close', () => (request.closedAt ??= Date.now()));
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => undefined);
    req.on('end', () => {
      request.body = Buffer.concat(chunks);
      request.receivedAt = Date.now();
      const route = routes.find((r) => r.method === method && matches(r.path, path));
      const fallback = route?.fallback;
      const action =
        route?.queue.shift() ??
        (typeof fallback === 'function' ? fallback(request) : fallback) ??
        act.json(599, { detail: `unscripted ${method} ${path}` });
      request.action = action.kind;
      Promise.resolve()
        .then(() => action.run(request, res))
        .catch(() => res.socket?.destroy());
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.set(socket, ++connections);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 30_000;

  const fault: FaultServer = {
    get url() {
      const address = server.address() as AddressInfo | null;
      if (!address) throw new Error('the fault server is not listening');
      return `http://127.0.0.1:${address.port}`;
    },
    listen(port = 0) {
      // With a numeric host, listen() binds synchronously; 'listening' follows on the next tick.
      const listening = new Promise<void>((resolve, reject) => {
        server.once('listening', resolve);
        server.once('error', reject);
      });
      server.listen(port, '127.0.0.1');
      return listening;
    },
    requests,
    script(method, path, ...actions) {
      routeFor(method, path).queue.push(...actions);
      return fault;
    },
    fallback(method, path, action) {
      routeFor(method, path).fallback = action;
      return fault;
    },
    arrivals(method, path) {
      return requests.filter((r) => r.method === method && (path === undefined || matches(path, r.path)));
    },
    get count() {
      return count;
    },
    get connections() {
      return connections;
    },
    forget() {
      routes.length = 0;
      requests.length = 0;
      count = 0;
    },
    close() {
      for (const socket of sockets.keys()) socket.destroy();
      if (!server.listening) return Promise.resolve();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fault;
}

/** A 127.0.0.1 port nothing listens on (it was free a moment ago): connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
