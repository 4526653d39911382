import type { RequestOptions } from '../core/transport.ts';
import { optional, requireString, requireUuid } from '../core/validate.ts';
import type { Document } from '../types.ts';
import { SelfServiceDocuments } from './self-service.ts';

export type { UploadDocumentParams } from './self-service.ts';

/** Every documents call: a profile token's (upload, get) and the company's. */
export class Documents extends SelfServiceDocuments {
  /** Every document of a profile. */
  async list(profile: string, options?: RequestOptions): Promise<Document[]> {
    requireUuid('profile', profile);
    return this.caller.request('/api/v2/document', options, (init) =>
      this.caller.api.GET('/api/v2/document', { params: { query: { profile } }, ...init }),
    );
  }

  async approve(id: string, options?: RequestOptions): Promise<Document> {
    return this.#update(id, { status: 'APPROVED' }, options);
  }

  /** Rejects the document; the reason is shown to reviewers. */
  async reject(id: string, reason?: string, options?: RequestOptions): Promise<Document> {
    optional(reason, (r) => requireString('reason', r));
    return this.#update(id, { status: 'REJECTED', ...(reason !== undefined ? { reject_reason: reason } : {}) }, options);
  }

  async archive(id: string, options?: RequestOptions): Promise<Document> {
    return this.#update(id, { archived: true }, options);
  }

  async restore(id: string, options?: RequestOptions): Promise<Document> {
    return this.#update(id, { archived: false }, options);
  }

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
