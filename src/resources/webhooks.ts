import { WebhookEventNameValues } from '../../generated/constants.ts';
import type { components, paths } from '../../generated/schema.js';
import type { Caller } from '../core/call.ts';
import type { RequestOptions } from '../core/transport.ts';
import { optional, requireObject, requireOneOf, requireUuid } from '../core/validate.ts';
import { requireHttpsUrl } from '../core/validate-address.ts';
import { InvalidInputError } from '../errors.ts';
import type {
  AnyWebhookEventName,
  Loose,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointCreateRequest,
  WebhookEndpointUpdateRequest,
  WebhookEventName,
  WebhookSecret,
} from '../types.ts';

type Filter = NonNullable<paths['/api/v2/webhook/logs']['get']['parameters']['query']>;
export type WebhookDeliveryFilter = Loose<Filter>;
// The bodies as the spec types them: the methods take them with `| undefined` on optional fields
// (see Loose), which JSON and the query string leave out.
type Wire = components['schemas'];

function checkEvents(events: unknown): void {
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidInputError('enabled_events', `must list at least one event: ${WebhookEventNameValues.join(', ')}`);
  }
  events.forEach((event, i) => requireOneOf(`enabled_events[${i}]`, event, WebhookEventNameValues));
  if (new Set(events).size !== events.length) throw new InvalidInputError('enabled_events', 'must not repeat an event');
}

function checkEndpoint(body: Loose<Partial<WebhookEndpointCreateRequest>>): void {
  optional(body.url, (url) => requireHttpsUrl('url', url));
  optional(body.enabled_events, checkEvents);
}

/**
 * The company's webhook endpoints, their signing secret and their deliveries, as `amani.webhooks`
 * (user token). To receive deliveries see {@link verifyWebhook} and the webhook handlers.
 */
export class Webhooks {
  constructor(private readonly caller: Caller) {}

  /**
   * The event names an endpoint can subscribe to.
   *
   * @operation listWebhookEventTypes
   * @returns The event names, e.g. `profile_status_change`.
   * @throws {@link InvalidInputError} before anything is sent, when `options` is invalid.
   */
  async eventTypes(options?: RequestOptions): Promise<AnyWebhookEventName[]> {
    return this.caller.request('/api/v2/webhook/events', options, (init) => this.caller.api.GET('/api/v2/webhook/events', { ...init }));
  }

  /**
   * Registers an endpoint (an https URL) for the given events. Not retried once it may have reached
   * Amani: after a timeout, {@link Webhooks.list | list} the endpoints before creating it again.
   *
   * @operation createWebhookEndpoint
   * @returns The new endpoint, with its id.
   * @throws {@link InvalidInputError} before anything is sent: `body` is not an object, `url` is not
   *   an https URL, `enabled_events` is empty, repeats an event or names an unknown one, or
   *   `options` is invalid.
   */
  async create(body: WebhookEndpointCreateRequest, options?: RequestOptions): Promise<WebhookEndpoint> {
    requireObject('body', body);
    requireHttpsUrl('url', body.url);
    checkEvents(body.enabled_events);
    return this.caller.request('/api/v2/webhook', options, (init) => this.caller.api.POST('/api/v2/webhook', { body: body as Wire['WebhookEndpointCreateRequest'], ...init }));
  }

  /**
   * Every webhook endpoint of the company.
   *
   * @operation listWebhookEndpoints
   * @returns The endpoints (an empty array when there is none).
   * @throws {@link InvalidInputError} before anything is sent, when `options` is invalid.
   */
  async list(options?: RequestOptions): Promise<WebhookEndpoint[]> {
    return this.caller.request('/api/v2/webhook', options, (init) => this.caller.api.GET('/api/v2/webhook', { ...init }));
  }

  /**
   * Changes an endpoint; lists and maps given here replace the stored ones.
   *
   * @param id The endpoint id (a uuid).
   * @operation updateWebhookEndpoint
   * @returns The endpoint as it now is.
   * @throws {@link InvalidInputError} before anything is sent: `id` is not a uuid, `body` is not an
   *   object or sets no field, `url` is not https, `enabled_events` is empty, repeats an event or
   *   names an unknown one, or `options` is invalid.
   */
  async update(id: string, body: WebhookEndpointUpdateRequest, options?: RequestOptions): Promise<WebhookEndpoint> {
    requireUuid('id', id);
    requireObject('body', body, true);
    checkEndpoint(body);
    return this.caller.request('/api/v2/webhook/{id}', options, (init) =>
      this.caller.api.PUT('/api/v2/webhook/{id}', { params: { path: { id } }, body: body as Wire['WebhookEndpointUpdateRequest'], ...init }),
    );
  }

  /**
   * Deletes an endpoint: no more deliveries go to it.
   *
   * @param id The endpoint id (a uuid).
   * @operation deleteWebhookEndpoint
   * @returns Nothing once the endpoint is gone (204).
   * @throws {@link InvalidInputError} before anything is sent: `id` is not a uuid, or `options` is invalid.
   */
  async delete(id: string, options?: RequestOptions): Promise<void> {
    requireUuid('id', id);
    await this.caller.request('/api/v2/webhook/{id}', options, (init) =>
      this.caller.api.DELETE('/api/v2/webhook/{id}', { params: { path: { id } }, ...init }),
    );
  }

  /**
   * The secret deliveries are signed with. Keep it out of logs.
   *
   * @operation getWebhookSecret
   * @returns The secret (`secret`), to pass to {@link verifyWebhook} or a webhook handler.
   * @throws {@link InvalidInputError} before anything is sent, when `options` is invalid.
   */
  async getSecret(options?: RequestOptions): Promise<WebhookSecret> {
    return this.caller.request('/api/v2/webhook/secret', options, (init) => this.caller.api.GET('/api/v2/webhook/secret', { ...init }));
  }

  /**
   * Replaces the signing secret. Not retried (each call makes a new secret): verify with both the
   * old and the new secret until deliveries signed with the old one have arrived.
   *
   * @operation regenerateWebhookSecret
   * @returns The new secret (`secret`).
   * @throws {@link InvalidInputError} before anything is sent, when `options` is invalid.
   */
  async regenerateSecret(options?: RequestOptions): Promise<WebhookSecret> {
    return this.caller.request('/api/v2/webhook/secret', options, (init) => this.caller.api.PATCH('/api/v2/webhook/secret', { ...init }));
  }

  /**
   * Delivery attempts, optionally filtered by event, endpoint or outcome.
   *
   * @param filter Sent as the query: `event`, `endpoint` (an endpoint id), `success`, ...
   * @operation listWebhookDeliveries
   * @returns The deliveries that match, each with the outcome of its latest attempt.
   * @throws {@link InvalidInputError} before anything is sent: `filter` is not an object,
   *   `filter.event` is not an event name, `filter.endpoint` is not a uuid, or `options` is invalid.
   */
  async logs(filter: WebhookDeliveryFilter = {}, options?: RequestOptions): Promise<WebhookDelivery[]> {
    requireObject('filter', filter);
    optional(filter.event, (e) => requireOneOf('filter.event', e, WebhookEventNameValues));
    optional(filter.endpoint, (e) => requireUuid('filter.endpoint', e));
    return this.caller.request('/api/v2/webhook/logs', options, (init) =>
      this.caller.api.GET('/api/v2/webhook/logs', { params: { query: filter as Filter }, ...init }),
    );
  }

  /**
   * Queues a failed delivery again.
   *
   * @param id The delivery id (a uuid, from {@link Webhooks.logs | logs}).
   * @operation retryWebhookDelivery
   * @returns The delivery, queued again (202).
   * @throws {@link InvalidInputError} before anything is sent: `id` is not a uuid, or `options` is invalid.
   */
  async retry(id: string, options?: RequestOptions): Promise<WebhookDelivery> {
    requireUuid('id', id);
    return this.caller.request('/api/v2/webhook/logs/{id}/retry', options, (init) =>
      this.caller.api.POST('/api/v2/webhook/logs/{id}/retry', { params: { path: { id } }, ...init }),
    );
  }
}
