// Turns `region` / `baseUrl` into the origin every request goes to. The API is HTTPS-only; plain
// http is allowed for loopback alone, so a mock or proxy on this machine works but a typo can
// never send tokens and identity documents over the network in clear text.
import { RegionBaseUrls } from '../../generated/constants.ts';
import { InvalidInputError } from '../errors.ts';
import { quote, show } from './validate.ts';

export type Region = keyof typeof RegionBaseUrls;
export const regions = Object.keys(RegionBaseUrls) as Region[];

/** The hosts plain http may go to: nothing sent there crosses a network. */
export const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function resolveBaseUrl(options: { region?: string | undefined; baseUrl?: string | undefined }): string {
  if (options.baseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      // Never echo credentials someone put in a malformed URL.
      const shown = String(options.baseUrl).replace(/^([^:/?#]+:\/\/)[^/?#]*@/, '$1[redacted]@');
      throw new InvalidInputError('baseUrl', `${quote(shown)} is not a URL; pass e.g. "https://eu.amani.ai"`);
    }
    if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
      throw new InvalidInputError(
        'baseUrl',
        `plain http is refused for ${url.hostname}: the Amani API is HTTPS-only (http is allowed only for localhost, 127.0.0.1 and [::1])`,
      );
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new InvalidInputError('baseUrl', `must be an https URL, got ${url.protocol}`);
    }
    if (url.username || url.password) {
      throw new InvalidInputError('baseUrl', 'must not contain credentials; pass them as `credentials`');
    }
    return url.href.replace(/\/+$/, '');
  }
  if (options.region === undefined) {
    throw new InvalidInputError('region', `pass region (${regions.map((r) => `'${r}'`).join(', ')}) or baseUrl`);
  }
  const url = Object.hasOwn(RegionBaseUrls, options.region) ? RegionBaseUrls[options.region as Region] : undefined;
  if (!url) {
    throw new InvalidInputError('region', `unknown region ${show(options.region)}; use one of ${regions.join(', ')}`);
  }
  return url;
}
