// Drives every AmaniClient method against the Prism mock: its success answer must validate against
// the spec, and every error status the spec declares for its operation must surface as the
// ApiError subclass for that status. Both count towards `npm run contract:coverage`.
import { describe, expect, it } from 'vitest';
import { AmaniClient } from '../src/client.ts';
import type { TokenPair } from '../src/core/tokens.ts';
import type { RequestOptions } from '../src/core/transport.ts';
import {
  ApiError,
  AuthenticationError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  ValidationError,
} from '../src/errors.ts';
import { Aml } from '../src/resources/aml.ts';
import { Auth } from '../src/resources/auth.ts';
import { Documents } from '../src/resources/documents.ts';
import { IpWhitelist } from '../src/resources/ip-whitelist.ts';
import { Profiles } from '../src/resources/profiles.ts';
import { Webhooks } from '../src/resources/webhooks.ts';
import { declaredStatuses, expectBodyMatchesSpec, prismUrl, recordContract } from './support.ts';

const profileId = '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e';
const documentId = '3c9e8a41-1f7b-4d2a-9e55-7a0b6c2d1e90';
const endpointId = '3b9f6c1e-2d4a-4f7b-9e8c-5a1d2c3b4e5f';
const deliveryId = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const recordId = '5e4d3c2b-1a09-4f8e-9d7c-6b5a4f3e2d1c';
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

interface Case {
  /** resource.method as users call it. */
  method: string;
  operationId: string;
  call: (amani: AmaniClient, options: RequestOptions) => Promise<unknown>;
}

const cases: Case[] = [
  // auth.login() resolves the user and hands the answer's tokens to onTokens: both, the whole answer.
  { method: 'auth.login', operationId: 'login', call: async (a, o) => ({ ...(await a.auth.login(o)), ...reported }) },
  { method: 'auth.refresh', operationId: 'refreshToken', call: (a, o) => a.auth.refresh(o) },
  {
    method: 'profiles.create',
    operationId: 'createProfile',
    call: (a, o) => a.profiles.create({ id_card_number: '12345678901', name: 'Ayse Yilmaz' }, o),
  },
  { method: 'profiles.get', operationId: 'getProfile', call: (a, o) => a.profiles.get(profileId, o) },
  {
    method: 'profiles.update',
    operationId: 'updateProfile',
    call: (a, o) => a.profiles.update(profileId, { email: 'ayse.yilmaz@example.com' }, o),
  },
  { method: 'profiles.setStatus', operationId: 'setProfileStatus', call: (a, o) => a.profiles.setStatus(profileId, 'APPROVED', o) },
  {
    method: 'profiles.createVerificationUrl',
    operationId: 'createVerificationUrl',
    call: (a, o) => a.profiles.createVerificationUrl({ profile_id: profileId, language: 'tr' }, o),
  },
  {
    method: 'profiles.resolveVerificationLink',
    operationId: 'resolveVerificationLink',
    call: (a, o) => a.profiles.resolveVerificationLink('Xk29aQ', o),
  },
  {
    method: 'documents.upload',
    operationId: 'uploadDocument',
    call: (a, o) => a.documents.upload({ profile: profileId, type: 'TUR_ID_1', pages: [jpeg, jpeg] }, o),
  },
  { method: 'documents.list', operationId: 'listDocuments', call: (a, o) => a.documents.list(profileId, o) },
  { method: 'documents.get', operationId: 'getDocument', call: (a, o) => a.documents.get(documentId, o) },
  { method: 'documents.approve', operationId: 'updateDocument', call: (a, o) => a.documents.approve(documentId, o) },
  {
    method: 'documents.reject',
    operationId: 'updateDocument',
    call: (a, o) => a.documents.reject(documentId, 'The photo is blurred', o),
  },
  { method: 'documents.archive', operationId: 'updateDocument', call: (a, o) => a.documents.archive(documentId, o) },
  { method: 'documents.restore', operationId: 'updateDocument', call: (a, o) => a.documents.restore(documentId, o) },
  { method: 'documents.delete', operationId: 'deleteDocument', call: (a, o) => a.documents.delete(documentId, o) },
  { method: 'webhooks.eventTypes', operationId: 'listWebhookEventTypes', call: (a, o) => a.webhooks.eventTypes(o) },
  {
    method: 'webhooks.create',
    operationId: 'createWebhookEndpoint',
    call: (a, o) => a.webhooks.create({ url: 'https://hooks.example.org/amani', enabled_events: ['profile_status_change'] }, o),
  },
  { method: 'webhooks.list', operationId: 'listWebhookEndpoints', call: (a, o) => a.webhooks.list(o) },
  {
    method: 'webhooks.update',
    operationId: 'updateWebhookEndpoint',
    call: (a, o) => a.webhooks.update(endpointId, { enabled_events: ['document_upload'] }, o),
  },
  { method: 'webhooks.delete', operationId: 'deleteWebhookEndpoint', call: (a, o) => a.webhooks.delete(endpointId, o) },
  { method: 'webhooks.getSecret', operationId: 'getWebhookSecret', call: (a, o) => a.webhooks.getSecret(o) },
  { method: 'webhooks.regenerateSecret', operationId: 'regenerateWebhookSecret', call: (a, o) => a.webhooks.regenerateSecret(o) },
  {
    method: 'webhooks.logs',
    operationId: 'listWebhookDeliveries',
    call: (a, o) => a.webhooks.logs({ success: false, event: 'profile_status_change' }, o),
  },
  { method: 'webhooks.retry', operationId: 'retryWebhookDelivery', call: (a, o) => a.webhooks.retry(deliveryId, o) },
  { method: 'aml.search', operationId: 'searchAml', call: (a, o) => a.aml.search(profileId, o) },
  { method: 'aml.report', operationId: 'getAmlReport', call: (a, o) => a.aml.report(recordId, o) },
  { method: 'ipWhitelist.list', operationId: 'listIpWhitelist', call: (a, o) => a.ipWhitelist.list(o) },
  { method: 'ipWhitelist.add', operationId: 'addIpWhitelist', call: (a, o) => a.ipWhitelist.add('203.0.113.7', o) },
  {
    method: 'ipWhitelist.remove',
    operationId: 'removeIpWhitelist',
    call: (a, o) => a.ipWhitelist.remove('203.0.113.0/24', o),
  },
];

const errorClasses: Record<number, abstract new (...args: never[]) => ApiError> = {
  400: ValidationError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  422: ValidationError,
  429: RateLimitError,
  500: ServerError,
};

/** The token pair the last client reported to onTokens. */
let reported: Readonly<TokenPair> | undefined;

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
    const resources = { auth: Auth, profiles: Profiles, documents: Documents, webhooks: Webhooks, aml: Aml, ipWhitelist: IpWhitelist };
    // Along the prototype chain: Profiles and Documents inherit the profile-token calls.
    const ownAndInherited = (proto: object | null): string[] =>
      proto === null || proto === Object.prototype ? [] : [...Object.getOwnPropertyNames(proto), ...ownAndInherited(Object.getPrototypeOf(proto))];
    const methods = Object.entries(resources).flatMap(([name, cls]) =>
      [...new Set(ownAndInherited(cls.prototype))].filter((m) => m !== 'constructor').map((m) => `${name}.${m}`),
    );
    expect(cases.map((c) => c.method).sort()).toEqual(methods.sort());
  });

  describe.each(cases)('$method ($operationId)', ({ operationId, call }) => {
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
