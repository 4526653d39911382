// The Node-only pieces of the client: sending through undici (multipart bodies streamed, see
// ./multipart.ts), reading a file path as a Blob and a stream page's head, checking before each
// upload attempt that its files can still be read, and telling from a socket error code that a
// request never left (and saying so, with the host).
// The package's browser build swaps this module for ./platform.browser.ts (tsup.config.ts), so
// browsers never download code they cannot run.
import { ConnectionError, httpDate, InvalidInputError } from '../errors.ts';
import { causeText, MAY_HAVE_APPLIED } from './message.ts';
import { encodeMultipart, filePaths, readHead, StreamPage } from './multipart.ts';
import { quote } from './validate.ts';
import { upload } from './http-upload.ts';
import { dispatch, type GlobalDispatcher } from './undici-send.ts';
import type { Send, WireRequest } from './wire.ts';

export { driftHook } from '../drift/hook.ts';

/**
 * How an attempt is called off (the caller's signal or the attempt's timeout) without an
 * AbortController per request (an EventTarget, which costs more than the rest of a small call):
 * undici's dispatcher registers its abort function; a Fetch sender reads `signal`, made on first
 * use. Browsers, which always send with fetch, get AbortSignal's own (./platform.browser.ts).
 */
export class Cancel {
  declare reason: unknown;
  #callbacks: Array<(reason: unknown) => void> | undefined = [];
  #controller: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout>;
  #caller: AbortSignal | undefined;
  #onAbort: (() => void) | undefined;

  constructor(caller: AbortSignal | undefined, timeoutMs: number) {
    this.#timer = setTimeout(() => this.fire(undefined), timeoutMs);
    if (!caller) return;
    this.#caller = caller;
    this.#onAbort = () => this.fire(caller.reason);
    if (caller.aborted) this.#onAbort();
    else caller.addEventListener('abort', this.#onAbort);
  }

  get fired(): boolean {
    return !this.#callbacks;
  }

  onCancel(callback: (reason: unknown) => void): void {
    if (this.#callbacks) this.#callbacks.push(callback);
    else callback(this.reason);
  }

  fire(reason: unknown): void {
    const callbacks = this.#callbacks;
    if (!callbacks) return;
    this.#callbacks = undefined;
    this.reason = reason;
    this.#controller?.abort(reason);
    for (const callback of callbacks) callback(reason);
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.fired) this.#controller.abort(this.reason);
    }
    return this.#controller.signal;
  }

  /**
   * The send's answer, or a rejection once the attempt is called off: a custom fetch may ignore
   * its signal (the abandoned send settles a promise already settled, so never unhandled).
   */
  race<T>(sending: Promise<T>): Promise<T> {
    return new Promise((resolve, reject) => {
      this.onCancel(reject);
      sending.then(resolve, reject);
    });
  }

  end(): void {
    clearTimeout(this.#timer);
    if (this.#onAbort) this.#caller!.removeEventListener('abort', this.#onAbort);
  }
}

let undici: Promise<GlobalDispatcher | undefined> | undefined;
/** Set once undici has loaded, so later calls do not wait a turn for the import. */
let loaded: GlobalDispatcher | undefined;

/** undici's getGlobalDispatcher() when undici can be loaded, else undefined. */
function loadUndici(): Promise<GlobalDispatcher | undefined> {
  // A computed specifier keeps bundlers from trying to include undici.
  const specifier = 'undici';
  undici ??= import(specifier).then(
    (module: { getGlobalDispatcher?: GlobalDispatcher }) => (loaded = module.getGlobalDispatcher),
    () => undefined,
  );
  return undici;
}

/** Errors of attempts that had read a stream page past its head: that attempt cannot be re-sent. */
const streamed = new WeakSet<object>();

const streamPages = (body: unknown): StreamPage[] =>
  body instanceof FormData ? [...body.values()].filter((value): value is StreamPage => value instanceof StreamPage) : [];

/**
 * In Node: undici's dispatcher (./undici-send.ts), several times faster than fetch for small JSON
 * calls. A multipart upload is encoded chunk by chunk (./multipart.ts), with a Content-Length when
 * every part's size is known, else chunked, and goes out through ./http-upload.ts. Everything goes
 * through `fallback` if undici cannot be loaded. Neither follows a redirect: the transport refuses 3xx.
 */
export function nativeSender(fallback: Send): Send | undefined {
  const runtime = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (typeof runtime?.versions?.node !== 'string') return undefined;
  return async (request: WireRequest) => {
    const globalDispatcher = loaded ?? (await loadUndici());
    if (!globalDispatcher) return fallback(request);
    const form = request.body;
    if (!(form instanceof FormData)) return dispatch(globalDispatcher, request);
    try {
      const encoded = encodeMultipart(form);
      const headers: Record<string, string> = { ...request.headers, 'content-type': encoded.contentType };
      if (encoded.length !== undefined) headers['content-length'] = String(encoded.length);
      return await upload(globalDispatcher, { ...request, headers }, encoded.body);
    } catch (error) {
      if (error && typeof error === 'object' && streamPages(form).some((page) => page.started)) streamed.add(error);
      throw error;
    }
  };
}

const STREAM_HEAD_BYTES = 18;
/** The heads of stream pages whose rest is still unread, for pageFile(). */
const streamRests = new WeakMap<Blob, { head: Uint8Array[]; rest: ReadableStreamDefaultReader<Uint8Array> }>();

/**
 * A stream page's head as a Blob: enough bytes to sniff its type (or the whole stream, if
 * shorter). The rest stays in the stream until the upload sends it.
 */
export async function readStream(field: string, stream: ReadableStream<Uint8Array>): Promise<Blob> {
  const { head, rest } = await readHead(field, stream, STREAM_HEAD_BYTES);
  const blob = new Blob(head as Uint8Array<ArrayBuffer>[]);
  if (rest) streamRests.set(blob, { head, rest });
  return blob;
}

/** The page as a File typed by its content; slice() re-types the Blob without copying its bytes. */
export function pageFile(blob: Blob, name: string, type: string): File {
  const stream = streamRests.get(blob);
  if (stream) return new StreamPage(stream.head, stream.rest, name, type);
  const file = new File([blob.slice(0, blob.size, type)], name, { type });
  const path = filePaths.get(blob);
  if (path !== undefined) filePaths.set(file, path);
  return file;
}

/** A file path as a Blob backed by the file, so a large document is never copied into memory. */
export async function openFileAsBlob(field: string, path: string): Promise<Blob> {
  // A computed specifier keeps bundlers from trying to resolve node:fs.
  const fsModule = 'node:fs';
  let fs: { openAsBlob?: (path: string) => Promise<Blob> };
  try {
    fs = (await import(fsModule)) as typeof fs;
  } catch {
    throw new InvalidInputError(field, 'file paths work only in Node.js; pass a Blob, File or bytes instead');
  }
  try {
    const blob = await fs.openAsBlob!(path);
    // Opening succeeds for a directory; reading a byte makes every unreadable path fail here.
    await blob.slice(0, 1).arrayBuffer();
    filePaths.set(blob, path);
    return blob;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason =
      code === 'ENOENT' || code === 'ERR_INVALID_ARG_VALUE' ? 'no such file' : typeof code === 'string' ? code : 'not a readable file';
    throw new InvalidInputError(field, unreadable(path, reason));
  }
}

/**
 * Reads a byte of every file in a multipart body. A file-backed Blob fails to read once its file
 * changed, moved or was deleted after upload() prepared it: found here, before anything is sent
 * (or after a failed send, to tell it from a broken connection), as bad input naming the page.
 */
export async function checkBody(body: unknown): Promise<void> {
  if (!(body instanceof FormData)) return;
  const counts = new Map<string, number>();
  for (const [name, value] of body) {
    const index = counts.get(name) ?? 0;
    counts.set(name, index + 1);
    if (typeof value === 'string') continue;
    // A stream that failed (or was asked for a second time) while sending: the page's fault.
    if (value instanceof StreamPage && value.failure) {
      const problem = value.resent
        ? 'is a stream, already sent once, so it cannot be sent again (the upload was interrupted or had to be repeated); pass a Blob, bytes or a file path to allow that'
        : 'is a stream that failed or gave non-bytes while it was being sent; nothing more of it was sent';
      throw new InvalidInputError(`${name}[${index}]`, problem, value.failure);
    }
    try {
      await value.slice(0, 1).arrayBuffer();
    } catch (error) {
      const problem = 'could not be read when sending: its file changed, moved or was deleted after upload() was called; upload it again';
      throw new InvalidInputError(`${name}[${index}]`, problem, error as Error);
    }
  }
}

const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/** The socket error code, up to 4 causes deep, proving a request never left (refused, no such host). */
function neverSentCode(cause: unknown): string | undefined {
  for (let depth = 0; cause && depth < 4; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && NEVER_SENT_CODES.has(code)) return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True when the error proves the request never reached a server. */
export function neverSent(error: unknown): boolean {
  // An attempt that read a stream page past its head cannot be repeated whatever its error says.
  return error instanceof ConnectionError && !streamed.has(error.cause as object) && neverSentCode(error.cause) !== undefined;
}

/**
 * What a ConnectionError for a request to `url` says: the host (and port, unless the default) it
 * could not reach, or lost the connection to, and the socket error code.
 */
export function connectionProblem(cause: unknown, url: string): string {
  const host = new URL(url).host;
  const code = neverSentCode(cause);
  return code
    ? `could not reach ${host} (${code}): nothing was sent. Check the network and the base URL`
    : `the connection to ${host} broke (${causeText(cause)}). ${MAY_HAVE_APPLIED}`;
}

/**
 * Why a page string could not be read. A data: URL or base64 text is a whole document, not a
 * path: named by what it looks like, none of it quoted. A path is quoted whole up to a length
 * real ones stay under; anything longer (a document passed as text?) only by its start.
 */
function unreadable(path: string, reason: string): string {
  const kind = /^data:/i.test(path)
    ? 'a data: URL'
    : path.length > 40 && /^[A-Za-z0-9+/_-]+=*$/.test(path.replace(/\s+/g, ''))
      ? 'a long base64-like string'
      : undefined;
  return kind
    ? `is ${kind} (${path.length} characters), not a readable file path (${reason}): pass the decoded bytes (Uint8Array/Buffer) or a Blob instead`
    : `cannot read file ${path.length > 200 ? quote(path) : JSON.stringify(path)} (${reason})`;
}

/**
 * Retry-After's other form, an HTTP date, as epoch milliseconds. Amani's throttling (DRF) sends
 * delta-seconds; a date comes only from a gateway in front of it, so browser bundles leave this out
 * (platform.browser.ts) and fall back to the backoff.
 */
export function parseHttpDate(value: string): number | undefined {
  // Date.parse accepts junk such as "-1" or "soon 2"; every HTTP date form starts with a day name.
  if (!/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /i.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date;
}
httpDate.parse = parseHttpDate;
