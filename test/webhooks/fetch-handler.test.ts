// The Fetch-API receiver: on Request objects directly, and over real HTTP through a node:http
// server that turns each request into a Request, as Next.js, Hono or Bun do.
import { Readable } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  fetchWebhookHandler,
  receiveWebhook,
  signWebhook,
  webhookErrorResponse,
  WebhookBodyTooLargeError,
  WebhookSignatureError,
  type WebhookEvent,
  type WebhookHandlerOptions,
} from '../../src/webhooks/index.ts';
import { hmacBase64, listen, SECRET, sha256Hex, STATUS_CHANGE_BODY, statusChange } from './helpers.ts';

const URL_ = 'http://receiver.test/webhooks/amani';

function delivery(body: BodyInit, headers: Record<string, string>): Request {
  return new Request(URL_, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

describe('receiveWebhook', () => {
  it('verifies the untouched Request and returns the event and its delivery key', async () => {
    const signed = await signWebhook(statusChange(), SECRET);
    expect(await receiveWebhook(delivery(signed.body, signed.headers), { secret: SECRET })).toEqual({
      event: statusChange(),
      deliveryKey: sha256Hex(signed.body),
    });
  });

  it('refuses a Request whose body was already read, explaining what to do', async () => {
    const request = delivery(STATUS_CHANGE_BODY, { 'Webhook-Signature': hmacBase64(SECRET, STATUS_CHANGE_BODY) });
    await request.json();
    await expect(receiveWebhook(request, { secret: SECRET })).rejects.toThrow(/already read.*untouched Request/);
  });

  it('refuses a streamed body over maxBodyBytes as soon as the count passes it', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(64));
      },
    });
    const error = await receiveWebhook(delivery(endless, { 'Webhook-Signature': 'x' }), { secret: SECRET, maxBodyBytes: 1000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WebhookBodyTooLargeError);
    expect(pulled).toBeLessThan(40);
  });

  it('webhookErrorResponse: 400 or 413 for verification errors, 500 for the rest', async () => {
    const bad = webhookErrorResponse(new WebhookSignatureError('mismatch', 'secret detail'));
    expect([bad.status, await bad.text()]).toEqual([400, 'Bad Request']);
    expect(webhookErrorResponse(new WebhookBodyTooLargeError(10)).status).toBe(413);
    expect(webhookErrorResponse(new Error('db down')).status).toBe(500);
  });
});

/** A node:http server handing every request to a Fetch handler, as edge frameworks do. */
async function serveFetch(handler: (request: Request) => Promise<Response>) {
  const errors: unknown[] = [];
  const server = await listen(async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers: Object.entries(req.headers).flatMap(([name, value]) => [value ?? []].flat().map((v) => [name, v])) as [string, string][],
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : (Readable.toWeb(req) as ReadableStream),
        duplex: 'half',
      } as RequestInit);
      const response = await handler(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      errors.push(error);
      res.writeHead(500).end();
    }
  });
  return { server, errors };
}

describe('fetchWebhookHandler over real HTTP', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function start(options: Partial<WebhookHandlerOptions<Request>> = {}) {
    const events: { event: WebhookEvent; deliveryKey: string }[] = [];
    const rejected: string[] = [];
    const handler = fetchWebhookHandler({
      secret: SECRET,
      onEvent: (event, { deliveryKey }) => void events.push({ event, deliveryKey }),
      onRejected: (error) => void rejected.push(error.reason),
      ...options,
    } as WebhookHandlerOptions<Request>);
    const { server, errors } = await serveFetch(handler);
    close = server.close;
    return { url: `${server.url}/webhooks/amani`, events, rejected, errors };
  }

  it('acknowledges a signed delivery with 200 after onEvent, and refuses forgeries with a bare 400', async () => {
    const { url, events, rejected } = await start();
    const signed = await signWebhook(statusChange('REJECTED'), SECRET);
    const ok = await fetch(url, { method: 'POST', ...signed });
    expect(ok.status).toBe(200);
    expect(events).toEqual([{ event: statusChange('REJECTED'), deliveryKey: sha256Hex(signed.body) }]);

    const forged = await fetch(url, { method: 'POST', body: signed.body.replace('REJECTED', 'APPROVED'), headers: signed.headers });
    expect([forged.status, await forged.text()]).toEqual([400, 'Bad Request']);
    expect(rejected).toEqual(['mismatch']);
    expect(events).toHaveLength(1);
  });

  it('answers 413 to an oversized body and 405 to GET', async () => {
    const { url } = await start({ maxBodyBytes: 64 });
    const signed = await signWebhook(statusChange(), SECRET);
    expect((await fetch(url, { method: 'POST', ...signed })).status).toBe(413);
    expect((await fetch(url)).status).toBe(405);
  });

  it('rejects when onEvent fails, so the framework answers 500 and Amani retries', async () => {
    const { url, errors } = await start({ onEvent: () => Promise.reject(new Error('db down')) });
    const signed = await signWebhook(statusChange(), SECRET);
    expect((await fetch(url, { method: 'POST', ...signed })).status).toBe(500);
    expect(String(errors[0])).toContain('db down');
  });
});
