// Runs one wrapper method's request: hands openapi-fetch a per-call fetch and body serializer (so
// the transport can resend the exact body without buffering uploads), and turns a non-2xx answer
// into the ApiError subclass for its status.
import type { Client } from 'openapi-fetch';
import type { paths } from '../../generated/schema.js';
import { ApiError, InvalidInputError } from '../errors.ts';
import { serializeBody } from '../fetch-client.ts';
import type { TokenProvider } from './tokens.ts';
import type { CallContext, RequestOptions, Transport } from './transport.ts';

export interface PerCallInit {
  fetch: (request: Request) => Promise<Response>;
  bodySerializer: (body: any, headers?: Headers | Record<string, string>) => any;
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
    const context: CallContext = { schemaPath, options: checkOptions(options), auth };
    const result = await invoke({
      fetch: (request) => this.transport.send(request, context),
      bodySerializer: (body, headers) => {
        context.body = serializeBody(body, headers);
        context.hasBody = true;
        return context.body;
      },
    });
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
