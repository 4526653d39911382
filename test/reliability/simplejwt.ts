// A fake Django REST Framework + SimpleJWT server on the fault server, for the token-lifetime
// tests: login (TokenObtainPairView), refresh (TokenRefreshView with ROTATE_REFRESH_TOKENS and
// BLACKLIST_AFTER_ROTATION) and a profile GET behind JWTAuthentication. Tokens are HS256-signed
// JWTs whose iat and exp come from the server's own clock, which may be skewed against the real
// one, in whole seconds as SimpleJWT writes them; a token is valid while exp > the server's time
// (PyJWT). Every answer and error body is SimpleJWT's own, and every token issued is registered
// as a secret, so the suite's leak scan covers them too.
import { createHmac, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { act, type Action, type FaultServer, type RecordedRequest } from './fault-server.ts';
import { credentials, secret } from './harness.ts';

export const LOGIN = '/api/v2/user/login';
export const REFRESH = '/api/v2/token/refresh/';
export const PROFILE = /^\/api\/v2\/profile\/[0-9a-f-]{36}$/;

/** JWTAuthentication's 401 to an access token that is expired, forged or otherwise invalid. */
export const ACCESS_REJECTED = {
  detail: 'Given token not valid for any token type',
  code: 'token_not_valid',
  messages: [{ token_class: 'AccessToken', token_type: 'access', message: 'Token is invalid or expired' }],
};
export const BLACKLISTED = { detail: 'Token is blacklisted', code: 'token_not_valid' };
export const REFRESH_INVALID = { detail: 'Token is invalid or expired', code: 'token_not_valid' };
export const LOGIN_REJECTED = { detail: 'No active account found with the given credentials' };

export interface SimpleJwtOptions {
  /** ACCESS_TOKEN_LIFETIME in seconds. */
  accessS: number;
  /** REFRESH_TOKEN_LIFETIME in seconds; one day by default. */
  refreshS?: number;
  /** The server's clock minus the real one, in ms (negative: the server is behind). */
  skewMs?: number;
  /** ROTATE_REFRESH_TOKENS with BLACKLIST_AFTER_ROTATION; on by default. */
  rotate?: boolean;
}

export interface Answered {
  request: RecordedRequest;
  status: number;
  body: Record<string, unknown>;
}

export interface SimpleJwt {
  /** The server's clock, epoch ms. */
  now(): number;
  /** A token as this server issues it, `ageS` seconds ago by its clock. */
  issue(type: 'access' | 'refresh', ageS?: number): string;
  /** A login pair issued `ageS` seconds ago (saved tokens). */
  pair(ageS?: number): { access: string; refresh: string };
  /** A well-formed access token that expires in ten years, signed with another key. */
  forged(): string;
  /** Every answer the server gave, in order. */
  readonly answers: Answered[];
  answered(path: string | RegExp): Answered[];
  /** The handlers, to compose with faults (a delay before the real answer, say). */
  readonly login: Action;
  readonly refresh: Action;
  readonly profile: Action;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const header = b64url({ alg: 'HS256', typ: 'JWT' });
const sign = (key: string, data: string) => createHmac('sha256', key).update(data).digest('base64url');
let counter = 0;

/** Installs the three routes on `server` (after its per-test forget()) and returns the server's state. */
export function simpleJwt(server: FaultServer, options: SimpleJwtOptions): SimpleJwt {
  const key = `django-insecure-${randomUUID()}`;
  const refreshS = options.refreshS ?? 86_400;
  const rotate = options.rotate ?? true;
  const blacklist = new Set<string>();
  const answers: Answered[] = [];
  const now = () => Date.now() + (options.skewMs ?? 0);

  function mint(type: 'access' | 'refresh', ageS = 0, signingKey = key, lifetimeS = type === 'access' ? options.accessS : refreshS): string {
    const iat = Math.floor(now() / 1000) - ageS;
    const claims = { token_type: type, exp: iat + lifetimeS, iat, jti: randomUUID().replace(/-/g, ''), user_id: 'c0ffee00-0000-4000-8000-000000000001' };
    const payload = b64url(claims);
    const signature = sign(signingKey, `${header}.${payload}`);
    const name = `simplejwt ${type} ${++counter}`;
    secret(`${name} payload`, payload);
    secret(`${name} signature`, signature);
    return secret(name, `${header}.${payload}.${signature}`);
  }

  /** The claims of a valid token of that type, or undefined (bad signature, wrong type, expired). */
  function verify(token: unknown, type: 'access' | 'refresh'): Record<string, unknown> | undefined {
    if (typeof token !== 'string') return undefined;
    const [head, payload, signature] = token.split('.');
    if (!head || !payload || signature !== sign(key, `${head}.${payload}`)) return undefined;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const valid = claims.token_type === type && typeof claims.exp === 'number' && claims.exp > Math.floor(now() / 1000);
    return valid ? claims : undefined;
  }

  function answer(request: RecordedRequest, res: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
    answers.push({ request, status, body });
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
    res.end(text);
  }

  const parse = (request: RecordedRequest) => JSON.parse(request.body.toString() || '{}') as Record<string, unknown>;

  const login = act.handle((request, res) => {
    const { username, password } = parse(request);
    if (username !== credentials.username || password !== credentials.password) return answer(request, res, 401, LOGIN_REJECTED);
    answer(request, res, 200, { refresh: mint('refresh'), access: mint('access') });
  }, 'simplejwt login');

  const refresh = act.handle((request, res) => {
    const claims = verify(parse(request).refresh, 'refresh');
    if (!claims) return answer(request, res, 401, REFRESH_INVALID);
    if (blacklist.has(String(claims.jti))) return answer(request, res, 401, BLACKLISTED);
    if (!rotate) return answer(request, res, 200, { access: mint('access') });
    blacklist.add(String(claims.jti));
    answer(request, res, 200, { access: mint('access'), refresh: mint('refresh') });
  }, 'simplejwt refresh');

  const profile = act.handle((request, res) => {
    const token = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!verify(token, 'access')) return answer(request, res, 401, ACCESS_REJECTED, { 'www-authenticate': 'Bearer realm="api"' });
    answer(request, res, 200, { id: request.path.split('/').pop() });
  }, 'simplejwt profile');

  server.fallback('POST', LOGIN, login).fallback('POST', REFRESH, refresh).fallback('GET', PROFILE, profile);
  return {
    now,
    issue: (type, ageS) => mint(type, ageS),
    pair: (ageS) => ({ access: mint('access', ageS), refresh: mint('refresh', ageS) }),
    forged: () => mint('access', 0, 'another-key', 10 * 365 * 86_400),
    answers,
    answered: (path) => answers.filter((a) => (typeof path === 'string' ? a.request.path === path : path.test(a.request.path))),
    login,
    refresh,
    profile,
  };
}
