// Signs a payload the way Amani does, so users can test their receivers with deliveries that are
// byte for byte what Amani sends: the body is json.dumps' default serialization (the message Amani
// signs, REFERENCE.md 5.3) and the signature is its HMAC-SHA256 under the secret, in Base64.
import { InvalidInputError } from '../errors.ts';
import { hmacSha256Base64, utf8 } from './crypto.ts';
import type { WebhookEvent } from './events.ts';
import { pythonJsonDumps } from './python-json.ts';

export interface SignedWebhook {
  /** The request body to POST. */
  body: string;
  /** The request headers to send with it. */
  headers: { 'Content-Type': 'application/json'; 'Webhook-Signature': string };
}

/**
 * The body and headers of an Amani delivery of `payload`, signed with `secret`. For tests: POST
 * them to your receiver (`fetch(url, { method: 'POST', ...signed })`), or pass them to
 * verifyWebhook. To test unknown or malformed events, cast the payload (`as unknown as WebhookEvent`).
 *
 * @returns The body (`json.dumps` text, as Amani sends it) and the `Content-Type` and
 *   `Webhook-Signature` headers.
 * @throws {@link InvalidInputError} when `secret` is empty or `payload` is not JSON data.
 */
export async function signWebhook(payload: WebhookEvent, secret: string): Promise<SignedWebhook> {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new InvalidInputError('secret', 'must be the non-empty webhook secret of the endpoint');
  }
  let body: string;
  try {
    body = pythonJsonDumps(payload);
  } catch (error) {
    throw new InvalidInputError('payload', `must be JSON data: ${(error as Error).message}`);
  }
  const signature = await hmacSha256Base64(secret, utf8(body));
  return { body, headers: { 'Content-Type': 'application/json', 'Webhook-Signature': signature } };
}
