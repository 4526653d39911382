// Node's sender: one request handed to undici's dispatcher, the answer collected whole. One level
// below undici's request(), which the client would otherwise pay for on every call: request()
// parses the URL again (the client knows its origin), wraps the answer in a stream and parses
// every header into an object; here the body is a list of chunks and headers are read only when
// asked for. The dispatcher is the global one, read per call, so a ProxyAgent or MockAgent an app
// installs with setGlobalDispatcher() applies as it does to fetch.
import type { Cancel } from './platform.ts';
import type { HeaderReader, WireRequest, WireResponse } from './wire.ts';

/** The part of undici's Dispatcher used here (its legacy handler API, which Node's own undici shares). */
interface Dispatcher {
  constructor: { name: string };
  dispatch(options: Record<string, unknown>, handler: Collector): boolean;
}

export type GlobalDispatcher = () => Dispatcher;

/** Header names and values as undici gives them (Buffers), decoded on first read. */
class RawHeaders implements HeaderReader {
  #raw: Buffer[];
  #map: Map<string, string> | undefined;

  constructor(raw: Buffer[]) {
    this.#raw = raw;
  }

  #parsed(): Map<string, string> {
    if (this.#map) return this.#map;
    const map = new Map<string, string>();
    for (let i = 0; i + 1 < this.#raw.length; i += 2) {
      const name = this.#raw[i]!.toString('latin1').toLowerCase();
      const value = this.#raw[i + 1]!.toString('latin1');
      const seen = map.get(name);
      map.set(name, seen === undefined ? value : `${seen}, ${value}`);
    }
    return (this.#map = map);
  }

  get(name: string): string | null {
    return this.#parsed().get(name.toLowerCase()) ?? null;
  }

  forEach(callback: (value: string, name: string) => void): void {
    this.#parsed().forEach(callback);
  }
}

/** undici's handler for one request: keeps the final status, the raw headers and the body chunks. */
class Collector {
  #status = 0;
  #statusText = '';
  #headers: Buffer[] = [];
  #chunks: Buffer[] = [];
  #size = 0;

  constructor(
    private readonly resolve: (response: WireResponse) => void,
    private readonly reject: (error: unknown) => void,
    private readonly cancel: Cancel,
  ) {}

  onConnect(abort: (reason?: unknown) => void): void {
    this.cancel.onCancel(abort);
  }

  onHeaders(status: number, headers: Buffer[], _resume: () => void, statusText: string): boolean {
    // 1xx answers (103 Early Hints) come before the real one.
    if (status < 200) return true;
    this.#status = status;
    this.#statusText = statusText;
    this.#headers = headers;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    return true;
  }

  onComplete(): void {
    this.resolve({ status: this.#status, statusText: this.#statusText, headers: new RawHeaders(this.#headers), text: decode(this.#chunks, this.#size) });
  }

  onError(error: unknown): void {
    this.reject(error);
  }
}

/** A body's chunks as text. A UTF-8 byte order mark is not part of it (Response.text() drops it too). */
export function decode(chunks: Buffer[], size: number): string {
  const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  const start = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  return body.toString('utf8', start);
}

let lastOrigin = '';

/** Paths sent as they are: only characters a URL path and query carry unescaped, no dot segment. */
const PLAIN_PATH = /^\/[\w\-.~!$&'()*+,;=:@/?%]*$/;
const DOT_SEGMENT = /\/(\.|%2e)/i;

/**
 * The origin and path of an absolute http(s) URL: the client's own origin is not parsed again. A
 * path a URL parser would change (dot segments, characters it escapes) is parsed as fetch would.
 */
function split(url: string): { origin: string; path: string } {
  if (lastOrigin && url.startsWith(lastOrigin) && url.charCodeAt(lastOrigin.length) === 47 /* / */) {
    const path = url.slice(lastOrigin.length);
    if (PLAIN_PATH.test(path) && !DOT_SEGMENT.test(path)) return { origin: lastOrigin, path };
  }
  const parsed = new URL(url);
  lastOrigin = parsed.origin;
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
}

/** Sends `request` through the dispatcher undici's getGlobalDispatcher() returns now. */
export function dispatch(globalDispatcher: GlobalDispatcher, request: WireRequest): Promise<WireResponse> {
  const { origin, path } = split(request.url);
  return new Promise((resolve, reject) => {
    globalDispatcher().dispatch(
      { origin, path, method: request.method, headers: request.headers, body: request.body ?? undefined },
      new Collector(resolve, reject, request.cancel),
    );
  });
}
