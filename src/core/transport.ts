// The one place requests are sent. Each attempt gets a fresh Request (bodies are single-use),
// the current token, its own timeout covering the whole answer, and a redacted log line. Non-2xx
// answers are returned, not thrown, so openapi-fetch (and `amani.raw`) keep their `{ data, error }`
// shape; transport failures throw typed errors.
import { ConnectionError, InvalidResponseError, RequestAbortedError, TimeoutError, type AmaniError } from '../errors.ts';
import { redactUrl } from './redact.ts';
import { backoffMs, isIdempotent, neverSent, retryDelayForResponse, sleep, type RetrySettings } from './retry.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { TokenProvider } from './tokens.ts';

export interface RequestOptions {
  /** Cancels the call (including any wait between retries). */
  signal?: AbortSignal;
  /** Per attempt, covering the whole answer. */
  timeoutMs?: number;
  /** Retries after the first attempt, for operations that may be retried. */
  maxRetries?: number;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
}

export interface RequestLogEntry {
  /** One line: method, redacted path, status or error, duration, attempt. */
  message: string;
  method: string;
  path: string;
  status?: number;
  error?: string;
  durationMs: number;
  attempt: number;
  /** Set when another attempt follows after this wait. */
  retryInMs?: number;
}

export type Logger = (entry: RequestLogEntry) => void;

export interface TransportConfig {
  fetch: (request: Request) => Promise<Response>;
  timeoutMs: number;
  maxRetries: number;
  retry: RetrySettings;
  logger?: Logger | undefined;
  /** Token for operations that need one unless a call says otherwise. */
  auth?: TokenProvider | undefined;
  /** "METHOD /schema/path" keys of operations that take no token. */
  unauthenticated: ReadonlySet<string>;
  random?: () => number;
  /** Paces every attempt when the client was given `requestsPerSecond`. */
  limiter?: RateLimiter | undefined;
}

/** What one call adds to the Request openapi-fetch built. */
export interface CallContext {
  /** The serialized body, kept so every attempt can be sent with the same bytes. */
  body?: RequestInit['body'];
  hasBody?: boolean;
  schemaPath?: string;
  options?: RequestOptions;
  /** Overrides the configured token; null sends none. */
  auth?: TokenProvider | null;
  /** Filled in by the transport for error messages. */
  method?: string;
  path?: string;
}

/** openapi-fetch's onRequest hook records each request's schema path here for calls via `raw`. */
export const schemaPaths = new WeakMap<Request, string>();

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export class Transport {
  readonly #config: TransportConfig;

  constructor(config: TransportConfig) {
    this.#config = config;
  }

  async send(request: Request, context: CallContext = {}): Promise<Response> {
    const url = new URL(request.url);
    const method = request.method;
    const path = redactUrl(url);
    context.method = method;
    context.path = path;
    const schemaPath = context.schemaPath ?? schemaPaths.get(request);
    const options = context.options ?? {};
    const signal = options.signal ?? request.signal;
    const maxRetries = options.maxRetries ?? this.#config.maxRetries;
    const timeoutMs = options.timeoutMs ?? this.#config.timeoutMs;
    const idempotent = isIdempotent(method, schemaPath);
    const auth =
      context.auth !== undefined
        ? context.auth
        : schemaPath && this.#config.unauthenticated.has(`${method} ${schemaPath}`)
          ? null
          : (this.#config.auth ?? null);
    // Calls through `raw` carry their body in the Request only; read it once to resend it.
    const body = context.hasBody ? context.body : request.body ? await request.arrayBuffer() : undefined;
    const baseHeaders = new Headers(request.headers);
    // A FormData body gets a new boundary per Request: let each Request write its own Content-Type.
    if (body instanceof FormData) baseHeaders.delete('content-type');
    for (const [name, value] of Object.entries(options.headers ?? {})) baseHeaders.set(name, value);

    let retries = 0;
    let replayedAfter401 = false;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw new RequestAbortedError(method, path, signal.reason);
      const headers = new Headers(baseHeaders);
      let token: string | undefined;
      if (auth && !headers.has('authorization')) {
        token = await auth.token();
        headers.set('authorization', `Bearer ${token}`);
      }
      await this.#config.limiter?.take(signal, method, path);
      const started = Date.now();
      let response: Response;
      let text: string;
      try {
        ({ response, text } = await this.#attempt(url, { method, headers, body: body ?? null }, timeoutMs, signal, method, path));
      } catch (error) {
        const typed = error as AmaniError;
        const canRetry =
          !(typed instanceof RequestAbortedError) && (idempotent || neverSent(typed)) && retries < maxRetries;
        const wait = canRetry ? backoffMs(++retries, this.#config.retry, this.#config.random) : undefined;
        this.#log({ method, path, error: typed.name, durationMs: Date.now() - started, attempt, retryInMs: wait });
        if (wait === undefined) throw typed;
        await sleep(wait, signal, method, path);
        continue;
      }
      const status = response.status;
      if (status === 401 && token !== undefined && auth && !replayedAfter401) {
        this.#log({ method, path, status, durationMs: Date.now() - started, attempt, retryInMs: 0 });
        replayedAfter401 = true;
        await auth.renew(token);
        continue;
      }
      if (!response.ok && idempotent && retries < maxRetries) {
        const wait = retryDelayForResponse(response, retries + 1, this.#config.retry, this.#config.random);
        if (wait !== undefined) {
          retries++;
          this.#log({ method, path, status, durationMs: Date.now() - started, attempt, retryInMs: wait });
          await sleep(wait, signal, method, path);
          continue;
        }
      }
      this.#log({ method, path, status, durationMs: Date.now() - started, attempt });
      if (response.ok) assertReadableJson(response, text, method, path);
      return rebuild(response, text);
    }
  }

  async #attempt(
    url: URL,
    init: RequestInit,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    method: string,
    path: string,
  ): Promise<{ response: Response; text: string }> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    try {
      const response = await this.#config.fetch(new Request(url, { ...init, signal: combined }));
      // Reading the body inside the attempt puts a stalled or truncated answer under the timeout.
      const text = await response.text();
      return { response, text };
    } catch (error) {
      if (signal?.aborted) throw new RequestAbortedError(method, path, signal.reason);
      if (timeout.signal.aborted) throw new TimeoutError(method, path, timeoutMs);
      throw new ConnectionError(method, path, error);
    } finally {
      clearTimeout(timer);
    }
  }

  #log(fields: Omit<RequestLogEntry, 'message'>): void {
    const logger = this.#config.logger;
    if (!logger) return;
    const outcome = fields.status !== undefined ? String(fields.status) : (fields.error ?? 'error');
    const retry = fields.retryInMs !== undefined ? `, retrying in ${fields.retryInMs} ms` : '';
    const message = `${fields.method} ${fields.path} ${outcome} ${fields.durationMs}ms attempt ${fields.attempt}${retry}`;
    try {
      logger({ message, ...fields });
    } catch {
      // Logging must never break a request.
    }
  }
}

/** Every body the API answers with is JSON; anything else in a 2xx is reported, not mis-parsed. */
function assertReadableJson(response: Response, text: string, method: string, path: string): void {
  if (!text) return;
  try {
    JSON.parse(text);
  } catch {
    const type = response.headers.get('content-type') ?? 'no content type';
    const problem = /json/i.test(type)
      ? 'a body that is not valid JSON (truncated?)'
      : `a ${type.split(';')[0]} body instead of JSON`;
    throw new InvalidResponseError(method, path, response.status, problem);
  }
}

function rebuild(response: Response, text: string): Response {
  const headers = new Headers(response.headers);
  // The text is already decoded: its original length and encoding no longer describe it.
  headers.delete('content-length');
  headers.delete('content-encoding');
  const body = NULL_BODY_STATUSES.has(response.status) || text === '' ? null : text;
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
