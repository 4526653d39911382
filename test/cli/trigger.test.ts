// `amani webhooks trigger`: the spec's example delivery of an event, signed as Amani signs it, POSTed
// to a local receiver that verifies it with the package's verifyWebhook. The CLI prints the
// receiver's status and body, and exits 1 when the receiver refuses it or cannot be reached.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures } from '../../src/testing/fixtures.ts';
import { defaultSpecPath } from '../../src/testing/mock-server.ts';
import { signWebhook, verifyWebhook, WebhookSignatureError, type WebhookEvent } from '../../src/webhooks/index.ts';
import { allOutput, cli } from './helpers.ts';

const SECRET = 'whsec-trigger-test-secret-2b7d';
const SPEC_EVENTS = Object.keys((JSON.parse(readFileSync(defaultSpecPath, 'utf8')) as { webhooks: object }).webhooks);

interface Arrival {
  method: string;
  path: string;
  contentType: string | undefined;
  body: string;
  verified?: WebhookEvent;
}

let server: Server;
let url: string;
const arrivals: Arrival[] = [];

beforeAll(async () => {
  // A receiver as a user writes it: raw body, verifyWebhook with the endpoint secret, 400 on refusal.
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const arrival: Arrival = { method: req.method!, path: req.url!, contentType: req.headers['content-type'], body: body.toString('utf8') };
    arrivals.push(arrival);
    try {
      arrival.verified = await verifyWebhook({ body, signature: String(req.headers['webhook-signature']), secret: SECRET });
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`handled ${arrival.verified.event}`);
    } catch (error) {
      const reason = error instanceof WebhookSignatureError ? error.reason : 'unexpected';
      res.writeHead(400, { 'content-type': 'text/plain' }).end(`refused: ${reason}`);
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/amani`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  for (const text of allOutput) expect(text).not.toContain(SECRET);
});

const trigger = (args: string[], env: Record<string, string> = { AMANI_WEBHOOK_SECRET: SECRET }) => cli(['webhooks', 'trigger', ...args], { env });

describe('amani webhooks trigger', () => {
  it('the spec lists the events the CLI knows', async () => {
    expect(SPEC_EVENTS.length).toBeGreaterThan(0);
  });

  for (const event of SPEC_EVENTS) {
    it(`${event}: the example, signed exactly as Amani signs, verifies at the receiver (200, exit 0)`, async () => {
      const before = arrivals.length;
      const result = await trigger([event, '--forward-to', url]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe(`Sent ${event} to ${url}\nReceiver answered 200 OK\nhandled ${event}\n`);
      expect(arrivals.length).toBe(before + 1); // sent once
      const arrival = arrivals.at(-1)!;
      const example = fixtures.webhook(event as never) as unknown as WebhookEvent;
      expect(arrival.verified).toEqual(example);
      expect(arrival.body).toBe((await signWebhook(example, SECRET)).body); // json.dumps bytes, not JSON.stringify
      expect([arrival.method, arrival.path, arrival.contentType]).toEqual(['POST', '/webhooks/amani', 'application/json']);
    });
  }

  it('--secret overrides AMANI_WEBHOOK_SECRET; a wrong one: the receiver says 400, the CLI prints it and exits 1', async () => {
    const result = await trigger(['profile_status_change', '--forward-to', url, '--secret', 'whsec-not-the-one'], {});
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(`Sent profile_status_change to ${url}\nReceiver answered 400 Bad Request\nrefused: mismatch\n`);
    expect(result.stderr).toMatch(/^error: the receiver answered 400 Bad Request/);
    expect(result.stderr + result.stdout).not.toContain('whsec-not-the-one');
  });

  it('--json prints the status and body as JSON', async () => {
    const result = await trigger(['document_delete', '--forward-to', url, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ event: 'document_delete', url, status: 200, body: 'handled document_delete' });
  });

  it('a receiver that is not there: exit 1 naming the URL', async () => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const closed = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/hook`;
    await new Promise((resolve) => probe.close(resolve));
    const result = await trigger(['profile_create', '--forward-to', closed]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^error: could not reach ${closed.replace(/[.:/]/g, '\\$&')}`));
  });

  describe('usage errors (exit 2), nothing sent', () => {
    const cases: Array<[string, string[], Record<string, string>, RegExp]> = [
      ['an unknown event lists the valid ones', ['profile_deleted', '--forward-to', 'URL'], { AMANI_WEBHOOK_SECRET: SECRET }, new RegExp(SPEC_EVENTS.join(', '))],
      ['no secret names AMANI_WEBHOOK_SECRET', ['profile_create', '--forward-to', 'URL'], {}, /AMANI_WEBHOOK_SECRET.*--secret/],
      ['plain http to a non-loopback host', ['profile_create', '--forward-to', 'http://example.com/hook'], { AMANI_WEBHOOK_SECRET: SECRET }, /plain http is refused for example\.com.*localhost, 127\.0\.0\.1 and \[::1\]/],
      ['not a URL', ['profile_create', '--forward-to', 'localhost:3000'], { AMANI_WEBHOOK_SECRET: SECRET }, /--forward-to.*not a URL|--forward-to.*http/],
      ['--forward-to is required', ['profile_create'], { AMANI_WEBHOOK_SECRET: SECRET }, /--forward-to/],
    ];
    for (const [what, args, env, message] of cases) {
      it(what, async () => {
        const before = arrivals.length;
        const result = await trigger(args.map((a) => (a === 'URL' ? url : a)), env);
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toMatch(message);
        expect(result.stdout).toBe('');
        expect(arrivals.length).toBe(before);
      });
    }
  });
});
