import type { TokenManager, TokenPair } from '../core/tokens.ts';
import type { RequestOptions } from '../core/transport.ts';
import type { LoginResponse } from '../types.ts';

export class Auth {
  readonly #tokens: TokenManager<LoginResponse>;

  constructor(tokens: TokenManager<LoginResponse>) {
    this.#tokens = tokens;
  }

  /**
   * Logs in with the configured credentials now (calls log in lazily anyway) and returns the user.
   * Concurrent calls share one login. New tokens are reported to `onTokens`.
   */
  async login(options?: RequestOptions): Promise<LoginResponse> {
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
