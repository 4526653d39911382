import { describe, expect, it } from 'vitest';
import { verifyWebhook, webhookDeliveryKey, WebhookSignatureError, type VerifyWebhookOptions } from '../../src/webhooks/index.ts';
import { hmacBase64, SECRET, sha256Hex, STATUS_CHANGE_BODY, statusChange } from './helpers.ts';

const body = STATUS_CHANGE_BODY;
const signature = hmacBase64(SECRET, body);
const event = JSON.parse(body);

async function failure(options: unknown): Promise<WebhookSignatureError> {
  const error = await verifyWebhook(options as VerifyWebhookOptions).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookSignatureError);
  return error as WebhookSignatureError;
}

describe('verifyWebhook: where the signature comes from', () => {
  it.each([
    ['the signature option', { signature }],
    ['a fetch Headers', { headers: new Headers({ 'Webhook-Signature': signature }) }],
    ["Node's req.headers (lowercase)", { headers: { 'webhook-signature': signature, 'content-type': 'application/json' } }],
    ['a record in any case', { headers: { 'WEBHOOK-Signature': signature } }],
    ['a one-value array', { headers: { 'webhook-signature': [signature] } }],
  ])('%s', async (_, source) => {
    expect(await verifyWebhook({ body, secret: SECRET, ...source } as VerifyWebhookOptions)).toEqual(event);
  });

  it.each([
    ['no signature', {}],
    ['signature null (Headers.get found none)', { signature: null }],
    ['an empty signature', { signature: '' }],
    ['headers without it', { headers: new Headers({ 'Content-Type': 'application/json' }) }],
    ['headers that are not headers', { headers: 42 }],
    ['headers whose get throws', { headers: { get: () => { throw new Error('boom'); } } }],
  ])('%s: missing_signature', async (_, source) => {
    expect((await failure({ body, secret: SECRET, ...source })).reason).toBe('missing_signature');
  });

  const lastDataCharChanged = `${signature.slice(0, 42)}${signature[42] === 'B' ? 'C' : 'B'}=`;
  it.each([
    ['too short', signature.slice(0, 43)],
    ['too long', `${signature}=`],
    ['unpadded', signature.replace('=', '')],
    ['base64url alphabet', signature.replace(/[+/]/g, '-').replace(/^[^-]/, '_')],
    ['surrounding space', ` ${signature.slice(1)}`],
    ['non-canonical last character (same digest bytes otherwise)', lastDataCharChanged],
    ['hex instead of Base64', 'a'.repeat(64)],
    ['a huge header', 'A'.repeat(1_000_000)],
    ['not a string', 12345],
  ])('%s: malformed_signature', async (_, bad) => {
    expect((await failure({ body, secret: SECRET, signature: bad })).reason).toBe('malformed_signature');
  });

  it('refuses two Webhook-Signature headers', async () => {
    const error = await failure({ body, secret: SECRET, headers: { 'webhook-signature': [signature, signature] } });
    expect(error.reason).toBe('malformed_signature');
    // Headers.get joins repeated values with ", ", which is never a valid signature.
    const headers = new Headers();
    headers.append('Webhook-Signature', signature);
    headers.append('Webhook-Signature', signature);
    expect((await failure({ body, secret: SECRET, headers })).reason).toBe('malformed_signature');
  });
});

describe('verifyWebhook: secrets', () => {
  it.each([
    ['none', {}],
    ['an empty secret', { secret: '' }],
    ['a non-string secret', { secret: 42 }],
    ['an empty list', { secrets: [] }],
    ['a string as the list', { secrets: SECRET }],
    ['a list with an empty entry', { secrets: [SECRET, ''] }],
  ])('%s: missing_secret, even before looking at the signature', async (_, secrets) => {
    expect((await failure({ body, signature: 'junk', ...secrets })).reason).toBe('missing_secret');
  });

  it('tries every configured secret', async () => {
    expect(await verifyWebhook({ body, signature, secrets: ['old-secret', SECRET] })).toEqual(event);
    expect((await failure({ body, signature, secrets: ['a', 'b'] })).reason).toBe('mismatch');
  });

  it('never puts a secret in an error message', async () => {
    const error = await failure({ body, signature: hmacBase64('other', body), secrets: [SECRET, 'second-secret'] });
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain('second-secret');
    expect(error.message).toContain('any of the 2 secrets');
  });
});

describe('verifyWebhook: bodies', () => {
  const bytes = new TextEncoder().encode(body);
  it.each([
    ['a Uint8Array', bytes],
    ['a Buffer', Buffer.from(body)],
    ['an ArrayBuffer', bytes.slice().buffer],
    ['a view into a larger buffer', new Uint8Array([1, 2, ...bytes, 3]).subarray(2, 2 + bytes.length)],
    ['a DataView', new DataView(new Uint8Array([9, ...bytes]).buffer, 1)],
  ])('accepts %s', async (_, raw) => {
    expect(await verifyWebhook({ body: raw, signature, secret: SECRET })).toEqual(event);
  });

  it('verifies and returns the bytes as they were when called, even if the caller reuses its buffer', async () => {
    const buffer = Buffer.from(body);
    const pending = verifyWebhook({ body: buffer, signature, secret: SECRET });
    buffer.fill(0x20);
    expect(await pending).toEqual(event);
  });

  it('returns a fresh parse of the verified bytes, not the object it was given', async () => {
    const parsed = JSON.parse(body);
    const result = await verifyWebhook({ body: parsed, signature, secret: SECRET });
    expect(result).toEqual(parsed);
    expect(result).not.toBe(parsed);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['a boolean', true],
    ['a Date', new Date(0)],
    ['a Blob', new Blob([body])],
    ['a cyclic object', (() => { const o: Record<string, unknown> = {}; o.o = o; return o; })()],
  ])('refuses %s as invalid_body', async (_, bad) => {
    const error = await failure({ body: bad, signature, secret: SECRET });
    expect(error.reason).toBe('invalid_body');
    expect(error.message).toMatch(/raw body/);
  });

  it('refuses a signed body that is not UTF-8 JSON as invalid_body, after verifying it', async () => {
    for (const raw of ['', 'not json', new Uint8Array([0xff, 0xfe, 0x7b, 0x7d])]) {
      const error = await failure({ body: raw, signature: hmacBase64(SECRET, raw), secret: SECRET });
      expect(error.reason).toBe('invalid_body');
    }
    // Unsigned, the same bodies are a mismatch: nothing is parsed before verification.
    expect((await failure({ body: 'not json', signature, secret: SECRET })).reason).toBe('mismatch');
  });

  it('refuses hostile option objects with a WebhookSignatureError', async () => {
    const throwing = new Proxy({}, { ownKeys: () => { throw new Error('boom'); } });
    for (const options of [undefined, null, 'string', throwing, { get body() { throw new Error('boom'); } }]) {
      await failure(options);
    }
  });
});

describe('webhookDeliveryKey', () => {
  it('STATUS_CHANGE_BODY is statusChange() as JSON', () => {
    expect(JSON.parse(body)).toEqual(statusChange());
  });

  it('is the SHA-256 hex of the signed bytes, the same for the raw and the parsed body', async () => {
    expect(await webhookDeliveryKey(body)).toBe(sha256Hex(body));
    expect(await webhookDeliveryKey(Buffer.from(body))).toBe(sha256Hex(body));
    expect(await webhookDeliveryKey(JSON.parse(body))).toBe(sha256Hex(body));
  });
});
