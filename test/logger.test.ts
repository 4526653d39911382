// The `logger` option as a console-style object ({ debug, info, warn, error }: console, pino,
// winston), over real HTTP: every attempt is logged at the documented level, the method is called
// on its object (so `this` works), and an object missing a method is refused before anything is sent.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AmaniClient, ConnectionError, InvalidInputError, NotFoundError, ServerError, type RequestLogEntry } from '../src/index.ts';
import { act } from './reliability/fault-server.ts';
import { ACCESS, clientFor, evidence, failure, PROFILE_ID, REFRESH, secretScan, useFaultServer } from './reliability/harness.ts';

const server = useFaultServer();
const PROFILE_PATH = `/api/v2/profile/${PROFILE_ID}`;
const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

/** A console-like logger whose methods need `this` (as pino's do), recording every call. */
class RecordingLogger {
  readonly #calls: Array<{ level: Level; args: unknown[] }> = [];
  get calls() {
    return this.#calls;
  }
  levels(): Level[] {
    return this.#calls.map((c) => c.level);
  }
  #record(level: Level, args: unknown[]): void {
    this.#calls.push({ level, args });
    evidence.log({ message: String(args[0]), ...(args[1] as Omit<RequestLogEntry, 'message'>) });
  }
  debug(...args: unknown[]) {
    this.#record('debug', args);
  }
  info(...args: unknown[]) {
    this.#record('info', args);
  }
  warn(...args: unknown[]) {
    this.#record('warn', args);
  }
  error(...args: unknown[]) {
    this.#record('error', args);
  }
}

function recorded(options: Parameters<typeof clientFor>[1] = {}) {
  const logger = new RecordingLogger();
  const { client } = clientFor(server, { logger, ...options });
  return { client, logger };
}

describe('logger: a console-style object', () => {
  it('debug for a successful attempt, warn for each attempt that is retried; called as (message, fields)', async () => {
    server.script('GET', PROFILE_PATH, act.json(503, {}), act.json(503, {}), act.json(200, { id: PROFILE_ID }));
    const { client, logger } = recorded();
    expect(await client.profiles.get(PROFILE_ID)).toEqual({ id: PROFILE_ID });
    expect(logger.levels()).toEqual(['warn', 'warn', 'debug']);
    for (const { args } of logger.calls) {
      expect(args).toHaveLength(2);
      const [message, fields] = args as [string, RequestLogEntry];
      expect(message).toMatch(new RegExp(`^GET ${PROFILE_PATH} (503|200) \\d+ms attempt \\d`));
      // The message once: winston would append a `message` field to it.
      expect(fields).not.toHaveProperty('message');
      expect(fields).toMatchObject({ method: 'GET', path: PROFILE_PATH });
    }
    const entries = logger.calls.map((c) => c.args[1] as RequestLogEntry);
    expect(entries.map((e) => [e.status, e.attempt, e.retryInMs !== undefined])).toEqual([
      [503, 1, true],
      [503, 2, true],
      [200, 3, false],
    ]);
    expect(server.arrivals('GET', PROFILE_PATH)).toHaveLength(3);
  });

  it('error for a final 5xx once the retries are spent', async () => {
    server.fallback('GET', PROFILE_PATH, act.json(500, { detail: 'boom' }));
    const { client, logger } = recorded({ maxRetries: 1 });
    expect(await failure('final 500', () => client.profiles.get(PROFILE_ID))).toBeInstanceOf(ServerError);
    expect(logger.levels()).toEqual(['warn', 'error']);
  });

  it('error for a transport failure that is not retried', async () => {
    server.script('POST', '/api/v2/webhook', act.reset());
    const { client, logger } = recorded();
    const error = await failure('reset', () =>
      client.webhooks.create({ url: 'https://hooks.example.com/a', enabled_events: ['profile_status_change'] }),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect(logger.levels()).toEqual(['error']);
    expect((logger.calls[0]!.args[1] as RequestLogEntry).error).toBe('ConnectionError');
  });

  it('info for a final 4xx answer: the caller gets the typed error and decides', async () => {
    server.script('GET', PROFILE_PATH, act.json(404, { detail: 'Not found.' }));
    const { client, logger } = recorded();
    expect(await failure('404', () => client.profiles.get(PROFILE_ID))).toBeInstanceOf(NotFoundError);
    expect(logger.levels()).toEqual(['info']);
  });

  it('info for a call the caller aborted', async () => {
    server.script('GET', PROFILE_PATH, act.stall());
    const { client, logger } = recorded();
    const controller = new AbortController();
    const call = client.profiles.get(PROFILE_ID, { signal: controller.signal });
    const settled = failure('aborted', () => call);
    while (server.arrivals('GET', PROFILE_PATH).length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    controller.abort();
    expect((await settled).name).toBe('RequestAbortedError');
    expect(logger.levels()).toEqual(['info']);
  });

  it('a logger method that throws never breaks the request', async () => {
    server.script('GET', PROFILE_PATH, act.json(200, { id: PROFILE_ID }));
    const { client } = clientFor(server, {
      logger: { debug: () => { throw new Error('disk full'); }, info() {}, warn() {}, error() {} },
    });
    expect(await client.profiles.get(PROFILE_ID)).toEqual({ id: PROFILE_ID });
  });
});

describe('logger: console itself', () => {
  afterEach(() => vi.restoreAllMocks());

  it('logger: console is accepted and logs a retried then successful call at warn, then debug', async () => {
    const spies = Object.fromEntries(LEVELS.map((level) => [level, vi.spyOn(console, level).mockImplementation(() => undefined)]));
    server.script('GET', PROFILE_PATH, act.json(503, {}), act.json(200, { id: PROFILE_ID }));
    const client = new AmaniClient({ baseUrl: server.url, tokens: { access: ACCESS, refresh: REFRESH }, retry: { baseDelayMs: 1, maxDelayMs: 5 }, logger: console });
    expect(await client.profiles.get(PROFILE_ID)).toEqual({ id: PROFILE_ID });
    expect(spies.warn!.mock.calls.map((args) => args[0])).toEqual([expect.stringMatching(/^GET \S+ 503 .*retrying in \d+ ms$/)]);
    expect(spies.debug!.mock.calls.map((args) => args[0])).toEqual([expect.stringMatching(/^GET \S+ 200 /)]);
    expect(spies.info).not.toHaveBeenCalled();
    expect(spies.error).not.toHaveBeenCalled();
    expect(spies.warn!.mock.calls[0]?.[1]).toMatchObject({ status: 503, attempt: 1 });
    for (const spy of Object.values(spies)) for (const args of spy!.mock.calls) evidence.log({ message: String(args[0]), ...args[1] });
  });
});

describe('logger: refused before anything is sent', () => {
  it.each(LEVELS)('an object without %s() is an InvalidInputError naming logger and the method', (missing) => {
    const logger: Record<string, unknown> = { debug() {}, info() {}, warn() {}, error() {} };
    delete logger[missing];
    let error: unknown;
    try {
      new AmaniClient({ baseUrl: server.url, logger: logger as never });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe('logger');
    expect((error as Error).message).toContain(`${missing}()`);
  });

  it('a method that is not a function, or a logger that is neither a function nor an object, is refused', () => {
    expect(() => new AmaniClient({ baseUrl: server.url, logger: { debug() {}, info() {}, warn: 'loud', error() {} } as never })).toThrow(
      /^logger: .*warn\(\)/,
    );
    expect(() => new AmaniClient({ baseUrl: server.url, logger: 'console' as never })).toThrow(InvalidInputError);
    expect(() => new AmaniClient({ baseUrl: server.url, logger: null as never })).toThrow(InvalidInputError);
    expect(server.count).toBe(0);
  });
});

secretScan();
