import type { TokenManager, TokenPair } from '../core/tokens.ts';
import type { RequestOptions } from '../core/transport.ts';
import type { LoginUser } from '../types.ts';

export class Auth {
  readonly #tokens: TokenManager<LoginUser>;

  constructor(tokens: TokenManager<LoginUser>) {
    this.#tokens = tokens;
  }

  /**
   * Logs in with the configured credentials now (calls log in lazily anyway) and returns the user,
   * without the tokens: they go to `onTokens`, so logging the user never prints them. Concurrent
   * calls share one login.
   */
  async login(options?: RequestOptions): Promise<LoginUser> {
    return this.#tokens.login(options);
  }

  /**
   * Exchanges the refresh token for a new access token now (calls refresh automatically shortly
   * before expiry and after a 401). Throws AuthenticationError when the refresh token is rejected.
   */
  async refresh(options?: RequestOptions): Promise<Readonly<TokenPair>> {
    return this.#tokens.refresh(options);
  }
}
