// Checks of the network addresses the company-admin areas take: webhook endpoint URLs and IP
// whitelist entries. Apart from ./validate.ts so that they load with those areas (see ./lazy.ts).
import { InvalidInputError } from '../errors.ts';
import { show } from './validate.ts';

const IPV4 = /^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$/;

export function isIpAddress(value: string): boolean {
  if (IPV4.test(value)) return true;
  if (!value.includes(':') || !/^[0-9a-fA-F:.]+$/.test(value)) return false;
  try {
    // The URL parser is a complete, dependency-free IPv6 validator on every runtime.
    return new URL(`http://[${value}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

/**
 * An address, or an address and a prefix no wider than its family allows: what the spec's
 * IpAddressOrCidr accepts, checked by the URL parser and the prefix width rather than by its long
 * patterns (which would weigh on every browser bundle).
 */
export function isIpOrCidr(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length || !isIpAddress(address!)) return false;
  if (prefix === undefined) return true;
  return /^(0|[1-9][0-9]{0,2})$/.test(prefix) && Number(prefix) <= (address!.includes(':') ? 128 : 32);
}

export function requireIpOrCidr(field: string, value: unknown): string {
  if (typeof value !== 'string' || !isIpOrCidr(value)) {
    throw new InvalidInputError(
      field,
      `must be an IPv4/IPv6 address or CIDR range such as 203.0.113.7, 203.0.113.0/24 or 2001:db8::/32, got ${show(value)}`,
    );
  }
  return value;
}

export function requireHttpsUrl(field: string, value: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:') {
    throw new InvalidInputError(field, `must be an https:// URL (Amani delivers webhooks over HTTPS only), got ${show(value)}`);
  }
  return value as string;
}
