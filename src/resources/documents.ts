import type { RequestOptions } from '../core/transport.ts';
import { optional, requireString, requireUuid } from '../core/validate.ts';
import type { Document } from '../types.ts';
import { SelfServiceDocuments } from './self-service.ts';

export type { UploadDocumentParams } from './self-service.ts';

/**
 * Every documents call, as `amani.documents`: the company's (with the user token) and the two a
 * profile token may make too ({@link Documents.upload | upload} and {@link Documents.get | get},
 * what a {@link ProfileClient} offers).
 */
export class Documents extends SelfServiceDocuments {
  /**
   * Every document of a profile.
   *
   * @param profile The profile id (a uuid).
   * @operation listDocuments
   * @returns The profile's documents (an empty array when it has none).
   * @throws {@link InvalidInputError} before anything is sent: `profile` is not a uuid, or `options` is invalid.
   */
  async list(profile: string, options?: RequestOptions): Promise<Document[]> {
    requireUuid('profile', profile);
    return this.caller.request('/api/v2/document', options, (init) =>
      this.caller.api.GET('/api/v2/document', { params: { query: { profile } }, ...init }),
    );
  }

  /**
   * Approves the document (sets its status to `APPROVED`).
   *
   * @param id The document id (a uuid).
   * @operation updateDocument
   * @returns The document as it now is.
   * @throws {@link InvalidInputError} before anything is sent: `id` is not a uuid, or `options` is invalid.
   */
  async approve(id: string, options?: RequestOptions): Promise<Document> {
    return this.#update(id, { status: 'APPROVED' }, options);
  }

  /**
   * Rejects the document (status `REJECTED`); the reason is shown to reviewers.
   *
   * @param id The document id (a uuid).
   * @param reason Why, e.g. "The photo is blurred" (sent as `reject_reason`).
   * @operation updateDocument
   * @returns The document as it now is.
   * @throws {@link InvalidInputError} before anything is sent: `id` is not a uuid, `reason` is given
   *   but blank, or `options` is invalid.
   */
  async reject(id: string, reason?: string, options?: RequestOptions): Promise<Document> {
    optional(reason, (r) => requireString('reason', r));
    return this.#update(id, { status: 'REJECTED', ...(reason !== undefined ? { reject_reason: reason } : {}) }, options);
  }

  /**
   * Archives the document (`archived: true`); {@link Documents.restore | restore} undoes it.
   *
   * @param id The document id (a uuid).
   * @operation updateDocument
   * @returns The document as it now is.
   * @throws {@link InvalidInputError} before anything is sent: `id` is not a uuid, or `options` is invalid.
   */
  async archive(id: string, options?: RequestOptions): Promise<Document> {
    return this.#update(id, { archived: true }, options);
  }

  /**
   * Takes the document out of the archive (`archived: false`).
   *
   * @param id The document id (a uuid).
   * @operation updateDocument
   * @returns The document as it now is.
   * @throws {@link InvalidInputError} before anything is sent: `id` is not a uuid, or `options` is invalid.
   */
  async restore(id: string, options?: RequestOptions): Promise<Document> {
    return this.#update(id, { archived: false }, options);
  }

  /**
   * Deletes the document. A 404 after an attempt that may have reached Amani counts as deleted
   * (that attempt deleted it).
   *
   * @param id The document id (a uuid).
   * @operation deleteDocument
   * @returns Nothing once Amani has deleted it (204).
   * @throws {@link InvalidInputError} before anything is sent: `id` is not a uuid, or `options` is invalid.
   */
  async delete(id: string, options?: RequestOptions): Promise<void> {
    requireUuid('id', id);
    await this.caller.request('/api/v2/document/{id}', options, (init) =>
      this.caller.api.DELETE('/api/v2/document/{id}', { params: { path: { id } }, ...init }),
    );
  }

  async #update(
    id: string,
    body: { status?: 'APPROVED' | 'REJECTED'; reject_reason?: string; archived?: boolean },
    options: RequestOptions | undefined,
  ): Promise<Document> {
    requireUuid('id', id);
    return this.caller.request('/api/v2/document/{id}', options, (init) =>
      this.caller.api.PUT('/api/v2/document/{id}', { params: { path: { id } }, body, ...init }),
    );
  }
}
