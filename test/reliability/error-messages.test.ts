// What error messages say, over a real server on 127.0.0.1. A problem the client finds itself (no
// credentials, nothing to refresh with, a token it will not send) says what is wrong and how to
// fix it, with no HTTP status it never received ("AUTH (client) failed with 401"), and nothing
// reaches the server. A profile client's errors speak of the profile token. No composed message
// doubles a full stop ("required.. Fix"): every error path the suite can reach, API answers whose
// text ends in a full stop included, and every error class built directly.
import { describe, expect, it } from 'vitest';
import {
  AmaniError,
  ApiError,
  AuthenticationError,
  ConnectionError,
  InvalidInputError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RedirectError,
  RequestAbortedError,
  ServerError,
  TimeoutError,
  ValidationError,
  WebhookBodyTooLargeError,
  WebhookSignatureError,
  type AmaniClient,
} from '../../src/index.ts';
import { FAULTS } from './catalogue.ts';
import { act, closedPort } from './fault-server.ts';
import { ACCESS, clientFor, credentials, evidence, failure, JPEG, jwt, PROFILE_ID, REFRESH, secretScan, useFaultServer } from './harness.ts';

const TEST_MS = 10_000;
const GET_PATH = `/api/v2/profile/${PROFILE_ID}`;
const EXPIRED = jwt('MessagesExpiredAccess', -60);
const PROFILE_EXPIRED = jwt('MessagesExpiredProfile', -60, { profile_id: PROFILE_ID });
const PROFILE_ACCESS = jwt('MessagesProfileAccess', 3600, { profile_id: PROFILE_ID });
const PROFILE_REFRESH = jwt('MessagesProfileRefresh', 86_400, { token_type: 'refresh' });
const NO_PROFILE_CLAIM = jwt('MessagesNoClaimProfile', 3600);

const server = useFaultServer();

/** A doubled full stop, possibly with spaces between: "required.. Fix", "required. . Fix". */
const DOUBLED = /\.\s*\./;
/** What only an HTTP answer may put in a message. */
const INVENTED_STATUS = /failed with \d|AUTH \(client\)|\b401\b/;

const noDoubledStops = (label: string, message: string) => expect(message, label).not.toMatch(DOUBLED);

describe('problems the client finds itself: what is wrong and the fix, no invented status, nothing sent', () => {
  const profileGet = (client: AmaniClient, access: string | { access: string; refresh: string }) =>
    client.forProfile(access).documents.get(PROFILE_ID);
  const cases: Array<[string, (client: AmaniClient) => Promise<unknown>, Record<string, unknown>, RegExp[]]> = [
    ['a call with no token and no credentials', (c) => c.profiles.get(PROFILE_ID), { tokens: undefined }, [/no user token or credentials were given/i, /valid credentials/]],
    ['auth.login() without credentials', (c) => c.auth.login(), { tokens: undefined }, [/auth\.login\(\)/, /credentials/]],
    ['auth.login() with tokens but no credentials', (c) => c.auth.login(), {}, [/auth\.login\(\)/, /credentials/]],
    ['auth.refresh() with no refresh token', (c) => c.auth.refresh(), { tokens: { access: ACCESS } }, [/auth\.refresh\(\)/, /refresh token/]],
    ['an expired access token with nothing to renew it', (c) => c.profiles.get(PROFILE_ID), { tokens: { access: EXPIRED } }, [/user token expired/, /credentials/]],
    [
      'a token a header cannot carry',
      (c) => c.profiles.get(PROFILE_ID),
      { tokens: { access: 'not a token' } },
      [new RegExp(`^GET ${GET_PATH} was not sent: the user token is not a valid bearer token`), /exactly as Amani issued them/],
    ],
    ['an expired profile token with nothing to renew it', (c) => profileGet(c, PROFILE_EXPIRED), {}, [/profile token expired/, /forProfile\(\)/]],
    ['a profile token a header cannot carry', (c) => profileGet(c, 'not a token'), {}, [/was not sent: the profile token is not a valid bearer token/]],
  ];

  it.each(cases)('%s', async (label, call, options, says) => {
    const { client } = clientFor(server, options);
    const error = await failure(label, () => call(client));
    expect(error, `${error.name}: ${error.message}`).toBeInstanceOf(AuthenticationError);
    for (const pattern of says) expect(error.message).toMatch(pattern);
    expect(error.message).not.toMatch(INVENTED_STATUS);
    noDoubledStops(label, error.message);
    expect(server.requests).toEqual([]);
  }, TEST_MS);

  it("a profile client's errors say profile token, never user token or AmaniClient's credentials", async () => {
    const { client } = clientFor(server);
    const messages: string[] = [];
    // Expired, nothing to renew it with: found before sending.
    messages.push((await failure('profile expired', () => client.forProfile(PROFILE_EXPIRED).documents.get(PROFILE_ID))).message);
    // A token without profile_id, uploading without naming the profile.
    const upload = await failure('profile upload', () => client.forProfile(NO_PROFILE_CLAIM).documents.upload({ type: 'XXX_SE_0', pages: [JPEG] }));
    expect(upload).toBeInstanceOf(InvalidInputError);
    expect(upload.message).toBe('profile: is required (the profile token names no profile): pass the profile id');
    messages.push(upload.message);
    expect(server.requests).toEqual([]);
    // Rejected by the server, and its refresh token too.
    server.fallback('GET', `/api/v2/document/${PROFILE_ID}`, act.json(401, { detail: 'Given token not valid for any token type.', code: 'token_not_valid' }));
    server.fallback('POST', '/api/v2/token/refresh/', act.json(401, { detail: 'Token is invalid or expired.', code: 'token_not_valid' }));
    const rejected = await failure('profile refresh 401', () => client.forProfile({ access: PROFILE_ACCESS, refresh: PROFILE_REFRESH }).documents.get(PROFILE_ID));
    expect(rejected).toBeInstanceOf(AuthenticationError);
    expect(rejected.message).toMatch(/^POST \/api\/v2\/token\/refresh\/ failed with 401: Token is invalid or expired\. /);
    messages.push(rejected.message);
    // Rejected by the server, no refresh token.
    server.fallback('GET', `/api/v2/document/${PROFILE_ID}`, act.json(401, { detail: 'Given token not valid for any token type.' }));
    messages.push((await failure('profile 401', () => client.forProfile(PROFILE_ACCESS).documents.get(PROFILE_ID))).message);
    for (const message of messages) {
      expect(message).toContain('profile token');
      expect(message).not.toMatch(/user token|AmaniClient|credentials/);
      noDoubledStops('profile client', message);
    }
  }, TEST_MS);

  it('(guard) the user client still names credentials and AmaniClient', async () => {
    const { client } = clientFor(server, { tokens: { access: EXPIRED } });
    const error = await failure('user expired', () => client.profiles.get(PROFILE_ID));
    expect(error.message).toMatch(/AmaniClient/);
    expect(error.message).toMatch(/credentials/);
  });
});

describe('no doubled full stops', () => {
  it.each(FAULTS)('a GET under "$name"', async (fault) => {
    server.fallback('GET', GET_PATH, fault.action());
    const { client } = clientFor(server, fault.timeoutMs ? { timeoutMs: fault.timeoutMs } : {});
    const error = await failure(fault.name, () => client.profiles.get(PROFILE_ID));
    fault.check(error, 'GET', GET_PATH);
    noDoubledStops(fault.name, error.message);
  }, TEST_MS);

  // DRF ends its messages with a full stop; every status's hint follows one.
  const answers: Array<[number, unknown, abstract new (...args: never[]) => ApiError]> = [
    [400, { password: ['This field is required.'], username: ['This field may not be blank.'] }, ValidationError],
    [422, { detail: 'Unprocessable.' }, ValidationError],
    [401, { detail: 'No active account found with the given credentials.', code: 'authentication_failed' }, AuthenticationError],
    [403, { detail: 'You do not have permission to perform this action.' }, PermissionDeniedError],
    [404, { detail: 'Not found.' }, NotFoundError],
    [409, { detail: 'Conflict.' }, ApiError],
    [429, { detail: 'Request was throttled. Expected available in 7 seconds.' }, RateLimitError],
    [500, { detail: 'A server error occurred.' }, ServerError],
    [503, 'Service Unavailable.', ServerError],
  ];
  it.each(answers)('an answer %i whose text ends in a full stop, to the login and to a call', async (status, body, type) => {
    const headers: Record<string, string> = status === 429 ? { 'retry-after': '7' } : {};
    const answer = typeof body === 'string' ? act.wrongContentType(status, body) : act.json(status, body, headers);
    server.fallback('POST', '/api/v2/user/login', answer);
    server.fallback('POST', '/api/v2/document', answer);
    // A 401 to the upload is followed by a refresh, refused alike.
    server.fallback('POST', '/api/v2/token/refresh/', answer);
    const { client } = clientFor(server, { tokens: undefined, credentials, maxRetries: 0 });
    const login = await failure(`login ${status}`, () => client.auth.login());
    expect(login).toBeInstanceOf(type);
    noDoubledStops(`login ${status}`, login.message);
    const { client: withToken } = clientFor(server, { maxRetries: 0 });
    const upload = await failure(`upload ${status}`, () => withToken.documents.upload({ profile: PROFILE_ID, type: 'XXX_SE_0', pages: [JPEG] }));
    expect(upload).toBeInstanceOf(type);
    noDoubledStops(`upload ${status}`, upload.message);
  }, TEST_MS);

  it('a refused connection, a redirect, an aborted call and bad input', async () => {
    const port = await closedPort();
    const refused = await failure('refused', () => clientFor({ url: `http://127.0.0.1:${port}` }, { maxRetries: 0 }).client.profiles.get(PROFILE_ID));
    expect(refused).toBeInstanceOf(ConnectionError);
    server.fallback('GET', GET_PATH, act.reply(302, '', { location: 'https://elsewhere.example/login.' }));
    const redirect = await failure('redirect', () => clientFor(server).client.profiles.get(PROFILE_ID));
    expect(redirect).toBeInstanceOf(RedirectError);
    const controller = new AbortController();
    controller.abort(new Error('stopped.'));
    const aborted = await failure('aborted', () => clientFor(server).client.profiles.get(PROFILE_ID, { signal: controller.signal }));
    expect(aborted).toBeInstanceOf(RequestAbortedError);
    const input = await failure('bad input', () => clientFor(server).client.profiles.get('42.'));
    expect(input).toBeInstanceOf(InvalidInputError);
    for (const error of [refused, redirect, aborted, input]) noDoubledStops(error.name, error.message);
  }, TEST_MS);

  it('every error class, built with text that ends in a full stop', () => {
    const init = { status: 400, method: 'GET', path: '/x', body: { detail: 'Bad.' } };
    const cause = Object.assign(new Error('socket hang up.'), { code: 'ECONNRESET' });
    const errors: Error[] = [
      new ApiError(init),
      new ApiError(init, 'A hint.'),
      ApiError.from({ ...init, status: 418 }),
      new ValidationError({ ...init, body: { name: ['Too long.'] } }),
      new AuthenticationError({ ...init, status: 401 }),
      new AuthenticationError({ ...init, status: 401 }, 'Log in again.'),
      new PermissionDeniedError({ ...init, status: 403 }),
      new NotFoundError({ ...init, status: 404 }),
      new RateLimitError({ ...init, status: 429 }, undefined),
      new RateLimitError({ ...init, status: 429 }, 3),
      new ServerError({ ...init, status: 500 }),
      new RedirectError({ ...init, status: 302, body: undefined }, undefined),
      new ConnectionError('GET', '/x', cause),
      new ConnectionError('GET', '/x', new Error('Failed to fetch.')),
      new ConnectionError('GET', '/x', cause, 'could not reach it.'),
      new TimeoutError('GET', '/x', 100),
      new RequestAbortedError('GET', '/x', new Error('stop.')),
      new InvalidResponseError('GET', '/x', 200, 'an empty body.'),
      new InvalidInputError('field', 'must be set.'),
      new WebhookSignatureError('mismatch', 'No match.'),
      new WebhookBodyTooLargeError(10),
      new AmaniError('Something.'),
    ];
    for (const error of errors) {
      evidence.error(error.name, error);
      noDoubledStops(error.name, error.message);
    }
  });
});

secretScan();
