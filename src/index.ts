/**
 * The client for Amani's identity-verification (KYC) REST API v2: {@link AmaniClient} for the
 * company's server, {@link ProfileClient} for what a profile token may do (in a browser too), the
 * typed errors every call throws ({@link AmaniError} and its subclasses) and the webhook receivers.
 *
 * @module amani-client
 */
export { AmaniClient, ProfileClient, type AmaniClientOptions } from './client.ts';
export type { Region } from './core/base-url.ts';
export type { RequestOptions } from './core/transport.ts';
export type { RequestLogEntry, Logger, ConsoleLogger, LogLevel } from './core/log.ts';
export type { Drift } from './drift/hook.ts';
export type { Violation } from './drift/validator.ts';
export type { TokenPair } from './core/tokens.ts';
export type { BatchOptions, BatchResult } from './core/batch.ts';
export type { PageInput } from './core/upload.ts';
export type { UploadDocumentParams } from './resources/documents.ts';
export type { WebhookDeliveryFilter } from './resources/webhooks.ts';
// The classes behind `amani.profiles`, `amani.documents`, ...: types only, the client makes them.
export type { Aml } from './resources/aml.ts';
export type { Auth } from './resources/auth.ts';
export type { Documents } from './resources/documents.ts';
export type { IpWhitelist } from './resources/ip-whitelist.ts';
export type { Profiles } from './resources/profiles.ts';
export type { Webhooks } from './resources/webhooks.ts';
// Named one by one: errors.ts also holds helpers of the transport (parseRetryAfterSeconds) that
// are not public API. test/entry-exports.test.ts lists every runtime export.
export {
  AmaniError,
  ApiError,
  ValidationError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  RateLimitError,
  ServerError,
  RedirectError,
  ConnectionError,
  TimeoutError,
  RequestAbortedError,
  InvalidResponseError,
  InvalidInputError,
  WebhookSignatureError,
  WebhookBodyTooLargeError,
  type ApiErrorInit,
  type FieldErrors,
  type FieldPath,
  type WebhookSignatureFailure,
} from './errors.ts';
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
  type AmaniFetchClient,
  type AmaniFetchClientOptions,
  type AmaniPaths,
  type TokenSource,
} from './fetch-client.ts';
export type { paths, components, operations, webhooks } from '../generated/schema.js';
