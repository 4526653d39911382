// nodeWebhookHandler over real HTTP on 127.0.0.1, as node:http and as Express-style middleware
// (simulated: body parsers set req.body, errors go to next).
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signWebhook, WebhookSignatureError, type WebhookEvent } from '../../src/webhooks/index.ts';
import { nodeWebhookHandler, type NodeWebhookHandlerOptions, type NodeWebhookRequest } from '../../src/webhooks/node-handler.ts';
import { hmacBase64, listen, SECRET, sha256Hex, STATUS_CHANGE_BODY, statusChange } from './helpers.ts';

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.map((close) => close()));
  closers = [];
});

type Middleware = (req: NodeWebhookRequest, res: ServerResponse, next: (error?: unknown) => void) => void;

/** Serves the handler; `before` plays a body parser, `next` Express's error handler. */
async function serve(options: Partial<NodeWebhookHandlerOptions> = {}, before?: Middleware, withNext = false) {
  const events: { event: WebhookEvent; deliveryKey: string }[] = [];
  const errors: unknown[] = [];
  const handler = nodeWebhookHandler({
    secret: SECRET,
    onEvent: (event, { deliveryKey }) => void events.push({ event, deliveryKey }),
    ...options,
  } as NodeWebhookHandlerOptions);
  const server = await listen((req, res) => {
    const next = (error?: unknown) => {
      errors.push(error);
      res.writeHead(500).end('from next');
    };
    const run = () => {
      const done = withNext ? handler(req, res, next) : handler(req, res);
      done.catch((error: unknown) => errors.push(error));
    };
    if (before) before(req, res, run);
    else run();
  });
  closers.push(server.close);
  return { url: `${server.url}/webhooks/amani`, events, errors };
}

function post(url: string, body: string, headers: Record<string, string>) {
  return fetch(url, { method: 'POST', body, headers });
}

/** express.raw / express.text / express.json, reduced to what the handler sees: req.body. */
function bodyParser(kind: 'raw' | 'text' | 'json' | 'skipped'): Middleware {
  return (req, _res, next) => {
    if (kind === 'skipped') {
      req.body = {};
      return next();
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
      const raw = Buffer.concat(chunks);
      req.body = kind === 'raw' ? raw : kind === 'text' ? raw.toString('utf8') : JSON.parse(raw.toString('utf8'));
      next();
    });
  };
}

describe('nodeWebhookHandler', () => {
  it('reads the raw body from the stream, verifies it, hands over the typed event and a delivery key, answers 200', async () => {
    const { url, events } = await serve();
    const signed = await signWebhook(statusChange(), SECRET);
    const res = await post(url, signed.body, signed.headers);
    expect(res.status).toBe(200);
    expect(events).toEqual([{ event: statusChange(), deliveryKey: sha256Hex(signed.body) }]);
  });

  it('accepts Amani-style bytes signed by node:crypto, and both secrets during a rotation', async () => {
    const { url, events } = await serve({ secret: undefined, secrets: ['new-secret', SECRET] });
    const res = await post(url, STATUS_CHANGE_BODY, { 'Webhook-Signature': hmacBase64(SECRET, STATUS_CHANGE_BODY) });
    expect(res.status).toBe(200);
    expect(events).toHaveLength(1);
  });

  it('answers 400 without saying why, and tells onRejected the reason', async () => {
    const rejected: WebhookSignatureError[] = [];
    const { url, events } = await serve({ onRejected: (error) => rejected.push(error) });
    const cases: Record<string, string>[] = [
      {},
      { 'Webhook-Signature': 'not base64' },
      { 'Webhook-Signature': hmacBase64('wrong secret', STATUS_CHANGE_BODY) },
    ];
    for (const headers of cases) {
      const res = await post(url, STATUS_CHANGE_BODY, headers);
      expect(res.status).toBe(400);
      expect(await res.text()).toBe('Bad Request');
    }
    expect(rejected.map((e) => e.reason)).toEqual(['missing_signature', 'malformed_signature', 'mismatch']);
    expect(events).toEqual([]);
  });

  it('answers 405 to anything but POST', async () => {
    const { url } = await serve();
    const res = await fetch(url);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('answers 413 to a body over maxBodyBytes, declared or chunked, without reading it', async () => {
    const { url, events } = await serve({ maxBodyBytes: 100 });
    const signed = await signWebhook(statusChange(), SECRET);
    expect((await post(url, signed.body, signed.headers)).status).toBe(413);
    // Chunked: no Content-Length, the count stops it.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(url, { method: 'POST', headers: { 'Transfer-Encoding': 'chunked', ...signed.headers } });
      req.on('response', (res: IncomingMessage) => resolve(res.statusCode!)).on('error', reject);
      req.write('x'.repeat(60));
      setTimeout(() => req.write('x'.repeat(60)), 20);
    });
    expect(status).toBe(413);
    expect(events).toEqual([]);
  });

  it.each(['raw', 'text', 'skipped'] as const)('takes the raw body a %s body parser left', async (kind) => {
    const { url, events } = await serve({}, bodyParser(kind));
    const signed = await signWebhook(statusChange(), SECRET);
    expect((await post(url, signed.body, signed.headers)).status).toBe(200);
    expect(events).toHaveLength(1);
  });

  it('refuses a body express.json() already parsed, explaining express.raw, through next', async () => {
    const { url, events, errors } = await serve({}, bodyParser('json'), true);
    const signed = await signWebhook(statusChange(), SECRET);
    const res = await post(url, signed.body, signed.headers);
    expect(res.status).toBe(500);
    expect(events).toEqual([]);
    expect(String(errors[0])).toMatch(/express\.raw\(\{ type: 'application\/json' \}\)/);
    expect(errors[0]).not.toBeInstanceOf(WebhookSignatureError);
  });

  it('refuses, through next, a stream another middleware read without leaving req.body', async () => {
    const swallow: Middleware = (req, _res, next) => {
      req.resume().on('end', () => next());
    };
    const { url, errors } = await serve({}, swallow, true);
    const signed = await signWebhook(statusChange(), SECRET);
    expect((await post(url, signed.body, signed.headers)).status).toBe(500);
    expect(String(errors[0])).toMatch(/already read by another middleware/);
  });

  it('with allowParsedBody, verifies the re-serialized parsed body', async () => {
    const { url, events } = await serve({ allowParsedBody: true }, bodyParser('json'));
    const signed = await signWebhook(statusChange(), SECRET);
    expect((await post(url, signed.body, signed.headers)).status).toBe(200);
    expect(events.map((e) => e.deliveryKey)).toEqual([sha256Hex(signed.body)]);
  });

  it('without next: a failing onEvent gets a 500 (Amani retries) and the promise rejects with the error', async () => {
    const boom = new Error('database down');
    const { url, errors } = await serve({ onEvent: () => Promise.reject(boom) });
    const signed = await signWebhook(statusChange(), SECRET);
    const res = await post(url, signed.body, signed.headers);
    expect(res.status).toBe(500);
    expect(errors).toEqual([boom]);
  });

  it('leaves the response alone when onEvent answered it (Express: req.res)', async () => {
    const expressLike: Middleware = (req, res, next) => {
      Object.assign(req, { res });
      next();
    };
    const { url } = await serve(
      {
        onEvent: (_event, { request }) => {
          (request as unknown as { res: ServerResponse }).res.writeHead(202).end('queued');
        },
      },
      expressLike,
    );
    const signed = await signWebhook(statusChange(), SECRET);
    const res = await post(url, signed.body, signed.headers);
    expect([res.status, await res.text()]).toEqual([202, 'queued']);
  });

  it('fails at setup on a missing secret, a bad limit or no onEvent', () => {
    const onEvent = vi.fn();
    expect(() => nodeWebhookHandler({ secret: '', onEvent })).toThrow(WebhookSignatureError);
    expect(() => nodeWebhookHandler({ secret: SECRET, onEvent, maxBodyBytes: 0 })).toThrow(/maxBodyBytes/);
    expect(() => nodeWebhookHandler({ secret: SECRET } as NodeWebhookHandlerOptions)).toThrow(/onEvent/);
  });
});
