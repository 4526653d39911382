import type { TokenManager, TokenPair } from '../core/tokens.ts';
import type { RequestOptions } from '../core/transport.ts';
import type { LoginUser } from '../types.ts';

/**
 * Logging in and refreshing, as `amani.auth`. Neither is needed for other calls: the client logs in
 * on the first call that needs a token and refreshes on its own.
 */
export class Auth {
  readonly #tokens: TokenManager<LoginUser>;

  constructor(tokens: TokenManager<LoginUser>) {
    this.#tokens = tokens;
  }

  /**
   * Logs in with the configured credentials now (calls log in lazily anyway) and returns the user,
   * without the tokens: they go to `onTokens`, so logging the user never prints them. Concurrent
   * calls share one login.
   *
   * @operation login
   * @returns The logged-in user (name, company, groups and permissions).
   * @throws {@link AuthenticationError} without sending anything when the client was given no
   *   `credentials`.
   * @throws {@link InvalidInputError} before anything is sent, when `options` is invalid.
   */
  async login(options?: RequestOptions): Promise<LoginUser> {
    return this.#tokens.login(options);
  }

  /**
   * Exchanges the refresh token for a new access token now (calls refresh automatically shortly
   * before expiry and after a 401). Throws AuthenticationError when the refresh token is rejected.
   *
   * @operation refreshToken
   * @returns The new token pair (also reported to `onTokens`); `refresh` is the old refresh token
   *   when Amani does not rotate it.
   * @throws {@link AuthenticationError} without sending anything when the client holds no refresh
   *   token.
   * @throws {@link InvalidInputError} before anything is sent, when `options` is invalid.
   */
  async refresh(options?: RequestOptions): Promise<Readonly<TokenPair>> {
    return this.#tokens.refresh(options);
  }
}
