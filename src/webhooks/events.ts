// Webhook event types, derived from the spec's `webhooks` section through the generated types:
// a new event in openapi/webhooks/ appears here after `npm run generate`, with no hand-written copy
// to fall out of date. The runtime check uses the generated list of names for the same reason.
import type { webhooks } from '../../generated/schema.js';
import { WebhookEventNameValues } from '../../generated/constants.ts';
import { WebhookSignatureError } from '../errors.ts';

/** The name of an Amani webhook event, e.g. `profile_status_change`. */
export type WebhookEventName = keyof webhooks;

type JsonRequestBody<Operation> = Operation extends { requestBody: { content: { 'application/json': infer Payload } } }
  ? Payload
  : never;

/** The payload Amani POSTs for the event `Name`. */
export type WebhookEventOf<Name extends WebhookEventName> = JsonRequestBody<NonNullable<webhooks[Name]['post']>>;

/**
 * Any webhook payload. A union discriminated by `event`: checking `event.event` (in an `if` or a
 * `switch`) narrows it to that event's payload type.
 */
export type WebhookEvent = { [Name in WebhookEventName]: WebhookEventOf<Name> }[WebhookEventName];

const EVENT_NAMES: ReadonlySet<string> = new Set(WebhookEventNameValues);

/**
 * Whether `value` names a webhook event of the spec, e.g. `profile_status_change`.
 *
 * @returns true for a known event name; `value` is then typed as one.
 */
export function isWebhookEventName(value: unknown): value is WebhookEventName {
  return typeof value === 'string' && EVENT_NAMES.has(value);
}

/**
 * The verified, parsed payload as a WebhookEvent: an object whose `event` is a known name. Only
 * the name is checked; the other fields' layout is inferred by the spec (REFERENCE.md Gap 18) and
 * Amani may add fields, so they are passed through untouched.
 *
 * A payload that verifies but names no known event is refused with reason `invalid_body` rather
 * than passed on with a type it does not have. That happens when Amani adds an event this client
 * does not know yet: upgrade amani-client, or unsubscribe the endpoint from that event.
 */
export function toWebhookEvent(payload: unknown): WebhookEvent {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new WebhookSignatureError('invalid_body', 'The webhook body verified but is not a JSON object');
  }
  const name: unknown = (payload as { event?: unknown }).event;
  if (!isWebhookEventName(name)) {
    const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 64)) : `a ${name === null ? 'null' : typeof name}`;
    throw new WebhookSignatureError(
      'invalid_body',
      `The webhook body verified but its "event" is ${shown}, not one of the ${EVENT_NAMES.size} events this ` +
        'client knows. If Amani added an event, upgrade amani-client',
    );
  }
  return payload as WebhookEvent;
}
