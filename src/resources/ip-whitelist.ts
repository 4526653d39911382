import type { Caller } from '../core/call.ts';
import type { RequestOptions } from '../core/transport.ts';
import { isIpOrCidr, requireIpOrCidr } from '../core/validate-address.ts';
import { isUuid, show } from '../core/validate.ts';
import { InvalidInputError } from '../errors.ts';
import type { IpWhitelistEntry } from '../types.ts';

export class IpWhitelist {
  constructor(private readonly caller: Caller) {}

  async list(options?: RequestOptions): Promise<IpWhitelistEntry[]> {
    return this.caller.request('/api/v2/ip-whitelist', options, (init) => this.caller.api.GET('/api/v2/ip-whitelist', { ...init }));
  }

  /** Allows an IPv4/IPv6 address or CIDR range. Once any entry exists, other addresses are refused. */
  async add(address: string, options?: RequestOptions): Promise<IpWhitelistEntry> {
    requireIpOrCidr('address', address);
    return this.caller.request('/api/v2/ip-whitelist', options, (init) =>
      this.caller.api.POST('/api/v2/ip-whitelist', { body: { address }, ...init }),
    );
  }

  /** Removes an entry, named by its address/CIDR (as listed) or by its id. */
  async remove(ipOrId: string, options?: RequestOptions): Promise<void> {
    if (typeof ipOrId !== 'string' || !(isUuid(ipOrId) || isIpOrCidr(ipOrId))) {
      throw new InvalidInputError('ip', `must be the entry's address or CIDR (e.g. 203.0.113.0/24) or its id (a uuid), got ${show(ipOrId)}`);
    }
    await this.caller.request('/api/v2/ip-whitelist/{ip}', options, (init) =>
      this.caller.api.DELETE('/api/v2/ip-whitelist/{ip}', { params: { path: { ip: ipOrId } }, ...init }),
    );
  }
}
