// Receiving webhooks in Fetch-API servers (Request in, Response out): Next.js route handlers,
// Hono, Bun.serve, Deno.serve, Cloudflare Workers. Reads the raw body itself, so the bytes that
// are verified are exactly the bytes Amani sent.
import { AmaniError, WebhookSignatureError, WebhookBodyTooLargeError } from '../errors.ts';
import { concatBytes } from './crypto.ts';
import {
  checkHandlerOptions,
  maxBodyBytesOf,
  REJECTION_TEXT,
  rejectionStatus,
  verifyReceived,
  type ReceivedWebhook,
  type ReceiveWebhookOptions,
  type WebhookHandlerOptions,
} from './delivery.ts';

/**
 * The verified event of a delivery, read from an untouched Request. Throws WebhookSignatureError
 * when the delivery must be refused (answer webhookErrorResponse(error)), and AmaniError when the
 * body was already read by someone else.
 *
 * @returns The verified event and its `deliveryKey` (to skip retried deliveries already handled).
 * @throws {@link WebhookSignatureError} when the delivery must be refused (413:
 *   {@link WebhookBodyTooLargeError}); {@link AmaniError} when the body was already read.
 */
export async function receiveWebhook(request: Request, options: ReceiveWebhookOptions): Promise<ReceivedWebhook> {
  const body = await readBody(request, maxBodyBytesOf(options));
  return verifyReceived(body, request.headers, options);
}

/**
 * A ready handler: `(request) => Promise<Response>`. Answers 200 once `onEvent` has handled a
 * verified event, 400 (or 413) to a delivery that fails verification, without saying why, and
 * 405 to anything but POST. If `onEvent` throws, the promise rejects: the framework answers 500
 * and Amani retries later.
 *
 * @returns The handler, for any framework that passes a Fetch API `Request`.
 * @throws {@link WebhookSignatureError} (reason `missing_secret`) or {@link InvalidInputError}
 *   (`onEvent`, `maxBodyBytes`) at setup, not per delivery, on a configuration mistake.
 */
export function fetchWebhookHandler(options: WebhookHandlerOptions<Request>): (request: Request) => Promise<Response> {
  checkHandlerOptions(options);
  return async (request) => {
    if (request.method !== 'POST') {
      return new Response('Method Not Allowed', { status: 405, headers: { Allow: 'POST', 'Content-Type': 'text/plain' } });
    }
    let received: ReceivedWebhook;
    try {
      received = await receiveWebhook(request, options);
    } catch (error) {
      if (!(error instanceof WebhookSignatureError)) throw error;
      options.onRejected?.(error, request);
      return webhookErrorResponse(error);
    }
    await options.onEvent(received.event, { deliveryKey: received.deliveryKey, request });
    return new Response(null, { status: 200 });
  };
}

/**
 * The answer to a failed delivery: 400 (413 for an oversized body) with a generic text when
 * `error` is a WebhookSignatureError (a forger learns nothing), 500 for anything else, so that
 * Amani retries a genuine delivery this server failed to handle.
 *
 * @returns The `Response` to send; it never throws.
 */
export function webhookErrorResponse(error: unknown): Response {
  const status = error instanceof WebhookSignatureError ? rejectionStatus(error) : 500;
  const text = status === 500 ? 'Internal Server Error' : REJECTION_TEXT[status];
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain' } });
}

async function readBody(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  if (request.bodyUsed) {
    throw new AmaniError(
      'The Request body was already read, so the bytes Amani signed are gone. Pass the untouched Request ' +
        '(do not call request.json() or request.text() first), or call verifyWebhook with the text you read',
    );
  }
  // A declared length over the limit is refused before reading a byte; the count below catches
  // bodies that declare none (chunked) or lie.
  if (Number(request.headers.get('content-length')) > limit) throw new WebhookBodyTooLargeError(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        reader.cancel().catch(() => undefined);
        throw new WebhookBodyTooLargeError(limit);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof WebhookSignatureError) throw error;
    throw new WebhookSignatureError('invalid_body', 'The webhook body could not be read to its end');
  }
  return concatBytes(chunks, total);
}
