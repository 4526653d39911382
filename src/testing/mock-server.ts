// Starts and stops a Prism mock of the bundled Amani spec. Used by `npm run mock`, `npm start` and
// the contract suite's global setup, so every caller gets the same guarantees: loopback only, a
// free port unless one is asked for (a port already in use is refused), readiness awaited, and no
// orphan process on stop. The URL is a small front proxy (mock-front.ts) that holds the port and
// guards Prism against bodies and path parameters it mishandles; Prism listens on a private port
// behind it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { startFront } from './mock-front.ts';
import { unparseable } from './mock-guard.ts';
import { pathGuard } from './mock-paths.ts';

export { MockPortInUseError } from './mock-front.ts';

const require = createRequire(import.meta.url);

/** How {@link startMockServer} runs the mock. */
export interface MockServerOptions {
  /** Path of the OpenAPI document to mock. Defaults to the bundled spec in generated/. */
  spec?: string | undefined;
  /**
   * Port on 127.0.0.1; 0 (the default) picks a free one. A port another process holds is refused
   * with MockPortInUseError before Prism starts.
   */
  port?: number | undefined;
  /** Generate responses from schemas instead of returning the spec's examples. */
  dynamic?: boolean | undefined;
  /** Called with each line Prism prints (off by default: Prism logs every request). */
  onLog?: ((line: string) => void) | undefined;
  /** How long to wait for Prism to answer, in milliseconds. */
  readyTimeoutMs?: number | undefined;
}

/** A running mock: point a client at `url`, and `stop()` it when the tests are done. */
export interface MockServer {
  /** Base URL to hand to the client, e.g. http://127.0.0.1:4010 */
  readonly url: string;
  /** The port of `url` on 127.0.0.1. */
  readonly port: number;
  /** The Prism process id (Prism itself listens on a private port behind `url`). */
  readonly pid: number;
  /** Stops Prism (SIGTERM, then SIGKILL after a grace period) and waits until it has exited. */
  stop(): Promise<void>;
}

/**
 * The bundled spec, resolved through the package's own `exports` (a self-reference to
 * `amani-client/openapi.json`): the same lookup finds generated/openapi.json from src/ (tsx,
 * vitest), from dist/ in the ESM and CJS builds (whichever chunk this code lands in) and from an
 * installed copy, where a path relative to this file would differ in each.
 */
export const defaultSpecPath = require.resolve('amani-client/openapi.json');

/**
 * Loaded into Prism's process before Prism (`node --import`): Prism's stdin is a pipe from the
 * process that started it, which the kernel closes however that process ends (a crashed or
 * SIGKILLed test runner too). On that end of input, Prism exits instead of living on as an orphan.
 */
const EXIT_WITH_PARENT = `data:text/javascript,${encodeURIComponent(
  "const exit = () => process.exit(0); process.stdin.once('end', exit).once('error', exit).resume();",
)}`;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a Prism mock of the shipped spec on 127.0.0.1 and waits until it answers: each operation
 * answers with the spec's examples (or generated data with `dynamic`), a request that breaks the
 * spec gets a 4xx, and a malformed path parameter (an id that is no uuid) the 404 the operation
 * declares for it. Prism stops on `stop()`, and with the process that started it, however
 * that process ends.
 *
 * @example
 * ```ts
 * const mock = await startMockServer();
 * const amani = new AmaniClient({ baseUrl: mock.url, credentials: { username: 'user@example.com', password: 'secret' } });
 * // ... run the tests ...
 * await mock.stop();
 * ```
 * @returns The running mock, once it answers on its `url`.
 * @throws {@link MockPortInUseError} when `port` is held by another process (nothing is started).
 * @throws Error when Prism (the optional peer dependency `@stoplight/prism-cli`) is not installed
 *   (the message says how to install it), or when it does not answer within `readyTimeoutMs`.
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const entry = prismEntry();
  // Known once Prism has said it listens; nothing is forwarded before that.
  let prismPort = 0;
  const spec = options.spec ?? defaultSpecPath;
  const front = await startFront(options.port ?? 0, () => prismPort, (headers, body) => unparseable(headers, body, entry), pathGuard(spec));
  const privatePort = await freePort().catch(async (error: unknown) => {
    await front.close();
    throw error;
  });
  const args = [
    entry,
    'mock',
    spec,
    '--host',
    '127.0.0.1',
    '--port',
    String(privatePort),
    ...(options.dynamic ? ['--dynamic'] : []),
  ];
  // Prism is started with node directly: a wrapper (npx, a shell) would leave Prism running when
  // only the wrapper's PID is signalled. Its stdin is the pipe it watches to exit with this process.
  const child = spawn(process.execPath, ['--import', EXIT_WITH_PARENT, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const recent: string[] = [];
  let listening = false;
  const onLine = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      // Prism's own word that it bound the private port: then what answers there is this Prism.
      if (line.includes(`Prism is listening on http://127.0.0.1:${privatePort}`)) listening = true;
      recent.push(line);
      if (recent.length > 40) recent.shift();
      options.onLog?.(line);
    }
  };
  child.stdout?.on('data', onLine);
  child.stderr?.on('data', onLine);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // If this process ends without stop() (an uncaught error, process.exit), take Prism with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));

  const url = `http://127.0.0.1:${front.port}`;
  const stopAll = async () => {
    await terminate(child, exited);
    await front.close();
  };
  try {
    await waitUntilReady(url, child, () => listening, options.readyTimeoutMs ?? 30_000, () => (prismPort = privatePort));
  } catch (error) {
    await stopAll();
    const detail = recent.slice(-10).join('\n');
    throw new Error(`Prism did not start on ${url}: ${(error as Error).message}\n${detail}`);
  }
  let stopping: Promise<void> | undefined;
  return {
    url,
    port: front.port,
    pid: child.pid!,
    stop: () => (stopping ??= stopAll()),
  };
}

/** Prism's CLI script. Prism is an optional peer dependency (it is large): say how to get it. */
function prismEntry(): string {
  try {
    return require.resolve('@stoplight/prism-cli/dist/index.js');
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error(
      'The Amani mock server runs Prism, an optional peer dependency of amani-client: install ' +
        '@stoplight/prism-cli to use the mock (npm install --save-dev @stoplight/prism-cli@^5.14.2)',
      { cause: error },
    );
  }
}

async function waitUntilReady(
  url: string,
  child: ChildProcess,
  listening: () => boolean,
  timeoutMs: number,
  connect: () => void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Prism exited with ${child.exitCode ?? child.signalCode}`);
    }
    if (listening()) {
      connect();
      try {
        // Any HTTP answer (even 401/404) through the front means Prism serves the spec.
        await fetch(`${url}/__amani_ready__`, { signal: AbortSignal.timeout(1000) });
        return;
      } catch {
        // Not yet: try again below.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer within ${timeoutMs} ms`);
}

async function terminate(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killed = await Promise.race([
    exited.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000).unref()),
  ]);
  if (!killed) {
    child.kill('SIGKILL');
    await exited;
  }
}
