import type { TokenManager } from '../core/tokens.ts';
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
  login(): Promise<LoginResponse> {
    return this.#tokens.login();
  }
}
