// Runs the CLI in-process (runCli with injected streams, environment and stdin) or as the real
// executable (`node --import tsx src/cli/main.ts`), and a tiny loopback API for error answers.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { CliIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/program.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  stdin?: string | Uint8Array;
  /** Pretend stderr is a terminal (progress indicators are drawn). */
  tty?: boolean;
}

/** Every output any CLI run in this process produced, for the "no secret printed" checks. */
export const allOutput: string[] = [];

/** The CLI in-process: faster than a child process, and the same code path as main.ts. */
export async function cli(argv: string[], options: RunOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.tty === true },
    stdin: Readable.from(options.stdin === undefined ? [] : [typeof options.stdin === 'string' ? Buffer.from(options.stdin) : options.stdin]),
    env: options.env ?? {},
    onInterrupt: () => () => {},
    exit: (code) => {
      throw new Error(`the CLI tried to exit the test process with ${code}`);
    },
  };
  const code = await runCli(argv, io);
  allOutput.push(stdout, stderr);
  return { code, stdout, stderr };
}

/** The environment of the process minus every AMANI_* variable, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AMANI_') && value !== undefined) env[key] = value;
  return { ...env, ...extra };
}

/** The real executable as a child process. */
export async function cliProcess(argv: string[], options: { env?: Record<string, string>; stdin?: string } = {}): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...argv], {
    env: cleanEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(options.stdin ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  allOutput.push(stdout, stderr);
  return { code: code ?? -1, stdout, stderr };
}

export interface TinyApi {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** A loopback HTTP server answering each request with `answer(request)`: [status, JSON body]. */
export async function tinyApi(answer: (request: IncomingMessage) => [number, unknown] | 'hang'): Promise<TinyApi> {
  const requests: string[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests.push(`${request.method} ${request.url}`);
    request.resume();
    const result = answer(request);
    if (result === 'hang') return;
    const [status, body] = result;
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** True when nothing accepts connections at the URL any more. */
export async function isClosed(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return false;
  } catch {
    return true;
  }
}

/** A tiny valid JPEG header, enough for the upload's content sniffing. */
export const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
