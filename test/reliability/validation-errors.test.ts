// Validation errors as Django REST Framework really nests them, over a real socket: a nested
// serializer's errors are an object, a `many=True` serializer's a list with `{}` for each valid
// item, a ListField's (or DictField's) an object keyed by index (or key), and a view that raises
// ValidationError itself answers a bare list. ValidationError.fieldErrors flattens all of them to
// dotted paths, the message names the first few with a count, the CLI prints every path, and the
// spec's ValidationError schema accepts each body.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ValidationError, type AmaniClient } from '../../src/index.ts';
import { bundledSpec } from '../../scripts/lib/paths.ts';
import { cli } from '../cli/helpers.ts';
import { act } from './fault-server.ts';
import { clientFor, credentials, failure, JPEG, PROFILE_ID, secretScan, useFaultServer } from './harness.ts';

const server = useFaultServer();

interface Case {
  name: string;
  method: string;
  path: string;
  call: (client: AmaniClient) => Promise<unknown>;
  /** The body a DRF view answers with 400. */
  body: unknown;
  fieldErrors: Record<string, string[]>;
}

const REQUIRED = ['This field is required.'];
const CASES: Case[] = [
  {
    name: 'a nested serializer (address) and non_field_errors',
    method: 'POST',
    path: '/api/v2/profile',
    call: (c) => c.profiles.create({ id_card_number: '12345678901', address: { province: 'Sisli' } }),
    body: { address: { city: REQUIRED }, non_field_errors: ['The identity number does not match the name.'] },
    fieldErrors: { 'address.city': REQUIRED, non_field_errors: ['The identity number does not match the name.'] },
  },
  {
    name: 'a nested serializer given the wrong type: its own non_field_errors',
    method: 'PATCH',
    path: `/api/v2/profile/${PROFILE_ID}`,
    call: (c) => c.profiles.update(PROFILE_ID, { name: 'Ayse Yilmaz' }),
    body: { address: { non_field_errors: ['Invalid data. Expected a dictionary, but got str.'] } },
    fieldErrors: { 'address.non_field_errors': ['Invalid data. Expected a dictionary, but got str.'] },
  },
  {
    name: 'a many=True serializer: a list with {} for each item without errors',
    method: 'POST',
    path: '/api/v2/document',
    call: (c) => c.documents.upload({ profile: PROFILE_ID, type: 'TUR_ID_1', pages: [JPEG, JPEG, JPEG] }),
    body: { pages: [{}, { type: ['"XX" is not a valid choice.'], index: ['Ensure this value is greater than or equal to 0.'] }, {}] },
    fieldErrors: { 'pages[1].type': ['"XX" is not a valid choice.'], 'pages[1].index': ['Ensure this value is greater than or equal to 0.'] },
  },
  {
    name: 'a ListField (keyed by index) and a DictField (keyed by key)',
    method: 'POST',
    path: '/api/v2/webhook',
    call: (c) => c.webhooks.create({ url: 'https://hooks.example.com/a', enabled_events: ['profile_create', 'document_upload'] }),
    body: { enabled_events: { '1': ['"document_upload" is not a valid choice.'] }, metadata: { team: ['Not a valid string.'] } },
    fieldErrors: { 'enabled_events[1]': ['"document_upload" is not a valid choice.'], 'metadata.team': ['Not a valid string.'] },
  },
  {
    name: 'a bare list, as a view raising ValidationError("...") answers',
    method: 'PUT',
    path: `/api/v2/profile/${PROFILE_ID}/status`,
    call: (c) => c.profiles.setStatus(PROFILE_ID, 'APPROVED'),
    body: ['The profile has documents pending review.'],
    fieldErrors: { non_field_errors: ['The profile has documents pending review.'] },
  },
];

const spec = JSON.parse(readFileSync(bundledSpec, 'utf8')) as object;
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(spec, 'spec');
const validationSchema = () => ajv.getSchema('spec#/components/schemas/ValidationError')!;

describe('DRF validation errors over HTTP', () => {
  it.each(CASES)('$name: fieldErrors has the dotted paths, the message names them', async ({ method, path, call, body, fieldErrors }) => {
    server.script(method, path, act.json(400, body));
    const { client } = clientFor(server);
    const error = (await failure(path, () => call(client))) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.fieldErrors).toEqual(fieldErrors);
    for (const [field, messages] of Object.entries(fieldErrors)) expect(error.message).toContain(`${field}: ${messages.join(' ')}`);
    expect(error.body).toEqual(body);
    expect(server.arrivals(method, path)).toHaveLength(1);
  });

  it.each(CASES)("$name: the spec's ValidationError schema accepts the body", ({ body }) => {
    const validate = validationSchema();
    expect(validate(body) ? [] : validate.errors).toEqual([]);
  });

  it('the message names the first three paths and counts the rest', async () => {
    const body = { name: REQUIRED, email: ['Enter a valid email address.'], address: { city: REQUIRED, province: REQUIRED }, phone: REQUIRED };
    server.script('POST', '/api/v2/profile', act.json(400, body));
    const { client } = clientFor(server);
    const error = (await failure('create', () => client.profiles.create({ id_card_number: '1' }))) as ValidationError;
    expect(Object.keys(error.fieldErrors)).toEqual(['name', 'email', 'address.city', 'address.province', 'phone']);
    expect(error.message).toContain('name: This field is required.; email: Enter a valid email address.; address.city: This field is required.; +2 more. Fix the fields');
    expect(error.message).not.toContain('address.province');
  });

  it('the schema still refuses what DRF never sends: a message that is not a string', () => {
    const validate = validationSchema();
    expect(validate({ address: { city: [42] } })).toBe(false);
    expect(validate({ pages: [{ type: 'not a list' }] })).toBe(false);
  });

  it('the CLI prints every path with its messages', async () => {
    server.fallback('POST', '/api/v2/user/login', act.json(200, { access: 'a.b.c', refresh: 'd.e.f' }));
    server.script('POST', '/api/v2/profile', act.json(400, { address: { city: REQUIRED }, pages: [{}, { type: ['Unknown type.'] }], a: REQUIRED, b: REQUIRED }));
    const env = { AMANI_BASE_URL: server.url, AMANI_USERNAME: credentials.username, AMANI_PASSWORD: credentials.password };
    const result = await cli(['profiles', 'create', '--id-card-number', '12345678901'], { env });
    expect(result.code).toBe(1);
    for (const line of ['address.city: This field is required.', 'pages[1].type: Unknown type.', 'a: This field is required.', 'b: This field is required.']) {
      expect(result.stderr).toContain(`\n  ${line}`);
    }
  });
});

secretScan();
