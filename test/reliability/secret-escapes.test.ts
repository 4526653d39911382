// Secrets in error answers, whatever the server writes: a profile client's own tokens (its calls
// and its refreshes, which go out without a token). Each error is checked in every form it can be
// read: message, String, JSON, util.inspect (hidden fields, full depth), its body and the log.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ApiError, AuthenticationError, ServerError } from '../../src/index.ts';
import { act } from './fault-server.ts';
import { clientFor, failure, JPEG, jwt, PROFILE_ID, secretScan, useFaultServer } from './harness.ts';

const TEST_MS = 15_000;
const REFRESH_PATH = '/api/v2/token/refresh/';
const PROFILE_PATH = `/api/v2/profile/${PROFILE_ID}`;
const UPLOAD = '/api/v2/document';
const PROFILE_ACCESS = jwt('EscapesProfileAccess', 3600, { profile_id: PROFILE_ID });
const PROFILE_REFRESH = jwt('EscapesProfileRefresh', 86_400, { token_type: 'refresh', profile_id: PROFILE_ID });

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

secretScan(5);
