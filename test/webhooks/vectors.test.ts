// Vectors signed by python3 with json.dumps defaults (test/webhooks/vectors.py), as Amani signs.
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook, webhookDeliveryKey, WebhookSignatureError, type WebhookEvent } from '../../src/webhooks/index.ts';
import { pythonVectors, sha256Hex } from './helpers.ts';

const { secret, oldSecret, vectors } = pythonVectors();
const rejected = new Set(['unknown-event', 'not-an-object']);
const events = vectors.filter((v) => !rejected.has(v.name));
const exact = events.filter((v) => !v.caveat && v.name !== 'rotation-old-secret');

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookSignatureError);
  return (error as WebhookSignatureError).reason;
}

describe('python3 json.dumps vectors', () => {
  it('cover what they claim to', () => {
    expect(vectors.map((v) => v.name)).toEqual(
      expect.arrayContaining(['turkish', 'arabic', 'emoji', 'nested-empty-bool-null', 'escapes', 'lone-surrogates', 'floats']),
    );
    const all = vectors.map((v) => v.body).join('');
    // ensure_ascii: the bodies are pure ASCII, with lowercase \u escapes.
    expect(all).toMatch(/^[\x20-\x7e]*$/);
    expect(all).toContain('\\u015f');
    expect(all).toContain('\\ud83d\\ude00');
    expect(all).toContain('[]');
  });

  it.each(events.map((v) => [v.name, v] as const))('%s: the raw body verifies, as a string and as bytes', async (_, v) => {
    const secrets = [secret, oldSecret];
    const expected = JSON.parse(v.body);
    expect(await verifyWebhook({ body: v.body, signature: v.signature, secrets })).toEqual(expected);
    expect(await verifyWebhook({ body: Buffer.from(v.body), headers: { 'webhook-signature': v.signature }, secrets })).toEqual(expected);
    expect(await webhookDeliveryKey(v.body)).toBe(sha256Hex(v.body));
  });

  it.each(exact.map((v) => [v.name, v] as const))('%s: the parsed body verifies, and signWebhook reproduces it', async (_, v) => {
    const parsed = JSON.parse(v.body) as WebhookEvent;
    expect(await verifyWebhook({ body: parsed, signature: v.signature, secret })).toEqual(parsed);
    expect(await signWebhook(parsed, secret)).toEqual({
      body: v.body,
      headers: { 'Content-Type': 'application/json', 'Webhook-Signature': v.signature },
    });
    expect(await webhookDeliveryKey(parsed)).toBe(sha256Hex(v.body));
  });

  it.each(events.filter((v) => v.caveat).map((v) => [v.name, v] as const))(
    '%s: the parsed body cannot verify (documented caveat), the raw body does',
    async (_, v) => {
      expect(await reasonOf(verifyWebhook({ body: JSON.parse(v.body), signature: v.signature, secret }))).toBe('mismatch');
      await expect(verifyWebhook({ body: v.body, signature: v.signature, secret })).resolves.toBeTruthy();
    },
  );

  it('accepts a delivery signed with the old secret only while both secrets are configured', async () => {
    const v = vectors.find((x) => x.name === 'rotation-old-secret')!;
    expect(await reasonOf(verifyWebhook({ body: v.body, signature: v.signature, secret }))).toBe('mismatch');
    for (const secrets of [[secret, oldSecret], [oldSecret, secret]]) {
      await expect(verifyWebhook({ body: v.body, signature: v.signature, secrets })).resolves.toEqual(JSON.parse(v.body));
    }
  });

  it.each([...rejected])('%s: verifies but is refused as invalid_body', async (name) => {
    const v = vectors.find((x) => x.name === name)!;
    const error = await verifyWebhook({ body: v.body, signature: v.signature, secret }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookSignatureError);
    expect((error as WebhookSignatureError).reason).toBe('invalid_body');
    expect((error as Error).message).toMatch(name === 'unknown-event' ? /"profile_delete".*upgrade amani-client/ : /not a JSON object/);
  });
});
