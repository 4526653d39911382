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

/**
 * Every profiles call, as `amani.profiles`: the company's (with the user token) and the one a
 * profile token may make too ({@link Profiles.update | update}, all a {@link ProfileClient} offers).
 */
export class Profiles extends SelfServiceProfiles {
  /**
   * Gets or creates the customer's profile by `id_card_number`: the existing profile is returned when
   * there is one, so this call is safe to retry. The answer carries the profile token (`access`).
   *
   * @operation createProfile
   * @returns The profile with its profile token (`access`, and `refresh`): hand `access` to the
   *   customer's device or to {@link AmaniClient.forProfile}, never the user token.
   * @throws {@link InvalidInputError} before anything is sent: `body` is not an object,
   *   `id_card_number` is missing or blank, `gender` is not one the spec lists, or `options` is invalid.
   */
  async create(body: ProfileCreateRequest, options?: RequestOptions): Promise<ProfileWithTokens> {
    requireObject('body', body);
    requireString('id_card_number', body.id_card_number);
    optional(body.gender, (g) => requireOneOf('gender', g, GenderValues));
    return this.caller.request('/api/v2/profile', options, (init) => this.caller.api.POST('/api/v2/profile', { body: body as Wire['ProfileCreateRequest'], ...init }));
  }

  /**
   * The profile, with a fresh profile token.
   *
   * @param id The profile id (a uuid).
   * @operation getProfile
   * @returns The profile and a new profile token for it.
   * @throws {@link InvalidInputError} before anything is sent: `id` is not a uuid, or `options` is invalid.
   */
  async get(id: string, options?: RequestOptions): Promise<ProfileWithTokens> {
    requireUuid('id', id);
    return this.caller.request('/api/v2/profile/{id}', options, (init) =>
      this.caller.api.GET('/api/v2/profile/{id}', { params: { path: { id } }, ...init }),
    );
  }

  /**
   * Sets the review status (user token only).
   *
   * @param id The profile id (a uuid).
   * @param status The new review status, one of the spec's profile statuses (e.g. `APPROVED`).
   * @operation setProfileStatus
   * @returns The outcome (`result`) and the status the profile now has.
   * @throws {@link InvalidInputError} before anything is sent: `id` is not a uuid, `status` is not a
   *   profile status, or `options` is invalid.
   */
  async setStatus(id: string, status: ProfileStatus, options?: RequestOptions): Promise<ProfileStatusUpdateResponse> {
    requireUuid('id', id);
    requireOneOf('status', status, ProfileStatusValues);
    return this.caller.request('/api/v2/profile/{id}/status', options, (init) =>
      this.caller.api.PUT('/api/v2/profile/{id}/status', { params: { path: { id } }, body: { status }, ...init }),
    );
  }

  /**
   * A link that starts the Web SDK verification flow for the profile.
   *
   * @operation createVerificationUrl
   * @returns The link (`url`) to send to the customer, for the profile and language asked for.
   * @throws {@link InvalidInputError} before anything is sent: `body` is not an object, `profile_id`
   *   is not a uuid, or `options` is invalid.
   */
  async createVerificationUrl(body: VerificationUrlRequest, options?: RequestOptions): Promise<VerificationUrl> {
    requireObject('body', body);
    requireUuid('profile_id', body.profile_id);
    return this.caller.request('/api/v2/profile/url', options, (init) =>
      this.caller.api.POST('/api/v2/profile/url', { body: body as Wire['VerificationUrlRequest'], ...init }),
    );
  }

  /**
   * Trades the `pid` of a verification link or QR code for a profile token (no token needed).
   *
   * @param pid The `pid` query parameter of the verification link.
   * @operation resolveVerificationLink
   * @returns The profile token the link stands for (`access_token`) and the regional API server to
   *   use it with (`server_url`).
   * @throws {@link InvalidInputError} before anything is sent: `pid` is missing or blank, or
   *   `options` is invalid.
   */
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
