import type { Caller } from '../core/call.ts';
import type { RequestOptions } from '../core/transport.ts';
import { requireUuid } from '../core/validate.ts';
import type { AmlRecord, AmlReport } from '../types.ts';

export class Aml {
  constructor(private readonly caller: Caller) {}

  /** Screens a profile against sanctions, PEP and adverse-media sources. */
  async search(profile: string, options?: RequestOptions): Promise<AmlRecord> {
    requireUuid('profile', profile);
    return this.caller.request('/api/v2/aml/search', options, (init) =>
      this.caller.api.GET('/api/v2/aml/search', { params: { query: { profile } }, ...init }),
    );
  }

  /** The full report of one screening, with its matches. */
  async report(id: string, options?: RequestOptions): Promise<AmlReport> {
    requireUuid('id', id);
    return this.caller.request('/api/v2/aml/report/{id}', options, (init) =>
      this.caller.api.GET('/api/v2/aml/report/{id}', { params: { path: { id } }, ...init }),
    );
  }
}
