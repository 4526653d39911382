// The areas AmaniClient loads on first use (see ./lazy.ts), by the name the client gives them, and
// the parts of its own that few apps need (the login, requestsPerSecond's pacing). A browser app
// holding a profile token calls none of them (only what forProfile() offers), so its bundler keeps
// them out of the code the app loads up front.
import { Aml } from '../resources/aml.ts';
import { Documents } from '../resources/documents.ts';
import { IpWhitelist } from '../resources/ip-whitelist.ts';
import { Profiles } from '../resources/profiles.ts';
import { Webhooks } from '../resources/webhooks.ts';
import type { Shared } from '../client.ts';
import { runBatch, type BatchOptions, type BatchResult } from './batch.ts';
import type { Caller } from './call.ts';
import { Session } from './login.ts';
import { RateLimiter } from './rate-limiter.ts';

export const areas = {
  profiles: (caller: Caller) => new Profiles(caller),
  documents: (caller: Caller) => new Documents(caller),
  webhooks: (caller: Caller) => new Webhooks(caller),
  aml: (caller: Caller) => new Aml(caller),
  ipWhitelist: (caller: Caller) => new IpWhitelist(caller),
  /** The user login, for the client's TokenManager. */
  auth: (shared: () => Shared) => new Session(shared),
  /** The pacing of `requestsPerSecond`, for the client's Transport. */
  limiter: (perSecond: number) => new RateLimiter(perSecond),
  /** `amani.batch()`, the client's own method, with the client's `retry.maxRetryAfterMs`. */
  batch: (maxRetryAfterMs: number) => ({
    batch: <T, R>(items: Iterable<T>, fn: (item: T, index: number) => Promise<R>, options?: BatchOptions): Promise<Array<BatchResult<T, R>>> =>
      runBatch(items, fn, options, maxRetryAfterMs),
  }),
};

// esbuild splits bundles by module: the modules this chunk shares with the entry (errors,
// validation, retry) would make a chunk of their own, fetched up front beside the rest of the
// entry's code (about 800 gzipped bytes more than one file, bench/bundle-size.ts). Reaching the
// client from here puts every module of the client into that one shared chunk. (Rollup and webpack
// keep shared modules in the entry anyway.)
export { AmaniClient } from '../client.ts';
