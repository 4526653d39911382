// Names for the spec's schemas, as aliases of the generated types (never copies of them).
import type { components } from '../generated/schema.js';

type Schemas = components['schemas'];

export type LoginResponse = Schemas['LoginResponse'];
export type Profile = Schemas['Profile'];
export type ProfileWithTokens = Schemas['ProfileWithTokens'];
export type ProfileCreateRequest = Schemas['ProfileCreateRequest'];
export type ProfileUpdateRequest = Schemas['ProfileUpdateRequest'];
export type ProfileStatus = Schemas['ProfileStatus'];
export type ProfileStatusUpdateResponse = Schemas['ProfileStatusUpdateResponse'];
export type VerificationUrlRequest = Schemas['VerificationUrlRequest'];
export type VerificationUrl = Schemas['VerificationUrl'];
export type VerificationLinkToken = Schemas['VerificationLinkToken'];
export type Document = Schemas['Document'];
export type DocumentUploadRequest = Schemas['DocumentUploadRequest'];
export type DocumentTypeCode = Schemas['DocumentTypeCode'];
export type WebhookEventName = Schemas['WebhookEventName'];
export type WebhookEndpoint = Schemas['WebhookEndpoint'];
export type WebhookEndpointCreateRequest = Schemas['WebhookEndpointCreateRequest'];
export type WebhookEndpointUpdateRequest = Schemas['WebhookEndpointUpdateRequest'];
export type WebhookSecret = Schemas['WebhookSecret'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type AmlRecord = Schemas['AmlRecord'];
export type AmlReport = Schemas['AmlReport'];
export type IpWhitelistEntry = Schemas['IpWhitelistEntry'];
