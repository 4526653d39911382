// Holds one kind of token pair (user or profile) and keeps it fresh. Single-flight: however many
// calls need a token at once, at most one login or refresh is in flight, and every caller awaits
// that same attempt. A call is replayed at most once after a 401, so nothing can loop.
import { AuthenticationError, ValidationError } from '../errors.ts';
import { jwtExpiresAt } from './jwt.ts';
import type { RequestOptions } from './transport.ts';

export interface TokenPair {
  access: string;
  refresh?: string | undefined;
}

/** What the transport needs from a token holder. */
export interface TokenProvider {
  /** A usable access token: logs in or refreshes first when there is none or it expires soon. */
  token(): Promise<string>;
  /** After a 401 to a request sent with `rejected`: a new token to replay with, or throws. */
  renew(rejected: string): Promise<string>;
  /** The tokens held, to keep them out of error answers. */
  secrets(): Array<string | undefined>;
}

export interface TokenManagerOptions<L> {
  initial?: TokenPair | undefined;
  /** Logs in with the configured credentials; absent when there are none. */
  login?: ((options?: RequestOptions) => Promise<{ tokens: TokenPair; result: L }>) | undefined;
  /** Exchanges a refresh token; the answer may omit a new refresh token. */
  refresh: (refreshToken: string, options?: RequestOptions) => Promise<TokenPair>;
  /** Told every new pair, e.g. to persist it. */
  onTokens?: ((tokens: Readonly<TokenPair>) => void) | undefined;
  /** Refresh this long before `exp`. */
  marginMs?: number;
  now?: () => number;
  /** Used in error messages: "user" or "profile". */
  kind: string;
}

export class TokenManager<L = unknown> implements TokenProvider {
  #tokens: TokenPair | undefined;
  #pending: Promise<string> | undefined;
  #pendingIsLogin = false;
  #lastLogin: L | undefined;
  readonly #options: TokenManagerOptions<L>;

  constructor(options: TokenManagerOptions<L>) {
    this.#options = options;
    this.#tokens = options.initial ? { ...options.initial } : undefined;
  }

  token(): Promise<string> {
    if (this.#pending) return this.#pending;
    const current = this.#tokens;
    if (current && !this.#expiresSoon(current.access)) return Promise.resolve(current.access);
    return this.#singleFlight(() => (current ? this.#renewFrom(current) : this.#login()), !current);
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
      throw localAuthError(`no credentials were given, so the ${this.#options.kind} client cannot log in`);
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
      if (!refresh) throw localAuthError(`there is no ${this.#options.kind} refresh token to exchange`);
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
    const pending = run().finally(() => {
      if (this.#pending === pending) this.#pending = undefined;
    });
    this.#pending = pending;
    this.#pendingIsLogin = isLogin;
    return pending;
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
      throw localAuthError(`the ${this.#options.kind} access token expired or was rejected, and there is no valid refresh token or credentials to renew it`);
    }
    return this.#login();
  }

  async #login(options?: RequestOptions): Promise<string> {
    if (!this.#options.login) {
      throw localAuthError(`no ${this.#options.kind} token or credentials were given: pass credentials or tokens`);
    }
    const { tokens, result } = await this.#options.login(options);
    this.#lastLogin = result;
    return this.#store(tokens);
  }

  #store(tokens: TokenPair): string {
    this.#tokens = { access: tokens.access, refresh: tokens.refresh };
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

  #expiresSoon(token: string): boolean {
    const exp = jwtExpiresAt(token);
    return exp !== undefined && exp - this.#now() <= (this.#options.marginMs ?? 60_000);
  }

  #expired(token: string): boolean {
    const exp = jwtExpiresAt(token);
    return exp !== undefined && exp <= this.#now();
  }

  /** Never shows tokens. */
  toJSON(): object {
    return { kind: this.#options.kind, hasTokens: this.hasTokens };
  }
}

function localAuthError(detail: string): AuthenticationError {
  return new AuthenticationError({ status: 401, method: 'AUTH', path: '(client)', body: { detail } }, 'Pass credentials, or tokens with a valid refresh token, to AmaniClient');
}
