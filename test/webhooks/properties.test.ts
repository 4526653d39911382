// Property-based tests: whatever fast-check generates, a change to a signed delivery is refused,
// and the verifier either returns exactly the signed event or throws a WebhookSignatureError.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WebhookEventNameValues } from '../../generated/constants.ts';
import {
  signWebhook,
  verifyWebhook,
  WebhookSignatureError,
  type VerifyWebhookOptions,
  type WebhookEvent,
} from '../../src/webhooks/index.ts';
import { anyText, hmacBase64, SECRET } from './helpers.ts';

const payload = fc.record({
  event: fc.constantFrom(...WebhookEventNameValues),
  timestamp: fc.integer({ min: 0, max: 2 ** 40 }),
  profile: fc.record({ id: fc.uuid(), name: anyText(24), verified_level: fc.oneof(fc.constant(null), fc.nat(5)) }),
  status: anyText(),
  extra: fc.jsonValue({ maxDepth: 3 }),
}) as fc.Arbitrary<unknown> as fc.Arbitrary<WebhookEvent>;

/** Resolves to the event, or to the WebhookSignatureError; anything else thrown fails the test. */
async function outcome(options: unknown): Promise<{ event?: unknown; error?: WebhookSignatureError }> {
  try {
    return { event: await verifyWebhook(options as VerifyWebhookOptions) };
  } catch (error) {
    if (!(error instanceof WebhookSignatureError)) throw new Error(`threw ${String(error)}, not a WebhookSignatureError`);
    return { error };
  }
}

describe('webhook properties', () => {
  it('round trip: a signed event verifies to itself, with the signature node:crypto computes', async () => {
    await fc.assert(
      fc.asyncProperty(payload, async (event) => {
        const signed = await signWebhook(event, SECRET);
        expect(signed.headers['Webhook-Signature']).toBe(hmacBase64(SECRET, signed.body));
        expect(await verifyWebhook({ body: signed.body, headers: signed.headers, secret: SECRET })).toEqual(JSON.parse(signed.body));
        expect(await verifyWebhook({ body: JSON.parse(signed.body), headers: signed.headers, secret: SECRET })).toEqual(
          JSON.parse(signed.body),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('any change to the body is refused as a mismatch', async () => {
    const change = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
    );
    await fc.assert(
      fc.asyncProperty(payload, change, async (event, c) => {
        const signed = await signWebhook(event, SECRET);
        const bytes = [...Buffer.from(signed.body)];
        if (c.kind === 'flip') bytes[c.at % bytes.length]! ^= 1 << c.bit;
        if (c.kind === 'insert') bytes.splice(c.at % (bytes.length + 1), 0, c.byte);
        if (c.kind === 'delete') bytes.splice(c.at % bytes.length, 1);
        if (c.kind === 'append') bytes.push(...c.bytes);
        const result = await outcome({ body: new Uint8Array(bytes), headers: signed.headers, secret: SECRET });
        expect(result.error?.reason).toBe('mismatch');
      }),
      { numRuns: 200 },
    );
  });

  it('any change to the signature is refused', async () => {
    const anyChar = fc.oneof(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ '), anyText(1));
    const change = fc.oneof(
      fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), char: anyChar }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), char: anyChar }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('case' as const), at: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(payload, change, async (event, c) => {
        const signed = await signWebhook(event, SECRET);
        const original = signed.headers['Webhook-Signature'];
        const chars = [...original];
        const at = c.at % chars.length;
        if (c.kind === 'replace') chars[at] = c.char;
        if (c.kind === 'insert') chars.splice(at, 0, c.char);
        if (c.kind === 'delete') chars.splice(at, 1);
        if (c.kind === 'case') chars[at] = chars[at] === chars[at]!.toLowerCase() ? chars[at]!.toUpperCase() : chars[at]!.toLowerCase();
        const changed = chars.join('');
        fc.pre(changed !== original);
        const result = await outcome({ body: signed.body, signature: changed, secret: SECRET });
        expect(['mismatch', 'malformed_signature']).toContain(result.error?.reason);
      }),
      { numRuns: 300 },
    );
  });

  it('hostile options: only a WebhookSignatureError, or the signed event when every part is right', async () => {
    const body = JSON.stringify({ event: 'profile_update', profile: { id: 'p1' } });
    const signature = hmacBase64(SECRET, body);
    const junk = fc.anything({ withBoxedValues: true, withMap: true, withTypedArray: true });
    const maybe = <T>(right: fc.Arbitrary<T>) => fc.oneof(right, junk);
    const options = fc.oneof(
      fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }),
      fc.record(
        {
          body: maybe(fc.constantFrom(body, Buffer.from(body), JSON.parse(body))),
          signature: maybe(fc.constantFrom(signature, null, '', signature.toLowerCase())),
          headers: maybe(fc.constantFrom(new Headers({ 'Webhook-Signature': signature }), { 'webhook-signature': [signature] })),
          secret: maybe(fc.constantFrom(SECRET, '')),
          secrets: maybe(fc.constantFrom([SECRET], ['other', SECRET], [])),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(options, async (o) => {
        const result = await outcome(o);
        if (!result.error) expect(result.event).toEqual(JSON.parse(body));
      }),
      { numRuns: 400 },
    );
  });

  it('signed arbitrary bodies: the verifier returns exactly the parsed known event, or refuses it as invalid_body', async () => {
    const eventLike = fc
      .record({
        event: fc.oneof(fc.constantFrom(...WebhookEventNameValues), anyText(), fc.jsonValue()),
        rest: fc.jsonValue({ maxDepth: 2 }),
      })
      .map((o) => JSON.stringify(o));
    const body = fc.oneof(anyText(200), fc.json({ maxDepth: 3 }), eventLike, fc.uint8Array({ maxLength: 200 }));
    await fc.assert(
      fc.asyncProperty(body, async (raw) => {
        const result = await outcome({ body: raw, signature: hmacBase64(SECRET, raw), secret: SECRET });
        if (result.error) {
          expect(result.error.reason).toBe('invalid_body');
          return;
        }
        const text = typeof raw === 'string' ? raw : new TextDecoder('utf-8', { fatal: true }).decode(raw);
        expect(result.event).toEqual(JSON.parse(text));
        expect(WebhookEventNameValues).toContain((result.event as { event: string }).event);
      }),
      { numRuns: 300 },
    );
  });
});
