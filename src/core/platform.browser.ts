// The browser build's stand-in for ./platform.ts: browsers send through fetch, have no files and
// report no socket error codes.
import { InvalidInputError } from '../errors.ts';
import type { Send } from './wire.ts';

/** An attempt's cancel (see ./platform.ts), from AbortSignal's own timeout: fetch takes a signal anyway. */
export class Cancel {
  declare readonly signal: AbortSignal;
  declare readonly timeout: AbortSignal;
  constructor(caller: AbortSignal | undefined, timeoutMs: number) {
    this.timeout = AbortSignal.timeout(timeoutMs);
    this.signal = caller ? AbortSignal.any([caller, this.timeout]) : this.timeout;
  }
  get fired(): boolean {
    return this.timeout.aborted;
  }
  race<T>(sending: Promise<T>): Promise<T> {
    const signal = this.signal;
    return new Promise((resolve, reject) => {
      signal.aborted ? reject() : signal.addEventListener('abort', reject);
      sending.then(resolve, reject);
    });
  }
  end(): void {}
}

export function nativeSender(_fallback: Send): Send | undefined {
  return undefined;
}

export async function openFileAsBlob(field: string, _path: string): Promise<Blob> {
  throw new InvalidInputError(field, 'file paths work only in Node.js; pass a Blob, File or bytes instead');
}

/** A stream page, collected: the browser's fetch sends a FormData of Blobs (Node streams it, see ./platform.ts). */
export async function readStream(field: string, stream: ReadableStream<Uint8Array>): Promise<Blob> {
  try {
    return await new Response(stream).blob();
  } catch (error) {
    throw new InvalidInputError(field, 'is a stream that failed, was locked or gave non-bytes', error as Error);
  }
}

/** The page as a File typed by its content; slice() re-types the Blob without copying its bytes. */
export const pageFile = (blob: Blob, name: string, type: string): File => new File([blob.slice(0, blob.size, type)], name, { type });

/** Node checks multipart files before sending (see ./platform.ts); kept out of browser bundles. */
export function checkBody(_body: unknown): Promise<void> | void {}

/** onDrift needs the spec and a validator, which only Node loads (see ../drift/hook.ts): in a
 * browser the option is ignored (documented), as a warning would weigh on every browser bundle. */
export const driftHook = (_options: { onDrift?: unknown }, _warn: (message: string) => void): undefined => undefined;

/** A browser's fetch failure carries no error code that could prove nothing was sent. */
export function neverSent(_error: unknown): boolean {
  return false;
}

/** So a ConnectionError in a browser always says the connection to Amani broke (see ./platform.ts). */
export function connectionProblem(_cause: unknown, _url: string): string | undefined {
  return undefined;
}

/** Retry-After as an HTTP date: left to Node (see ./platform.ts); a browser uses the backoff. */
export const parseHttpDate = (_value: string): number | undefined => undefined;
