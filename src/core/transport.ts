// The one place requests are sent. Each attempt gets the current token, its own timeout covering
// the whole answer, and a redacted log line, and goes out through the wire layer (undici in Node,
// fetch elsewhere). Non-2xx answers are returned, not thrown, so openapi-fetch (and `amani.raw`)
// keep their `{ data, error }` shape; transport failures throw typed errors.
import {
  ConnectionError,
  RedirectError,
  RequestAbortedError,
  TimeoutError,
  type AmaniError,
} from '../errors.ts';
import { logAttempt, type Logger, type RequestLogEntry } from './log.ts';
import type { DriftHook } from '../drift/hook.ts';
import { Cancel, checkBody, connectionProblem } from './platform.ts';
import { redactUrl, scrubSecrets } from './redact.ts';
import { assertReadableJson, lightResponse, rebuild } from './response.ts';
import { backoffMs, isIdempotent, neverSent, retryDelayForResponse, sleep, type RetrySettings } from './retry.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { localAuthError, within, type TokenProvider } from './tokens.ts';
import { bodyOf, PreparedRequest, type HeaderReader, type Send, type SerializedBody, type WireResponse } from './wire.ts';

export interface RequestOptions {
  /** Cancels the call (including any wait between retries). */
  signal?: AbortSignal | undefined;
  /** Per attempt, covering the whole answer. */
  timeoutMs?: number | undefined;
  /** Retries after the first attempt, for operations that may be retried. */
  maxRetries?: number | undefined;
  /** Extra headers for this call. */
  headers?: Record<string, string> | undefined;
}

export interface TransportConfig {
  send: Send;
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
  limiter?: Pick<RateLimiter, 'take'> | undefined;
  /** Secrets the client knows (password, tokens): scrubbed from error answers before they become errors. */
  secrets?: () => Array<string | undefined>;
  /** Given every final answer when the client has `onDrift` (see ../drift/hook.ts). */
  drift?: DriftHook | undefined;
}

/** What one call adds to the request openapi-fetch built. */
export interface CallContext {
  schemaPath?: string;
  options?: RequestOptions;
  /** Overrides the configured token; null sends none. */
  auth?: TokenProvider | null;
  /** Secrets the call carries besides its token (a refresh token), kept out of its error answer too. */
  secrets?: Array<string | undefined> | undefined;
  /**
   * Set by resource methods, which only read status, headers and body: the answer can then be a
   * light stand-in instead of a Fetch Response (`raw` callers get a real one).
   */
  light?: boolean;
  /**
   * Set by the transport when an attempt that may have reached Amani failed and another followed
   * (a timeout, a broken connection, a 5xx; not a refused connection, a 408, 429 or 401).
   */
  mayHaveApplied?: boolean;
  /** Filled in by the transport for error messages. */
  method?: string;
  path?: string;
  status?: number;
  /** The final answer's headers (its content type, for an error about a body that is not JSON). */
  headers?: HeaderReader;
}

/** The token syntax RFC 6750 allows in `Authorization: Bearer`. */
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export class Transport {
  readonly #config: TransportConfig;

  constructor(config: TransportConfig) {
    this.#config = config;
  }

  /**
   * `request` is what openapi-fetch built with the client's `Request` option: a PreparedRequest, or
   * with middleware registered a Fetch Request (see ./wire.ts requestType).
   */
  async send(request: PreparedRequest | Request, context: CallContext = {}): Promise<Response> {
    const url = request.url;
    const method = request.method;
    const path = redactUrl(new URL(url));
    context.method = method;
    context.path = path;
    const schemaPath = context.schemaPath;
    const options = context.options ?? {};
    const signal = options.signal ?? request.signal ?? undefined;
    const maxRetries = options.maxRetries ?? this.#config.maxRetries;
    const timeoutMs = options.timeoutMs ?? this.#config.timeoutMs;
    const idempotent = isIdempotent(method, schemaPath);
    const auth =
      context.auth !== undefined
        ? context.auth
        : schemaPath && this.#config.unauthenticated.has(`${method} ${schemaPath}`)
          ? null
          : (this.#config.auth ?? null);
    const body = await bodyOf(request);
    const baseHeaders: Record<string, string> = {};
    request.headers.forEach((value, name) => (baseHeaders[name] = value));
    // A FormData body gets its boundary from whatever encodes it: never send a stale Content-Type.
    if (body instanceof FormData) delete baseHeaders['content-type'];
    for (const [name, value] of Object.entries(options.headers ?? {})) baseHeaders[name.toLowerCase()] = value;

    let retries = 0;
    let replayedAfter401 = false;
    let renewed: string | undefined;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw new RequestAbortedError(method, path, signal.reason);
      const headers = { ...baseHeaders };
      let token: string | undefined;
      if (auth && headers.authorization === undefined) {
        // The replay after a 401 carries the token its renewal returned: asking again could
        // start a second refresh for the same 401.
        token = renewed ?? auth.ready?.() ?? (await waitFor(auth.token(), signal, timeoutMs, method, path));
        renewed = undefined;
        // A token a header cannot carry would fail deep in the HTTP layer, quoted in its message.
        if (!BEARER_TOKEN.test(token)) {
          const detail = `${method} ${path} was not sent: the ${auth.kind} token is not a valid bearer token (it holds a space, a line break or another character a header cannot carry)`;
          throw localAuthError(detail, 'Pass the tokens exactly as Amani issued them', method, path);
        }
        headers.authorization = `Bearer ${token}`;
      }
      await this.#config.limiter?.take(signal, method, path);
      // After any wait for a token or the rate limit: the moment before the bytes go out.
      await checkBody(body);
      const started = Date.now();
      let response: WireResponse;
      try {
        response = await this.#attempt(url, method, headers, body, timeoutMs, signal, path);
      } catch (error) {
        const typed = error as AmaniError;
        context.mayHaveApplied ||= !neverSent(typed);
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
        renewed = await waitFor(auth.renew(token), signal, timeoutMs, method, path);
        continue;
      }
      const ok = status >= 200 && status < 300;
      if (!ok && idempotent && retries < maxRetries) {
        const wait = retryDelayForResponse(response, retries + 1, this.#config.retry, this.#config.random);
        if (wait !== undefined) {
          retries++;
          if (status >= 500) context.mayHaveApplied = true;
          this.#log({ method, path, status, durationMs: Date.now() - started, attempt, retryInMs: wait });
          await sleep(wait, signal, method, path);
          continue;
        }
      }
      // A gateway may echo the Authorization header, a server a submitted password, in its error
      // answer: keep every secret the client knows (the call's own tokens, a profile client's
      // too, and what the call carries) out of the error built from it. The answer is this
      // attempt's own object, so it is scrubbed in place.
      if (!ok) response.text = scrubSecrets(response.text, [token, auth?.secrets(), context.secrets, this.#config.secrets?.()]);
      this.#log({ method, path, status, durationMs: Date.now() - started, attempt });
      // Following would re-send the request (identity documents included) wherever Location
      // points, past the baseUrl rules; a browser reports a redirect it did not follow as status 0.
      if (status === 0 || (status > 299 && status < 400 && status !== 304)) {
        throw new RedirectError({ status, method, path, body: undefined, headers: response.headers }, originOf(response.headers.get('location'), url));
      }
      context.status = status;
      this.#config.drift?.(context, response);
      context.headers = response.headers;
      // Middleware (which gets a Fetch Request) reads the answer as a Fetch Response.
      if (context.light && request instanceof PreparedRequest) return lightResponse(response) as unknown as Response;
      if (ok) assertReadableJson(response, method, path);
      return rebuild(response);
    }
  }

  async #attempt(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: SerializedBody,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    path: string,
  ): Promise<WireResponse> {
    const cancel = new Cancel(signal, timeoutMs);
    try {
      // The wire layer reads the whole body, so a stalled or truncated answer is under the timeout.
      return await cancel.race(this.#config.send({ url, method, headers, body, cancel }));
    } catch (error) {
      if (signal?.aborted) throw new RequestAbortedError(method, path, signal.reason);
      if (cancel.fired) throw new TimeoutError(method, path, timeoutMs);
      // A page that failed to read mid-send is the input's fault, not the connection's.
      await checkBody(body);
      throw new ConnectionError(method, path, error, connectionProblem(error, url));
    } finally {
      cancel.end();
    }
  }

  #log(fields: Omit<RequestLogEntry, 'message'>): void {
    if (this.#config.logger) logAttempt(this.#config.logger, fields);
  }
}

/** The origin a Location header names (relative to the request), or undefined. */
function originOf(location: string | null, base: string): string | undefined {
  try {
    return location ? new URL(location, base).origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A call waits for a login or refresh (its own or another call's) under its own signal and
 * timeout: giving up ends only its wait, while the shared flight goes on for the other calls
 * under the flight's own timeout.
 */
function waitFor(
  flight: Promise<string>,
  signal: AbortSignal | undefined,
  timeoutMs: number,
  method: string,
  path: string,
): Promise<string> {
  const gaveUp = () => {
    throw signal?.aborted ? new RequestAbortedError(method, path, signal.reason) : new TimeoutError(method, path, timeoutMs);
  };
  return within(flight, timeoutMs, gaveUp, signal);
}
