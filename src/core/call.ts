// Runs one wrapper method's request: hands openapi-fetch a per-call fetch that carries the call's
// options to the transport, and turns a non-2xx answer into the ApiError subclass for its status.
import type { Client } from 'openapi-fetch';
import { BodilessOperations } from '../../generated/constants.ts';
import type { AmaniPaths } from '../fetch-client.ts';
import { ApiError, InvalidInputError, InvalidResponseError } from '../errors.ts';
import { MAX_DELAY_HINT, MAX_DELAY_MS } from './retry.ts';
import type { TokenProvider } from './tokens.ts';
import { describeNonJson } from './response.ts';
import type { CallContext, RequestOptions, Transport } from './transport.ts';

export interface PerCallInit {
  fetch: (request: Request) => Promise<Response>;
}

interface FetchResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

export type ResultData<R extends FetchResult> = Exclude<R['data'], undefined>;

/** Everything a resource needs to make calls. */
export class Caller {
  // Declared only, defined by the constructor: a class field would be emitted a second time.
  declare readonly api: Client<AmaniPaths>;
  declare readonly transport: Transport;
  /** The token for this client's calls; null for none. */
  declare readonly auth: TokenProvider | null;

  constructor(api: Client<AmaniPaths>, transport: Transport, auth: TokenProvider | null) {
    this.api = api;
    this.transport = transport;
    this.auth = auth;
  }

  /** `owner`: whose tokens the call carries when it is sent without one (a refresh): kept out of its error, whose hint is theirs. */
  async request<R extends FetchResult>(
    schemaPath: string,
    options: RequestOptions | undefined,
    invoke: (init: PerCallInit) => Promise<R>,
    auth: TokenProvider | null = this.auth,
    owner?: TokenProvider,
  ): Promise<ResultData<R>> {
    const context: CallContext = { schemaPath, options: checkOptions(options), auth, light: true, secrets: owner?.secrets() };
    let result: R;
    try {
      result = await invoke({ fetch: (request) => this.transport.send(request, context) });
    } catch (error) {
      // openapi-fetch parses a 2xx body as JSON: a body that is not JSON surfaces here.
      if (error instanceof SyntaxError && context.status !== undefined) {
        throw new InvalidResponseError(context.method ?? '?', context.path ?? schemaPath, context.status, describeNonJson(context.headers?.get('content-type')));
      }
      throw error;
    }
    const { ok, status, headers } = result.response;
    const method = context.method ?? '?';
    const path = context.path ?? schemaPath;
    // openapi-fetch gives an empty body as undefined (and `null` as null): never hand either out as the declared JSON.
    if (ok && result.data == null && !(BodilessOperations as readonly string[]).includes(`${method} ${schemaPath}`)) {
      throw new InvalidResponseError(method, path, status, 'an empty body');
    }
    // A DELETE answered 404 after an attempt that may have reached Amani: that attempt deleted it.
    if (ok || (status === 404 && method === 'DELETE' && context.mayHaveApplied)) return result.data as ResultData<R>;
    throw ApiError.from({ status, method, path, body: result.error, headers }, (auth ?? owner)?.hint);
  }
}

/**
 * A header name (an RFC 9110 token) and its value (tab, space, visible ASCII and obs-text: the rest
 * of Latin-1), joined by a line break, which neither may hold: one test checks both.
 */
const HEADER = /^[\w!#$%&'*+.^`|~-]+\n[\t\x20-\x7e\x80-\xff]*$/;

export function checkOptions(options: RequestOptions | undefined): RequestOptions {
  if (options === undefined) return {};
  if (!options || typeof options !== 'object') throw new InvalidInputError('options', 'must be an object');
  const { timeoutMs, maxRetries, signal, headers } = options;
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0 && timeoutMs <= MAX_DELAY_MS)) {
    throw new InvalidInputError('options.timeoutMs', `must be a positive number of milliseconds, got ${String(timeoutMs)}${MAX_DELAY_HINT}`);
  }
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && maxRetries >= 0 && maxRetries <= 10)) {
    throw new InvalidInputError('options.maxRetries', `must be a whole number from 0 to 10, got ${String(maxRetries)}`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidInputError('options.signal', 'must be an AbortSignal');
  }
  if (headers !== undefined && (typeof headers !== 'object' || headers === null)) {
    throw new InvalidInputError('options.headers', 'must be an object of header names to values');
  }
  // The HTTP layer would refuse these only while sending, reported as a broken connection.
  for (const [name, value] of Object.entries(headers ?? {})) {
    // The value is never quoted: it may be a token.
    if (!HEADER.test(`${name}\n${value}`)) {
      throw new InvalidInputError(`options.headers[${JSON.stringify(name)}]`, 'holds a line break or another character a header cannot carry (only Latin-1 text)');
    }
  }
  return options;
}
