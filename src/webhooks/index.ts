// The webhook entry point. Imports nothing from `node:`, directly or through its imports (a test
// walks the graph), so it runs unchanged in Node 20+, Deno, Bun, edge runtimes and browsers: only
// Web Crypto, TextEncoder/TextDecoder and the Fetch API. The node:http / Express receiver lives in
// ./node-handler.ts, outside this graph.
/**
 * Receiving Amani's webhooks anywhere the Fetch API runs: {@link verifyWebhook} checks a
 * delivery's `Webhook-Signature` and types its event, {@link fetchWebhookHandler} answers a
 * `Request` (Deno, Bun, edge runtimes, Next.js route handlers), {@link webhookDeliveryKey}
 * deduplicates. For node:http and Express see `amani-client/webhooks/node`.
 *
 * @module amani-client/webhooks
 */
export {
  verifyWebhook,
  webhookDeliveryKey,
  type ParsedWebhookBody,
  type RawWebhookBody,
  type VerifyWebhookOptions,
  type WebhookBody,
  type WebhookHeaders,
  type WebhookSecretOptions,
  type WebhookSignatureSource,
} from './verify.ts';
export { signWebhook, type SignedWebhook } from './sign.ts';
export { pythonJsonDumps } from './python-json.ts';
export { isWebhookEventName, type WebhookEvent, type WebhookEventName, type WebhookEventOf } from './events.ts';
export { fetchWebhookHandler, receiveWebhook, webhookErrorResponse } from './fetch-handler.ts';
export {
  DEFAULT_MAX_BODY_BYTES,
  type ReceivedWebhook,
  type ReceiveWebhookOptions,
  type WebhookHandlerOptions,
} from './delivery.ts';
export { WebhookBodyTooLargeError, WebhookSignatureError, type WebhookSignatureFailure } from '../errors.ts';
export { WebhookEventNameValues } from '../../generated/constants.ts';
