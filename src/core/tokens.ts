// Holds one kind of token pair (user or profile) and keeps it fresh. Single-flight: however many
// calls need a token at once, at most one login or refresh is in flight, and every caller awaits
// that same attempt. A call is replayed at most once after a 401, so nothing can loop.
import { AuthenticationError, InvalidResponseError, ValidationError } from '../errors.ts';
import { jwtTime } from './jwt.ts';
import type { RequestOptions } from './transport.ts';

export interface TokenPair {
  access: string;
  refresh?: string | undefined;
}

/** What the transport needs from a token holder. */
export interface TokenProvider {
  /**
   * A usable access token: logs in or refreshes first when there is none or it expires soon (a
   * refresh the token does not need yet only briefly).
   */
  token(): Promise<string>;
  /** The access token when it can be used as it is (no login or refresh due), else undefined. */
  ready?(): string | undefined;
  /** After a 401 to a request sent with `rejected`: a new token to replay with, or throws. */
  renew(rejected: string): Promise<string>;
  /** The tokens held, to keep them out of error answers. */
  secrets(): Array<string | undefined>;
  /** Whose token it is, for messages: "user" or "profile". */
  readonly kind: string;
  /** What an AuthenticationError for these tokens says to do, when not its default. */
  readonly hint?: string | undefined;
}

export interface TokenManagerOptions<L> {
  initial?: TokenPair | undefined;
  /** Logs in with the configured credentials; absent when there are none. */
  login?: ((options?: RequestOptions) => Promise<{ tokens: TokenPair; result: L }>) | undefined;
  /** Exchanges a refresh token; the answer may omit a new refresh token. */
  refresh: (refreshToken: string, options?: RequestOptions) => Promise<TokenPair>;
  /** Told every new pair, e.g. to persist it. */
  onTokens?: ((tokens: Readonly<TokenPair>) => void) | undefined;
  /** Refresh this long before `exp`, instead of the margin derived from the token's lifetime. */
  marginMs?: number;
  now?: () => number;
  /** Used in error messages: "user" or "profile". */
  kind: string;
  /** What an AuthenticationError for these tokens says to do, when not its default (the user's). */
  hint?: string | undefined;
}

/** How long a call waits for a refresh that its still-valid token does not need yet. */
const HOLD_MS = 200;
/** After a refresh before expiry failed, how long calls go on with the still-valid token before one tries again. */
const RETRY_SOON_MS = 5_000;

export class TokenManager<L = unknown> implements TokenProvider {
  #tokens: TokenPair | undefined;
  #pending: Promise<string> | undefined;
  #pendingIsLogin = false;
  #lastLogin: L | undefined;
  /** How far the server's clock is ahead of ours (ms), estimated from the `iat` of the tokens held. */
  #skew = 0;
  /** Our time from which the access token is refreshed before it is used. */
  #refreshAt = Infinity;
  /** No refresh before expiry is tried again before this time (the last one failed). */
  #retryAt = 0;
  /** While the flight in progress is a refresh before expiry: the still-valid token it replaces. */
  #soon: string | undefined;
  readonly #options: TokenManagerOptions<L>;
  // Declared only, defined by the constructor: a class field would be emitted a second time.
  declare readonly kind: string;
  declare readonly hint: string | undefined;

  constructor(options: TokenManagerOptions<L>) {
    this.#options = options;
    this.kind = options.kind;
    this.hint = options.hint;
    if (options.initial) this.#keep(options.initial, false);
  }

  ready(): string | undefined {
    const current = this.#tokens;
    const now = this.#now();
    // Within the pause after a failed refresh before expiry, a still-valid token serves as it is.
    const usable = current && (now < this.#refreshAt || (now < this.#retryAt && !this.#expired(current.access)));
    return !this.#pending && usable ? current.access : undefined;
  }

  token(): Promise<string> {
    const ready = this.ready();
    if (ready !== undefined) return Promise.resolve(ready);
    const current = this.#tokens;
    const pending = this.#singleFlight(
      () => (!current ? this.#login() : this.#expired(current.access) ? this.#renewFrom(current) : this.#refreshSoon(current)),
      !current,
    );
    // A refresh before expiry is not worth waiting long for: after HOLD_MS, or if it fails, the
    // still-valid token serves (once that token has expired, only the flight's answer can).
    const soon = this.#soon;
    if (!soon || this.#expired(soon)) return pending;
    const orSoon = pending.catch((error: unknown) => {
      if (this.#expired(soon)) throw error;
      return soon;
    });
    return within(orSoon, HOLD_MS, () => soon);
  }

  renew(rejected: string): Promise<string> {
    if (this.#pending) return this.#pending;
    const current = this.#tokens;
    // Another call already replaced the rejected token: use the new one.
    if (current && current.access !== rejected) return Promise.resolve(current.access);
    return this.#singleFlight(() => (current ? this.#renewFrom(current) : this.#login()), !current);
  }

  /** Logs in now (sharing any login already in flight) and returns the login answer. */
  async login(options?: RequestOptions): Promise<L> {
    if (!this.#options.login) {
      throw localAuthError('auth.login(): no credentials were given, so nothing was sent');
    }
    // A refresh in flight is no login: let it settle, then log in (or join a login in flight).
    while (this.#pending && !this.#pendingIsLogin) await this.#pending.catch(() => undefined);
    await this.#singleFlight(() => this.#login(options), true);
    return this.#lastLogin as L;
  }

  /**
   * Exchanges the refresh token now (sharing any renewal in flight). Unlike the automatic renewal,
   * a rejected refresh token is reported, not answered with a new login.
   */
  async refresh(options?: RequestOptions): Promise<Readonly<TokenPair>> {
    await this.#singleFlight(async () => {
      const refresh = this.#tokens?.refresh;
      if (!refresh) throw localAuthError('auth.refresh(): no refresh token to exchange, so nothing was sent');
      const next = await this.#options.refresh(refresh, options);
      return this.#store({ access: next.access, refresh: next.refresh ?? refresh });
    });
    return { ...this.#tokens! };
  }

  /** The tokens held now, for scrubbing them out of anything an error could carry. */
  secrets(): Array<string | undefined> {
    return [this.#tokens?.access, this.#tokens?.refresh];
  }

  /** Whether any token is held (it may be expired). */
  get hasTokens(): boolean {
    return this.#tokens !== undefined;
  }

  #singleFlight(run: () => Promise<string>, isLogin = false): Promise<string> {
    if (this.#pending) return this.#pending;
    this.#soon = undefined;
    const pending = run().finally(() => {
      if (this.#pending === pending) this.#pending = undefined;
    });
    this.#pending = pending;
    this.#pendingIsLogin = isLogin;
    return pending;
  }

  /**
   * A refresh before expiry. Calls need not wait for it (see token()); if it fails, whatever the
   * reason, they go on with the still-valid token, and none tries again for RETRY_SOON_MS, so an
   * auth endpoint that is down is not hit by every call. Once the token has expired, token()
   * renews it whatever the pause, and a failure fails the call.
   */
  async #refreshSoon(current: TokenPair): Promise<string> {
    this.#soon = current.access;
    try {
      return await this.#renewFrom(current);
    } catch (error) {
      this.#retryAt = this.#now() + RETRY_SOON_MS;
      throw error;
    }
  }

  async #renewFrom(current: TokenPair): Promise<string> {
    const refresh = current.refresh;
    if (refresh && !this.#expired(refresh)) {
      try {
        const next = await this.#options.refresh(refresh);
        return this.#store({ access: next.access, refresh: next.refresh ?? refresh });
      } catch (error) {
        // A rejected refresh token falls back to a new login; a network failure does not.
        const rejected = error instanceof AuthenticationError || error instanceof ValidationError;
        if (!rejected || !this.#options.login) throw error;
      }
    } else if (!this.#options.login) {
      throw localAuthError(`The ${this.kind} token expired or was rejected, and there is no valid refresh token to renew it`, this.hint);
    }
    return this.#login();
  }

  async #login(options?: RequestOptions): Promise<string> {
    if (!this.#options.login) {
      throw localAuthError(`No ${this.kind} token or credentials were given, so nothing was sent`);
    }
    const { tokens, result } = await this.#options.login(options);
    this.#lastLogin = result;
    return this.#store(tokens);
  }

  /** Holds a pair: `fresh` when it was issued just now (a login or refresh answer), not saved. */
  #keep(tokens: TokenPair, fresh: boolean): void {
    const { access } = (this.#tokens = { access: tokens.access, refresh: tokens.refresh });
    const now = this.#now();
    const exp = jwtTime(access, 'exp');
    const iat = jwtTime(access, 'iat');
    // The server wrote iat by its clock as it issued the token, so for a token that just arrived
    // iat - now is how far its clock is ahead of ours. A saved token may be old: its iat only
    // proves that the server is at least that far ahead (no token is issued in the future).
    if (iat !== undefined && (fresh || iat - now > this.#skew)) this.#skew = iat - now;
    // Refresh in the last fifth of the token's life, at most 60 s before it expires (SimpleJWT's
    // default 5-minute token 60 s early, a 3 s token 0.6 s early), and up to 1 s earlier still:
    // iat and exp are whole seconds, so a token may be almost 1 s older than its iat says. A
    // token without iat is taken to live SimpleJWT's default 5 minutes (so: 60 s).
    const lifetime = exp! - (iat ?? exp! - 300_000);
    const margin = this.#options.marginMs ?? Math.min(60_000, lifetime / 5 + Math.min(1_000, lifetime / 2));
    this.#refreshAt = exp === undefined ? Infinity : exp - this.#skew - margin;
  }

  #store(tokens: TokenPair): string {
    this.#keep(tokens, true);
    // A failing persistence hook, sync or async, must not fail the request that got the tokens.
    try {
      const result: unknown = this.#options.onTokens?.({ access: tokens.access, refresh: tokens.refresh });
      if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
        (result as PromiseLike<unknown>).then(undefined, () => undefined);
      }
    } catch {
      // See above.
    }
    return tokens.access;
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
  }

  /** Expired by the server's clock, as far as we know it. */
  #expired(token: string): boolean {
    const exp = jwtTime(token, 'exp');
    return exp !== undefined && exp - this.#skew <= this.#now();
  }

  /** Never shows tokens. */
  toJSON(): object {
    return { kind: this.kind, hasTokens: this.hasTokens };
  }
}

/**
 * `flight`'s outcome, unless `ms` pass or `signal` aborts (or has) first: then `late()`'s, which
 * may throw. Either ends only this wait, not the flight; the timer and listener go with the wait.
 */
export function within<T>(flight: Promise<T>, ms: number, late: () => T, signal?: AbortSignal): Promise<T> {
  let stop!: (value: unknown) => void;
  const gaveUp = new Promise<unknown>((resolve) => {
    stop = resolve;
    signal?.addEventListener('abort', resolve);
    if (signal?.aborted) resolve(0);
  }).then(late);
  // Capped where setTimeout would overflow (and fire at once).
  const timer = setTimeout(stop, Math.min(ms, 2 ** 31 - 1));
  return Promise.race([flight, gaveUp]).finally(() => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
  });
}

/** A problem found here, not answered by Amani: its message has no HTTP status (see AuthenticationError). */
export function localAuthError(detail: string, hint?: string, method = 'AUTH', path = '(client)'): AuthenticationError {
  return new AuthenticationError({ status: 401, method, path, body: { detail } }, hint, true);
}

/**
 * The tokens of a login or refresh answer (both answer 200, the only success the spec declares).
 * `access` must be a string, and so must `refresh` when given: SimpleJWT omits it when it does not
 * rotate refresh tokens, and the old one is kept. Anything else is a broken answer, never a token
 * to send as "Bearer undefined".
 */
export function tokensFrom(path: string, answer: unknown): TokenPair {
  const { access, refresh } = (answer ?? {}) as { access?: unknown; refresh?: unknown };
  const field = typeof access !== 'string' ? 'access' : refresh != null && typeof refresh !== 'string' ? 'refresh' : undefined;
  if (field) throw new InvalidResponseError('POST', path, 200, `a body without a string \`${field}\` (the ${field} token)`);
  return { access: access as string, refresh: (refresh as string | null | undefined) ?? undefined };
}
