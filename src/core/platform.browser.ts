// The browser build's stand-in for ./platform.ts: browsers send through fetch and have no files.
import { InvalidInputError } from '../errors.ts';
import type { Send } from './wire.ts';

export function nativeSender(_fallback: Send): Send | undefined {
  return undefined;
}

export async function openFileAsBlob(field: string, _path: string): Promise<Blob> {
  throw new InvalidInputError(field, 'file paths work only in Node.js; pass a Blob, File or bytes instead');
}
