// AmaniClient: regions, lazy login and refresh, typed errors, retries, timeouts and uploads over the
// typed openapi-fetch client. One Transport sends every request, whether it comes from a resource
// method or from `raw`, so all of them share the same auth, retry and timeout behaviour.
import type { Client } from 'openapi-fetch';
import { UnauthenticatedOperations } from '../generated/constants.ts';
import type { paths } from '../generated/schema.js';
import { createApi } from './core/api.ts';
import { resolveBaseUrl, type Region } from './core/base-url.ts';
import { runBatch, type BatchOptions, type BatchResult } from './core/batch.ts';
import { RateLimiter } from './core/rate-limiter.ts';
import { Caller, checkOptions } from './core/call.ts';
import { jwtProfileId } from './core/jwt.ts';
import { inspectSymbol } from './core/redact.ts';
import { defaultRetrySettings, type RetrySettings } from './core/retry.ts';
import { TokenManager, type TokenPair } from './core/tokens.ts';
import { Transport, type Logger, type RequestOptions } from './core/transport.ts';
import { defaultSender, fetchSender } from './core/wire.ts';
import { requireObject, requireString } from './core/validate.ts';
import { InvalidInputError } from './errors.ts';
import { Aml } from './resources/aml.ts';
import { Auth } from './resources/auth.ts';
import { Documents } from './resources/documents.ts';
import { IpWhitelist } from './resources/ip-whitelist.ts';
import { Profiles } from './resources/profiles.ts';
import { Webhooks } from './resources/webhooks.ts';
import type { LoginResponse, Loose } from './types.ts';

export interface AmaniClientOptions {
  /** Amani region: its base URL comes from the spec's servers. */
  region?: Region | undefined;
  /** Overrides `region`, e.g. a mock. Must be https (plain http only for loopback). */
  baseUrl?: string | undefined;
  /** Company user credentials: the client logs in on the first call that needs a token. */
  credentials?: { username: string; password: string } | undefined;
  /** Start from saved tokens (e.g. persisted from `onTokens`). */
  tokens?: TokenPair | undefined;
  /** Called with every new token pair, to persist it. */
  onTokens?: ((tokens: Readonly<TokenPair>) => void) | undefined;
  /** Per attempt, covering the whole answer; default 60 000 ms. */
  timeoutMs?: number | undefined;
  /** Retries of retryable failures for operations that may be retried; default 2. */
  maxRetries?: number | undefined;
  /** Backoff tuning: baseDelayMs (500), maxDelayMs (8000), maxRetryAfterMs (60 000). */
  retry?: Loose<Partial<RetrySettings>> | undefined;
  /**
   * Replaces the HTTP layer (proxies, tests, instrumentation); called with a Request for every
   * attempt. By default Node sends through undici and other runtimes through the global fetch.
   */
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  /**
   * Receives a redacted one-line summary of every attempt: a function taking each entry, or a
   * console-style object (console, pino, winston) whose method for the entry's level is called.
   */
  logger?: Logger | undefined;
  /**
   * Paces every request (retries included) to at most this many per second, e.g. the rate agreed
   * with Amani, so bulk work does not run into 429s. Off by default.
   */
  requestsPerSecond?: number | undefined;
}

const PUBLIC_OPERATIONS: ReadonlySet<string> = new Set(UnauthenticatedOperations);
const LOG_LEVELS = ['debug', 'info', 'warn', 'error'];

interface Shared {
  baseUrl: string;
  transport: Transport;
  api: Client<paths>;
  raw: Client<paths>;
  anonymous: Caller;
  options: AmaniClientOptions;
}

function createShared(options: AmaniClientOptions, auth: TokenManager<LoginResponse>): Shared {
  const password = options.credentials?.password;
  const baseUrl = resolveBaseUrl(options);
  const retry = retrySettings(options.retry);
  checkOptions({ timeoutMs: options.timeoutMs, maxRetries: options.maxRetries });
  const userFetch = options.fetch;
  if (userFetch !== undefined && typeof userFetch !== 'function') throw new InvalidInputError('fetch', 'must be a function');
  const logger = options.logger as Record<string, unknown> | null | undefined;
  if (logger !== undefined && typeof logger !== 'function') {
    for (const level of LOG_LEVELS) {
      if (typeof logger?.[level] !== 'function') {
        throw new InvalidInputError('logger', `must be a function or a console-style object (console, pino, winston): ${level}() is missing`);
      }
    }
  }
  const rate = options.requestsPerSecond;
  if (rate !== undefined && !(typeof rate === 'number' && rate > 0 && Number.isFinite(rate))) {
    throw new InvalidInputError('requestsPerSecond', `must be a positive number, got ${String(rate)}`);
  }
  const transport = new Transport({
    limiter: rate === undefined ? undefined : new RateLimiter(rate),
    send: userFetch ? fetchSender(userFetch) : defaultSender(),
    timeoutMs: options.timeoutMs ?? 60_000,
    maxRetries: options.maxRetries ?? 2,
    retry,
    logger: options.logger,
    auth,
    unauthenticated: PUBLIC_OPERATIONS,
    secrets: () => [password, ...auth.secrets()],
  });
  const { api, raw } = createApi(baseUrl, transport);
  return { baseUrl, transport, api, raw, anonymous: new Caller(api, transport, null), options };
}

/** The defaults, overridden only by settings actually given (an explicit undefined keeps the default). */
function retrySettings(given: AmaniClientOptions['retry']): RetrySettings {
  const settings = { ...defaultRetrySettings };
  if (given === undefined) return settings;
  requireObject('retry', given);
  for (const key of Object.keys(defaultRetrySettings) as Array<keyof RetrySettings>) {
    const value = given[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new InvalidInputError(`retry.${key}`, `must be a non-negative number of milliseconds, got ${String(value)}`);
    }
    settings[key] = value;
  }
  return settings;
}

function userTokens(shared: () => Shared, options: AmaniClientOptions): TokenManager<LoginResponse> {
  const { credentials } = options;
  if (credentials !== undefined) {
    requireObject('credentials', credentials);
    requireString('credentials.username', credentials.username);
    requireString('credentials.password', credentials.password);
  }
  if (options.tokens !== undefined) {
    requireObject('tokens', options.tokens);
    requireString('tokens.access', options.tokens.access);
  }
  return new TokenManager<LoginResponse>({
    kind: 'user',
    initial: options.tokens,
    onTokens: options.onTokens,
    login: credentials
      ? async (callOptions) => {
          const { anonymous, api } = shared();
          const result = await anonymous.request('/api/v2/user/login', callOptions, (init) =>
            api.POST('/api/v2/user/login', { body: { username: credentials.username, password: credentials.password }, ...init }),
          );
          return { tokens: { access: result.access, refresh: result.refresh }, result };
        }
      : undefined,
    refresh: (refresh, callOptions) => refreshWith(shared(), refresh, callOptions),
  });
}

async function refreshWith(shared: Shared, refresh: string, options?: RequestOptions): Promise<TokenPair> {
  const result = await shared.anonymous.request('/api/v2/token/refresh/', options, (init) =>
    shared.api.POST('/api/v2/token/refresh/', { body: { refresh }, ...init }),
  );
  return { access: result.access, refresh: result.refresh };
}

export class AmaniClient {
  readonly auth: Auth;
  readonly profiles: Profiles;
  readonly documents: Documents;
  readonly webhooks: Webhooks;
  readonly aml: Aml;
  readonly ipWhitelist: IpWhitelist;
  /** The typed openapi-fetch client, sending through the same auth, retries and timeouts. */
  readonly raw: Client<paths>;
  readonly baseUrl: string;
  readonly #shared: Shared;

  constructor(options: AmaniClientOptions) {
    requireObject('options', options);
    let shared: Shared | undefined;
    const tokens = userTokens(() => shared!, options);
    shared = createShared(options, tokens);
    this.#shared = shared;
    this.baseUrl = shared.baseUrl;
    this.raw = shared.raw;
    const caller = new Caller(shared.api, shared.transport, tokens);
    this.auth = new Auth(tokens);
    this.profiles = new Profiles(caller);
    this.documents = new Documents(caller);
    this.webhooks = new Webhooks(caller);
    this.aml = new Aml(caller);
    this.ipWhitelist = new IpWhitelist(caller);
  }

  /**
   * A client for the calls a profile token may make (update its profile, upload and read its
   * documents). Pass the profile's `access` token, or `{ access, refresh }` to refresh it too.
   */
  forProfile(token: string | TokenPair, options: { onTokens?: ((tokens: Readonly<TokenPair>) => void) | undefined } = {}): ProfileClient {
    return new ProfileClient(this.#shared, typeof token === 'string' ? { access: token } : token, options.onTokens);
  }

  /**
   * Runs `fn` for every item with at most `concurrency` in flight (pair it with the client's
   * `requestsPerSecond`). Items still answered 429 after the client's retries wait for Retry-After
   * and are tried again; other failures are reported per item. Results keep the items' order.
   */
  batch<T, R>(items: Iterable<T>, fn: (item: T, index: number) => Promise<R>, options?: BatchOptions): Promise<Array<BatchResult<T, R>>> {
    return runBatch(items, fn, options);
  }

  [inspectSymbol](): string {
    return `AmaniClient { baseUrl: '${this.baseUrl}' }`;
  }

  toJSON(): object {
    return { baseUrl: this.baseUrl };
  }
}

/** The profile-token operations: limited to one profile. */
export class ProfileClient {
  readonly profileId: string | undefined;
  readonly profiles: Pick<Profiles, 'update'>;
  readonly documents: Pick<Documents, 'upload' | 'get'>;

  constructor(shared: Shared, initial: TokenPair, onTokens?: (tokens: Readonly<TokenPair>) => void) {
    requireObject('token', initial);
    requireString('token.access', initial.access);
    const tokens = new TokenManager({
      kind: 'profile',
      initial,
      onTokens,
      refresh: (refresh) => refreshWith(shared, refresh),
    });
    this.profileId = jwtProfileId(initial.access);
    const caller = new Caller(shared.api, shared.transport, tokens);
    const profiles = new Profiles(caller);
    const documents = new Documents(caller, this.profileId);
    this.profiles = { update: profiles.update.bind(profiles) };
    this.documents = { upload: documents.upload.bind(documents), get: documents.get.bind(documents) };
  }

  [inspectSymbol](): string {
    return `ProfileClient { profileId: '${this.profileId ?? 'unknown'}' }`;
  }

  toJSON(): object {
    return { profileId: this.profileId };
  }
}
