// Shared by the reliability suite: the test's secrets (password, tokens, webhook secrets), a client
// wired to a fault server with a collecting logger, the evidence collector that every file scans
// for secrets at its end, and the per-test guard that fails a test on any unhandled rejection.
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { AmaniClient, type AmaniClientOptions, type RequestLogEntry } from '../../src/index.ts';
import { closedPort, startFaultServer, type FaultServer } from './fault-server.ts';

/** Short backoff so retries cost milliseconds; attempts are counted, never timed. */
export const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 5 };

export const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
export const PROFILE_ID = '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e';
/** The smallest page the upload's content sniffing accepts as a JPEG. */
export const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xde, 0xad]);

// ---------------------------------------------------------------------------------------------
// Secrets: everything registered here must never show up in anything the suite collects.

const secrets = new Map<string, string>();

/** Registers a secret (and returns it). Short values would match by accident: refuse them. */
export function secret(name: string, value: string): string {
  if (value.length < 8) throw new Error(`secret ${name} is too short to scan for reliably`);
  secrets.set(name, value);
  return value;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * An unsigned JWT, registered as a secret with its distinctive parts (payload, signature): a leak
 * of half a token is still a leak. `expiresInS` is relative to the real clock the client reads.
 */
export function jwt(name: string, expiresInS: number, claims: Record<string, unknown> = {}): string {
  const payload = b64url({ token_type: 'access', jti: `${name}-jti-7Qx`, exp: Math.floor(Date.now() / 1000) + expiresInS, ...claims });
  const signature = `Sig${name.replace(/[^A-Za-z0-9]/g, '')}Zq9xK`;
  secret(`${name} payload`, payload);
  secret(`${name} signature`, signature);
  return secret(name, `${b64url({ alg: 'HS256', typ: 'JWT' })}.${payload}.${signature}`);
}

export const USERNAME = 'ops@company.example';
export const PASSWORD = secret('password', 'Rel1ab-Passw0rd!x9');
export const credentials = { username: USERNAME, password: PASSWORD };
/** Far-future access and refresh tokens: a client holding them never refreshes on its own. */
export const ACCESS = jwt('UserAccess', 10 * 365 * 86_400);
export const REFRESH = jwt('UserRefresh', 10 * 365 * 86_400, { token_type: 'refresh' });

// ---------------------------------------------------------------------------------------------
// Evidence: every error, log entry and inspect output the suite produces, scanned at the end.

export class Evidence {
  readonly #texts: Array<{ label: string; text: string }> = [];

  text(label: string, text: unknown): void {
    this.#texts.push({ label, text: String(text) });
  }

  log(entry: RequestLogEntry): void {
    this.text(`log ${entry.method} ${entry.path} #${entry.attempt}`, `${entry.message} ${JSON.stringify(entry)} ${inspect(entry)}`);
  }

  error(label: string, error: unknown): void {
    const e = error as Error;
    this.text(`${label} message`, e?.message);
    this.text(`${label} stack`, e?.stack);
    this.text(`${label} String`, String(e));
    this.text(`${label} JSON`, safeJson(e));
    this.text(`${label} inspect`, inspect(e, { depth: Infinity, showHidden: true }));
  }

  object(label: string, value: unknown): void {
    this.text(`${label} inspect`, inspect(value, { depth: 6 }));
    this.text(`${label} inspect showHidden`, inspect(value, { depth: 6, showHidden: true }));
    this.text(`${label} JSON`, safeJson(value));
    this.text(`${label} String`, String(value));
  }

  get size(): number {
    return this.#texts.length;
  }

  /** "secret in place" for each hit. */
  leaks(): string[] {
    const hits: string[] = [];
    for (const { label, text } of this.#texts) {
      for (const [name, value] of secrets) if (text.includes(value)) hits.push(`${name} in ${label}`);
    }
    return hits;
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch (error) {
    return `(JSON.stringify threw ${(error as Error).name})`;
  }
}

export const evidence = new Evidence();

/** The rejection reason of a call (recorded as evidence), or throws when the call succeeded. */
export async function failure(label: string, call: () => Promise<unknown>): Promise<Error> {
  try {
    await call();
  } catch (error) {
    evidence.error(label, error);
    return error as Error;
  }
  throw new Error(`${label}: expected a failure, the call succeeded`);
}

/**
 * Declared last in every file: nothing the file collected (errors with their causes, stacks and
 * inspect output, log entries, inspected clients) contains a registered secret.
 */
export function secretScan(minimumEvidence = 1): void {
  it('leaves no password, token or webhook secret in any error, log entry or inspect output it produced', () => {
    expect(evidence.size).toBeGreaterThanOrEqual(minimumEvidence);
    expect(secrets.size).toBeGreaterThan(0);
    expect(evidence.leaks()).toEqual([]);
  }, 30_000);
}

// ---------------------------------------------------------------------------------------------
// Unhandled rejections: each test fails on any, attributed to that test.

export function failOnUnhandledRejections(): void {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => void seen.push(reason);
  beforeEach(() => {
    seen.length = 0;
    process.on('unhandledRejection', listener);
  });
  afterEach(async () => {
    // A rejection is reported once the microtask queue drains: let a few macrotask turns pass.
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    process.off('unhandledRejection', listener);
    for (const reason of seen) evidence.error('unhandled rejection', reason);
    expect(seen.map((reason) => String((reason as Error)?.stack ?? reason)), 'unhandled rejections').toEqual([]);
  });
}

// ---------------------------------------------------------------------------------------------
// The client under test.

export interface ClientUnderTest {
  client: AmaniClient;
  /** Every logger entry, in order. */
  logs: RequestLogEntry[];
}

/** An AmaniClient on the fault server: far-future tokens, fast retries, a collecting logger. */
export function clientFor(server: Pick<FaultServer, 'url'>, options: Partial<AmaniClientOptions> = {}): ClientUnderTest {
  const logs: RequestLogEntry[] = [];
  const client = new AmaniClient({
    baseUrl: server.url,
    tokens: { access: ACCESS, refresh: REFRESH },
    retry: FAST_RETRY,
    logger: (entry) => {
      logs.push(entry);
      evidence.log(entry);
    },
    ...options,
  });
  evidence.object('client', client);
  return { client, logs };
}

/**
 * A client whose first attempt is refused (nothing listens on its port) and whose retry reaches
 * `late`: the logger, called before the retry's wait, opens the port (listen() binds synchronously).
 */
export async function refusedOnceThen(late: FaultServer, options: Partial<AmaniClientOptions> = {}): Promise<ClientUnderTest> {
  const port = await closedPort();
  const logs: RequestLogEntry[] = [];
  const { client } = clientFor({ url: `http://127.0.0.1:${port}` }, {
    ...options,
    logger: (entry) => {
      logs.push(entry);
      evidence.log(entry);
      if (logs.length === 1) void late.listen(port);
    },
  });
  return { client, logs };
}

/** Resolves once `condition` holds, polling; throws after `ms` so nothing waits forever. */
export async function until(condition: () => boolean, ms = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * One fault server for the calling test file: started before its tests, closed after them, its
 * record cleared before each test. The returned object forwards to that server, so tests can use
 * it at top level before it exists, and no unhandled rejection may happen during a test.
 */
export function useFaultServer(): FaultServer {
  let current: FaultServer | undefined;
  beforeAll(async () => {
    current = await startFaultServer();
  }, 10_000);
  afterAll(() => current?.close(), 10_000);
  beforeEach(() => current!.forget());
  failOnUnhandledRejections();
  return new Proxy({} as FaultServer, {
    get(_target, property) {
      if (!current) throw new Error('the fault server is used before beforeAll started it');
      const value = (current as unknown as Record<PropertyKey, unknown>)[property];
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}
