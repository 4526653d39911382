// What the two receivers (fetch-handler.ts, node-handler.ts) share: options, the body size limit,
// the delivery result, and how a refused delivery maps to an HTTP status. Kept free of `node:`
// imports because the fetch receiver is part of the Web-Crypto-only entry.
import { InvalidInputError, WebhookBodyTooLargeError, WebhookSignatureError } from '../errors.ts';
import { sha256Hex } from './crypto.ts';
import type { WebhookEvent } from './events.ts';
import {
  readSecrets,
  verifyWebhookMessage,
  type VerifyWebhookOptions,
  type WebhookBody,
  type WebhookHeaders,
  type WebhookSecretOptions,
} from './verify.ts';

/** 1 MiB. Amani's payloads are a few kilobytes; the limit only bounds what a stranger can make us buffer. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * The body was larger than `maxBodyBytes` and was not read (answered 413). A WebhookSignatureError
 * (reason `invalid_body`) so that code treating every WebhookSignatureError as "refuse" stays right.
 */
export type ReceiveWebhookOptions = WebhookSecretOptions & {
  /** Bodies larger than this many bytes are refused with 413 before being read. Default 1 MiB. */
  maxBodyBytes?: number | undefined;
};

export interface ReceivedWebhook {
  /** The verified event, narrowed by `event.event`. */
  event: WebhookEvent;
  /** Identifies the delivery's content, to skip retried deliveries already handled (see webhookDeliveryKey). */
  deliveryKey: string;
}

export type WebhookHandlerOptions<Req> = ReceiveWebhookOptions & {
  /**
   * Handles a verified event. The delivery is acknowledged (200) after it resolves; if it throws,
   * the receiver answers 500 and Amani retries later, so make it idempotent with `deliveryKey`.
   */
  onEvent(event: WebhookEvent, delivery: { deliveryKey: string; request: Req }): unknown;
  /** Told why a delivery was refused (400 or 413), e.g. to log it; the sender is never told. */
  onRejected?: ((error: WebhookSignatureError, request: Req) => void) | undefined;
};

export function maxBodyBytesOf(options: ReceiveWebhookOptions): number {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(limit) || limit <= 0) {
    throw new InvalidInputError('maxBodyBytes', 'must be a positive whole number of bytes');
  }
  return limit;
}

/** Fails at startup, on a configuration mistake, instead of answering 400 to every delivery. */
export function checkHandlerOptions(options: WebhookHandlerOptions<never>): void {
  readSecrets(options.secret, options.secrets);
  maxBodyBytesOf(options);
  if (typeof options.onEvent !== 'function') throw new InvalidInputError('onEvent', 'must be a function handling each event');
}

/** Verifies a body read by a receiver and derives the delivery key from the verified bytes. */
export async function verifyReceived(
  body: WebhookBody,
  headers: WebhookHeaders,
  options: ReceiveWebhookOptions,
): Promise<ReceivedWebhook> {
  const { event, message } = await verifyWebhookMessage({
    body,
    headers,
    secret: options.secret,
    secrets: options.secrets,
  } as VerifyWebhookOptions);
  return { event, deliveryKey: await sha256Hex(message) };
}

/** 413 for a body over the limit, 400 for every other refusal: no detail for the sender. */
export function rejectionStatus(error: WebhookSignatureError): 400 | 413 {
  return error instanceof WebhookBodyTooLargeError ? 413 : 400;
}

export const REJECTION_TEXT = { 400: 'Bad Request', 413: 'Payload Too Large' } as const;
