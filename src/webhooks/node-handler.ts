// Receiving webhooks in node:http servers and Express/Connect-style middleware stacks. The one
// rule: verify the raw bytes. So the body is taken, in order of preference, from the request stream
// (when nothing read it yet), or from `req.body` when a raw or text body parser left the bytes
// there (express.raw, express.text). A body that a JSON parser already turned into an object is
// refused with an explanation, unless the caller opts into re-serializing it (allowParsedBody).
/**
 * Receiving Amani's webhooks in node:http servers and Express/Connect middleware stacks:
 * {@link nodeWebhookHandler} and {@link receiveNodeWebhook}, reading the raw body.
 *
 * @module amani-client/webhooks/node
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AmaniError, WebhookBodyTooLargeError, WebhookSignatureError } from '../errors.ts';
import { concatBytes, utf8 } from './crypto.ts';
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
import type { WebhookBody } from './verify.ts';

/** node:http's request, or Express's (whose body parsers set `body`). */
export type NodeWebhookRequest = IncomingMessage & { body?: unknown };

export type NodeReceiveWebhookOptions = ReceiveWebhookOptions & {
  /**
   * Accept a `req.body` that a JSON body parser already parsed, verifying its re-serialization as
   * Python's json.dumps would write it. Off by default: genuine deliveries holding whole-valued
   * floats (`1.0`) or integer-like keys out of order then fail. Prefer express.raw on this route.
   */
  allowParsedBody?: boolean | undefined;
};

export type NodeWebhookHandlerOptions = NodeReceiveWebhookOptions & WebhookHandlerOptions<NodeWebhookRequest>;

export type NodeWebhookHandler = (
  req: NodeWebhookRequest,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => Promise<void>;

const PARSED_BODY_REFUSED =
  'req.body was already parsed as JSON by a body parser (e.g. express.json()), so the exact bytes Amani ' +
  "signed are gone. Give the webhook route the raw body: app.post('/webhooks/amani', " +
  "express.raw({ type: 'application/json' }), handler), registered before app.use(express.json()) or " +
  'excluded from it. (allowParsedBody: true verifies a re-serialization instead, which fails for payloads ' +
  'holding whole-valued floats such as 1.0.)';

const STREAM_CONSUMED =
  'The request body stream was already read by another middleware, and req.body holds no raw body. ' +
  "Mount the webhook handler before any body parser, or use express.raw({ type: 'application/json' }) on its route";

/**
 * The verified event of a delivery. Throws WebhookSignatureError when the delivery must be refused
 * (400; WebhookBodyTooLargeError: 413), and AmaniError when the raw body is not available (a setup
 * error to fix, see the message).
 *
 * @returns The verified event and its `deliveryKey` (to skip retried deliveries already handled).
 * @throws {@link amani-client!WebhookSignatureError | WebhookSignatureError} when the delivery must
 *   be refused (413: {@link amani-client!WebhookBodyTooLargeError | WebhookBodyTooLargeError});
 *   {@link amani-client!AmaniError | AmaniError} when the raw body is not available.
 */
export async function receiveNodeWebhook(req: NodeWebhookRequest, options: NodeReceiveWebhookOptions): Promise<ReceivedWebhook> {
  const body = await rawBodyOf(req, maxBodyBytesOf(options), options.allowParsedBody === true);
  return verifyReceived(body, req.headers, options);
}

/**
 * A request handler for node:http (`createServer((req, res) => handler(req, res).catch(log))`) and
 * Express (`app.post(path, handler)`). Answers 200 once `onEvent` has handled a verified event,
 * 400 (or 413) without saying why to a delivery that fails verification, 405 to anything but POST.
 * Other errors (a setup error, or `onEvent` throwing) go to `next` when given (Express's error
 * handling answers 500); without `next` the handler answers 500 and its promise rejects with the
 * error, for the caller to log. Either way Amani retries the delivery later.
 *
 * @returns The handler, `(req, res, next?) => Promise<void>`.
 * @throws {@link amani-client!WebhookSignatureError | WebhookSignatureError} (reason
 *   `missing_secret`) or {@link amani-client!InvalidInputError | InvalidInputError} (`onEvent`,
 *   `maxBodyBytes`) at setup, not per delivery, on a configuration mistake.
 */
export function nodeWebhookHandler(options: NodeWebhookHandlerOptions): NodeWebhookHandler {
  checkHandlerOptions(options);
  return async (req, res, next) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST', 'Content-Type': 'text/plain' }).end('Method Not Allowed');
      return;
    }
    try {
      let received: ReceivedWebhook;
      try {
        received = await receiveNodeWebhook(req, options);
      } catch (error) {
        if (!(error instanceof WebhookSignatureError)) throw error;
        options.onRejected?.(error, req);
        const status = rejectionStatus(error);
        // Unread bytes may follow an oversized body: close the connection rather than drain them.
        res.writeHead(status, { 'Content-Type': 'text/plain', ...(status === 413 ? { Connection: 'close' } : {}) });
        res.end(REJECTION_TEXT[status]);
        return;
      }
      await options.onEvent(received.event, { deliveryKey: received.deliveryKey, request: req });
      if (!res.headersSent) res.writeHead(200).end();
    } catch (error) {
      if (next) return next(error);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Internal Server Error');
      throw error;
    }
  };
}

async function rawBodyOf(req: NodeWebhookRequest, limit: number, allowParsedBody: boolean): Promise<WebhookBody> {
  const { body } = req;
  const streamUnread = !req.readableEnded && !req.readableDidRead;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const bytes = typeof body === 'string' ? utf8(body) : body;
    if (bytes.byteLength > limit) throw new WebhookBodyTooLargeError(limit);
    return bytes;
  }
  // Express 4's body parsers set req.body = {} even when the content type made them skip the
  // request; the stream is then still unread and holds the real body.
  const placeholder = isEmptyPlainObject(body) && streamUnread;
  if (body !== undefined && body !== null && !placeholder) {
    if (allowParsedBody && typeof body === 'object') return body as WebhookBody;
    throw new AmaniError(PARSED_BODY_REFUSED);
  }
  if (!streamUnread) throw new AmaniError(STREAM_CONSUMED);
  return readStream(req, limit);
}

function isEmptyPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

function readStream(req: IncomingMessage, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  // A declared length over the limit is refused before reading a byte; counting catches bodies
  // that declare none (chunked) or lie.
  if (Number(req.headers['content-length']) > limit) return Promise.reject(new WebhookBodyTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    const finish = (error?: Error) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (error) {
        // Stop reading without destroying the socket, so the 413 can still be sent.
        req.pause();
        reject(error);
      } else resolve(concatBytes(chunks, total));
    };
    const onData = (chunk: Uint8Array | string) => {
      const bytes = typeof chunk === 'string' ? utf8(chunk) : chunk;
      total += bytes.byteLength;
      if (total > limit) finish(new WebhookBodyTooLargeError(limit));
      else chunks.push(bytes);
    };
    const onEnd = () => finish();
    const onError = () => finish(new WebhookSignatureError('invalid_body', 'The webhook body could not be read to its end'));
    const onClose = () => {
      if (!req.complete) onError();
    };
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}
