// Enums Amani may extend are "known values plus any string" in what the API answers: the generated
// types keep the known literals (so editors autocomplete them and a comparison with one narrows)
// and take any other string without a cast. What the client sends stays closed: a request body, a
// status to set and the wrapper's own checks know only the known values. The type assertions are
// checked by `tsc --noEmit` (this file is in the project); the runtime half checks the wrapper.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { WebhookEventNameValues } from '../../generated/constants.ts';
import { isWebhookEventName, type AmaniClient, type AmaniFetchClient, type components } from '../../src/index.ts';
import type {
  AnyWebhookEventName,
  AmlRecord,
  Document,
  Profile,
  ProfileStatus,
  ProfileStatusUpdateResponse,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointCreateRequest,
  WebhookEventName,
} from '../../src/types.ts';
import type { WebhookEventOf } from '../../src/webhooks/index.ts';
import { clientFor, PROFILE_ID } from '../reliability/harness.ts';

type Schemas = components['schemas'];
/** `T` takes any string, yet keeps `Literal` as a member of its own (not swallowed by `string`). */
type OpenWith<T, Literal extends string> = string extends T ? ([Extract<T, Literal>] extends [never] ? false : true) : false;
/** `T` without null and undefined. (NonNullable would not do: `'A' | (string & {}) & {}` reduces to `string`.) */
type Given<T> = Exclude<T, null | undefined>;

describe('open enums in answers', () => {
  it('keep their known values and take any other string', () => {
    expectTypeOf<OpenWith<Given<Profile['status']>, 'APPROVED'>>().toEqualTypeOf<true>();
    expectTypeOf<OpenWith<ProfileStatusUpdateResponse['status'], 'PENDING_REVIEW'>>().toEqualTypeOf<true>();
    expectTypeOf<OpenWith<Exclude<Profile['risk'], number | undefined>, 'VERY_HIGH'>>().toEqualTypeOf<true>();
    expectTypeOf<OpenWith<Given<Profile['video_call_status']>, 'BAD QUALITY'>>().toEqualTypeOf<true>();
    expectTypeOf<OpenWith<Given<Document['status']>, 'APPROVED'>>().toEqualTypeOf<true>();
    expectTypeOf<OpenWith<Given<AmlRecord['status']>, 'Records Found'>>().toEqualTypeOf<true>();
    expectTypeOf<OpenWith<WebhookEndpoint['enabled_events'][number], 'profile_status_change'>>().toEqualTypeOf<true>();
    expectTypeOf<OpenWith<Given<WebhookDelivery['event']>, 'document_upload'>>().toEqualTypeOf<true>();
    expectTypeOf<OpenWith<Schemas['WebhookEventNameList'][number], 'zip_file_create'>>().toEqualTypeOf<true>();
    expectTypeOf<OpenWith<WebhookEventOf<'profile_status_change'>['status'], 'REJECTED'>>().toEqualTypeOf<true>();
    expectTypeOf<OpenWith<WebhookEventOf<'video_call_status_change'>['video_call_status'], 'COMPLETE'>>().toEqualTypeOf<true>();
    expectTypeOf<OpenWith<WebhookEventOf<'document_status_change'>['status'], 'REJECTED'>>().toEqualTypeOf<true>();
    // null stays a value of its own where the spec allows it, and a number stays a risk score.
    expectTypeOf<null>().toExtend<Profile['video_call_status']>();
    expectTypeOf<number>().toExtend<Profile['risk']>();
  });
});

describe('through the clients', () => {
  it('AmaniClient methods answer the open types; the typed fetch client plain strings, never a mapping of string', () => {
    // openapi-fetch maps answers through Readable, which would turn `string & {}` into an object
    // of string's methods (openapi-typescript#2765): AmaniPaths gives it plain strings instead.
    const status = async (client: AmaniFetchClient) =>
      (await client.GET('/api/v2/profile/{id}', { params: { path: { id: PROFILE_ID } } })).data?.status;
    expectTypeOf<Awaited<ReturnType<typeof status>>>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Awaited<ReturnType<AmaniClient['profiles']['get']>>['status']>().toEqualTypeOf<Profile['status']>();
    expectTypeOf<Awaited<ReturnType<AmaniClient['webhooks']['eventTypes']>>>().toEqualTypeOf<AnyWebhookEventName[]>();
    expect(typeof status).toBe('function');
  });
});

describe('what the client sends stays closed', () => {
  it('the types of a status to set and of the events to subscribe to', () => {
    expectTypeOf<'ON_HOLD'>().not.toExtend<ProfileStatus>();
    expectTypeOf<'APPROVED'>().toExtend<ProfileStatus>();
    expectTypeOf<'kyc_expired'>().not.toExtend<WebhookEndpointCreateRequest['enabled_events'][number]>();
    expectTypeOf<'kyc_expired'>().not.toExtend<WebhookEventName>();
  });

  it("the wrapper's checks know only the known values and refuse a new one before sending", async () => {
    expect(WebhookEventNameValues).toHaveLength(10);
    expect(isWebhookEventName('profile_status_change')).toBe(true);
    expect(isWebhookEventName('kyc_expired')).toBe(false);
    const { client } = clientFor({ url: 'http://127.0.0.1:9' });
    await expect(
      // @ts-expect-error an event name the spec does not list
      client.webhooks.create({ url: 'https://hooks.example.com/a', enabled_events: ['kyc_expired'] }),
    ).rejects.toThrow(/enabled_events\[0\]: must be one of/);
  });
});
