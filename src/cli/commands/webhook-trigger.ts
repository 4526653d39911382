// amani webhooks trigger <event> --forward-to <url>: the spec's example delivery of an event, signed
// exactly as Amani signs it (signWebhook: json.dumps bytes, HMAC-SHA256), POSTed once to a local
// receiver, like `stripe trigger`. The receiver's status and body are printed; a non-2xx answer or
// no answer is exit 1, so a receiver's CI can run it.
import type { Command } from 'commander';
import { WebhookEventNameValues } from '../../../generated/constants.ts';
import { LOOPBACK } from '../../core/base-url.ts';
import { quote, requireOneOf } from '../../core/validate.ts';
import { InvalidInputError } from '../../errors.ts';
import { fixtures } from '../../testing/fixtures.ts';
import type { WebhookEventName } from '../../types.ts';
import { signWebhook, type WebhookEvent } from '../../webhooks/index.ts';
import { CliError, UsageError } from '../errors.ts';
import type { CliIo } from '../io.ts';
import { checked, globalOptions } from '../kit.ts';
import { printResult } from '../output.ts';


/** The receiver's URL: https, or http to a loopback host (the client's baseUrl rule). */
export function forwardUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidInputError('--forward-to', `${quote(value)} is not a URL; pass e.g. "http://localhost:3000/webhooks/amani"`);
  }
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    throw new InvalidInputError(
      '--forward-to',
      `plain http is refused for ${url.hostname}: use https (http is allowed only for localhost, 127.0.0.1 and [::1])`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidInputError('--forward-to', `must be an http(s) URL, got ${url.protocol}`);
  return url.href;
}

/** The endpoint secret: --secret, else AMANI_WEBHOOK_SECRET (flags land in shell history). */
export function webhookSecret(option: string | undefined, io: CliIo): string {
  const secret = option ?? io.env.AMANI_WEBHOOK_SECRET;
  if (!secret) throw new UsageError('pass the endpoint secret in AMANI_WEBHOOK_SECRET (or --secret)');
  return secret;
}

export function registerTrigger(webhooks: Command, io: CliIo): void {
  webhooks
    .command('trigger')
    .description("send the spec's example delivery of <event>, signed as Amani signs it, to your receiver; print its answer (exit 1 unless 2xx)")
    .argument('<event>', `one of ${WebhookEventNameValues.join(', ')}`, checked((value) => requireOneOf('event', value, WebhookEventNameValues)))
    .requiredOption('--forward-to <url>', 'the receiver, e.g. http://localhost:3000/webhooks/amani (http only for loopback hosts)', checked(forwardUrl))
    .option('--secret <secret>', 'the endpoint secret to sign with (prefer AMANI_WEBHOOK_SECRET: flags land in shell history)')
    .action(async (event: WebhookEventName, options: { forwardTo: string; secret?: string }, command: Command) => {
      const { json, timeout } = globalOptions(command);
      const secret = webhookSecret(options.secret, io);
      const url = options.forwardTo;
      const signed = await signWebhook(fixtures.webhook(event) as unknown as WebhookEvent, secret);
      let response: Response;
      try {
        response = await fetch(url, { method: 'POST', ...signed, redirect: 'manual', signal: AbortSignal.timeout(timeout ?? 30_000) });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw new CliError(`could not reach ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
      }
      const body = await response.text();
      const status = `${response.status} ${response.statusText}`.trim();
      printResult(io.stdout, json === true, { event, url, status: response.status, body }, () =>
        `Sent ${event} to ${url}\nReceiver answered ${status}\n${body === '' ? '(empty body)' : body}${body.endsWith('\n') ? '' : '\n'}`,
      );
      if (!response.ok) {
        throw new CliError(`the receiver answered ${status}, not 2xx (a wrong secret, or a body parsed and re-serialized before verifying?)`);
      }
    });
}
