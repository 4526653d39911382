// The typed fetch client: openapi-fetch typed by the generated paths, plus the one thing the
// generic client cannot know: how to send Amani's multipart uploads. Deliberately thin; auth
// refresh, retries and errors live in the wrapper.
import createClient, { defaultBodySerializer, defaultPathSerializer, type Client, type ClientOptions, type Middleware } from 'openapi-fetch';
import type { paths } from '../generated/schema.js';
import { resolveBaseUrl } from './core/base-url.ts';
import { requireString, show } from './core/validate.ts';
import { InvalidInputError } from './errors.ts';
import type { Loose } from './types.ts';

/**
 * The generated `paths` as the typed client is given them: an open enum's "any other string"
 * (`string & {}`) is plain `string` here. openapi-fetch maps every answer through its `Readable`,
 * which takes `string & {}` for an object and maps string's methods into it instead
 * (openapi-typescript#2765); plain `string` keeps the answers' types sound, at the cost of the
 * known values' autocompletion in raw calls (the AmaniClient methods keep it).
 */
export type AmaniPaths = PlainStrings<paths>;
export type AmaniFetchClient = Client<AmaniPaths>;

/** `T` with `string & {}` (at any depth) as `string`; files, literals and everything else as they are. */
type PlainStrings<T> = T extends string
  ? string extends T
    ? string
    : T
  : T extends Blob
    ? T
    : T extends object
      ? { [K in keyof T]: PlainStrings<T[K]> }
      : T;

/** A bearer token, or a function that returns the current one (called for every request). */
export type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

export interface AmaniFetchClientOptions extends Loose<Omit<ClientOptions, 'baseUrl' | 'bodySerializer' | 'pathSerializer'>> {
  /**
   * The origin only, e.g. https://eu.amani.ai, or a mock's URL. https, or plain http to this machine
   * (as AmaniClient's `baseUrl`).
   */
  baseUrl: string;
  /** Test only: plain http to another host, with one console.warn (as AmaniClient's option). */
  allowInsecureHttp?: boolean | undefined;
  /** Sent as `Authorization: Bearer <token>` unless the request sets its own Authorization. */
  token?: TokenSource | undefined;
}

/**
 * The bare typed client (openapi-fetch over the spec's paths): no login, refresh, retries or typed
 * errors. {@link AmaniClient.raw} is the same client sending through AmaniClient's login, refresh,
 * retries and timeouts. Multipart uploads are encoded as Amani reads them. A path parameter is
 * sent percent-encoded whatever it holds (a malformed id gets the API's declared 404), except one
 * that cannot stay in its own path segment: `''`, `'.'` or `'..'` (a URL resolves dot segments
 * away, so the request would reach another path) is an {@link InvalidInputError} naming
 * `params.path.<name>`, before anything is sent.
 *
 * @returns The openapi-fetch client: `GET`, `POST`, ... typed by path, answering `{ data, error, response }`.
 */
export function createAmaniFetchClient(options: AmaniFetchClientOptions): AmaniFetchClient {
  const { token, allowInsecureHttp, ...rest } = options;
  // The token travels to baseUrl as it does with AmaniClient: the same rules for where it may go.
  const baseUrl = resolveBaseUrl({ baseUrl: requireString('baseUrl', rest.baseUrl), allowInsecureHttp }, console.warn);
  // An explicit undefined (allowed by Loose) is what openapi-fetch does with an option not given.
  const client = createClient<AmaniPaths>({ ...rest, baseUrl, bodySerializer: serializeBody, pathSerializer: serializePath } as ClientOptions);
  if (token !== undefined) client.use(bearerAuth(token));
  return client;
}

/**
 * openapi-fetch's path serializer, refusing a path parameter that would make the request address
 * another path: one that encodes to nothing, `.` or `..` (every URL parser resolves dot segments
 * away, `%2E` too, so `DELETE /api/v2/document/..` would go out as `DELETE /api/v2/`), or one
 * not given (openapi-fetch would send the `{name}` template itself).
 *
 * @returns The path with every parameter percent-encoded into its segment.
 * @throws {@link InvalidInputError} naming `params.path.<name>`, before anything is sent.
 */
export function serializePath(pathname: string, params: Record<string, unknown>): string {
  for (const placeholder of pathname.match(/\{[^{}]+\}/g) ?? []) {
    const segment = defaultPathSerializer(placeholder, params);
    if (segment === '' || segment === '.' || segment === '..' || segment === placeholder) {
      const value = params[placeholder.slice(1, -1)];
      throw new InvalidInputError(
        `params.path.${placeholder.slice(1, -1)}`,
        `must be the resource's identifier, got ${value == null ? String(value) : show(value)}: an empty value, "." or ".." would send the request to another path`,
      );
    }
  }
  return defaultPathSerializer(pathname, params);
}

function bearerAuth(token: TokenSource): Middleware {
  return {
    async onRequest({ request }) {
      if (request.headers.has('Authorization')) return undefined;
      const value = typeof token === 'function' ? await token() : token;
      if (value) request.headers.set('Authorization', `Bearer ${value}`);
      return request;
    },
  };
}

type FormValue = Blob | Uint8Array | string | number | boolean | null | undefined | object;

const isBinary = (value: unknown): value is Blob | Uint8Array =>
  value instanceof Blob || value instanceof Uint8Array;

function hasBinary(body: unknown): body is Record<string, FormValue | FormValue[]> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  return Object.values(body).some((v) => isBinary(v) || (Array.isArray(v) && v.some(isBinary)));
}

/**
 * A body holding files (Blob or bytes) goes out as multipart/form-data, with the runtime choosing
 * the boundary; everything else keeps openapi-fetch's behaviour (JSON, or URL-encoded when the
 * caller asked for it). Repeated fields (e.g. `pages`) are appended in array order, which the API
 * reads as page order.
 *
 * @returns The body to send: FormData for files, else what openapi-fetch's serializer makes.
 */
export function serializeBody(body: unknown, headers?: Headers | Record<string, string>): NonNullable<RequestInit['body']> {
  if (hasBinary(body)) return toFormData(body);
  // openapi-fetch's own serializer does the rest (FormData, URL-encoded, JSON); its types leave out
  // the headers it reads.
  return (defaultBodySerializer as (body: unknown, headers?: unknown) => NonNullable<RequestInit['body']>)(body, headers);
}

/**
 * The multipart form of `fields`: an array becomes one part per item, in order.
 *
 * @returns The FormData to send.
 */
export function toFormData(fields: Record<string, FormValue | FormValue[]>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) appendField(form, name, item);
  }
  return form;
}

function appendField(form: FormData, name: string, value: FormValue): void {
  if (value === undefined || value === null) return;
  if (value instanceof Blob) {
    // A File is kept as it is: a filename, even its own, would copy it, and a stream page must
    // stay itself (Node 20 takes an undefined filename as "undefined").
    value instanceof File ? form.append(name, value) : form.append(name, value, name);
  } else if (value instanceof Uint8Array) {
    // Blob copies the bytes; the cast only widens what TypeScript accepts as a BlobPart.
    form.append(name, new Blob([value as Uint8Array<ArrayBuffer>]), name);
  } else if (typeof value === 'object') {
    // Nested objects (e.g. the NFC payload) travel as JSON text inside a form field.
    form.append(name, JSON.stringify(value));
  } else {
    form.append(name, String(value));
  }
}
