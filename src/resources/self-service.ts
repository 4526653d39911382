// The profiles and documents calls a profile token may make, all that ProfileClient offers: update
// the profile, upload its documents and read them. A browser app makes only these, so they are the
// only profiles and documents code its bundle loads up front; Profiles and Documents, which
// AmaniClient loads on first use (see ../core/lazy.ts), extend them with the company's calls. The
// fields are declared only, defined by the constructors: a class field would be emitted twice.
import { GenderValues } from '../../generated/constants.ts';
import type { components } from '../../generated/schema.js';
import type { Caller } from '../core/call.ts';
import type { RequestOptions } from '../core/transport.ts';
import { onFirstUse } from '../core/lazy.ts';
import type { PageInput } from '../core/upload.ts';
import { optional, requireDocumentType, requireObject, requireOneOf, requireUuid } from '../core/validate.ts';
import { InvalidInputError } from '../errors.ts';
import type { Document, DocumentUploadRequest, Profile, ProfileUpdateRequest } from '../types.ts';

export interface UploadDocumentParams {
  /** The profile id. Required with a user token; a profile-token client fills in its own. */
  profile?: string | undefined;
  /** Document type code, e.g. TUR_ID_1 (identity card), XXX_SE_0 (selfie), XXX_NF_0 (NFC). */
  type: string;
  /**
   * The pages in order: front, then back, then selfie where the type has them. Each may be a
   * Blob/File, bytes, a file path (Node) or a ReadableStream; JPEG, PNG, BMP, WebP or PDF.
   */
  pages: PageInput[];
  /** NFC chip data for XXX_NF_0 uploads (sent as JSON text). */
  nfc?: DocumentUploadRequest['nfc'] | Record<string, unknown> | undefined;
  cropped?: boolean | undefined;
  rotated?: boolean | undefined;
}

/** Page preparation (type sniffing, files, streams), loaded with the first upload: a browser app that
 * only reads documents never downloads it. */
const loadUpload = /* @__PURE__ */ onFirstUse(() => import('../core/upload-chunk.ts'));

export class SelfServiceProfiles {
  protected declare readonly caller: Caller;

  constructor(caller: Caller) {
    this.caller = caller;
  }

  /**
   * Changes profile data; only the fields given are changed. A profile token may change only its
   * own profile.
   *
   * @param id The profile id (a uuid).
   * @operation updateProfile
   * @returns The updated profile (without tokens).
   * @throws {@link InvalidInputError} before anything is sent: `id` is not a uuid, `body` is not an
   *   object or sets no field, `gender` is not one the spec lists, or `options` is invalid.
   */
  async update(id: string, body: ProfileUpdateRequest, options?: RequestOptions): Promise<Profile> {
    requireUuid('id', id);
    requireObject('body', body, true);
    optional(body.gender ?? undefined, (g) => requireOneOf('gender', g, GenderValues));
    return this.caller.request('/api/v2/profile/{id}', options, (init) =>
      this.caller.api.PATCH('/api/v2/profile/{id}', { params: { path: { id } }, body: body as components['schemas']['ProfileUpdateRequest'], ...init }),
    );
  }
}

export class SelfServiceDocuments {
  protected declare readonly caller: Caller;
  /** Set on a profile-token client: the profile every upload belongs to (null: its token names none). */
  private declare readonly ownProfile: string | null | undefined;

  constructor(caller: Caller, ownProfile?: string | null) {
    this.caller = caller;
    this.ownProfile = ownProfile;
  }

  /**
   * Uploads one document's pages. Never retried once it may have reached Amani (it is not
   * idempotent): on a timeout or a dropped connection, check `list()` before uploading again.
   *
   * @operation uploadDocument
   * @returns The new document, with its id and the status Amani gave it.
   * @throws {@link InvalidInputError} before anything is sent: `params` is not an object, `type` is
   *   not a document type code, `profile` is missing (with a user token) or not a uuid, a page is
   *   empty, unreadable or not a JPEG, PNG, BMP, WebP or PDF file, `cropped`/`rotated` is not a
   *   boolean, or `options` is invalid.
   */
  async upload(params: UploadDocumentParams, options?: RequestOptions): Promise<Document> {
    requireObject('params', params);
    const type = requireDocumentType('type', params.type);
    const profile = params.profile ?? this.ownProfile;
    if (profile == null) {
      throw new InvalidInputError('profile', `is required ${profile === null ? '(the profile token names no profile)' : 'when uploading with a user token'}: pass the profile id`);
    }
    requireUuid('profile', profile);
    for (const flag of ['cropped', 'rotated'] as const) {
      optional(params[flag], (v) => {
        if (typeof v !== 'boolean') throw new InvalidInputError(flag, `must be true or false, got ${typeof v}`);
      });
    }
    const { preparePages } = await loadUpload('documents.upload()');
    const pages = await preparePages('pages', params.pages);
    const nfc = typeof params.nfc === 'object' && params.nfc !== null ? JSON.stringify(params.nfc) : params.nfc;
    // Built without undefined fields: the spec's type itself.
    const body: components['schemas']['DocumentUploadRequest'] = {
      type,
      profile,
      pages,
      ...(nfc !== undefined ? { nfc } : {}),
      ...(params.cropped !== undefined ? { cropped: params.cropped } : {}),
      ...(params.rotated !== undefined ? { rotated: params.rotated } : {}),
    };
    return this.caller.request('/api/v2/document', options, (init) => this.caller.api.POST('/api/v2/document', { body, ...init }));
  }

  /**
   * One document, with its pages.
   *
   * @param id The document id (a uuid).
   * @operation getDocument
   * @returns The document.
   * @throws {@link InvalidInputError} before anything is sent: `id` is not a uuid, or `options` is invalid.
   */
  async get(id: string, options?: RequestOptions): Promise<Document> {
    requireUuid('id', id);
    return this.caller.request('/api/v2/document/{id}', options, (init) =>
      this.caller.api.GET('/api/v2/document/{id}', { params: { path: { id } }, ...init }),
    );
  }
}
