// Verifies an Amani webhook delivery. Threat model: anyone can POST to a webhook URL, so a
// delivery is trusted only if its Webhook-Signature is the HMAC-SHA256, under the endpoint secret,
// of exactly the bytes we then parse. Hence:
// - nothing is parsed or acted on before the signature matches, and what is returned is parsed
//   from the very bytes that were verified (a private copy), never from the caller's object;
// - the comparison is crypto.subtle.verify, which the platform does in constant time, on digests
//   of fixed length: the signature is decoded strictly to 32 bytes first, so timing reveals
//   nothing about how much of a forged signature was right, and no length mismatch can throw;
// - every failure is a WebhookSignatureError with a reason, whatever the input (wrong types,
//   empty, huge, hostile getters), so callers can map it to a 400 without a catch-all.
// Not covered (no scheme field for it): replay of a genuine delivery, which looks exactly like one
// of Amani's retries. Deduplicate on webhookDeliveryKey and keep the endpoint on HTTPS.
import { WebhookSignatureError, type WebhookSignatureFailure } from '../errors.ts';
import { copyBytes, decodeSignature, decodeUtf8, hasSyncHmac, importHmacKey, sha256Hex, utf8, verifyHmacSync } from './crypto.ts';
import { toWebhookEvent, type WebhookEvent } from './events.ts';
import { pythonJsonDumps } from './python-json.ts';

/** The endpoint secret, or several during a rotation (a signature by any of them is accepted). */
export type WebhookSecretOptions =
  | { secret: string; secrets?: undefined }
  | { secrets: readonly string[]; secret?: undefined };

/** A fetch `Headers`, or a record of header values such as Node's `req.headers`. */
export type WebhookHeaders =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** The Webhook-Signature value itself, or the headers to read it from. */
export type WebhookSignatureSource =
  | { signature: string | null | undefined; headers?: undefined }
  | { headers: WebhookHeaders; signature?: undefined };

/** The body exactly as received: hashed as is. Preferred. */
export type RawWebhookBody = string | Uint8Array | ArrayBuffer | ArrayBufferView;
/**
 * A body a framework already parsed: re-serialized as Python's json.dumps would write it. Fails
 * for genuine deliveries holding whole-valued floats (`1.0`) or integer-like keys out of order;
 * see python-json.ts.
 */
export type ParsedWebhookBody = Readonly<Record<string, unknown>>;
export type WebhookBody = RawWebhookBody | ParsedWebhookBody;

export type VerifyWebhookOptions = { body: WebhookBody } & WebhookSignatureSource & WebhookSecretOptions;

const HEADER = 'webhook-signature';

/**
 * The typed event of a delivery whose `Webhook-Signature` matches its body under the secret (or
 * one of the secrets). Throws WebhookSignatureError with reason `missing_secret`,
 * `missing_signature`, `malformed_signature`, `mismatch`, or `invalid_body` (a body of the wrong
 * type, or one that verified but is not a known event) and never anything else.
 *
 * @returns The delivery's event, typed by its `event` name (a `switch` on it narrows the type).
 * @throws {@link WebhookSignatureError} (as a rejected promise) when the delivery must be refused:
 *   answer 400 without saying why, as {@link webhookErrorResponse} does.
 */
export function verifyWebhook(options: VerifyWebhookOptions): Promise<WebhookEvent> {
  try {
    // Where HMAC is synchronous (Node) the whole check runs without a single await.
    if (hasSyncHmac()) return Promise.resolve(verifySync(options).event);
  } catch (error) {
    return Promise.reject(error);
  }
  return verifyWebhookMessage(options).then((verified) => verified.event);
}

/**
 * A key identifying the delivery's content, for deduplicating retried deliveries: the SHA-256
 * (lowercase hex) of the signed bytes. Not the signature, because that changes with the secret:
 * a retry signed after a rotation, or the same event sent to two endpoints, would look new. Equal
 * for the raw body and for its parsed form whenever the parsed form verifies.
 *
 * @returns 64 lowercase hex digits.
 * @throws {@link WebhookSignatureError} with reason `invalid_body` when `body` is neither the raw
 *   body (text or bytes) nor a parsed JSON object.
 */
export async function webhookDeliveryKey(body: WebhookBody): Promise<string> {
  return sha256Hex(signedBytes(body));
}

interface Verification {
  secrets: string[];
  digest: Uint8Array<ArrayBuffer>;
  message: Uint8Array<ArrayBuffer>;
}

/** Reads and checks every input; throws WebhookSignatureError for anything unusable. */
function prepare(options: VerifyWebhookOptions, copy: boolean): Verification {
  const input = guard('invalid_body', 'verifyWebhook expects { body, signature | headers, secret | secrets }', () =>
    typeof options === 'object' && options !== null ? { ...options } : ({} as Partial<VerifyWebhookOptions>),
  );
  const secrets = readSecrets(input.secret, input.secrets);
  const digest = decodeSignature(readSignature(input));
  if (!digest) {
    throw new WebhookSignatureError(
      'malformed_signature',
      'Webhook-Signature is not the padded standard Base64 of a 32-byte HMAC-SHA256 digest',
    );
  }
  return { secrets, digest, message: signedBytes(input.body, copy) };
}

function mismatch(secrets: readonly string[]): WebhookSignatureError {
  return new WebhookSignatureError(
    'mismatch',
    `Webhook-Signature does not match the body under ${describeSecrets(secrets)}. ` +
      'Check the endpoint secret, and pass the body exactly as received: parsing and re-serializing, or ' +
      're-encoding the text, changes the bytes',
  );
}

function parseVerified(message: Uint8Array<ArrayBuffer>): WebhookEvent {
  const payload = guard('invalid_body', 'The webhook body verified but is not UTF-8 JSON', () => JSON.parse(decodeUtf8(message)));
  return toWebhookEvent(payload);
}

/**
 * The synchronous path (Node's HMAC): nothing runs between hashing and parsing, so the caller's
 * bytes are used as they are, without a copy.
 */
function verifySync(options: VerifyWebhookOptions): { event: WebhookEvent; message: Uint8Array<ArrayBuffer> } {
  const { secrets, digest, message } = prepare(options, false);
  if (!secrets.some((secret) => verifyHmacSync(secret, digest, message))) throw mismatch(secrets);
  return { event: parseVerified(message), message };
}

/** verifyWebhook, also handing back the verified bytes (the receivers derive the delivery key). */
export async function verifyWebhookMessage(
  options: VerifyWebhookOptions,
): Promise<{ event: WebhookEvent; message: Uint8Array<ArrayBuffer> }> {
  if (hasSyncHmac()) return verifySync(options);
  // Web Crypto verifies across awaits: hash a private copy, so the bytes that verified are the
  // bytes that get parsed even if the caller reuses its buffer meanwhile.
  const { secrets, digest, message } = prepare(options, true);
  for (const secret of secrets) {
    if (await crypto.subtle.verify('HMAC', await importHmacKey(secret), digest, message)) {
      return { event: parseVerified(message), message };
    }
  }
  throw mismatch(secrets);
}

function describeSecrets(secrets: readonly string[]): string {
  return secrets.length === 1 ? 'the secret' : `any of the ${secrets.length} secrets`;
}

/** The secrets to try: every one a non-empty string, at least one. Also used by the receivers at setup. */
export function readSecrets(secret: unknown, secrets: unknown): string[] {
  const given = [
    ...(secret === undefined ? [] : [secret]),
    ...(secrets === undefined ? [] : arrayOfSecrets(secrets)),
  ];
  if (given.length === 0) {
    throw new WebhookSignatureError('missing_secret', 'No webhook secret given: pass `secret` (or `secrets` during a rotation)');
  }
  // An empty secret is refused, not tried: it is always a configuration slip (an unset environment
  // variable), and a key anyone can guess would make every forged delivery verify.
  if (!given.every((s): s is string => typeof s === 'string' && s.length > 0)) {
    throw new WebhookSignatureError('missing_secret', 'Every webhook secret must be a non-empty string; check the configuration');
  }
  return given;
}

function arrayOfSecrets(secrets: unknown): unknown[] {
  // Checked, not spread blindly: a string is iterable, and `secrets: 'abc'` must not become three
  // one-character secrets.
  const copy = guard('missing_secret', '`secrets` could not be read', () => (Array.isArray(secrets) ? [...secrets] : undefined));
  if (!copy || copy.length === 0) {
    throw new WebhookSignatureError('missing_secret', '`secrets` must be a non-empty array of the endpoint secrets');
  }
  return copy;
}

function readSignature(input: Partial<VerifyWebhookOptions>): string {
  const value: unknown = guard('missing_signature', 'Could not read the Webhook-Signature header', () =>
    input.signature !== undefined ? input.signature : signatureFromHeaders(input.headers),
  );
  if (value === undefined || value === null || value === '') {
    throw new WebhookSignatureError('missing_signature', 'The delivery has no Webhook-Signature header');
  }
  if (typeof value !== 'string') {
    throw new WebhookSignatureError('malformed_signature', 'Webhook-Signature must be a string');
  }
  return value;
}

function signatureFromHeaders(headers: unknown): unknown {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const get = (headers as { get?: unknown }).get;
  if (typeof get === 'function') return get.call(headers, HEADER);
  const values: unknown[] = [];
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() !== HEADER) continue;
    const value = (headers as Record<string, unknown>)[name];
    if (Array.isArray(value)) values.push(...value);
    else if (value !== undefined) values.push(value);
  }
  if (values.length > 1) {
    throw new WebhookSignatureError('malformed_signature', 'The delivery has several Webhook-Signature headers');
  }
  return values[0];
}

/** The bytes Amani signed: the raw body as is, or a parsed body re-serialized as json.dumps does. */
function signedBytes(body: unknown, copy = true): Uint8Array<ArrayBuffer> {
  if (typeof body === 'string') return utf8(body);
  if (typeof body !== 'object' || body === null) {
    throw new WebhookSignatureError(
      'invalid_body',
      `The webhook body is ${body === null ? 'null' : typeof body}: pass the raw body as received ` +
        '(string, Buffer, Uint8Array or ArrayBuffer)',
    );
  }
  return guard('invalid_body', 'The webhook body could not be read', () => {
    const tag = Object.prototype.toString.call(body);
    if (ArrayBuffer.isView(body) || tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') {
      if (copy) return copyBytes(body as ArrayBuffer | ArrayBufferView);
      const view = body as ArrayBuffer | ArrayBufferView;
      return (ArrayBuffer.isView(view) ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength) : new Uint8Array(view)) as Uint8Array<ArrayBuffer>;
    }
    try {
      return utf8(pythonJsonDumps(body));
    } catch (error) {
      throw new WebhookSignatureError(
        'invalid_body',
        `The webhook body is neither raw bytes nor parsed JSON data (${(error as Error).message}). Pass the raw body as ` +
          'received (string, Buffer, Uint8Array or ArrayBuffer)',
      );
    }
  });
}

/** Runs `read`; anything it throws other than a WebhookSignatureError becomes one with `reason`. */
function guard<T>(reason: WebhookSignatureFailure, message: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof WebhookSignatureError) throw error;
    throw new WebhookSignatureError(reason, message);
  }
}
