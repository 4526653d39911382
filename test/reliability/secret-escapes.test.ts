// Secrets in error answers, whatever the server writes: a profile client's own tokens (its calls
// and its refreshes, which go out without a token), secrets the server JSON-escaped the way
// Python (`\u00f6`), Go (`\u0026 \u003c \u003e`) or PHP (`\/`) do, and passwords too short to
// scrub as plain text. Every body below is written by hand, as those servers write it, never by
// JSON.stringify. Each error is checked in every form it can be read: message, String, JSON,
// util.inspect (hidden fields, full depth), its body, the `raw` error object and the log.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ApiError, AuthenticationError, ServerError, ValidationError, type AmaniClient } from '../../src/index.ts';
import { act } from './fault-server.ts';
import { clientFor, evidence, failure, JPEG, jwt, PROFILE_ID, secret, secretScan, USERNAME, useFaultServer } from './harness.ts';

const TEST_MS = 15_000;
const LOGIN = '/api/v2/user/login';
const REFRESH_PATH = '/api/v2/token/refresh/';
const PROFILE_PATH = `/api/v2/profile/${PROFILE_ID}`;
const UPLOAD = '/api/v2/document';
const PROFILE_ACCESS = jwt('EscapesProfileAccess', 3600, { profile_id: PROFILE_ID });
const PROFILE_REFRESH = jwt('EscapesProfileRefresh', 86_400, { token_type: 'refresh', profile_id: PROFILE_ID });

/** Non-ASCII, the characters Go escapes, the one PHP escapes, a quote and a backslash. */
const PASSWORD = secret('escaped password', 'Körte&<Pa/ss>"q\\9');

/** The password as each server writes it inside a JSON string (raw text, backslashes and all). */
const ESCAPED: Array<[string, string]> = [
  ['Python json.dumps (ensure_ascii)', String.raw`K\u00f6rte&<Pa/ss>\"q\\9`],
  ['Go encoding/json', String.raw`Körte\u0026\u003cPa/ss\u003e\"q\\9`],
  ['PHP json_encode', String.raw`K\u00f6rte&<Pa\/ss>\"q\\9`],
  ['every character escaped, upper-case hex', String.raw`\u004B\u00F6\u0072\u0074\u0065\u0026\u003CPa\u002Fss\u003E\u0022q\u005C9`],
];

/** A DRF-style error answer quoting the (escaped) password in the detail, in lists, as a key. */
const echoBody = (e: string) =>
  `{"detail": "Wrong password ${e} for ${USERNAME}", "non_field_errors": ["${e}"], "password": ["${e}"], "${e}": "the password as a key", "nested": [{"echo": "${e} again"}]}`;

/** Every way a secret can read inside a collected text: as is, JSON-escaped, inspect-escaped. */
const forms = (value: string) => [...new Set([value, JSON.stringify(value).slice(1, -1), inspect(value).slice(1, -1)])];

/** Every text an error gives away. */
function texts(error: unknown): string[] {
  const e = error as ApiError;
  return [e.message, String(e), JSON.stringify(e), inspect(e, { depth: Infinity, showHidden: true }), JSON.stringify(e.body), inspect(e.body, { depth: Infinity })];
}

function expectNone(where: string[], secrets: string[]): void {
  for (const text of where) for (const s of secrets) for (const form of forms(s)) expect(text, `${JSON.stringify(form)} leaked`).not.toContain(form);
}

const server = useFaultServer();

describe("a profile client's tokens are scrubbed like the user's", () => {
  const profileTokens = [PROFILE_ACCESS, PROFILE_REFRESH, ...[PROFILE_ACCESS, PROFILE_REFRESH].flatMap((t) => t.split('.').slice(1))];

  it.each([
    ['application/json', `{"detail": "Token ${PROFILE_REFRESH} is blacklisted", "code": "token_not_valid", "messages": [{"token_class": "AccessToken", "message": "${PROFILE_ACCESS} expired"}]}`],
    ['text/plain', `Unauthorized: refresh token ${PROFILE_REFRESH} rejected (access ${PROFILE_ACCESS})`],
  ])('a refresh endpoint answering 401 (%s) that quotes both profile tokens', async (type, page) => {
    server
      .fallback('PATCH', PROFILE_PATH, act.json(401, { detail: 'Given token not valid for any token type', code: 'token_not_valid' }))
      .fallback('POST', REFRESH_PATH, act.reply(401, page, { 'content-type': type }));
    const { client, logs } = clientFor(server);
    const customer = client.forProfile({ access: PROFILE_ACCESS, refresh: PROFILE_REFRESH });
    const error = await failure(`profile refresh ${type}`, () => customer.profiles.update(PROFILE_ID, { name: 'Ada' }));
    expect(error).toBeInstanceOf(AuthenticationError);
    // The refresh really was tried with the profile's refresh token, and was what failed.
    expect(JSON.parse(server.arrivals('POST', REFRESH_PATH)[0]!.body.toString())).toEqual({ refresh: PROFILE_REFRESH });
    expect(error.message).toContain(`POST ${REFRESH_PATH} failed with 401`);
    expectNone([...texts(error), JSON.stringify(logs)], profileTokens);
  }, TEST_MS);

  it("a profile call's error answer that quotes the profile refresh token", async () => {
    server.fallback('POST', UPLOAD, act.json(500, { detail: `cannot use ${PROFILE_REFRESH} here`, echo: [PROFILE_ACCESS] }));
    const { client } = clientFor(server);
    const customer = client.forProfile({ access: PROFILE_ACCESS, refresh: PROFILE_REFRESH });
    const error = await failure('profile upload 500', () => customer.documents.upload({ type: 'XXX_SE_0', pages: [JPEG] }));
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ApiError).detail).toBe('cannot use [redacted] here');
    expectNone(texts(error), profileTokens);
  }, TEST_MS);
});

describe('secrets the server JSON-escaped are scrubbed after parsing', () => {
  const routes: Array<[string, number, (c: AmaniClient) => Promise<unknown>]> = [
    ['the login', 400, (c) => c.auth.login()],
    ['the login', 401, (c) => c.auth.login()],
    ['the login', 500, (c) => c.auth.login()],
    ['a read', 400, (c) => c.profiles.get(PROFILE_ID)],
    ['a read', 500, (c) => c.profiles.get(PROFILE_ID)],
  ];
  const cases = ESCAPED.flatMap(([style, escaped]) => routes.map(([route, status, call]) => ({ style, escaped, route, status, call })));

  it.each(cases)('$style, $status to $route', async ({ escaped, route, status, call }) => {
    const reply = act.reply(status, echoBody(escaped), { 'content-type': 'application/json' });
    server.fallback('POST', LOGIN, reply).fallback('GET', PROFILE_PATH, reply);
    const { client, logs } = clientFor(server, { credentials: { username: USERNAME, password: PASSWORD }, maxRetries: 0 });
    const error = await failure(`${route} ${status} escaped`, () => call(client));
    expect(error).toBeInstanceOf(status === 400 ? ValidationError : status === 401 ? AuthenticationError : ServerError);
    const body = (error as ApiError).body as Record<string, unknown>;
    expect((error as ApiError).detail).toBe(`Wrong password [redacted] for ${USERNAME}`);
    expect(body).toMatchObject({ non_field_errors: ['[redacted]'], password: ['[redacted]'], '[redacted]': 'the password as a key', nested: [{ echo: '[redacted] again' }] });
    expectNone([...texts(error), JSON.stringify(logs), inspect(logs)], [PASSWORD]);
  }, TEST_MS);

  it.each(ESCAPED)('%s: amani.raw gets a scrubbed error object', async (_style, escaped) => {
    server.fallback('GET', PROFILE_PATH, act.reply(500, echoBody(escaped), { 'content-type': 'application/json' }));
    const { client } = clientFor(server, { credentials: { username: USERNAME, password: PASSWORD }, maxRetries: 0 });
    const { error, response } = await client.raw.GET('/api/v2/profile/{id}', { params: { path: { id: PROFILE_ID } } });
    expect(response.status).toBe(500);
    expect(error).toMatchObject({ detail: `Wrong password [redacted] for ${USERNAME}`, password: ['[redacted]'] });
    evidence.object('raw error', error);
    expectNone([JSON.stringify(error), inspect(error, { depth: Infinity, showHidden: true })], [PASSWORD]);
  }, TEST_MS);

  it('a text (non-JSON) answer quoting the password as written and as a JSON string would', async () => {
    const page = `Login refused for ${PASSWORD} (${JSON.stringify(PASSWORD)})`;
    server.fallback('POST', LOGIN, act.reply(401, page, { 'content-type': 'text/plain' }));
    const { client } = clientFor(server, { tokens: undefined, credentials: { username: USERNAME, password: PASSWORD } });
    const error = await failure('text 401', () => client.profiles.get(PROFILE_ID));
    expect((error as ApiError).detail).toBe('Login refused for [redacted] ("[redacted]")');
    expectNone(texts(error), [PASSWORD]);
  }, TEST_MS);
});

describe('passwords of any length are scrubbed (short ones as a whole word or value)', () => {
  // [password, as the server escaped it, text that must stay (a longer word containing it, or its characters apart)]
  const SHORT: Array<[string, string, string]> = [
    ['abc', String.raw`\u0061bc`, 'abcdef'],
    ['x', String.raw`\u0078`, 'xylophone'],
    ['<&>', String.raw`\u003c\u0026\u003e`, 'a<&>b'],
    ['ö', String.raw`\u00f6`, 'Körte'],
    ['"\\', String.raw`\"\\`, 'q"q\\q'],
    ['12345', '12345', 'ID 123456'],
  ];
  const wholeWord = (pw: string) => new RegExp(`(?<![\\p{L}\\p{N}])${pw.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'u');

  it.each(SHORT)('%j, in a JSON answer to the login (as written and escaped)', async (pw, escaped, longer) => {
    const body = `{"detail": "Invalid password: ${escaped}.", "password": ["${escaped}"], "non_field_errors": [${JSON.stringify(pw)}], "other": ${JSON.stringify(longer)}}`;
    server.fallback('POST', LOGIN, act.reply(401, body, { 'content-type': 'application/json' }));
    const { client, logs } = clientFor(server, { tokens: undefined, credentials: { username: USERNAME, password: pw } });
    const error = (await failure(`short password ${pw}`, () => client.profiles.get(PROFILE_ID))) as ApiError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.detail).toBe('Invalid password: [redacted].');
    expect(error.body).toEqual({ detail: 'Invalid password: [redacted].', password: ['[redacted]'], non_field_errors: ['[redacted]'], other: longer });
    for (const text of [error.message, String(error), JSON.stringify(error.body), inspect(error.body), JSON.stringify(logs)]) {
      const rest = forms(longer).reduce((t, form) => t.replaceAll(form, ''), text);
      expect(rest).not.toMatch(wholeWord(pw));
    }
  }, TEST_MS);

  it('a short password that reads as JSON syntax next to other JSON: the error carries scrubbed text', async () => {
    // `q"\q` is written `q\"\\q`: the password `"\` can be found in that only by breaking the JSON.
    const body = String.raw`{"detail": "Invalid password \"\\", "other": "q\"\\q"}`;
    server.fallback('POST', LOGIN, act.reply(401, body, { 'content-type': 'application/json' }));
    const { client } = clientFor(server, { tokens: undefined, credentials: { username: USERNAME, password: '"\\' } });
    const error = (await failure('short JSON-syntax password', () => client.profiles.get(PROFILE_ID))) as ApiError;
    expect(error).toBeInstanceOf(AuthenticationError);
    for (const text of [error.message, String(error.body), JSON.stringify(error.body), inspect(error.body)]) {
      for (const form of forms('"\\')) expect(text).not.toContain(`password ${form}`);
    }
    expect(JSON.stringify(error.body)).toContain('Invalid password [redacted]');
  }, TEST_MS);

  it.each(SHORT)('%j, in a text answer', async (pw, _escaped, longer) => {
    server.fallback('POST', LOGIN, act.reply(400, `Invalid password ${pw} (${longer})`, { 'content-type': 'text/plain' }));
    const { client } = clientFor(server, { tokens: undefined, credentials: { username: USERNAME, password: pw } });
    const error = (await failure(`short password text ${pw}`, () => client.profiles.get(PROFILE_ID))) as ApiError;
    expect(error.detail).toBe(`Invalid password [redacted] (${longer})`);
    expect(error.body).toBe(`Invalid password [redacted] (${longer})`);
  }, TEST_MS);
});

secretScan(100);
