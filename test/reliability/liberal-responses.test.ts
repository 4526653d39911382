// Liberal in what it accepts, over a real socket: answers with values Amani may add (a new profile
// status, risk class, video-call status, document or AML status, event name), fields no source
// shows, and without the constraints only this spec invented (an https-only URL, string-only
// metadata, a header-name pattern, a non-empty event list, fields only inferred to be there) reach
// the caller unchanged, and each one is valid for the operation's response schema in the spec.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { AmaniClient } from '../../src/index.ts';
import { bundledSpec } from '../../scripts/lib/paths.ts';
import { act } from './fault-server.ts';
import { clientFor, PROFILE_ID, secretScan, uuid, useFaultServer } from './harness.ts';

const server = useFaultServer();

const spec = JSON.parse(readFileSync(bundledSpec, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
ajv.addSchema(spec, 'spec');

/** The errors of `body` against the JSON schema of `path`'s `method` answering `status`; [] when valid. */
function schemaErrors(path: string, method: string, status: number, body: unknown): unknown[] {
  const pointer = `spec#/paths/${path.replaceAll('~', '~0').replaceAll('/', '~1')}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`;
  const validate = ajv.getSchema(encodeURI(pointer));
  if (!validate) throw new Error(`no schema at ${pointer}`);
  return validate(body) ? [] : (validate.errors ?? []);
}

/** A field no source shows, nested, as Amani may add one. */
const NEW = { added_later: { nested: [1, 'two', null] } };
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIn0.c2lnbmF0dXJl';

interface Case {
  name: string;
  /** The spec's path template and method of the operation. */
  operation: [string, string];
  /** The path the request goes to. */
  path: string;
  call: (client: AmaniClient) => Promise<unknown>;
  body: unknown;
}

const CASES: Case[] = [
  {
    name: 'a profile with a new status, risk class and video-call status, and fields Studio shows',
    operation: ['/api/v2/profile/{id}', 'GET'],
    path: `/api/v2/profile/${PROFILE_ID}`,
    call: (c) => c.profiles.get(PROFILE_ID),
    body: {
      id: PROFILE_ID,
      status: 'ON_HOLD',
      risk: 'MEDIUM',
      video_call_status: 'RESCHEDULED',
      biopay_enabled: true,
      aml_whitelisted: false,
      access: TOKEN,
      refresh: TOKEN,
      ...NEW,
    },
  },
  {
    name: 'a status change answered with a status spelled another way',
    operation: ['/api/v2/profile/{id}/status', 'PUT'],
    path: `/api/v2/profile/${PROFILE_ID}/status`,
    call: (c) => c.profiles.setStatus(PROFILE_ID, 'APPROVED'),
    body: { result: true, status: 'Approved by reviewer', ...NEW },
  },
  {
    name: 'a document with a status no source lists',
    operation: ['/api/v2/document/{id}', 'GET'],
    path: `/api/v2/document/${uuid(1)}`,
    call: (c) => c.documents.get(uuid(1)),
    body: { id: uuid(1), type: 'TUR_ID_1', status: 'EXPIRED', ...NEW },
  },
  {
    name: 'an endpoint registered elsewhere: plain-http URL, no events, a header name with a space, metadata of any type, no created_at',
    operation: ['/api/v2/webhook', 'GET'],
    path: '/api/v2/webhook',
    call: (c) => c.webhooks.list(),
    body: [
      {
        id: uuid(2),
        url: 'http://legacy.example.com/hook',
        enabled_events: [],
        custom_headers: { 'X Legacy Header': 'on' },
        metadata: { priority: 1, tags: ['kyc'], owner: null },
        ...NEW,
      },
      { id: uuid(3), url: 'https://hooks.example.com/a', enabled_events: ['profile_create', 'kyc_expired', 'kyc_expired'] },
    ],
  },
  {
    name: 'the event types, one of them new',
    operation: ['/api/v2/webhook/events', 'GET'],
    path: '/api/v2/webhook/events',
    call: (c) => c.webhooks.eventTypes(),
    body: ['profile_create', 'kyc_expired'],
  },
  {
    name: 'a delivery of a new event, never answered, queued, with only an id and the event',
    operation: ['/api/v2/webhook/logs', 'GET'],
    path: '/api/v2/webhook/logs',
    call: (c) => c.webhooks.logs(),
    body: [
      { id: uuid(4), event: 'kyc_expired', response_status: 0, attempts: 0, ...NEW },
      { id: uuid(5), event: 'profile_create' },
    ],
  },
  {
    name: 'an AML record with a status in another spelling and without the inferred fields',
    operation: ['/api/v2/aml/search', 'GET'],
    path: '/api/v2/aml/search',
    call: (c) => c.aml.search(PROFILE_ID),
    body: { id: uuid(6), status: 'NO_RECORDS', ...NEW },
  },
];

describe('answers the spec did not foresee pass through unchanged', () => {
  it.each(CASES)('$name', async ({ operation: [template, method], path, call, body }) => {
    server.script(method, path, act.json(200, body));
    const { client } = clientFor(server);
    await expect(call(client)).resolves.toEqual(body);
    expect(server.arrivals(method, path)).toHaveLength(1);
  });

  it.each(CASES)('$name: valid for the response schema', ({ operation: [template, method], body }) => {
    expect(schemaErrors(template, method, 200, body)).toEqual([]);
  });

  it('the response schemas still refuse what no server sends: a wrong type', () => {
    expect(schemaErrors('/api/v2/profile/{id}', 'GET', 200, { id: PROFILE_ID, status: 7, access: TOKEN, refresh: TOKEN })).not.toEqual([]);
    expect(schemaErrors('/api/v2/webhook/events', 'GET', 200, ['profile_create', 3])).not.toEqual([]);
    expect(schemaErrors('/api/v2/webhook', 'GET', 200, [{ id: uuid(2), url: 'https://a.example/h', enabled_events: 'profile_create' }])).not.toEqual([]);
  });
});

secretScan();
