// The Node-only pieces of the client: sending through undici and reading a file path as a Blob.
// The package's browser build swaps this module for ./platform.browser.ts (tsup.config.ts), so
// browsers never download code they cannot run.
import { InvalidInputError } from '../errors.ts';
import { quote } from './validate.ts';
import type { HeaderReader, Send, WireRequest } from './wire.ts';

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

/** undici's request() when it can be loaded, else undefined. */
function loadUndici(): Promise<UndiciRequest | undefined> {
  // A computed specifier keeps bundlers from trying to include undici.
  const specifier = 'undici';
  undici ??= import(specifier).then(
    (module: { request?: UndiciRequest }) => module.request,
    () => undefined,
  );
  return undici;
}

/**
 * In Node: undici's request(), several times faster than fetch for small JSON calls; multipart
 * uploads (and everything, if undici cannot be loaded) go through `fallback`.
 */
export function nativeSender(fallback: Send): Send | undefined {
  const runtime = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (typeof runtime?.versions?.node !== 'string') return undefined;
  return async (request: WireRequest) => {
    // fetch sends a FormData of file-backed parts with a known length, and an upload's time is
    // in its bytes, not in per-request overhead.
    const send = request.body instanceof FormData ? undefined : await loadUndici();
    if (!send) return fallback(request);
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
    return blob;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason =
      code === 'ENOENT' || code === 'ERR_INVALID_ARG_VALUE' ? 'no such file' : typeof code === 'string' ? code : 'not a readable file';
    throw new InvalidInputError(field, unreadable(path, reason));
  }
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
