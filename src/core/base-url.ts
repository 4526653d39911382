// Turns `region` / `baseUrl` into the origin every request goes to. The API is HTTPS-only; plain
// http is allowed for loopback, so a mock or proxy on this machine works but a typo can never send
// tokens and identity documents over the network in clear text. A test server elsewhere (a mock
// in docker-compose, a CI service container) needs the loudly named, test-only allowInsecureHttp.
import { RegionBaseUrls } from '../../generated/constants.ts';
import { InvalidInputError } from '../errors.ts';
import { quote, show } from './validate.ts';

export type Region = keyof typeof RegionBaseUrls;
export const regions = Object.keys(RegionBaseUrls) as Region[];

/** The hosts plain http may go to: nothing sent there crosses a network. */
export const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface BaseUrlOptions {
  region?: string | undefined;
  baseUrl?: string | undefined;
  /** Test only: plain http to a host other than this machine (only `true` counts). */
  allowInsecureHttp?: boolean | undefined;
}

/**
 * The origin to send to. `warn` is told, once per call, when allowInsecureHttp lets requests go
 * over plain http to a host other than this machine; `optIn` is how a refusal names that opt-in.
 */
export function resolveBaseUrl(options: BaseUrlOptions, warn?: (message: string) => void, optIn = 'allowInsecureHttp: true'): string {
  if (options.baseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      // Never echo credentials someone put in a malformed URL.
      const shown = String(options.baseUrl).replace(/^([^:/?#]+:\/\/)[^/?#]*@/, '$1[redacted]@');
      throw new InvalidInputError('baseUrl', `${quote(shown)} is not a URL; pass e.g. "https://eu.amani.ai"`);
    }
    const insecure = url.protocol === 'http:' && !LOOPBACK.has(url.hostname);
    if (insecure && options.allowInsecureHttp !== true) {
      throw new InvalidInputError(
        'baseUrl',
        `plain http is refused for ${url.hostname}: the Amani API is HTTPS-only (http is allowed for localhost, 127.0.0.1 and [::1]; for a test server elsewhere, ${optIn})`,
      );
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new InvalidInputError('baseUrl', `must be an https URL, got ${url.protocol}`);
    }
    if (url.username || url.password) {
      throw new InvalidInputError('baseUrl', 'must not contain credentials; pass them as `credentials`');
    }
    // The client adds /api/v2/... itself: "https://eu.amani.ai/api/v2" would send to /api/v2/api/v2.
    // A query may hold a secret, so it is never quoted.
    const extra = url.search ? 'a query' : url.hash ? 'a fragment' : /^\/*$/.test(url.pathname) ? '' : `the path ${quote(url.pathname)}`;
    if (extra) throw new InvalidInputError('baseUrl', `must be the origin only, e.g. "https://eu.amani.ai", without ${extra}`);
    if (insecure) warn?.(`plain http to ${url.host}, test only: tokens and identity documents travel unencrypted`);
    return url.origin;
  }
  if (options.region === undefined) {
    throw new InvalidInputError('region', `pass region (${regions.join(', ')}) or baseUrl`);
  }
  const url = Object.hasOwn(RegionBaseUrls, options.region) ? RegionBaseUrls[options.region as Region] : undefined;
  if (!url) {
    throw new InvalidInputError('region', `unknown region ${show(options.region)}; use one of ${regions.join(', ')}`);
  }
  return url;
}
