// AmaniClient: regions, lazy login and refresh, typed errors, retries, timeouts and uploads over the
// typed openapi-fetch client. One Transport sends every request, whether it comes from a resource
// method or from `raw`, so all of them share the same auth, retry and timeout behaviour.
import type { Client } from 'openapi-fetch';
import { UnauthenticatedOperations } from '../generated/constants.ts';
import type { AmaniPaths } from './fetch-client.ts';
import { createApi } from './core/api.ts';
import { resolveBaseUrl, type Region } from './core/base-url.ts';
import type { BatchOptions, BatchResult } from './core/batch.ts';
import { Caller, checkOptions } from './core/call.ts';
import { jwtProfileId } from './core/jwt.ts';
import { lazy, type Lazy } from './core/lazy.ts';
import { inspectSymbol } from './core/redact.ts';
import { defaultRetrySettings, MAX_DELAY_HINT, MAX_DELAY_MS, type RetrySettings } from './core/retry.ts';
import { TokenManager, tokensFrom, type TokenPair } from './core/tokens.ts';
import type { Logger } from './core/log.ts';
import type { Drift } from './drift/hook.ts';
import { driftHook } from './core/platform.ts';
import { Transport, type RequestOptions } from './core/transport.ts';
import { defaultSender, fetchSender } from './core/wire.ts';
import { requireObject, requireString } from './core/validate.ts';
import { InvalidInputError } from './errors.ts';
import type { Aml } from './resources/aml.ts';
import { Auth } from './resources/auth.ts';
import type { Documents } from './resources/documents.ts';
import type { IpWhitelist } from './resources/ip-whitelist.ts';
import type { Profiles } from './resources/profiles.ts';
import { SelfServiceDocuments, SelfServiceProfiles } from './resources/self-service.ts';
import type { Webhooks } from './resources/webhooks.ts';
import type { LoginUser, Loose } from './types.ts';

export interface AmaniClientOptions {
  /** Amani region: its base URL comes from the spec's servers. */
  region?: Region | undefined;
  /**
   * Overrides `region`, e.g. a mock: the origin only ("https://eu.amani.ai", no path). Must be https
   * (plain http only for loopback, unless `allowInsecureHttp`).
   */
  baseUrl?: string | undefined;
  /**
   * Test only: lets `baseUrl` be plain http to a host other than this machine (a mock in
   * docker-compose, a CI service container). Tokens and identity documents then travel
   * unencrypted; the client warns once, through a console-style `logger`'s warn, else console.warn.
   */
  allowInsecureHttp?: boolean | undefined;
  /** Company user credentials: the client logs in on the first call that needs a token. */
  credentials?: { username: string; password: string } | undefined;
  /** Start from saved tokens (e.g. persisted from `onTokens`). */
  tokens?: TokenPair | undefined;
  /** Called with every new token pair, to persist it. */
  onTokens?: ((tokens: Readonly<TokenPair>) => void) | undefined;
  /** Per attempt, covering the whole answer; default 60 000 ms, at most 2^31-1 (what a timer holds). */
  timeoutMs?: number | undefined;
  /** Retries of retryable failures for operations that may be retried; default 2. */
  maxRetries?: number | undefined;
  /** Backoff tuning: baseDelayMs (500), maxDelayMs (8000), maxRetryAfterMs (60 000); each at most 2^31-1 ms. */
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
  /**
   * Checks every answer (2xx and errors) against the spec and calls this once per distinct
   * deviation, with its pointers; never throws into, slows or changes a call. Node only. Off by default.
   */
  onDrift?: ((drift: Drift) => void) | undefined;
}

const PUBLIC_OPERATIONS: ReadonlySet<string> = new Set(UnauthenticatedOperations);
const LOG_LEVELS = ['debug', 'info', 'warn', 'error'];

/** What every client made from one AmaniClient's options shares (its profile clients too). */
export interface Shared {
  baseUrl: string;
  transport: Transport;
  api: Client<AmaniPaths>;
  raw: Client<AmaniPaths>;
  anonymous: Caller;
  options: AmaniClientOptions;
  retry: RetrySettings;
}

function createShared(options: AmaniClientOptions, auth: TokenManager<LoginUser>): Shared {
  const password = options.credentials?.password;
  const logger = options.logger as Record<string, unknown> | null | undefined;
  if (logger !== undefined && typeof logger !== 'function') {
    for (const level of LOG_LEVELS) {
      if (typeof logger?.[level] !== 'function') {
        throw new InvalidInputError('logger', `must be a function or a console-style object (console, pino, winston): ${level}() is missing`);
      }
    }
  }
  // After the logger check: warnings (allowInsecureHttp, onDrift in a browser) go to a console-style
  // logger's warn (a function logger takes request entries only), else to the console.
  const warn = (message: string) => (typeof logger === 'object' ? (logger as unknown as Console) : console).warn(message);
  const baseUrl = resolveBaseUrl(options, warn);
  const retry = retrySettings(options.retry);
  checkOptions({ timeoutMs: options.timeoutMs, maxRetries: options.maxRetries });
  const userFetch = options.fetch;
  if (userFetch !== undefined && typeof userFetch !== 'function') throw new InvalidInputError('fetch', 'must be a function');
  const rate = options.requestsPerSecond;
  if (rate !== undefined && !(typeof rate === 'number' && rate > 0 && Number.isFinite(rate))) {
    throw new InvalidInputError('requestsPerSecond', `must be a positive number, got ${String(rate)}`);
  }
  const transport = new Transport({
    // Loaded on first use: pacing is for bulk work on a server, never a browser app's.
    limiter: rate === undefined ? undefined : lazy('limiter', rate, { take: 1 }),
    send: userFetch ? fetchSender(userFetch) : defaultSender(),
    timeoutMs: options.timeoutMs ?? 60_000,
    maxRetries: options.maxRetries ?? 2,
    retry,
    logger: options.logger,
    auth,
    unauthenticated: PUBLIC_OPERATIONS,
    secrets: () => [...auth.secrets(), password],
    drift: driftHook(options, warn),
  });
  const { api, raw } = createApi(baseUrl, transport);
  return { baseUrl, transport, api, raw, anonymous: new Caller(api, transport, null), options, retry };
}

/** The defaults, overridden only by settings actually given (an explicit undefined keeps the default). */
function retrySettings(given: AmaniClientOptions['retry']): RetrySettings {
  const settings = { ...defaultRetrySettings };
  if (given === undefined) return settings;
  requireObject('retry', given);
  for (const key of Object.keys(defaultRetrySettings) as Array<keyof RetrySettings>) {
    const value = given[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !(value >= 0 && value <= MAX_DELAY_MS)) {
      throw new InvalidInputError(`retry.${key}`, `must be a non-negative number of milliseconds, got ${String(value)}${MAX_DELAY_HINT}`);
    }
    settings[key] = value;
  }
  return settings;
}

function userTokens(shared: () => Shared, options: AmaniClientOptions): TokenManager<LoginUser> {
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
  // The login loads on first use, like the areas: a browser app holding a profile token never logs in.
  const session = lazy('auth', shared, { login: 1 });
  return new TokenManager<LoginUser>({
    kind: 'user',
    initial: options.tokens,
    onTokens: options.onTokens,
    login: credentials ? (callOptions) => session.login(credentials, callOptions) : undefined,
    refresh: (refresh, callOptions) => refreshWith(shared(), refresh, callOptions),
  });
}

/** `owner`: whose tokens these are when they are not the user's (which every call keeps secret). */
async function refreshWith(shared: Shared, refresh: string, options?: RequestOptions, owner?: TokenManager): Promise<TokenPair> {
  // Sent without a token, yet an error answer may quote the refresh token (or its access token).
  const result = await shared.anonymous.request(
    '/api/v2/token/refresh/',
    options,
    (init) => shared.api.POST('/api/v2/token/refresh/', { body: { refresh }, ...init }),
    null,
    owner,
  );
  return tokensFrom('/api/v2/token/refresh/', result);
}

// The public fields are `declare`d: the constructors define them, in this order (a class field would
// be emitted a second time into every bundle).
/**
 * The company's client, holding the user's credentials or tokens: server-side only. It logs in on
 * the first call that needs a token, refreshes before expiry and after a 401, retries what can
 * safely be retried, and throws an {@link AmaniError} subclass for every failure. Each API area is
 * a field: `amani.profiles.create(...)`, `amani.documents.upload(...)`, ...
 *
 * @example
 * ```ts
 * const amani = new AmaniClient({ region: 'eu', credentials: { username, password } });
 * const profile = await amani.profiles.create({ id_card_number: '12345678901', name: 'Ayse Yilmaz' });
 * ```
 */
export class AmaniClient {
  /** {@link Auth}: log in or refresh now (neither is needed before other calls). */
  declare readonly auth: Auth;
  // The areas load on first use (see src/core/lazy.ts): a browser app holding a profile token calls
  // none of them, only what forProfile() gives it.
  /** {@link Profiles}: create, read and review customer profiles, and their verification links. */
  declare readonly profiles: Pick<Profiles, keyof Profiles>;
  /** {@link Documents}: upload, list, review, archive and delete a profile's documents. */
  declare readonly documents: Pick<Documents, keyof Documents>;
  /** {@link Webhooks}: webhook endpoints, their signing secret and their deliveries. */
  declare readonly webhooks: Pick<Webhooks, keyof Webhooks>;
  /** {@link Aml}: anti-money-laundering screening of a profile. */
  declare readonly aml: Pick<Aml, keyof Aml>;
  /** {@link IpWhitelist}: the addresses allowed to use the account. */
  declare readonly ipWhitelist: Pick<IpWhitelist, keyof IpWhitelist>;
  /** The typed openapi-fetch client, sending through the same auth, retries and timeouts. */
  declare readonly raw: Client<AmaniPaths>;
  /** The origin every request goes to, from `region` or `baseUrl`. */
  declare readonly baseUrl: string;
  readonly #shared: Shared;
  readonly #batch: Lazy<'batch'>;

  /**
   * Checks the options; sends nothing (the first call that needs a token logs in).
   *
   * @throws {@link InvalidInputError} when an option is invalid: no `region` or `baseUrl`, a
   *   `baseUrl` that is not https (plain http only for loopback), credentials or tokens that are not
   *   strings, a negative timeout, ... The message names the option and the fix.
   */
  constructor(options: AmaniClientOptions) {
    requireObject('options', options);
    let shared: Shared | undefined;
    const tokens = userTokens(() => shared!, options);
    shared = createShared(options, tokens);
    this.#shared = shared;
    const caller = new Caller(shared.api, shared.transport, tokens);
    this.auth = new Auth(tokens);
    this.profiles = lazy('profiles', caller, {
      create: 1, get: 1, update: 1, setStatus: 1, createVerificationUrl: 1, resolveVerificationLink: 1,
    });
    this.documents = lazy('documents', caller, {
      upload: 1, list: 1, get: 1, approve: 1, reject: 1, archive: 1, restore: 1, delete: 1,
    });
    this.webhooks = lazy('webhooks', caller, {
      eventTypes: 1, create: 1, list: 1, update: 1, delete: 1, getSecret: 1, regenerateSecret: 1, logs: 1, retry: 1,
    });
    this.aml = lazy('aml', caller, { search: 1, report: 1 });
    this.ipWhitelist = lazy('ipWhitelist', caller, { list: 1, add: 1, remove: 1 });
    this.raw = shared.raw;
    this.baseUrl = shared.baseUrl;
    this.#batch = lazy('batch', shared.retry.maxRetryAfterMs, { batch: 1 });
  }

  /**
   * A client for the calls a profile token may make (update its profile, upload and read its
   * documents). Pass the profile's `access` token, or `{ access, refresh }` to refresh it too.
   * Sends nothing: it shares this client's base URL, retries and timeouts, never its user token.
   *
   * @returns A {@link ProfileClient} for the token's profile.
   * @throws {@link InvalidInputError} when `token` is neither a string nor `{ access, refresh? }`.
   */
  forProfile(token: string | TokenPair, options: { onTokens?: ((tokens: Readonly<TokenPair>) => void) | undefined } = {}): ProfileClient {
    return new ProfileClient(this.#shared, typeof token === 'string' ? { access: token } : token, options.onTokens);
  }

  /**
   * Runs `fn` for every item with at most `concurrency` in flight (pair it with the client's
   * `requestsPerSecond`). Items still answered 429 after the client's retries wait for Retry-After
   * and are tried again, unless it is longer than the client's `retry.maxRetryAfterMs`: then the
   * item fails with that RateLimitError. Other failures are reported per item. Results keep the
   * items' order.
   *
   * @returns One result per item, in the items' order: `{ ok: true, value }` or `{ ok: false, error }`.
   * @throws {@link InvalidInputError} when `concurrency` is not a whole number of at least 1; a
   *   failing item is reported in its result, not thrown.
   */
  batch<T, R>(items: Iterable<T>, fn: (item: T, index: number) => Promise<R>, options?: BatchOptions): Promise<Array<BatchResult<T, R>>> {
    return this.#batch.batch(items, fn, options);
  }

  /**
   * What `util.inspect` and `console.log` show: the base URL, never a credential or token.
   *
   * @returns `AmaniClient { baseUrl: '...' }`
   */
  [inspectSymbol](): string {
    return `AmaniClient { baseUrl: '${this.baseUrl}' }`;
  }

  /**
   * What `JSON.stringify` writes: the base URL, never a credential or token.
   *
   * @returns `{ baseUrl }`
   */
  toJSON(): object {
    return { baseUrl: this.baseUrl };
  }
}

/** What a profile client's AuthenticationErrors say to do (its token refused, expired, unusable). */
const PROFILE_HINT = 'Pass forProfile() a new profile token (amani.profiles.get(id) answers with one)';

/**
 * The profile-token operations: limited to one profile. Made by {@link AmaniClient.forProfile};
 * safe where a user token is not (a customer's browser), as a profile token reaches only its own
 * profile.
 *
 * @hideconstructor
 */
export class ProfileClient {
  /** The profile the token belongs to (its `profile_id` claim); undefined when the token has none. */
  declare readonly profileId: string | undefined;
  /** {@link Profiles.update | profiles.update}: change the profile's data. */
  declare readonly profiles: Pick<Profiles, 'update'>;
  /**
   * {@link Documents.upload | documents.upload} (the profile is filled in) and
   * {@link Documents.get | documents.get}.
   */
  declare readonly documents: Pick<Documents, 'upload' | 'get'>;

  constructor(shared: Shared, initial: TokenPair, onTokens?: (tokens: Readonly<TokenPair>) => void) {
    requireObject('token', initial);
    requireString('token.access', initial.access);
    const tokens: TokenManager = new TokenManager({
      kind: 'profile',
      hint: PROFILE_HINT,
      initial,
      onTokens,
      refresh: (refresh) => refreshWith(shared, refresh, undefined, tokens),
    });
    this.profileId = jwtProfileId(initial.access);
    const caller = new Caller(shared.api, shared.transport, tokens);
    const profiles = new SelfServiceProfiles(caller);
    // null: a profile token that names no profile.
    const documents = new SelfServiceDocuments(caller, this.profileId ?? null);
    this.profiles = { update: profiles.update.bind(profiles) };
    this.documents = { upload: documents.upload.bind(documents), get: documents.get.bind(documents) };
  }

  /**
   * What `util.inspect` and `console.log` show: the profile id, never the token.
   *
   * @returns `ProfileClient { profileId: '...' }`
   */
  [inspectSymbol](): string {
    return `ProfileClient { profileId: '${this.profileId ?? 'unknown'}' }`;
  }

  /**
   * What `JSON.stringify` writes: the profile id, never the token.
   *
   * @returns `{ profileId }`
   */
  toJSON(): object {
    return { profileId: this.profileId };
  }
}
