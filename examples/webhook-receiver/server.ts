// A runnable receiver for Amani webhooks on plain node:http:
//
//   AMANI_WEBHOOK_SECRET=whsec_... PORT=3000 npx tsx examples/webhook-receiver/server.ts
//
// It verifies every delivery, acts once per delivery even when Amani retries it, and logs what
// happened without secrets or personal data (ids, event names and statuses only).
import { createServer } from 'node:http';
import type { WebhookEvent } from '../../src/webhooks/index.ts';
import { nodeWebhookHandler } from '../../src/webhooks/node-handler.ts';

const PATH = '/webhooks/amani';
const log = (message: string) => console.log(`${new Date().toISOString()} ${message}`);

// During a secret rotation, set the new secret in AMANI_WEBHOOK_SECRET and keep the old one in
// AMANI_WEBHOOK_SECRET_PREVIOUS until Amani signs with the new one only.
const secrets = [process.env.AMANI_WEBHOOK_SECRET, process.env.AMANI_WEBHOOK_SECRET_PREVIOUS].filter((s): s is string => !!s);
if (secrets.length === 0) {
  console.error('Set AMANI_WEBHOOK_SECRET to the endpoint secret (Studio: Company Settings -> Webhook -> Show).');
  process.exit(1);
}
const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, not ${JSON.stringify(process.env.PORT)}`);
  process.exit(1);
}
const host = process.env.HOST ?? '127.0.0.1';

// Delivery keys already handled. In memory for the example; in production use a table with a
// unique key, written in the same transaction as the event's effect.
const handled = new Set<string>();
function remember(deliveryKey: string) {
  handled.add(deliveryKey);
  if (handled.size > 10_000) handled.delete(handled.values().next().value!);
}

function summary(event: WebhookEvent): string {
  switch (event.event) {
    case 'profile_status_change':
      return `profile ${event.profile.id} is now ${event.status}`;
    case 'document_status_change':
      return `document ${event.document.id} of profile ${event.profile.id} is now ${event.status}`;
    case 'profile_level_update':
      return `profile ${event.profile.id} reached level ${event.verified_level}`;
    case 'video_call_status_change':
      return `video call of profile ${event.profile.id} is ${event.video_call_status}`;
    default:
      return `profile ${event.profile.id}`;
  }
}

const handler = nodeWebhookHandler({
  secrets,
  onEvent(event, { deliveryKey }) {
    const id = deliveryKey.slice(0, 16);
    if (handled.has(deliveryKey)) {
      log(`duplicate ${event.event} delivery ${id}: already handled, acknowledged again`);
      return;
    }
    log(`${event.event} delivery ${id}: ${summary(event)}`);
    remember(deliveryKey);
  },
  // The sender only ever gets a bare 400; this log line is where a wrong secret or a body that was
  // parsed and re-serialized before verifying shows up. The message names the fix, never a secret.
  onRejected(error) {
    log(`refused a delivery (${error.reason}): ${error.message}`);
  },
});

const server = createServer((req, res) => {
  if (req.url !== PATH) {
    res.writeHead(404).end();
    return;
  }
  handler(req, res).catch((error: unknown) => log(`failed to handle a delivery: ${(error as Error).message}`));
});

server.listen(port, host, () => {
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  log(`Amani webhook receiver listening on http://${host}:${actualPort}${PATH}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
