// amani webhooks events|create|list|update|delete|secret|logs|retry|verify (trigger: webhook-trigger.ts)
import { Option, type Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { WebhookEventNameValues } from '../../../generated/constants.ts';
import { requireHttpsUrl } from '../../core/validate-address.ts';
import { requireOneOf, requireUuid } from '../../core/validate.ts';
import { InvalidInputError } from '../../errors.ts';
import type { WebhookDelivery, WebhookEndpoint, WebhookEndpointCreateRequest, WebhookEventName, WebhookSecret } from '../../types.ts';
import { verifyWebhook } from '../../webhooks/index.ts';
import { UsageError } from '../errors.ts';
import { readAll, type CliIo } from '../io.ts';
import { callApi, checked, globalOptions, keyValue, pick, requireSome } from '../kit.ts';
import { sendsHelp } from '../operation-help.ts';
import { formatList, formatRecord, printResult } from '../output.ts';
import { registerTrigger, webhookSecret } from './webhook-trigger.ts';

const uuid = (field: string) => checked((value) => requireUuid(field, value));
const eventName = (field: string) => checked((value) => requireOneOf(field, value, WebhookEventNameValues));

/** `--events a,b` as a checked list of event names. */
const eventList = checked((value): WebhookEventName[] => {
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  if (names.length === 0) throw new InvalidInputError('--events', `must list at least one event: ${WebhookEventNameValues.join(', ')}`);
  return names.map((name, i) => requireOneOf(`--events[${i}]`, name, WebhookEventNameValues));
});

const showEndpoint = (endpoint: WebhookEndpoint) => formatRecord(endpoint, ['id', 'url', 'enabled_events', 'custom_headers', 'metadata', 'created_at', 'updated_at']);
const showDelivery = (delivery: WebhookDelivery) => formatRecord(delivery);

function addEndpointOptions(command: Command, required: boolean): Command {
  const url = new Option('--url <url>', 'the https URL Amani POSTs events to').argParser(checked((v) => requireHttpsUrl('url', v)));
  const events = new Option('--events <names>', `comma-separated events to deliver: ${WebhookEventNameValues.join(', ')}`).argParser(eventList);
  if (required) {
    url.makeOptionMandatory();
    events.makeOptionMandatory();
  }
  return command
    .addOption(url)
    .addOption(events)
    .option('--header <name=value>', 'extra header sent with every delivery (repeatable; replaces the stored set on update)', keyValue)
    .option('--metadata <key=value>', 'your own data stored with the endpoint (repeatable; replaces the stored set on update)', keyValue);
}

const endpointBody = (options: Record<string, unknown>) =>
  pick(options, { url: 'url', events: 'enabled_events', header: 'custom_headers', metadata: 'metadata' });

export function registerWebhooks(program: Command, io: CliIo): void {
  const webhooks = program.command('webhooks').description('webhook endpoints, their secret and deliveries; verify a delivery');

  webhooks
    .command('events')
    .description('list the events an endpoint can subscribe to')
    .addHelpText('after', sendsHelp('listWebhookEventTypes'))
    .action(async (_options, command: Command) => {
      await callApi(io, command, {
        progress: 'Listing event types',
        request: (client) => client.webhooks.eventTypes(),
        table: (names) => formatList(names, [['event', (name) => name]]),
      });
    });

  addEndpointOptions(webhooks.command('create').description('register an endpoint').addHelpText('after', sendsHelp('createWebhookEndpoint')), true).action(
    async (options: Record<string, unknown>, command: Command) => {
      const body = endpointBody(options) as WebhookEndpointCreateRequest;
      await callApi(io, command, { progress: 'Creating the endpoint', request: (client) => client.webhooks.create(body), table: showEndpoint });
    },
  );

  webhooks
    .command('list')
    .description('list the endpoints')
    .addHelpText('after', sendsHelp('listWebhookEndpoints'))
    .action(async (_options, command: Command) => {
      await callApi(io, command, {
        progress: 'Listing endpoints',
        request: (client) => client.webhooks.list(),
        table: (endpoints) =>
          formatList(endpoints, [
            ['id', (e) => e.id],
            ['url', (e) => e.url],
            ['enabled_events', (e) => e.enabled_events],
            ['created_at', (e) => e.created_at],
          ]),
      });
    });

  addEndpointOptions(
    webhooks
      .command('update')
      .description('change an endpoint (at least one option)')
      .argument('<id>', 'endpoint id (uuid)', uuid('id'))
      .addHelpText('after', sendsHelp('updateWebhookEndpoint')),
    false,
  ).action(async (id: string, options: Record<string, unknown>, command: Command) => {
    const body = requireSome(endpointBody(options), '--url, --events, --header, --metadata');
    await callApi(io, command, { progress: 'Updating the endpoint', request: (client) => client.webhooks.update(id, body), table: showEndpoint });
  });

  webhooks
    .command('delete')
    .description('delete an endpoint')
    .argument('<id>', 'endpoint id (uuid)', uuid('id'))
    .addHelpText('after', sendsHelp('deleteWebhookEndpoint'))
    .action(async (id: string, _options, command: Command) => {
      await callApi(io, command, { progress: 'Deleting the endpoint', request: (client) => client.webhooks.delete(id), done: `Deleted webhook endpoint ${id}` });
    });

  webhooks
    .command('secret')
    .description('show (redacted unless --reveal) or regenerate the secret deliveries are signed with')
    .option('--regenerate', 'replace the secret (verify with old and new until old deliveries stop); not retried')
    .option('--reveal', 'print the secret itself (the one command that can print a secret; keep it out of logs)')
    .addHelpText('after', sendsHelp('getWebhookSecret', ['regenerateWebhookSecret', 'with --regenerate']))
    .action(async (options: { regenerate?: true; reveal?: true }, command: Command) => {
      await callApi(io, command, {
        progress: options.regenerate ? 'Regenerating the secret' : 'Fetching the secret',
        request: (client) => (options.regenerate ? client.webhooks.regenerateSecret() : client.webhooks.getSecret()),
        reveal: options.reveal === true,
        table: (result: WebhookSecret) => formatRecord(options.reveal ? result : { secret: `${result.secret} (pass --reveal to print it)` }),
      });
    });

  webhooks
    .command('logs')
    .description('list delivery attempts')
    .option('--event <name>', 'only deliveries of this event', eventName('--event'))
    .option('--endpoint <id>', 'only deliveries to this endpoint (uuid)', uuid('--endpoint'))
    .addOption(new Option('--failed', 'only failed deliveries').conflicts('succeeded'))
    .option('--succeeded', 'only successful deliveries')
    .addHelpText('after', sendsHelp('listWebhookDeliveries'))
    .action(async (options: { event?: WebhookEventName; endpoint?: string; failed?: true; succeeded?: true }, command: Command) => {
      const filter = {
        ...pick(options, { event: 'event', endpoint: 'endpoint' }),
        ...(options.failed ? { success: false } : options.succeeded ? { success: true } : {}),
      };
      await callApi(io, command, {
        progress: 'Listing deliveries',
        request: (client) => client.webhooks.logs(filter),
        table: (deliveries) =>
          formatList(deliveries, [
            ['id', (d) => d.id],
            ['event', (d) => d.event],
            ['success', (d) => d.success],
            ['status', (d) => d.response_status],
            ['attempts', (d) => d.attempts],
            ['last_attempt_at', (d) => d.last_attempt_at],
            ['url', (d) => d.url],
          ]),
      });
    });

  webhooks
    .command('retry')
    .description('queue a failed delivery again')
    .argument('<id>', 'delivery id (uuid), from `webhooks logs`', uuid('id'))
    .addHelpText('after', sendsHelp('retryWebhookDelivery'))
    .action(async (id: string, _options, command: Command) => {
      await callApi(io, command, { progress: 'Retrying the delivery', request: (client) => client.webhooks.retry(id), table: showDelivery });
    });

  webhooks
    .command('verify')
    .description("verify a delivery's Webhook-Signature and print its typed event (exit 1 with the reason if it does not verify)")
    .argument('[file]', 'the raw request body; `-` or none reads stdin')
    .requiredOption('--signature <signature>', 'the Webhook-Signature header value')
    .option('--secret <secret>', 'the endpoint secret (prefer AMANI_WEBHOOK_SECRET: flags land in shell history)')
    .action(async (file: string | undefined, options: { signature: string; secret?: string }, command: Command) => {
      const secret = webhookSecret(options.secret, io);
      const body = await readBody(io, file);
      const event = await verifyWebhook({ body, signature: options.signature, secret });
      printResult(io.stdout, globalOptions(command).json === true, event, (e) => formatRecord(e));
    });

  registerTrigger(webhooks, io);
}

async function readBody(io: CliIo, file: string | undefined): Promise<Uint8Array> {
  if (file === undefined || file === '-') return readAll(io.stdin);
  try {
    return await readFile(file);
  } catch (error) {
    throw new UsageError(`cannot read ${JSON.stringify(file)} (${(error as { code?: string }).code ?? 'unreadable'})`);
  }
}
