// An AmaniClient for one command: for the configured API, or for the embedded Prism mock when
// --mock is given or nothing at all is configured (started for the command, announced on stderr,
// always stopped).
import { createRequire } from 'node:module';
import { AmaniClient } from '../client.ts';
import { resolveBaseUrl, type Region } from '../core/base-url.ts';
import { startMockServer, type MockServer } from '../testing/mock-server.ts';
import { resolveCredentials, resolveTarget, type GlobalOptions } from './config.ts';
import { CliError } from './errors.ts';
import type { CliIo } from './io.ts';
import { withProgress } from './progress.ts';

/** The mock's demo user (any credentials work against Prism; these match `npm start`). */
const DEMO_CREDENTIALS = { username: 'user@account.com', password: 'correct-horse-battery-staple' };

/** Said on stderr, and above every table, whenever answers come from the mock. */
export const MOCK_NOTICE = '(mock) answers come from the embedded Prism mock, not Amani';

const SILENT = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

const WHY_MOCK = { flag: '--mock', unconfigured: 'nothing configured: set AMANI_REGION or AMANI_BASE_URL for your account' } as const;

export interface Connection {
  client: AmaniClient;
  /** True on the embedded mock: whatever is printed must say so. */
  mock: boolean;
  close(): Promise<void>;
}

/** Fails with install instructions when Prism is missing (a user installed only the client). */
export function ensurePrism(resolve: (id: string) => string = createRequire(import.meta.url).resolve): void {
  try {
    resolve('@stoplight/prism-cli/dist/index.js');
  } catch {
    throw new CliError(
      'the embedded mock needs @stoplight/prism-cli, which is not installed: run `npm install --save-dev @stoplight/prism-cli`, ' +
        'or set AMANI_REGION or AMANI_BASE_URL to use the real API',
    );
  }
}

/**
 * Starts Prism with a progress line. SIGINT/SIGTERM, from the start on, stop Prism before the CLI
 * exits (130/143): a signal sent to the CLI alone would otherwise leave Prism running.
 */
export async function startEmbeddedMock(io: CliIo, label: string): Promise<{ mock: MockServer; release: () => void }> {
  ensurePrism();
  let mock: MockServer | undefined;
  let interrupted: NodeJS.Signals | undefined;
  const release = io.onInterrupt((signal) => {
    interrupted ??= signal;
    // Before Prism is up, it is stopped below as soon as it is.
    if (mock) void mock.stop().then(() => io.exit(signal === 'SIGINT' ? 130 : 143));
  });
  try {
    mock = await withProgress(io.stderr, label, () => startMockServer());
  } catch (error) {
    release();
    throw new CliError(`the embedded mock did not start: ${(error as Error).message}`);
  }
  if (interrupted) {
    await mock.stop();
    release();
    io.exit(interrupted === 'SIGINT' ? 130 : 143);
    throw new CliError(`interrupted by ${interrupted}`); // io.exit does not return in the real CLI
  }
  return { mock, release };
}

/** `tuning`: client options a command sets itself (`conformance` sends each request once: no retries). */
export async function connect(options: GlobalOptions, io: CliIo, needsLogin: boolean, tuning: { maxRetries?: number } = {}): Promise<Connection> {
  const target = resolveTarget(options, io.env);
  const timeoutMs = options.timeout;
  if (target.kind === 'api') {
    const { region, baseUrl } = target;
    const allowInsecureHttp = options.insecureHttp === true;
    // The region and base URL are checked as the client checks them (InvalidInputError: a usage
    // error, exit 2), naming the CLI's flag. Plain http to another host (--insecure-http) is said
    // once, on the CLI's stderr rather than the client's console.warn (kept quiet by SILENT).
    resolveBaseUrl({ region, baseUrl, allowInsecureHttp }, (message) => io.stderr.write(`warning: ${message}\n`), '--insecure-http');
    const credentials = needsLogin ? await resolveCredentials(options, io) : undefined;
    const client = new AmaniClient({
      region: region as Region | undefined,
      baseUrl,
      allowInsecureHttp,
      credentials,
      timeoutMs,
      ...tuning,
      ...(allowInsecureHttp ? { logger: SILENT } : {}),
    });
    return { client, mock: false, close: async () => {} };
  }
  // First, before the mock starts: even a failing command on the mock says where it ran.
  io.stderr.write(`${MOCK_NOTICE} (${WHY_MOCK[target.why]})\n`);
  const { mock, release } = await startEmbeddedMock(io, 'Starting the embedded Amani mock');
  io.stderr.write(`(mock) Prism at ${mock.url}\n`);
  try {
    const client = new AmaniClient({ baseUrl: mock.url, credentials: DEMO_CREDENTIALS, timeoutMs, ...tuning });
    return {
      client,
      mock: true,
      close: async () => {
        release();
        await mock.stop();
      },
    };
  } catch (error) {
    release();
    await mock.stop();
    throw error;
  }
}
