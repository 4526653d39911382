import type { Caller } from '../core/call.ts';
import type { RequestOptions } from '../core/transport.ts';
import { isIpOrCidr, requireIpOrCidr } from '../core/validate-address.ts';
import { isUuid, show } from '../core/validate.ts';
import { InvalidInputError } from '../errors.ts';
import type { IpWhitelistEntry } from '../types.ts';

/**
 * The addresses allowed to use the company's account, as `amani.ipWhitelist` (user token). With no
 * entry every address is allowed.
 */
export class IpWhitelist {
  constructor(private readonly caller: Caller) {}

  /**
   * Every whitelisted address and range of the company.
   *
   * @operation listIpWhitelist
   * @returns The entries (an empty array: every address is allowed).
   * @throws {@link InvalidInputError} before anything is sent, when `options` is invalid.
   */
  async list(options?: RequestOptions): Promise<IpWhitelistEntry[]> {
    return this.caller.request('/api/v2/ip-whitelist', options, (init) => this.caller.api.GET('/api/v2/ip-whitelist', { ...init }));
  }

  /**
   * Allows an IPv4/IPv6 address or CIDR range. Once any entry exists, other addresses are refused:
   * add the address this client calls from first.
   *
   * @param address E.g. `203.0.113.7`, `203.0.113.0/24` or `2001:db8::/32`.
   * @operation addIpWhitelist
   * @returns The new entry, with its id.
   * @throws {@link InvalidInputError} before anything is sent: `address` is not an IP address or CIDR
   *   range, or `options` is invalid.
   */
  async add(address: string, options?: RequestOptions): Promise<IpWhitelistEntry> {
    requireIpOrCidr('address', address);
    return this.caller.request('/api/v2/ip-whitelist', options, (init) =>
      this.caller.api.POST('/api/v2/ip-whitelist', { body: { address }, ...init }),
    );
  }

  /**
   * Removes an entry, named by its address/CIDR (as listed) or by its id.
   *
   * @param ipOrId The entry's address or CIDR range, or its id (a uuid).
   * @operation removeIpWhitelist
   * @returns Nothing once the entry is gone (204).
   * @throws {@link InvalidInputError} before anything is sent: `ipOrId` is neither an address/CIDR
   *   nor a uuid, or `options` is invalid.
   */
  async remove(ipOrId: string, options?: RequestOptions): Promise<void> {
    if (typeof ipOrId !== 'string' || !(isUuid(ipOrId) || isIpOrCidr(ipOrId))) {
      throw new InvalidInputError('ip', `must be the entry's address or CIDR (e.g. 203.0.113.0/24) or its id (a uuid), got ${show(ipOrId)}`);
    }
    await this.caller.request('/api/v2/ip-whitelist/{ip}', options, (init) =>
      this.caller.api.DELETE('/api/v2/ip-whitelist/{ip}', { params: { path: { ip: ipOrId } }, ...init }),
    );
  }
}
