// The company user's login, loaded on first use like the areas (see ./lazy.ts): a browser app
// holding a profile token never logs in, and a server logs in once.
import type { Shared } from '../client.ts';
import type { LoginUser } from '../types.ts';
import type { RequestOptions } from './transport.ts';
import { tokensFrom, type TokenPair } from './tokens.ts';

export class Session {
  readonly #shared: () => Shared;

  constructor(shared: () => Shared) {
    this.#shared = shared;
  }

  /**
   * Logs in. The user goes to the caller without the tokens (logging it must not print them): they
   * reach the caller through onTokens.
   */
  async login(credentials: { username: string; password: string }, options?: RequestOptions): Promise<{ tokens: TokenPair; result: LoginUser }> {
    const { anonymous, api } = this.#shared();
    const answer = await anonymous.request('/api/v2/user/login', options, (init) =>
      api.POST('/api/v2/user/login', { body: { username: credentials.username, password: credentials.password }, ...init }),
    );
    const tokens = tokensFrom('/api/v2/user/login', answer);
    const { access: _access, refresh: _refresh, ...user } = answer;
    return { tokens, result: user };
  }
}
