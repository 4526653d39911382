import { describe, expect, it, vi } from 'vitest';
import { TokenManager, type TokenManagerOptions, type TokenPair } from '../../src/core/tokens.ts';
import { AuthenticationError, ConnectionError, ValidationError } from '../../src/errors.ts';

const NOW = 1_750_000_000_000;

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned JWT whose `exp` is `expiresInMs` from NOW (or without `exp` when null). */
function jwt(name: string, expiresInMs: number | null, claims: Record<string, unknown> = {}): string {
  const payload = { ...claims, jti: name, ...(expiresInMs === null ? {} : { exp: Math.floor((NOW + expiresInMs) / 1000) }) };
  return `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}.sig-${name}`;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const authError = () =>
  new AuthenticationError({ status: 401, method: 'POST', path: '/api/v2/token/refresh/', body: { detail: 'Token is invalid or expired', code: 'token_not_valid' } });
const validationError = () =>
  new ValidationError({ status: 400, method: 'POST', path: '/api/v2/token/refresh/', body: { refresh: ['This field is required.'] } });
const connectionError = () => new ConnectionError('POST', '/api/v2/token/refresh/', Object.assign(new Error('reset'), { code: 'ECONNRESET' }));

interface Setup {
  initial?: TokenPair;
  credentials?: boolean;
  login?: () => Promise<{ tokens: TokenPair; result: string }>;
  refresh?: (refresh: string) => Promise<TokenPair>;
  onTokens?: (tokens: Readonly<TokenPair>) => void;
  marginMs?: number;
}

/** A TokenManager with counting fakes: login answers login-N tokens, refresh answers refreshed-N. */
function setup(options: Setup = {}) {
  const clock = { now: NOW };
  const seen: TokenPair[] = [];
  let logins = 0;
  let refreshes = 0;
  const defaultLogin = async (): Promise<{ tokens: TokenPair; result: string }> => {
    const n = logins;
    return { tokens: { access: jwt(`login-access-${n}`, HOUR), refresh: jwt(`login-refresh-${n}`, DAY) }, result: `user-${n}` };
  };
  const defaultRefresh = async (_refresh: string): Promise<TokenPair> => {
    const n = refreshes;
    return { access: jwt(`refreshed-access-${n}`, HOUR), refresh: jwt(`refreshed-refresh-${n}`, DAY) };
  };
  const login = vi.fn((): Promise<{ tokens: TokenPair; result: string }> => {
    logins++;
    return (options.login ?? defaultLogin)();
  });
  const refresh = vi.fn((token: string): Promise<TokenPair> => {
    refreshes++;
    return (options.refresh ?? defaultRefresh)(token);
  });
  const managerOptions: TokenManagerOptions<string> = {
    kind: 'user',
    initial: options.initial,
    login: options.credentials === false ? undefined : login,
    refresh,
    onTokens: options.onTokens ?? ((tokens) => seen.push({ ...tokens })),
    now: () => clock.now,
  };
  if (options.marginMs !== undefined) managerOptions.marginMs = options.marginMs;
  const manager = new TokenManager<string>(managerOptions);
  return { manager, login, refresh, seen, clock };
}

describe('TokenManager: login', () => {
  it('logs in lazily, on the first token() call only', async () => {
    const { manager, login, refresh } = setup();
    expect(login).not.toHaveBeenCalled();
    expect(manager.hasTokens).toBe(false);
    const token = await manager.token();
    expect(token).toBe(jwt('login-access-1', HOUR));
    expect(login).toHaveBeenCalledTimes(1);
    expect(refresh).not.toHaveBeenCalled();
    expect(manager.hasTokens).toBe(true);
  });

  it('reuses the cached token while it is not close to expiry', async () => {
    const { manager, login, refresh, clock } = setup();
    const first = await manager.token();
    clock.now += 30 * 60_000; // 30 of its 60 minutes: still outside the 60 s margin
    expect(await manager.token()).toBe(first);
    expect(await manager.token()).toBe(first);
    expect(login).toHaveBeenCalledTimes(1);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('reuses a token without exp (not a JWT) forever', async () => {
    const { manager, login, refresh, clock } = setup({ initial: { access: 'opaque-token', refresh: 'opaque-refresh' } });
    clock.now += 365 * DAY;
    expect(await manager.token()).toBe('opaque-token');
    expect(login).not.toHaveBeenCalled();
    expect(refresh).not.toHaveBeenCalled();
  });

  it('login() shares a login already in flight', async () => {
    const gate = deferred<{ tokens: TokenPair; result: string }>();
    const { manager, login } = setup({ login: () => gate.promise });
    const a = manager.login();
    const b = manager.login();
    const c = manager.token();
    gate.resolve({ tokens: { access: 'A', refresh: 'R' }, result: 'the-user' });
    expect(await a).toBe('the-user');
    expect(await b).toBe('the-user');
    expect(await c).toBe('A');
    expect(login).toHaveBeenCalledTimes(1);
  });

  it('login() called while lazy login is in flight (from token()) shares it and returns its answer', async () => {
    const gate = deferred<{ tokens: TokenPair; result: string }>();
    const { manager, login } = setup({ login: () => gate.promise });
    const token = manager.token();
    const user = manager.login();
    gate.resolve({ tokens: { access: 'A', refresh: 'R' }, result: 'the-user' });
    expect(await token).toBe('A');
    expect(await user).toBe('the-user');
    expect(login).toHaveBeenCalledTimes(1);
  });

  it('login() while a refresh is in flight still logs in and returns the login answer', async () => {
    // Saved tokens, expired access: token() starts a refresh. An explicit login() at that moment must
    // not resolve to the refresh (which has no login answer).
    const gate = deferred<TokenPair>();
    const { manager, login, refresh } = setup({
      initial: { access: jwt('old-access', -HOUR), refresh: jwt('old-refresh', DAY) },
      refresh: () => gate.promise,
    });
    const token = manager.token();
    const user = manager.login();
    gate.resolve({ access: 'refreshed', refresh: 'refreshed-r' });
    await token;
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(await user).toBe('user-1');
    expect(login).toHaveBeenCalledTimes(1);
  });

  it('login() without credentials fails with AuthenticationError and calls nothing', async () => {
    const { manager, login, refresh } = setup({ credentials: false });
    await expect(manager.login()).rejects.toBeInstanceOf(AuthenticationError);
    expect(login).not.toHaveBeenCalled();
    expect(refresh).not.toHaveBeenCalled();
  });

  it('no tokens and no credentials: token() fails with AuthenticationError', async () => {
    const { manager, refresh } = setup({ credentials: false });
    const error = await manager.token().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).message).toMatch(/credentials/);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('a failed login is not cached: the next call tries again', async () => {
    let fail = true;
    const { manager, login } = setup({
      login: async () => {
        if (fail) throw authError();
        return { tokens: { access: 'A' }, result: 'u' };
      },
    });
    await expect(manager.token()).rejects.toBeInstanceOf(AuthenticationError);
    fail = false;
    expect(await manager.token()).toBe('A');
    expect(login).toHaveBeenCalledTimes(2);
  });

  it('concurrent token() calls during a failing login all get the same error from one login', async () => {
    const gate = deferred<{ tokens: TokenPair; result: string }>();
    const { manager, login } = setup({ login: () => gate.promise });
    const calls = Array.from({ length: 50 }, () => manager.token().catch((e: unknown) => e));
    const error = authError();
    gate.reject(error);
    const results = await Promise.all(calls);
    expect(results.every((r) => r === error)).toBe(true);
    expect(login).toHaveBeenCalledTimes(1);
  });
});

describe('TokenManager: refresh', () => {
  it('refreshes proactively when exp is within the margin (default 60 s)', async () => {
    const oldRefresh = jwt('old-refresh', DAY);
    const { manager, login, refresh } = setup({ initial: { access: jwt('old-access', 30_000), refresh: oldRefresh } });
    expect(await manager.token()).toBe(jwt('refreshed-access-1', HOUR));
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(refresh).toHaveBeenCalledWith(oldRefresh);
    expect(login).not.toHaveBeenCalled();
  });

  it('does not refresh a token outside the margin, and honours a custom margin', async () => {
    const initial = { access: jwt('old-access', 90_000), refresh: jwt('old-refresh', DAY) };
    const relaxed = setup({ initial });
    expect(await relaxed.manager.token()).toBe(initial.access);
    expect(relaxed.refresh).not.toHaveBeenCalled();

    const strict = setup({ initial, marginMs: 120_000 });
    expect(await strict.manager.token()).toBe(jwt('refreshed-access-1', HOUR));
    expect(strict.refresh).toHaveBeenCalledTimes(1);
  });

  it('refreshes once the clock moves into the margin', async () => {
    const { manager, refresh, clock } = setup({ initial: { access: jwt('old-access', 10 * 60_000), refresh: jwt('old-refresh', DAY) } });
    expect(await manager.token()).toBe(jwt('old-access', 10 * 60_000));
    clock.now += 9 * 60_000 + 1; // 59.999 s left
    expect(await manager.token()).toBe(jwt('refreshed-access-1', HOUR));
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('single-flight: 100 concurrent token() calls make exactly 1 refresh and all get the same token', async () => {
    const gate = deferred<TokenPair>();
    const { manager, refresh, login } = setup({
      initial: { access: jwt('old-access', -1000), refresh: jwt('old-refresh', DAY) },
      refresh: () => gate.promise,
    });
    const calls = Array.from({ length: 100 }, () => manager.token());
    gate.resolve({ access: 'new-access', refresh: 'new-refresh' });
    const tokens = await Promise.all(calls);
    expect(new Set(tokens)).toEqual(new Set(['new-access']));
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(login).not.toHaveBeenCalled();
  });

  it('renew(rejected) after another caller already renewed returns the new token without a second refresh', async () => {
    const { manager, refresh } = setup({ initial: { access: 'old-access', refresh: 'old-refresh' } });
    const first = await manager.renew('old-access');
    expect(first).toBe(jwt('refreshed-access-1', HOUR));
    // A second request that was sent with the old token gets its 401 late:
    expect(await manager.renew('old-access')).toBe(first);
    expect(refresh).toHaveBeenCalledTimes(1);
    // The new token being rejected does renew again.
    expect(await manager.renew(first)).toBe(jwt('refreshed-access-2', HOUR));
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('concurrent renew(rejected) calls share one refresh', async () => {
    const gate = deferred<TokenPair>();
    const { manager, refresh } = setup({ initial: { access: 'old-access', refresh: 'old-refresh' }, refresh: () => gate.promise });
    const calls = Array.from({ length: 100 }, () => manager.renew('old-access'));
    gate.resolve({ access: 'new-access' });
    expect(new Set(await Promise.all(calls))).toEqual(new Set(['new-access']));
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['AuthenticationError (401)', authError],
    ['ValidationError (400)', validationError],
  ])('a refresh rejected with %s falls back to exactly 1 login', async (_name, makeError) => {
    const { manager, login, refresh } = setup({
      initial: { access: jwt('old-access', -1000), refresh: jwt('old-refresh', DAY) },
      refresh: async () => {
        throw makeError();
      },
    });
    const tokens = await Promise.all(Array.from({ length: 20 }, () => manager.token()));
    expect(new Set(tokens)).toEqual(new Set([jwt('login-access-1', HOUR)]));
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(login).toHaveBeenCalledTimes(1);
  });

  it('a refresh network error (ConnectionError) propagates, with no login', async () => {
    const error = connectionError();
    const { manager, login, refresh } = setup({
      initial: { access: jwt('old-access', -1000), refresh: jwt('old-refresh', DAY) },
      refresh: async () => {
        throw error;
      },
    });
    await expect(manager.token()).rejects.toBe(error);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(login).not.toHaveBeenCalled();
    // Nothing is stuck: the next call tries the refresh again.
    await expect(manager.renew(jwt('old-access', -1000))).rejects.toBe(error);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(login).not.toHaveBeenCalled();
  });

  it('an expired refresh token goes straight to login', async () => {
    const { manager, login, refresh } = setup({ initial: { access: jwt('old-access', -1000), refresh: jwt('old-refresh', -1) } });
    expect(await manager.token()).toBe(jwt('login-access-1', HOUR));
    expect(refresh).not.toHaveBeenCalled();
    expect(login).toHaveBeenCalledTimes(1);
  });

  it('no refresh token at all goes straight to login', async () => {
    const { manager, login, refresh } = setup({ initial: { access: 'rejected-access' } });
    expect(await manager.renew('rejected-access')).toBe(jwt('login-access-1', HOUR));
    expect(refresh).not.toHaveBeenCalled();
    expect(login).toHaveBeenCalledTimes(1);
  });

  it('no credentials and a rejected refresh: AuthenticationError, no login', async () => {
    const { manager, login, refresh } = setup({
      credentials: false,
      initial: { access: jwt('old-access', -1000), refresh: jwt('old-refresh', DAY) },
      refresh: async () => {
        throw authError();
      },
    });
    await expect(manager.token()).rejects.toBeInstanceOf(AuthenticationError);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(login).not.toHaveBeenCalled();
  });

  it('no credentials and an expired refresh token: AuthenticationError without calling refresh', async () => {
    const { manager, refresh } = setup({
      credentials: false,
      initial: { access: jwt('old-access', -1000), refresh: jwt('old-refresh', -1000) },
    });
    const error = await manager.token().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toMatch(/expired/);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('no credentials and no refresh token: renew() after a 401 fails with AuthenticationError', async () => {
    const { manager, refresh } = setup({ credentials: false, initial: { access: 'rejected' } });
    await expect(manager.renew('rejected')).rejects.toBeInstanceOf(AuthenticationError);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('a refresh answer without `refresh` keeps the old refresh token', async () => {
    let n = 0;
    const oldRefresh = jwt('old-refresh', DAY);
    const { manager, refresh, seen, clock } = setup({
      initial: { access: jwt('old-access', -1000), refresh: oldRefresh },
      refresh: async () => ({ access: jwt(`access-${++n}`, HOUR) }),
    });
    expect(await manager.token()).toBe(jwt('access-1', HOUR));
    expect(seen).toEqual([{ access: jwt('access-1', HOUR), refresh: oldRefresh }]);
    clock.now += HOUR; // expire the new access token: the old refresh token is used again
    expect(await manager.token()).toBe(jwt('access-2', HOUR));
    expect(refresh.mock.calls).toEqual([[oldRefresh], [oldRefresh]]);
  });

  it('a new refresh token from the answer is used for the next refresh', async () => {
    const { manager, refresh, clock } = setup({ initial: { access: jwt('old-access', -1000), refresh: jwt('old-refresh', DAY) } });
    await manager.token();
    clock.now += HOUR;
    await manager.token();
    expect(refresh.mock.calls).toEqual([[jwt('old-refresh', DAY)], [jwt('refreshed-refresh-1', DAY)]]);
  });
});

describe('TokenManager: explicit refresh()', () => {
  it('exchanges the refresh token now, even when the access token is fresh, and reports the pair', async () => {
    const { manager, refresh, login, seen } = setup({ initial: { access: jwt('a', HOUR), refresh: jwt('r', DAY) } });
    expect(await manager.refresh()).toEqual({ access: jwt('refreshed-access-1', HOUR), refresh: jwt('refreshed-refresh-1', DAY) });
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(refresh.mock.calls[0]![0]).toBe(jwt('r', DAY));
    expect(login).not.toHaveBeenCalled();
    expect(seen).toEqual([{ access: jwt('refreshed-access-1', HOUR), refresh: jwt('refreshed-refresh-1', DAY) }]);
    expect(await manager.token()).toBe(jwt('refreshed-access-1', HOUR));
  });

  it('shares a renewal already in flight', async () => {
    const gate = deferred<TokenPair>();
    const { manager, refresh } = setup({ initial: { access: jwt('a', -1000), refresh: jwt('r', DAY) }, refresh: () => gate.promise });
    const token = manager.token();
    const explicit = manager.refresh();
    gate.resolve({ access: 'new-access' });
    expect(await token).toBe('new-access');
    expect(await explicit).toEqual({ access: 'new-access', refresh: jwt('r', DAY) });
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('reports a rejected refresh token instead of logging in', async () => {
    const error = authError();
    const { manager, login } = setup({
      initial: { access: jwt('a', HOUR), refresh: jwt('r', DAY) },
      refresh: async () => {
        throw error;
      },
    });
    await expect(manager.refresh()).rejects.toBe(error);
    expect(login).not.toHaveBeenCalled();
  });

  it('without a refresh token: AuthenticationError, nothing called', async () => {
    const { manager, login, refresh } = setup({ initial: { access: jwt('a', HOUR) } });
    await expect(manager.refresh()).rejects.toBeInstanceOf(AuthenticationError);
    expect(login).not.toHaveBeenCalled();
    expect(refresh).not.toHaveBeenCalled();
  });
});

describe('TokenManager: onTokens', () => {
  it('receives every new pair: login, refresh and re-login', async () => {
    let rejectRefresh = false;
    const { manager, seen, clock } = setup({
      refresh: async () => {
        if (rejectRefresh) throw authError();
        return { access: jwt('refreshed', 2 * HOUR) };
      },
    });
    await manager.token();
    clock.now += HOUR; // login-access-1 has expired
    await manager.token();
    rejectRefresh = true;
    await manager.renew(jwt('refreshed', 2 * HOUR));
    expect(seen).toEqual([
      { access: jwt('login-access-1', HOUR), refresh: jwt('login-refresh-1', DAY) },
      { access: jwt('refreshed', 2 * HOUR), refresh: jwt('login-refresh-1', DAY) },
      { access: jwt('login-access-2', HOUR), refresh: jwt('login-refresh-2', DAY) },
    ]);
  });

  it('is not called when nothing new was obtained', async () => {
    const { manager, seen } = setup({ initial: { access: jwt('a', HOUR), refresh: jwt('r', DAY) } });
    await manager.token();
    await manager.renew('some-other-token');
    expect(seen).toEqual([]);
  });

  it('a throwing onTokens does not fail the call, and the new token is still used', async () => {
    const onTokens = vi.fn(() => {
      throw new Error('disk full');
    });
    const { manager, refresh } = setup({ initial: { access: jwt('a', -1000), refresh: jwt('r', DAY) }, onTokens });
    expect(await manager.token()).toBe(jwt('refreshed-access-1', HOUR));
    expect(await manager.token()).toBe(jwt('refreshed-access-1', HOUR));
    expect(onTokens).toHaveBeenCalledTimes(1);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('an async onTokens that rejects has its rejection handled (no unhandled rejection)', async () => {
    // Persistence hooks are often async. The hook returns a promise-like that records whether anyone
    // subscribed to its outcome; an unobserved rejected promise would crash Node (unhandled rejection).
    let observed = false;
    const rejected: PromiseLike<void> = {
      then(_onFulfilled, onRejected) {
        observed = true;
        return Promise.resolve(onRejected?.(new Error('database down'))) as never;
      },
    };
    const onTokens = (() => rejected) as unknown as (tokens: Readonly<TokenPair>) => void;
    const { manager } = setup({ onTokens });
    expect(await manager.token()).toBe(jwt('login-access-1', HOUR));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(observed).toBe(true);
  });

  it('onTokens gets a copy: mutating it does not change the held tokens', async () => {
    const { manager } = setup({
      onTokens: (tokens) => {
        (tokens as TokenPair).access = 'tampered';
      },
    });
    expect(await manager.token()).toBe(jwt('login-access-1', HOUR));
    expect(await manager.token()).toBe(jwt('login-access-1', HOUR));
  });

  it('toJSON shows no token', async () => {
    const { manager } = setup({ initial: { access: 'secret-access', refresh: 'secret-refresh' } });
    expect(JSON.stringify(manager)).toBe('{"kind":"user","hasTokens":true}');
  });
});

/** A token as SimpleJWT issues it: iat and exp in whole seconds of a clock `skewMs` off ours, `ageS` seconds ago. */
function issued(name: string, lifetimeS: number, { ageS = 0, skewMs = 0, at = NOW } = {}): string {
  const iat = Math.floor((at + skewMs) / 1000) - ageS;
  return `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ jti: name, iat, exp: iat + lifetimeS })}.sig-${name}`;
}

describe('TokenManager: margin from the token lifetime, clock skew', () => {
  it.each([
    [3, 1_600],
    [30, 7_000],
    [300, 60_000],
    [3_600, 60_000],
  ])('a %i s token is refreshed %i ms before it expires, not earlier', async (lifetimeS, marginMs) => {
    const { manager, refresh, clock } = setup({ initial: { access: issued('a', lifetimeS), refresh: jwt('r', DAY) } });
    clock.now += lifetimeS * 1000 - marginMs - 1;
    expect(await manager.token()).toBe(issued('a', lifetimeS));
    clock.now += 1;
    expect(await manager.token()).toBe(jwt('refreshed-access-1', HOUR));
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('a token that arrives from a server 4.5 minutes behind is judged by the server clock (iat on arrival)', async () => {
    const skewMs = -270_000;
    const { manager, login, refresh, clock } = setup({
      login: async () => ({ tokens: { access: issued('behind', 300, { skewMs }), refresh: issued('behind-r', 86_400, { skewMs }) }, result: 'u' }),
    });
    expect(await manager.token()).toBe(issued('behind', 300, { skewMs }));
    clock.now += 239_000; // 61 s left by the server's clock
    expect(await manager.token()).toBe(issued('behind', 300, { skewMs }));
    clock.now += 1_000;
    expect(await manager.token()).toBe(jwt('refreshed-access-1', HOUR));
    expect(login).toHaveBeenCalledTimes(1);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('a token that arrives from a server 4.5 minutes ahead is refreshed before it expires by its clock, not ours', async () => {
    const skewMs = 270_000;
    const { manager, refresh, clock } = setup({
      login: async () => ({ tokens: { access: issued('ahead', 300, { skewMs }), refresh: issued('ahead-r', 86_400, { skewMs }) }, result: 'u' }),
    });
    await manager.token();
    clock.now += 240_000; // by our clock its exp is 330 s away; by the server's, 60 s
    expect(await manager.token()).toBe(jwt('refreshed-access-1', HOUR));
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("a saved token's old iat is no clock skew: 10 s left of 5 minutes is refreshed before use", async () => {
    const { manager, refresh } = setup({ initial: { access: issued('saved', 300, { ageS: 290 }), refresh: jwt('r', DAY) } });
    expect(await manager.token()).toBe(jwt('refreshed-access-1', HOUR));
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("a saved token's iat ahead of our clock proves the server is at least that far ahead", async () => {
    // Issued now by a server 270 s ahead: by our clock it expires in 300 + 270 s, by the server's in 300 s.
    const access = issued('saved-ahead', 300, { skewMs: 270_000 });
    const { manager, refresh, clock } = setup({ initial: { access, refresh: jwt('r', DAY) } });
    clock.now += 239_000;
    expect(await manager.token()).toBe(access);
    clock.now += 1_000;
    expect(await manager.token()).toBe(jwt('refreshed-access-1', HOUR));
    expect(refresh).toHaveBeenCalledTimes(1);
  });
});

describe('TokenManager: a refresh before expiry that fails', () => {
  const nearlyExpired = () => ({ access: issued('near', 300, { ageS: 270 }), refresh: jwt('r', DAY) });

  it.each([
    ['ConnectionError', connectionError],
    ['AuthenticationError', authError],
  ])('with %s: the still-valid token is used, and no refresh is tried for 5 s', async (_name, makeError) => {
    let fail = true;
    const { manager, refresh, login, clock } = setup({
      credentials: false,
      initial: nearlyExpired(),
      refresh: async () => {
        if (fail) throw makeError();
        return { access: 'new-access' };
      },
    });
    const calls = await Promise.all(Array.from({ length: 20 }, () => manager.token()));
    expect(new Set(calls)).toEqual(new Set([nearlyExpired().access]));
    expect(refresh).toHaveBeenCalledTimes(1);
    clock.now += 4_999;
    expect(await manager.token()).toBe(nearlyExpired().access);
    expect(refresh).toHaveBeenCalledTimes(1);
    fail = false;
    clock.now += 1;
    expect(await manager.token()).toBe('new-access');
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(login).not.toHaveBeenCalled();
  });

  it('explicit refresh() and renew() joining it get its error, not the old token', async () => {
    const gate = deferred<TokenPair>();
    const { manager } = setup({ initial: nearlyExpired(), refresh: () => gate.promise });
    const call = manager.token();
    const explicit = manager.refresh().catch((e: unknown) => e);
    const renewal = manager.renew(nearlyExpired().access).catch((e: unknown) => e);
    const error = connectionError();
    gate.reject(error);
    expect(await call).toBe(nearlyExpired().access);
    expect(await explicit).toBe(error);
    expect(await renewal).toBe(error);
  });

  it('a slow one is not waited for: calls go on with the still-valid token after a moment, and get the new one once it arrives', async () => {
    const gate = deferred<TokenPair>();
    const { manager, refresh } = setup({ initial: nearlyExpired(), refresh: () => gate.promise });
    expect(await manager.token()).toBe(nearlyExpired().access);
    expect(await manager.token()).toBe(nearlyExpired().access);
    expect(refresh).toHaveBeenCalledTimes(1);
    gate.resolve({ access: 'new-access' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await manager.token()).toBe('new-access');
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('once the token has expired, a failing refresh fails the call, even within the pause', async () => {
    const error = connectionError();
    const access = issued('near', 300, { ageS: 298 }); // 2 s left
    const { manager, refresh, clock } = setup({
      initial: { access, refresh: jwt('r', DAY) },
      refresh: async () => {
        throw error;
      },
    });
    expect(await manager.token()).toBe(access);
    clock.now += 3_000; // expired, 3 s into the 5 s pause
    await expect(manager.token()).rejects.toBe(error);
    expect(refresh).toHaveBeenCalledTimes(2);
  });
});
