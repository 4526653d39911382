// The few byte and Web Crypto primitives the webhook module needs. Everything here uses only
// globals every target runtime has (crypto.subtle, TextEncoder, TextDecoder), never `node:`:
// src/webhooks/index.ts must run unchanged in Node 20+, Deno, Bun, edge runtimes and browsers.

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** HMAC-SHA256 digests are 32 bytes: 44 characters of padded standard Base64. */
const SIGNATURE_LENGTH = 44;
// 43 data characters carry 258 bits, 2 more than 32 bytes; in the canonical encoding those 2
// bits are zero, so the last data character is one of the 16 below. Accepting only the canonical
// form keeps the mapping string -> bytes one-to-one: any change to a valid signature string
// changes the decoded bytes (and so fails), instead of decoding to the same digest.
const SIGNATURE_PATTERN = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

const encoder = new TextEncoder();

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8 decoding: invalid bytes throw instead of becoming U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string {
  return strictDecoder.decode(bytes);
}

/**
 * A private copy of any byte view. Verification is asynchronous: hashing a copy guarantees the
 * bytes that verified are the bytes that get parsed, even if the caller reuses its buffer.
 */
export function copyBytes(view: ArrayBuffer | ArrayBufferView): Uint8Array<ArrayBuffer> {
  const source = ArrayBuffer.isView(view)
    ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
    : new Uint8Array(view);
  const copy = new Uint8Array(source.byteLength);
  copy.set(source);
  return copy;
}

export function concatBytes(chunks: readonly Uint8Array[], total: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += BASE64_ALPHABET[a >> 2]!;
    out += BASE64_ALPHABET[((a & 0x03) << 4) | ((b ?? 0) >> 4)]!;
    out += b === undefined ? '=' : BASE64_ALPHABET[((b & 0x0f) << 2) | ((c ?? 0) >> 6)]!;
    out += c === undefined ? '=' : BASE64_ALPHABET[c & 0x3f]!;
  }
  return out;
}

/** The 32 digest bytes of a canonical padded standard-Base64 signature, or undefined. */
export function decodeSignature(text: string): Uint8Array<ArrayBuffer> | undefined {
  // Length first: a huge hostile header is rejected without running a regex over it.
  if (text.length !== SIGNATURE_LENGTH || !SIGNATURE_PATTERN.test(text)) return undefined;
  // The pattern admits only canonical Base64, so the platform decoder cannot disagree with it.
  const binary = atob(text);
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = binary.charCodeAt(i);
  return out;
}

interface NodeCryptoSubset {
  createHmac(algorithm: 'sha256', key: string): { update(data: Uint8Array): { digest(): Uint8Array } };
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

/**
 * Node's own crypto, when the runtime hands it out without an import (process.getBuiltinModule,
 * Node 20.16+). Its synchronous HMAC is several times faster than Web Crypto's asynchronous jobs
 * for webhook-sized bodies; every other runtime uses Web Crypto. Feature-detected, never imported,
 * so this module still loads everywhere, and looked up on the first verification: loading
 * node:crypto takes several milliseconds, which every import of the package would pay.
 */
let nodeCrypto: NodeCryptoSubset | null | undefined;

function nodeHmac(): NodeCryptoSubset | null {
  if (nodeCrypto !== undefined) return nodeCrypto;
  try {
    const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const module = runtime?.getBuiltinModule?.('node:crypto') as Partial<NodeCryptoSubset> | undefined;
    nodeCrypto = typeof module?.createHmac === 'function' && typeof module.timingSafeEqual === 'function' ? (module as NodeCryptoSubset) : null;
  } catch {
    nodeCrypto = null;
  }
  return nodeCrypto;
}

/** Whether verifyHmacSync answers (Node); elsewhere verification goes through Web Crypto. */
export const hasSyncHmac = (): boolean => nodeHmac() !== null;

/**
 * Constant-time check that `digest` is HMAC-SHA256(secret, message), synchronously; undefined
 * where Node's crypto is not available. Both sides are 32 bytes, so timingSafeEqual cannot throw.
 */
export function verifyHmacSync(secret: string, digest: Uint8Array, message: Uint8Array): boolean | undefined {
  const node = nodeHmac();
  if (!node) return undefined;
  return node.timingSafeEqual(node.createHmac('sha256', secret).update(message).digest(), digest);
}

// Importing a key costs about as much as verifying a small delivery, and a receiver uses the same
// one or two secrets for every delivery: keep the last few keys. Only non-extractable CryptoKeys
// are held, in a module-private map no object exposes.
const KEY_CACHE_SIZE = 8;
const keyCache = new Map<string, Promise<CryptoKey>>();

/** Web Crypto HMAC-SHA256 key for a webhook secret (the secret's UTF-8 bytes, as Amani keys it). */
export function importHmacKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', utf8(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    key.catch(() => keyCache.delete(secret));
    if (keyCache.size >= KEY_CACHE_SIZE) keyCache.delete(keyCache.keys().next().value!);
    keyCache.set(secret, key);
  }
  return key;
}

export async function hmacSha256Base64(secret: string, message: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.sign('HMAC', await importHmacKey(secret), message);
  return encodeBase64(new Uint8Array(digest));
}

export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
