import { describe, expect, it } from 'vitest';
import { api, expectContract, expectMalformedId, expectRejected, prefer, SERVER_ERRORS } from './support.ts';

const endpointId = '3b9f6c1e-2d4a-4f7b-9e8c-5a1d2c3b4e5f';
const deliveryId = 'e4a1b2c3-d5e6-4f70-8a9b-c0d1e2f3a4b5';
const eventNames = [
  'profile_create',
  'profile_update',
  'profile_status_change',
  'profile_level_update',
  'document_upload',
  'document_update',
  'document_status_change',
  'document_delete',
  'zip_file_create',
  'video_call_status_change',
];
const newEndpoint = {
  url: 'https://hooks.acme-finance.com/amani/events',
  enabled_events: ['profile_status_change', 'document_status_change'] as ('profile_status_change' | 'document_status_change')[],
  custom_headers: { 'X-Acme-Source': 'amani' },
  metadata: { team: 'onboarding' },
};

describe('listWebhookEventTypes', () => {
  it('200 lists the ten event names (GET /events is not taken for an endpoint id)', async () => {
    const result = await api().GET('/api/v2/webhook/events');
    expectContract('listWebhookEventTypes', 200, result);
    expect([...(result.data ?? [])].sort()).toEqual([...eventNames].sort());
  });

  it.each([401, 403, 429, ...SERVER_ERRORS])('%i is declared and matches the error schema', async (status) => {
    const result = await api().GET('/api/v2/webhook/events', { headers: prefer(status) });
    expectContract('listWebhookEventTypes', status, result);
  });

  it('rejects a call without a user token', async () => {
    const result = await api(null).GET('/api/v2/webhook/events');
    expectRejected(result, 401, /security/);
  });
});

describe('createWebhookEndpoint', () => {
  it('201 returns the registered endpoint', async () => {
    const result = await api().POST('/api/v2/webhook', { body: newEndpoint });
    expectContract('createWebhookEndpoint', 201, result);
    expect(result.data?.id).toBe(endpointId);
    expect(result.data?.url).toMatch(/^https:\/\//);
    expect(result.data?.enabled_events).toEqual(['profile_status_change', 'document_status_change']);
    expect(result.data?.custom_headers).toEqual({ 'X-Acme-Source': 'amani' });
  });

  it('201 with only url and enabled_events', async () => {
    const result = await api().POST('/api/v2/webhook', {
      body: { url: 'https://archive.acme-finance.com/amani/zip', enabled_events: ['zip_file_create'] },
    });
    expectContract('createWebhookEndpoint', 201, result);
  });

  it.each([400, 401, 403, 429, ...SERVER_ERRORS])('%i is declared and matches the error schema', async (status) => {
    const result = await api().POST('/api/v2/webhook', { body: newEndpoint, headers: prefer(status) });
    expectContract('createWebhookEndpoint', status, result);
  });

  it('400 names the invalid fields', async () => {
    const result = await api().POST('/api/v2/webhook', { body: newEndpoint, headers: prefer(400) });
    expect(Object.keys(result.error ?? {})).toEqual(expect.arrayContaining(['url', 'enabled_events']));
  });

  it('rejects a plain http:// URL (the API is HTTPS-only)', async () => {
    const result = await api().POST('/api/v2/webhook', { body: { ...newEndpoint, url: 'http://hooks.acme-finance.com/amani' } });
    expectRejected(result, 400, /url must match pattern "\^https:\/\/"/);
  });

  it('rejects an unknown event name', async () => {
    const result = await api().POST('/api/v2/webhook', {
      // @ts-expect-error profile_created is not an event name
      body: { ...newEndpoint, enabled_events: ['profile_created'] },
    });
    expectRejected(result, 400, /enabled_events\.0 must be equal to one of the allowed values/);
  });

  it('rejects an empty event list and a repeated event', async () => {
    const empty = await api().POST('/api/v2/webhook', { body: { ...newEndpoint, enabled_events: [] } });
    expectRejected(empty, 400, /enabled_events must NOT have fewer than 1 items/);
    const repeated = await api().POST('/api/v2/webhook', {
      body: { ...newEndpoint, enabled_events: ['profile_create', 'profile_create'] },
    });
    expectRejected(repeated, 400, /duplicate items/);
  });

  it('rejects the single-webhook design body (per-event booleans, no enabled_events)', async () => {
    const result = await api().POST('/api/v2/webhook', {
      // @ts-expect-error design B's body lacks enabled_events: that is what this test proves
      body: { url: newEndpoint.url, signature_enabled: true, profile_create: true },
    });
    expectRejected(result, 400, /enabled_events/);
  });

  it('rejects a custom header name that is not an HTTP token and a non-string metadata value', async () => {
    const header = await api().POST('/api/v2/webhook', { body: { ...newEndpoint, custom_headers: { 'X Bad': 'x' } } });
    expectRejected(header, 400, /custom_headers property name must be valid/);
    const metadata = await api().POST('/api/v2/webhook', {
      // @ts-expect-error metadata values are strings
      body: { ...newEndpoint, metadata: { tier: 1 } },
    });
    expectRejected(metadata, 400, /metadata\.tier must be string/);
  });
});

describe('listWebhookEndpoints', () => {
  it('200 lists the endpoints', async () => {
    const result = await api().GET('/api/v2/webhook');
    expectContract('listWebhookEndpoints', 200, result);
    expect(result.data).toHaveLength(2);
    expect(result.data?.[0]?.id).toBe(endpointId);
    expect(result.data?.[1]?.enabled_events).toEqual(['zip_file_create']);
  });

  it.each([401, 403, 429, ...SERVER_ERRORS])('%i is declared and matches the error schema', async (status) => {
    const result = await api().GET('/api/v2/webhook', { headers: prefer(status) });
    expectContract('listWebhookEndpoints', status, result);
  });

  it('rejects a call without a user token', async () => {
    const result = await api(null).GET('/api/v2/webhook');
    expectRejected(result, 401, /security/);
  });
});

describe('updateWebhookEndpoint', () => {
  const params = { path: { id: endpointId } };

  it('200 returns the updated endpoint (PUT /webhook/<uuid> reaches the {id} operation)', async () => {
    const result = await api().PUT('/api/v2/webhook/{id}', {
      params,
      body: { enabled_events: ['profile_status_change', 'document_status_change', 'video_call_status_change'] },
    });
    expectContract('updateWebhookEndpoint', 200, result);
    expect(result.data?.id).toBe(endpointId);
    expect(result.data?.enabled_events).toContain('video_call_status_change');
    expect(result.data?.updated_at).toBeGreaterThan(result.data?.created_at ?? Infinity);
  });

  it.each([400, 401, 403, 404, 429, ...SERVER_ERRORS])('%i is declared and matches the error schema', async (status) => {
    const result = await api().PUT('/api/v2/webhook/{id}', {
      params,
      body: { url: 'https://hooks.acme-finance.com/amani/v2/events' },
      headers: prefer(status),
    });
    expectContract('updateWebhookEndpoint', status, result);
  });

  it('rejects an empty body', async () => {
    const result = await api().PUT('/api/v2/webhook/{id}', { params, body: {} });
    expectRejected(result, 400, /fewer than 1 properties/);
  });

  it('rejects a plain http:// URL', async () => {
    const result = await api().PUT('/api/v2/webhook/{id}', { params, body: { url: 'http://hooks.acme-finance.com/amani' } });
    expectRejected(result, 400, /url must match pattern/);
  });

  it('answers an id that is not a uuid with the declared 404, not a 400', async () => {
    const result = await api().PUT('/api/v2/webhook/{id}', { params: { path: { id: 'not-a-uuid' } }, body: { metadata: {} } });
    expectMalformedId('updateWebhookEndpoint', result);
  });

  it('PUT /webhook/events is routed to the {id} operation and answered 404: events is not an endpoint id', async () => {
    const result = await api().PUT('/api/v2/webhook/{id}', { params: { path: { id: 'events' } }, body: { metadata: {} } });
    expectMalformedId('updateWebhookEndpoint', result);
  });
});

describe('deleteWebhookEndpoint', () => {
  it('204 deletes the endpoint (DELETE /webhook/<uuid> reaches the {id} operation)', async () => {
    const result = await api().DELETE('/api/v2/webhook/{id}', { params: { path: { id: endpointId } } });
    expectContract('deleteWebhookEndpoint', 204, result);
    expect(result.data).toBeUndefined();
  });

  it.each([401, 403, 404, 429, ...SERVER_ERRORS])('%i is declared and matches the error schema', async (status) => {
    const result = await api().DELETE('/api/v2/webhook/{id}', { params: { path: { id: endpointId } }, headers: prefer(status) });
    expectContract('deleteWebhookEndpoint', status, result);
  });

  it('rejects a call without a user token', async () => {
    const result = await api(null).DELETE('/api/v2/webhook/{id}', { params: { path: { id: endpointId } } });
    expectRejected(result, 401, /security/);
  });

  it('answers an id that is not a uuid (DELETE /webhook/secret) with the declared 404', async () => {
    const result = await api().DELETE('/api/v2/webhook/{id}', { params: { path: { id: 'secret' } } });
    expectMalformedId('deleteWebhookEndpoint', result);
  });
});

describe('getWebhookSecret', () => {
  it('200 returns the current secret', async () => {
    const result = await api().GET('/api/v2/webhook/secret');
    expectContract('getWebhookSecret', 200, result);
    expect(result.data?.secret).toBe('Jm3pQ8vT2xLw9rYc4kHs7nBd1fGz6aEu');
  });

  it.each([401, 403, 429, ...SERVER_ERRORS])('%i is declared and matches the error schema', async (status) => {
    const result = await api().GET('/api/v2/webhook/secret', { headers: prefer(status) });
    expectContract('getWebhookSecret', status, result);
  });

  it('rejects a call without a user token', async () => {
    const result = await api(null).GET('/api/v2/webhook/secret');
    expectRejected(result, 401, /security/);
  });
});

describe('regenerateWebhookSecret', () => {
  it('200 returns a new secret (PATCH /secret is not taken for an endpoint id)', async () => {
    const result = await api().PATCH('/api/v2/webhook/secret');
    expectContract('regenerateWebhookSecret', 200, result);
    expect(result.data?.secret).toBe('Vq7Lz2Nw8cRt5yHb3mKx9pGd4sJf6aUe');
  });

  it.each([401, 403, 429, ...SERVER_ERRORS])('%i is declared and matches the error schema', async (status) => {
    const result = await api().PATCH('/api/v2/webhook/secret', { headers: prefer(status) });
    expectContract('regenerateWebhookSecret', status, result);
  });

  it('rejects a call without a user token', async () => {
    const result = await api(null).PATCH('/api/v2/webhook/secret');
    expectRejected(result, 401, /security/);
  });
});

describe('listWebhookDeliveries', () => {
  it('200 lists deliveries', async () => {
    const result = await api().GET('/api/v2/webhook/logs');
    expectContract('listWebhookDeliveries', 200, result);
    const [failed, delivered] = result.data ?? [];
    expect(failed).toMatchObject({ id: deliveryId, success: false, response_status: 503, attempts: 3 });
    expect(delivered).toMatchObject({ event: 'zip_file_create', success: true, response_status: 200 });
  });

  it('200 with every filter', async () => {
    const result = await api().GET('/api/v2/webhook/logs', {
      params: { query: { event: 'profile_status_change', endpoint: endpointId, success: false } },
    });
    expectContract('listWebhookDeliveries', 200, result);
  });

  it.each([400, 401, 403, 429, ...SERVER_ERRORS])('%i is declared and matches the error schema', async (status) => {
    const result = await api().GET('/api/v2/webhook/logs', { headers: prefer(status) });
    expectContract('listWebhookDeliveries', status, result);
  });

  it('rejects an unknown event filter', async () => {
    const result = await api().GET('/api/v2/webhook/logs', {
      // @ts-expect-error profile_created is not an event name
      params: { query: { event: 'profile_created' } },
    });
    expectRejected(result, 400, /query parameter event must be equal to one of the allowed values/);
  });

  it('rejects an endpoint filter that is not a uuid and a success filter that is not a boolean', async () => {
    const endpoint = await api().GET('/api/v2/webhook/logs', { params: { query: { endpoint: 'main' } } });
    expectRejected(endpoint, 400, /query parameter endpoint must match format "uuid"/);
    const success = await api().GET('/api/v2/webhook/logs', {
      // @ts-expect-error success is a boolean
      params: { query: { success: 'failed' } },
    });
    expectRejected(success, 400, /query parameter success must be boolean/);
  });
});

describe('retryWebhookDelivery', () => {
  const params = { path: { id: deliveryId } };

  it('202 returns the delivery queued again', async () => {
    const result = await api().POST('/api/v2/webhook/logs/{id}/retry', { params });
    expectContract('retryWebhookDelivery', 202, result);
    expect(result.data).toMatchObject({ id: deliveryId, endpoint_id: endpointId, attempts: 4 });
  });

  it.each([401, 403, 404, 429, ...SERVER_ERRORS])('%i is declared and matches the error schema', async (status) => {
    const result = await api().POST('/api/v2/webhook/logs/{id}/retry', { params, headers: prefer(status) });
    expectContract('retryWebhookDelivery', status, result);
  });

  it('rejects a call without a user token', async () => {
    const result = await api(null).POST('/api/v2/webhook/logs/{id}/retry', { params });
    expectRejected(result, 401, /security/);
  });

  it('answers an id that is not a uuid with the declared 404', async () => {
    const result = await api().POST('/api/v2/webhook/logs/{id}/retry', { params: { path: { id: 'latest' } } });
    expectMalformedId('retryWebhookDelivery', result);
  });
});
