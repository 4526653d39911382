// How bytes reach the network. The transport sees one small interface; underneath, Node uses
// undici's request() (several times faster than fetch for small JSON calls), and every other
// runtime, or a caller who passes its own `fetch`, uses the Fetch API.

export interface HeaderReader {
  get(name: string): string | null;
  forEach(callback: (value: string, name: string) => void): void;
}

export interface WireRequest {
  url: string;
  method: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: RequestInit['body'] | null;
  signal: AbortSignal;
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
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: RequestInit['body'] | null;
  readonly signal: AbortSignal | null;

  constructor(url: string | URL, init: RequestInit = {}) {
    this.url = String(url);
    this.method = (init.method ?? 'GET').toUpperCase();
    this.headers = new Headers(init.headers);
    this.body = init.body ?? null;
    this.signal = init.signal ?? null;
  }
}

/** Sends with a Fetch implementation: a caller's (handed a real Request) or the global one. */
export function fetchSender(custom?: (request: Request) => Promise<Response>): Send {
  return async ({ url, method, headers, body, signal }) => {
    const init: RequestInit = { method, headers, body, signal };
    const response = custom ? await custom(new Request(url, init)) : await globalThis.fetch(url, init);
    const text = await response.text();
    return { status: response.status, statusText: response.statusText, headers: response.headers, text };
  };
}

class HeaderMap implements HeaderReader {
  constructor(private readonly raw: Record<string, string | string[] | undefined>) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }
  forEach(callback: (value: string, name: string) => void): void {
    for (const name of Object.keys(this.raw)) {
      const value = this.get(name);
      if (value !== null) callback(value, name);
    }
  }
}

type UndiciRequest = (
  url: string,
  options: { method: string; headers: Record<string, string>; body?: unknown; signal: AbortSignal },
) => Promise<{ statusCode: number; headers: Record<string, string | string[] | undefined>; body: { text(): Promise<string> } }>;

let undici: Promise<UndiciRequest | undefined> | undefined;

/** undici's request() when it can be loaded (Node), else undefined. */
function loadUndici(): Promise<UndiciRequest | undefined> {
  // A computed specifier keeps bundlers for browsers from trying to include undici.
  const specifier = 'undici';
  undici ??= import(specifier).then(
    (module: { request?: UndiciRequest }) => module.request,
    () => undefined,
  );
  return undici;
}

/** The default: undici in Node, the global fetch elsewhere (and in Node if undici is missing). */
export function defaultSender(): Send {
  const isNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
  const viaFetch = fetchSender();
  if (!isNode) return viaFetch;
  return async (request) => {
    // Multipart uploads go through fetch: it sends a FormData of file-backed parts with a known
    // length, and an upload's time is in its bytes, not in per-request overhead.
    const send = request.body instanceof FormData ? undefined : await loadUndici();
    if (!send) return viaFetch(request);
    const { statusCode, headers, body } = await send(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body ?? undefined,
      signal: request.signal,
    });
    const text = await body.text();
    return { status: statusCode, statusText: '', headers: new HeaderMap(headers), text };
  };
}
