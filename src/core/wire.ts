// How bytes reach the network. The transport sees one small interface; underneath, Node uses
// undici's dispatcher (several times faster than fetch for small JSON calls), and every other
// runtime, or a caller who passes its own `fetch`, uses the Fetch API.
import { nativeSender, type Cancel } from './platform.ts';

export interface HeaderReader {
  get(name: string): string | null;
  forEach(callback: (value: string, name: string) => void): void;
}

/** A body as sent: never undefined, so it fits RequestInit under exactOptionalPropertyTypes. */
export type SerializedBody = NonNullable<RequestInit['body']> | null;

export interface WireRequest {
  url: string;
  method: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: SerializedBody;
  /** Ends the attempt: the caller's signal or its timeout. */
  cancel: Cancel;
}

export interface WireResponse {
  status: number;
  statusText: string;
  headers: HeaderReader;
  /** The whole body, read under the attempt's timeout. */
  text: string;
}

export type Send = (request: WireRequest) => Promise<WireResponse>;

/**
 * What openapi-fetch builds for each call, in place of a Fetch `Request`: constructing one
 * (URL parsing, header validation, body stream set-up) costs more than the rest of a call, and
 * the transport builds whatever each attempt really sends anyway. Keeps the body as given, so
 * a retry sends the same FormData (file-backed pages are streamed again, never buffered).
 */
export class PreparedRequest {
  // Declared only, defined by the constructor: a class field would be emitted a second time.
  declare readonly url: string;
  declare readonly method: string;
  declare readonly headers: Headers;
  declare readonly body: SerializedBody;
  declare readonly signal: AbortSignal | null;

  constructor(url: string | URL, init: RequestInit = {}) {
    this.url = String(url);
    this.method = (init.method ?? 'GET').toUpperCase();
    // openapi-fetch hands over the Headers it merged: kept, not copied.
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.body = init.body ?? null;
    this.signal = init.signal ?? null;
  }
}

/** The serialized body each Request from requestType() was built with. */
const serialized = new WeakMap<object, SerializedBody>();

/**
 * openapi-fetch's `Request` option. While `middleware()` is false, the fast common case, it builds
 * a PreparedRequest; otherwise a Fetch Request, which middleware expects, remembering the body it
 * was built with so that a retry sends it again (its own body can be read only once).
 */
export function requestType(middleware: () => boolean): typeof Request {
  function ClientRequest(url: string, init: RequestInit = {}): PreparedRequest | Request {
    if (!middleware()) return new PreparedRequest(url, init);
    const request = new Request(url, init);
    serialized.set(request, init.body ?? null);
    return request;
  }
  // openapi-fetch takes what a middleware returns only if it is an instance of this option: any
  // Request is (`new Request(request, init)`, or the request itself).
  ClientRequest.prototype = Request.prototype;
  return ClientRequest as unknown as typeof Request;
}

/**
 * The body to send, reusable for every attempt: the serialized body of a request requestType()
 * built, or the bytes of a Request a middleware built, read once.
 */
export async function bodyOf(request: PreparedRequest | Request): Promise<SerializedBody> {
  if (request instanceof PreparedRequest) return request.body;
  if (serialized.has(request)) return serialized.get(request) ?? null;
  return request.body && new Uint8Array(await request.arrayBuffer());
}

/** Sends with a Fetch implementation: a caller's (handed a real Request) or the global one. */
export function fetchSender(custom?: (request: Request) => Promise<Response>): Send {
  return async ({ url, method, headers, body, cancel }) => {
    // Never followed: the transport turns a 3xx (a browser's status 0) into a RedirectError.
    const init: RequestInit = { method, headers, body, signal: cancel.signal, redirect: 'manual' };
    const response = custom ? await custom(new Request(url, init)) : await globalThis.fetch(url, init);
    const text = await response.text();
    return { status: response.status, statusText: response.statusText, headers: response.headers, text };
  };
}

/** The default: undici in Node (see ./platform.ts), the global fetch elsewhere. */
export function defaultSender(): Send {
  const viaFetch = fetchSender();
  return nativeSender(viaFetch) ?? viaFetch;
}
