// Every failure the client reports is an AmaniError. API answers other than 2xx become an ApiError
// subclass chosen by status; transport failures, bad input and webhook verification have their
// own classes. Messages say what failed and, where known, how to fix it; none carries a secret.
import { causeText, MAY_HAVE_APPLIED, sentences } from './core/message.ts';
import { redactSecrets } from './core/redact.ts';

/**
 * The base class of every error the client throws: `catch (e) { if (e instanceof AmaniError) ... }`
 * catches them all. `name` is the subclass's name; no message carries a secret.
 */
export class AmaniError extends Error {
  override get name(): string {
    return this.constructor.name;
  }
}

export interface ApiErrorInit {
  status: number;
  method: string;
  /** The request path, with query values redacted. */
  path: string;
  /** The parsed JSON body, or the text when it was not JSON. */
  body: unknown;
  headers?: { get(name: string): string | null } | undefined;
}

const REQUEST_ID_HEADERS = ['x-request-id', 'request-id'];

/**
 * An answer from the API with a status other than 2xx.
 *
 * (The fields of this module's classes are `declare`d: each constructor defines them, in this
 * order. A class field would be emitted a second time into every bundle.)
 */
export class ApiError extends AmaniError {
  /** The HTTP status of the answer. */
  declare readonly status: number;
  /** The machine-readable reason, e.g. `token_not_valid`, when the body gives one. */
  declare readonly code: string | undefined;
  /** The human-readable explanation, when the body gives one. */
  declare readonly detail: string | undefined;
  /**
   * Messages per invalid field (validation errors); empty otherwise. Nested fields are named by
   * dotted paths: `address.city`, `pages[1].type`, `enabled_events[0]`, `non_field_errors`. To
   * check the paths of a request body at compile time, assign it to a {@link FieldErrors}.
   */
  declare readonly fieldErrors: Record<string, string[]>;
  /** The request id from the response headers, to quote to Amani's support. */
  declare readonly requestId: string | undefined;
  /** The request's HTTP method. */
  declare readonly method: string;
  /** The request's path, with query values redacted. */
  declare readonly path: string;
  /** The response body, with secret-named fields redacted. */
  declare readonly body: unknown;

  /**
   * `local`: a problem the client found itself, before or instead of sending (no token to send):
   * the message is the body's `detail` and the hint, with no HTTP status, as none was received.
   */
  constructor(init: ApiErrorInit, hint?: string, local?: boolean) {
    const parsed = describeBody(init.body);
    // Else the first few field paths with their messages, and how many more there are.
    const fields = Object.entries(parsed.fieldErrors);
    const shown = fields.slice(0, 3).map(([field, messages]) => `${field}: ${messages.join(' ')}`);
    if (fields.length > 3) shown.push(`+${fields.length - 3} more`);
    const reason = parsed.detail ?? (shown.join('; ') || `HTTP ${init.status}`);
    super(sentences(local ? reason : `${init.method} ${init.path} failed with ${init.status}: ${reason}`, hint));
    this.status = init.status;
    // code, detail and fieldErrors, in that order.
    Object.assign(this, parsed);
    this.requestId = REQUEST_ID_HEADERS.map((h) => init.headers?.get(h)).find((v) => v) as string | undefined;
    this.method = init.method;
    this.path = init.path;
    this.body = redactSecrets(init.body);
  }

  /** The ApiError subclass for the response's status; `authHint` replaces AuthenticationError's default hint. */
  static from(init: ApiErrorInit, authHint?: string): ApiError {
    const { status } = init;
    if (status === 400 || status === 422) return new ValidationError(init);
    if (status === 401) return new AuthenticationError(init, authHint);
    if (status === 403) return new PermissionDeniedError(init);
    if (status === 404) return new NotFoundError(init);
    if (status === 429) return new RateLimitError(init, parseRetryAfterSeconds(init.headers?.get('retry-after')));
    if (status >= 500) return new ServerError(init);
    return new ApiError(init);
  }
}

/**
 * The paths `fieldErrors` can name for a request body of type `Body`: each field (`name`), a nested
 * object's fields (`address.city`), a list's items and their fields (`enabled_events[0]`,
 * `pages[1].type`), and `non_field_errors` at the top and in each nested object.
 */
export type FieldPath<Body> = 'non_field_errors' | PathsOf<Body, ''>;

type PathsOf<T, Prefix extends string> = {
  [K in keyof T & string]-?: `${Prefix}${K}` | NestedPaths<NonNullable<T[K]>, `${Prefix}${K}`>;
}[keyof T & string];

type NestedPaths<V, Path extends string> = V extends readonly (infer Item)[]
  ? `${Path}[${number}]` | NestedPaths<NonNullable<Item>, `${Path}[${number}]`>
  : V extends Blob | string | number | boolean
    ? never
    : V extends object
      ? `${Path}.non_field_errors` | PathsOf<V, `${Path}.`>
      : never;

/**
 * `fieldErrors` keyed by the paths of `Body`, for autocompletion and typo checks:
 * `const errors: FieldErrors<ProfileCreateRequest> = error.fieldErrors; errors['address.city']`.
 */
export type FieldErrors<Body> = { [Path in FieldPath<Body>]?: string[] };

/** 400 or 422: the request was rejected as invalid; `fieldErrors` names each field. */
export class ValidationError extends ApiError {
  constructor(init: ApiErrorInit) {
    super(init, 'Fix the fields named in fieldErrors and send the request again');
  }
}

/**
 * 401: no valid token. The client already refreshed (or logged in again) once before throwing this.
 * Also thrown when the client finds by itself that it has no token to send (no credentials, nothing
 * to renew an expired token with, a token no header can carry): `status` is then 401 too, and the
 * message says what is missing, with no HTTP status.
 */
export class AuthenticationError extends ApiError {
  constructor(init: ApiErrorInit, hint = 'Pass AmaniClient valid credentials, or tokens with a valid refresh token', local?: boolean) {
    super(init, hint, local);
  }
}

/** 403: the token is valid but may not do this. */
export class PermissionDeniedError extends ApiError {
  constructor(init: ApiErrorInit) {
    super(init, "The user's permission group does not allow this (a profile token only reaches its own profile)");
  }
}

/** 404: nothing with that id is visible to this token. */
export class NotFoundError extends ApiError {
  constructor(init: ApiErrorInit) {
    super(init, 'Check the id, and that it belongs to this company and region');
  }
}

/** 429: throttled. `retryAfter` is in seconds when the server said. */
export class RateLimitError extends ApiError {
  declare readonly retryAfter: number | undefined;
  constructor(init: ApiErrorInit, retryAfter: number | undefined) {
    super(init, retryAfter === undefined ? 'Slow down and retry later' : `Retry after ${retryAfter} s`);
    this.retryAfter = retryAfter;
  }
}

/**
 * 5xx: Amani (or a gateway in front of it) failed to handle the request. Idempotent calls were
 * retried first; a write that is not was sent once, and may have taken effect.
 */
export class ServerError extends ApiError {
  constructor(init: ApiErrorInit) {
    super(init, sentences('Amani failed to handle the request; it may succeed later', MAY_HAVE_APPLIED));
  }
}

/**
 * A 3xx answer (or a browser's opaque redirect, status 0). Amani's API never redirects, so no call
 * follows one: the request was not re-sent anywhere. `locationOrigin` is where the answer pointed
 * (its origin only: the rest of a Location may carry tokens), undefined when unknown.
 */
export class RedirectError extends ApiError {
  declare readonly locationOrigin: string | undefined;
  /** `init.body` should be left out: a redirect page quotes the whole Location. */
  constructor(init: ApiErrorInit, locationOrigin: string | undefined) {
    super(init, `Amani does not redirect (Location: ${locationOrigin ?? 'unknown'}): the request was not re-sent. Check the base URL`);
    this.locationOrigin = locationOrigin;
  }
}

/** The request could not be sent or its answer could not be read (DNS, refused, reset, ...). */
export class ConnectionError extends AmaniError {
  /**
   * `problem` replaces "the connection to Amani broke": in Node the transport names the host and
   * port, and says when the socket error code proves nothing was sent (src/core/platform.ts);
   * browsers report neither.
   */
  constructor(method: string, path: string, cause: unknown, problem?: string) {
    super(`${method} ${path} failed: ${problem ?? `the connection to Amani broke (${causeText(cause)}). ${MAY_HAVE_APPLIED}`}`, { cause });
  }
}

/** No complete answer within the timeout. */
export class TimeoutError extends AmaniError {
  /** The timeout that ran out, per attempt. */
  declare readonly timeoutMs: number;
  constructor(method: string, path: string, timeoutMs: number) {
    super(`${method} ${path} timed out after ${timeoutMs} ms. Raise timeoutMs, or retry later`);
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's AbortSignal cancelled the request. */
export class RequestAbortedError extends AmaniError {
  constructor(method: string, path: string, reason: unknown) {
    super(`${method} ${path} was aborted by the caller`, { cause: reason });
  }
}

/** A 2xx answer whose body is not what the API sends (e.g. invalid or truncated JSON). */
export class InvalidResponseError extends AmaniError {
  /** The (2xx) status of the answer. */
  declare readonly status: number;
  constructor(method: string, path: string, status: number, problem: string) {
    super(sentences(`${method} ${path} answered ${status} with ${problem}`, MAY_HAVE_APPLIED));
    this.status = status;
  }
}

/** Bad input caught before anything was sent: `field` names it, the message says how to fix it. */
export class InvalidInputError extends AmaniError {
  /** The argument or option at fault, e.g. `id`, `profile_id` or `options.timeoutMs`. */
  declare readonly field: string;
  constructor(field: string, problem: string, cause?: Error) {
    super(`${field}: ${problem}`, cause && { cause });
    this.field = field;
  }
}

export type WebhookSignatureFailure =
  | 'missing_signature'
  | 'malformed_signature'
  | 'missing_secret'
  | 'invalid_body'
  | 'mismatch';

/** A webhook delivery failed verification. Answer 400 without telling the sender why. */
export class WebhookSignatureError extends AmaniError {
  /** Why: `missing_signature`, `malformed_signature`, `missing_secret`, `invalid_body` or `mismatch`. */
  declare readonly reason: WebhookSignatureFailure;
  constructor(reason: WebhookSignatureFailure, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** A webhook delivery larger than the receiver's limit: refused (413) before it is read. */
export class WebhookBodyTooLargeError extends WebhookSignatureError {
  /** The receiver's `maxBodyBytes`. */
  declare readonly limit: number;
  constructor(limit: number) {
    super('invalid_body', `The webhook body is larger than maxBodyBytes (${limit} bytes) and was not read`);
    this.limit = limit;
  }
}

function describeBody(body: unknown): { code: string | undefined; detail: string | undefined; fieldErrors: Record<string, string[]> } {
  const fieldErrors: Record<string, string[]> = {};
  flattenFields(body, '', fieldErrors);
  // Object() makes null and text bodies objects too, with neither field.
  const { detail, code } = Object(body) as Record<string, unknown>;
  const text = typeof body === 'string' ? body.trim() : '';
  return {
    code: typeof code === 'string' ? code : undefined,
    // A short text body (e.g. a proxy's "Bad Gateway") is worth showing; an HTML page is not.
    detail: typeof detail === 'string' ? detail : text && text.length <= 200 && !text.startsWith('<') ? text : undefined,
    fieldErrors,
  };
}

/**
 * DRF's nested field errors as dotted paths: a list of messages ends a path; an object (a nested
 * serializer, or a ListField's errors keyed by index) and a list of objects (`many=True`, `{}` for
 * a valid item) nest, an index as `[1]`. A bare list at the top is the view's own non-field errors.
 * DRF's lists hold only messages or only objects, so the first item tells which.
 */
function flattenFields(value: unknown, path: string, out: Record<string, string[]>): void {
  if (Array.isArray(value) && typeof value[0] === 'string') out[path || 'non_field_errors'] = value;
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) flattenFields(item, /^\d+$/.test(key) ? `${path}[${key}]` : path ? `${path}.${key}` : key, out);
  }
}

/**
 * Reads Retry-After's HTTP-date form, as epoch milliseconds. The Node platform (./core/platform.ts)
 * sets it when the client loads; browser builds and the webhook entries, which must not load Node
 * code, leave it unset and read delta-seconds only (what Amani's DRF throttling sends).
 *
 * @internal
 */
export const httpDate: { parse?: ((value: string) => number | undefined) | undefined } = {};

/**
 * Retry-After as seconds from now: delta-seconds or an HTTP date (an HTTP date once
 * {@link httpDate} can parse one); undefined when absent or invalid.
 *
 * @returns Whole seconds (0 for a date in the past), or undefined.
 */
export function parseRetryAfterSeconds(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = httpDate.parse?.(trimmed);
  return date === undefined ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
