// Runs one wrapper method's request: hands openapi-fetch a per-call fetch that carries the call's
// options to the transport, and turns a non-2xx answer into the ApiError subclass for its status.
import type { Client } from 'openapi-fetch';
import type { paths } from '../../generated/schema.js';
import { ApiError, InvalidInputError, InvalidResponseError } from '../errors.ts';
import type { TokenProvider } from './tokens.ts';
import { describeNonJson, type CallContext, type RequestOptions, type Transport } from './transport.ts';

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
  constructor(
    readonly api: Client<paths>,
    readonly transport: Transport,
    /** The token for this client's calls; null for none. */
    readonly auth: TokenProvider | null,
  ) {}

  async request<R extends FetchResult>(
    schemaPath: string,
    options: RequestOptions | undefined,
    invoke: (init: PerCallInit) => Promise<R>,
    auth: TokenProvider | null = this.auth,
  ): Promise<ResultData<R>> {
    const context: CallContext = { schemaPath, options: checkOptions(options), auth, light: true };
    let result: R;
    try {
      result = await invoke({ fetch: (request) => this.transport.send(request, context) });
    } catch (error) {
      // openapi-fetch parses a 2xx body as JSON: a body that is not JSON surfaces here.
      if (error instanceof SyntaxError && context.status !== undefined) {
        throw new InvalidResponseError(context.method ?? '?', context.path ?? schemaPath, context.status, describeNonJson(context.contentType));
      }
      throw error;
    }
    if (result.response.ok) return result.data as ResultData<R>;
    throw ApiError.from({
      status: result.response.status,
      method: context.method ?? '?',
      path: context.path ?? schemaPath,
      body: result.error,
      headers: result.response.headers,
    });
  }
}

export function checkOptions(options: RequestOptions | undefined): RequestOptions {
  if (options === undefined) return {};
  if (!options || typeof options !== 'object') throw new InvalidInputError('options', 'must be an object');
  const { timeoutMs, maxRetries, signal, headers } = options;
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0 && Number.isFinite(timeoutMs))) {
    throw new InvalidInputError('options.timeoutMs', `must be a positive number of milliseconds, got ${String(timeoutMs)}`);
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
  return options;
}
