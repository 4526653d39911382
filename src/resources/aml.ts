import type { Caller } from '../core/call.ts';
import type { RequestOptions } from '../core/transport.ts';
import { requireUuid } from '../core/validate.ts';
import type { AmlRecord, AmlReport } from '../types.ts';

/**
 * Anti-money-laundering screening, as `amani.aml` (user token).
 */
export class Aml {
  constructor(private readonly caller: Caller) {}

  /**
   * Screens a profile against sanctions, PEP and adverse-media sources.
   *
   * @param profile The profile id (a uuid).
   * @operation searchAml
   * @returns The screening's record: its status, the databases searched and how many entities matched.
   * @throws {@link InvalidInputError} before anything is sent: `profile` is not a uuid, or `options` is invalid.
   */
  async search(profile: string, options?: RequestOptions): Promise<AmlRecord> {
    requireUuid('profile', profile);
    return this.caller.request('/api/v2/aml/search', options, (init) =>
      this.caller.api.GET('/api/v2/aml/search', { params: { query: { profile } }, ...init }),
    );
  }

  /**
   * The full report of one screening, with its matches.
   *
   * @param id The screening's record id (a uuid, from {@link Aml.search | search}).
   * @operation getAmlReport
   * @returns The record with the entities that matched.
   * @throws {@link InvalidInputError} before anything is sent: `id` is not a uuid, or `options` is invalid.
   */
  async report(id: string, options?: RequestOptions): Promise<AmlReport> {
    requireUuid('id', id);
    return this.caller.request('/api/v2/aml/report/{id}', options, (init) =>
      this.caller.api.GET('/api/v2/aml/report/{id}', { params: { path: { id } }, ...init }),
    );
  }
}
