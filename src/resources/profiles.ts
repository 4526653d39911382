import { ProfileStatusValues, GenderValues } from '../../generated/constants.ts';
import type { components } from '../../generated/schema.js';
import type { RequestOptions } from '../core/transport.ts';
import { optional, requireObject, requireOneOf, requireString, requireUuid } from '../core/validate.ts';
import type {
  ProfileCreateRequest,
  ProfileStatus,
  ProfileStatusUpdateResponse,
  ProfileWithTokens,
  VerificationLinkToken,
  VerificationUrl,
  VerificationUrlRequest,
} from '../types.ts';
import { SelfServiceProfiles } from './self-service.ts';

// The bodies as the spec types them: the methods take them with `| undefined` on optional fields
// (see Loose), which JSON leaves out.
type Wire = components['schemas'];

/** Every profiles call: a profile token's (update) and the company's. */
export class Profiles extends SelfServiceProfiles {
  /**
   * Gets or creates the customer's profile by `id_card_number`: the existing profile is returned when
   * there is one, so this call is safe to retry. The answer carries the profile token (`access`).
   */
  async create(body: ProfileCreateRequest, options?: RequestOptions): Promise<ProfileWithTokens> {
    requireObject('body', body);
    requireString('id_card_number', body.id_card_number);
    optional(body.gender, (g) => requireOneOf('gender', g, GenderValues));
    return this.caller.request('/api/v2/profile', options, (init) => this.caller.api.POST('/api/v2/profile', { body: body as Wire['ProfileCreateRequest'], ...init }));
  }

  /** The profile, with a fresh profile token. */
  async get(id: string, options?: RequestOptions): Promise<ProfileWithTokens> {
    requireUuid('id', id);
    return this.caller.request('/api/v2/profile/{id}', options, (init) =>
      this.caller.api.GET('/api/v2/profile/{id}', { params: { path: { id } }, ...init }),
    );
  }

  /** Sets the review status (user token only). */
  async setStatus(id: string, status: ProfileStatus, options?: RequestOptions): Promise<ProfileStatusUpdateResponse> {
    requireUuid('id', id);
    requireOneOf('status', status, ProfileStatusValues);
    return this.caller.request('/api/v2/profile/{id}/status', options, (init) =>
      this.caller.api.PUT('/api/v2/profile/{id}/status', { params: { path: { id } }, body: { status }, ...init }),
    );
  }

  /** A link that starts the Web SDK verification flow for the profile. */
  async createVerificationUrl(body: VerificationUrlRequest, options?: RequestOptions): Promise<VerificationUrl> {
    requireObject('body', body);
    requireUuid('profile_id', body.profile_id);
    return this.caller.request('/api/v2/profile/url', options, (init) =>
      this.caller.api.POST('/api/v2/profile/url', { body: body as Wire['VerificationUrlRequest'], ...init }),
    );
  }

  /** Trades the `pid` of a verification link or QR code for a profile token (no token needed). */
  async resolveVerificationLink(pid: string, options?: RequestOptions): Promise<VerificationLinkToken> {
    requireString('pid', pid);
    return this.caller.request(
      '/api/v2/profile/url',
      options,
      (init) => this.caller.api.GET('/api/v2/profile/url', { params: { query: { pid } }, ...init }),
      null,
    );
  }
}
