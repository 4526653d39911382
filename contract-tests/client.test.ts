// Drives every AmaniClient method against the Prism mock: its success answer must validate against
// the spec, and every error status the spec declares for its operation must surface as the
// ApiError subclass for that status. Both count towards `npm run contract:coverage`.
import { describe, expect, it } from 'vitest';
import { AmaniClient } from '../src/client.ts';
import type { TokenPair } from '../src/core/tokens.ts';
import {
  ApiError,
  AuthenticationError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  ValidationError,
} from '../src/errors.ts';
import { cases, jpeg, publicMethods } from './methods.ts';
import { declaredStatuses, expectBodyMatchesSpec, prismUrl, recordContract } from './support.ts';

const errorClasses: Record<number, abstract new (...args: never[]) => ApiError> = {
  400: ValidationError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  422: ValidationError,
  429: RateLimitError,
  500: ServerError,
  502: ServerError,
  503: ServerError,
};

/** The token pair the last client reported to onTokens. */
let reported: Readonly<TokenPair> | undefined;

// auth.login() resolves the user and hands the answer's tokens to onTokens: checked together, as
// the whole answer the spec declares.
const contractCases = cases.map((c) =>
  c.method === 'auth.login' ? { ...c, call: async (...args: Parameters<typeof c.call>) => ({ ...(await c.call(...args) as object), ...reported }) } : c,
);

// No retries: a declared 429 carries Retry-After, and each status must surface as it is.
const client = () =>
  new AmaniClient({
    baseUrl: prismUrl(),
    credentials: { username: 'user@account.com', password: 'correct-horse-battery-staple' },
    maxRetries: 0,
    onTokens: (tokens) => (reported = tokens),
  });

describe('every AmaniClient method is driven against the mock', () => {
  it('the table lists every public method of every resource', () => {
    expect(cases.map((c) => c.method).sort()).toEqual(publicMethods().sort());
  });

  describe.each(contractCases)('$method ($operationId)', ({ operationId, call }) => {
    const statuses = declaredStatuses(operationId);
    const success = statuses.find((s) => s < 300)!;
    const failures = statuses.filter((s) => s >= 400);

    it(`${success}: the result matches the spec`, async () => {
      const amani = client();
      if (operationId === 'refreshToken') await amani.auth.login();
      const result = await call(amani, {});
      expectBodyMatchesSpec(operationId, success, result);
      recordContract(operationId, success, 'wrapper');
    });

    it.each(failures)('%i surfaces as its typed error', async (status) => {
      const amani = client();
      if (operationId === 'refreshToken') await amani.auth.login();
      const error = await call(amani, { headers: { Prefer: `code=${status}` } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(errorClasses[status]);
      const apiError = error as ApiError;
      expect(apiError.status).toBe(status);
      expect(apiError.path).toMatch(/^\/api\/v2\//);
      expect(apiError.message).toContain(String(status));
      // The parsed body is the spec's declared error, and its explanation reaches the error.
      expectBodyMatchesSpec(operationId, status, apiError.body);
      expect(apiError.detail !== undefined || Object.keys(apiError.fieldErrors).length > 0).toBe(true);
      if (status === 429) expect((error as RateLimitError).retryAfter).toBeTypeOf('number');
      recordContract(operationId, status, 'wrapper');
    });
  });
});

describe('profile-token client', () => {
  it('uploads with the profile token and fills in its profile', async () => {
    const amani = client();
    const profile = await amani.profiles.create({ id_card_number: '12345678901' });
    const customer = amani.forProfile({ access: profile.access, refresh: profile.refresh });
    expect(customer.profileId).toBe(profile.id);
    const document = await customer.documents.upload({ type: 'XXX_SE_0', pages: [jpeg] });
    expectBodyMatchesSpec('uploadDocument', 201, document);
    const updated = await customer.profiles.update(profile.id, { phone: '905321260000' });
    expectBodyMatchesSpec('updateProfile', 200, updated);
  });
});
