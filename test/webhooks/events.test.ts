import { describe, expect, expectTypeOf, it } from 'vitest';
import type { components, webhooks } from '../../generated/schema.js';
import { WebhookEventNameValues } from '../../generated/constants.ts';
import { isWebhookEventName, type WebhookEvent, type WebhookEventName, type WebhookEventOf } from '../../src/webhooks/index.ts';

describe('webhook event types', () => {
  it('are derived from the spec: one name per `webhooks` entry, the same list as the generated constants', () => {
    expectTypeOf<WebhookEventName>().toEqualTypeOf<keyof webhooks>();
    expectTypeOf<WebhookEventName>().toEqualTypeOf<(typeof WebhookEventNameValues)[number]>();
    expectTypeOf<WebhookEventName>().toEqualTypeOf<components['schemas']['WebhookEventName']>();
  });

  it("map each name to that event's payload schema", () => {
    expectTypeOf<WebhookEventOf<'profile_status_change'>>().toEqualTypeOf<components['schemas']['ProfileStatusChangeEvent']>();
    expectTypeOf<WebhookEventOf<'zip_file_create'>>().toEqualTypeOf<components['schemas']['ZipFileCreateEvent']>();
    expectTypeOf<WebhookEvent>().toEqualTypeOf<WebhookEventOf<WebhookEventName>>();
  });

  it('narrow on the event name', () => {
    const summary = (event: WebhookEvent): string => {
      switch (event.event) {
        case 'profile_status_change':
          expectTypeOf(event).toEqualTypeOf<WebhookEventOf<'profile_status_change'>>();
          expectTypeOf(event.status).toEqualTypeOf<components['schemas']['AnyProfileStatus']>();
          return `status ${event.status}`;
        case 'document_status_change':
          expectTypeOf(event.document).toEqualTypeOf<components['schemas']['Document']>();
          return `document ${event.document.id}`;
        case 'profile_level_update':
          expectTypeOf(event.verified_level).toEqualTypeOf<number | null>();
          return `level ${event.verified_level}`;
        default:
          return event.event;
      }
    };
    expect(summary({ event: 'profile_level_update', profile: { id: 'p' }, verified_level: 2 })).toBe('level 2');
    // @ts-expect-error a payload missing its event's fields does not type-check
    const bad: WebhookEvent = { event: 'profile_status_change', profile: { id: 'p' } };
    expect(bad.event).toBe('profile_status_change');
  });

  it('isWebhookEventName accepts exactly the generated names', () => {
    for (const name of WebhookEventNameValues) expect(isWebhookEventName(name)).toBe(true);
    for (const other of ['profile_delete', 'PROFILE_CREATE', '', 'toString', '__proto__', 42, null, undefined, {}]) {
      expect(isWebhookEventName(other)).toBe(false);
    }
  });
});
