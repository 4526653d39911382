export { AmaniClient, ProfileClient, type AmaniClientOptions } from './client.ts';
export type { Region } from './core/base-url.ts';
export type { RequestOptions } from './core/transport.ts';
export type { RequestLogEntry, Logger, ConsoleLogger, LogLevel } from './core/log.ts';
export type { TokenPair } from './core/tokens.ts';
export type { BatchOptions, BatchResult } from './core/batch.ts';
export type { PageInput } from './core/upload.ts';
export type { UploadDocumentParams } from './resources/documents.ts';
export type { WebhookDeliveryFilter } from './resources/webhooks.ts';
export * from './errors.ts';
export type * from './types.ts';
export {
  DEFAULT_MAX_BODY_BYTES,
  fetchWebhookHandler,
  isWebhookEventName,
  pythonJsonDumps,
  receiveWebhook,
  signWebhook,
  verifyWebhook,
  webhookDeliveryKey,
  webhookErrorResponse,
  type ReceivedWebhook,
  type ReceiveWebhookOptions,
  type SignedWebhook,
  type VerifyWebhookOptions,
  type WebhookBody,
  type WebhookEvent,
  type WebhookEventOf,
  type WebhookHandlerOptions,
  type WebhookHeaders,
} from './webhooks/index.ts';
export {
  nodeWebhookHandler,
  receiveNodeWebhook,
  type NodeReceiveWebhookOptions,
  type NodeWebhookHandler,
  type NodeWebhookHandlerOptions,
  type NodeWebhookRequest,
} from './webhooks/node-handler.ts';
export {
  createAmaniFetchClient,
  serializeBody,
  toFormData,
  type AmaniFetchClient,
  type AmaniFetchClientOptions,
  type AmaniPaths,
  type TokenSource,
} from './fetch-client.ts';
export type { paths, components, operations, webhooks } from '../generated/schema.js';
