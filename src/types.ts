// Names for the spec's schemas, as aliases of the generated types (never copies of them).
import type { components } from '../generated/schema.js';

type Schemas = components['schemas'];

/**
 * `T` with `| undefined` added to each optional property: under `exactOptionalPropertyTypes` a
 * caller may then pass `name: form.name` where that is `string | undefined`, as the client treats
 * an explicit undefined as not given. openapi-typescript has no option for it; applied to the
 * request bodies the methods take, and to option types built from openapi-fetch's.
 */
export type Loose<T> = { [K in keyof T]: {} extends Pick<T, K> ? LooseValue<T[K]> | undefined : LooseValue<T[K]> };
/** Nested objects (a profile's `address`) too; files and lists stay as they are. */
type LooseValue<V> = V extends Blob | readonly unknown[] | ((...args: never[]) => unknown) ? V : V extends object ? Loose<V> : V;

export type LoginResponse = Schemas['LoginResponse'];
/** What `auth.login()` resolves to: the user, without the tokens (`onTokens` receives those). */
export type LoginUser = Omit<LoginResponse, 'access' | 'refresh'>;
export type Profile = Schemas['Profile'];
export type ProfileWithTokens = Schemas['ProfileWithTokens'];
export type ProfileCreateRequest = Loose<Schemas['ProfileCreateRequest']>;
export type ProfileUpdateRequest = Loose<Schemas['ProfileUpdateRequest']>;
export type ProfileStatus = Schemas['ProfileStatus'];
/** A profile status in an answer: a known `ProfileStatus` or any other string (another spelling, a new status). */
export type AnyProfileStatus = Schemas['AnyProfileStatus'];
export type ProfileStatusUpdateResponse = Schemas['ProfileStatusUpdateResponse'];
export type VerificationUrlRequest = Loose<Schemas['VerificationUrlRequest']>;
export type VerificationUrl = Schemas['VerificationUrl'];
export type VerificationLinkToken = Schemas['VerificationLinkToken'];
export type Document = Schemas['Document'];
export type DocumentUploadRequest = Loose<Schemas['DocumentUploadRequest']>;
export type DocumentTypeCode = Schemas['DocumentTypeCode'];
export type WebhookEventName = Schemas['WebhookEventName'];
/** An event name in an answer: a known `WebhookEventName` or any other string (Amani may add events). */
export type AnyWebhookEventName = Schemas['AnyWebhookEventName'];
export type WebhookEndpoint = Schemas['WebhookEndpoint'];
export type WebhookEndpointCreateRequest = Loose<Schemas['WebhookEndpointCreateRequest']>;
export type WebhookEndpointUpdateRequest = Loose<Schemas['WebhookEndpointUpdateRequest']>;
export type WebhookSecret = Schemas['WebhookSecret'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type AmlRecord = Schemas['AmlRecord'];
export type AmlReport = Schemas['AmlReport'];
export type IpWhitelistEntry = Schemas['IpWhitelistEntry'];
