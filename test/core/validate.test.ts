// Input checks that run before anything is sent: each validator with good and bad values, each
// error an InvalidInputError naming the field and saying how to fix it, and every resource method
// refusing bad ids, fields and options without a request leaving the client.
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { AmaniClient, type AmaniClientOptions } from '../../src/client.ts';
import { checkOptions } from '../../src/core/call.ts';
import { isIpAddress, isIpOrCidr, requireHttpsUrl, requireIpOrCidr } from '../../src/core/validate-address.ts';
import {
  optional,
  requireDocumentType,
  requireObject,
  requireOneOf,
  requireString,
  requireUuid,
} from '../../src/core/validate.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { GenderValues, ProfileStatusValues, WebhookEventNameValues } from '../../generated/constants.ts';
import { nockFetch } from '../support/nock-fetch.ts';
import { asyncRefusal, refusal, watchStrayRequests } from '../support/refusals.ts';

const base = 'https://eu.amani.ai';
const ID = '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e';



/** The error names the field (both in `.field` and as the message's prefix) and says how to fix it. */
function expectFieldError(error: InvalidInputError, field: string, hint: RegExp | string) {
  expect(error.field).toBe(field);
  expect(error.name).toBe('InvalidInputError');
  expect(error.message.startsWith(`${field}: `)).toBe(true);
  if (typeof hint === 'string') expect(error.message).toContain(hint);
  else expect(error.message).toMatch(hint);
}

describe('requireString', () => {
  it.each(['x', 'a b', ' padded '])('accepts %j', (value) => {
    expect(requireString('name', value)).toBe(value);
  });

  it.each([
    // A blank string is described, never quoted: the field may be a password.
    ['', 'a blank string'],
    ['   ', 'a blank string'],
    [undefined, 'undefined'],
    [null, 'object'],
    [42, 'number'],
    [['x'], 'object'],
  ])('refuses %j, saying what it got', (value, shown) => {
    const error = refusal(() => requireString('id_card_number', value));
    expectFieldError(error, 'id_card_number', 'is required and must be a non-empty string');
    expect(error.message).toContain(`got ${shown}`);
  });
});

describe('requireUuid', () => {
  it.each([ID, ID.toUpperCase(), '00000000-0000-0000-0000-000000000000'])('accepts %s', (value) => {
    expect(requireUuid('id', value)).toBe(value);
  });

  it.each([
    '',
    '6aff82cb',
    '6aff82cbe91a4df4b9a3d69de0be1a2e',
    `{${ID}}`,
    `${ID}\n`,
    ` ${ID}`,
    `${ID}0`,
    '6aff82cb-e91a-4df4-b9a3-d69de0be1a2g',
    '../../etc/passwd',
    123,
    undefined,
  ])('refuses %j with an example uuid', (value) => {
    expectFieldError(refusal(() => requireUuid('id', value)), 'id', 'must be a uuid such as 6aff82cb-e91a-4df4-b9a3-d69de0be1a2e');
  });
});

describe('requireOneOf (profile status)', () => {
  it.each([...ProfileStatusValues])('accepts %s', (status) => {
    expect(requireOneOf('status', status, ProfileStatusValues)).toBe(status);
  });

  it.each(['approved', 'Approved', 'APPROVED ', '', 'DONE', undefined, 1])('refuses %j, listing the values', (value) => {
    const error = refusal(() => requireOneOf('status', value, ProfileStatusValues));
    expectFieldError(error, 'status', `must be one of ${ProfileStatusValues.join(', ')}`);
  });

  it('works for gender too', () => {
    expect(requireOneOf('gender', 'F', GenderValues)).toBe('F');
    expectFieldError(refusal(() => requireOneOf('gender', 'female', GenderValues)), 'gender', 'must be one of M, F, got "female"');
  });
});

describe('IP addresses and CIDR ranges', () => {
  const good = [
    '203.0.113.7',
    '0.0.0.0',
    '255.255.255.255',
    '2001:db8::1',
    '2001:DB8::1',
    '::1',
    '::',
    '::ffff:192.0.2.1',
    '1:2:3:4:5:6:7:8',
  ];
  const goodRanges = ['10.0.0.0/8', '203.0.113.0/24', '203.0.113.7/32', '0.0.0.0/0', '2001:db8::/32', '2001:db8::1/128', '::/0'];
  const bad = [
    '256.0.0.1',
    '1.2.3',
    '1.2.3.4.5',
    '01.2.3.4',
    ' 203.0.113.7',
    '203.0.113.7\n',
    '10.0.0.0/33',
    '10.0.0.0/',
    '/8',
    '2001:db8::/129',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    'fffff::',
    '[::1]',
    'fe80::1%eth0',
    'localhost',
    'example.com',
    '',
  ];

  it.each(good)('%s is an address', (value) => {
    expect(isIpAddress(value)).toBe(true);
    expect(isIpOrCidr(value)).toBe(true);
    expect(requireIpOrCidr('address', value)).toBe(value);
  });

  it.each(goodRanges)('%s is a range (not an address)', (value) => {
    expect(isIpAddress(value)).toBe(false);
    expect(isIpOrCidr(value)).toBe(true);
    expect(requireIpOrCidr('address', value)).toBe(value);
  });

  it.each(bad)('%j is refused with examples of valid values', (value) => {
    expect(isIpOrCidr(value)).toBe(false);
    expectFieldError(
      refusal(() => requireIpOrCidr('address', value)),
      'address',
      'must be an IPv4/IPv6 address or CIDR range such as 203.0.113.7, 203.0.113.0/24 or 2001:db8::/32',
    );
  });

  it.each([undefined, null, 3232235777])('refuses the non-string %j', (value) => {
    expect(refusal(() => requireIpOrCidr('address', value)).field).toBe('address');
  });
});

describe('requireHttpsUrl', () => {
  it.each(['https://hooks.example.com/amani', 'https://hooks.example.com:8443/a?b=c', 'HTTPS://HOOKS.EXAMPLE.COM/'])('accepts %s', (url) => {
    expect(requireHttpsUrl('url', url)).toBe(url);
  });

  it.each(['http://hooks.example.com/amani', 'ftp://hooks.example.com', 'hooks.example.com/amani', 'https://', '', 'javascript:alert(1)', undefined, 42])(
    'refuses %j, saying webhooks are HTTPS only',
    (url) => {
      expectFieldError(refusal(() => requireHttpsUrl('url', url)), 'url', 'must be an https:// URL (Amani delivers webhooks over HTTPS only)');
    },
  );
});

describe('requireDocumentType', () => {
  it.each(['TUR_ID_1', 'XXX_SE_0', 'XXX_NF_0', 'DEU_PA_12', 'GBR_DL_3'])('accepts %s', (type) => {
    expect(requireDocumentType('type', type)).toBe(type);
  });

  it.each(['tur_id_1', 'TUR-ID-1', 'TUR_ID_', 'TURK_ID_1', 'TU_ID_1', 'TUR_I_1', 'TUR_ID_1\n', ' TUR_ID_1', 'TUR_ID_1a', '', undefined, 1])(
    'refuses %j with examples and the pattern',
    (type) => {
      const error = refusal(() => requireDocumentType('type', type));
      expectFieldError(error, 'type', 'must be a document type code like TUR_ID_1 or XXX_SE_0');
      expect(error.message).toContain('^[A-Z]{3}_[A-Z]{2}_[0-9]+$');
    },
  );
});

describe('requireObject and optional', () => {
  it('accepts objects', () => {
    const value = { a: 1 };
    expect(requireObject('body', value)).toBe(value);
    expect(requireObject('body', {})).toEqual({});
    expect(requireObject('body', { a: undefined, b: 0 }, true)).toEqual({ a: undefined, b: 0 });
  });

  it.each([
    [null, 'got object'],
    [undefined, 'got undefined'],
    ['x', 'got "x"'],
    [5, 'got number'],
    [[1], 'got an array'],
  ])('refuses %j', (value, shown) => {
    const error = refusal(() => requireObject('body', value));
    expectFieldError(error, 'body', 'must be an object');
    expect(error.message).toContain(shown);
  });

  it('with atLeastOne refuses an object with nothing set', () => {
    expectFieldError(refusal(() => requireObject('body', {}, true)), 'body', 'must set at least one field');
    expectFieldError(refusal(() => requireObject('body', { a: undefined }, true)), 'body', 'must set at least one field');
  });

  it('optional checks only values that are present', () => {
    const seen: unknown[] = [];
    optional(undefined, (v) => seen.push(v));
    optional(0, (v) => seen.push(v));
    optional('', (v) => seen.push(v));
    expect(seen).toEqual([0, '']);
  });
});

describe('checkOptions', () => {
  it('accepts nothing, and good options', () => {
    expect(checkOptions(undefined)).toEqual({});
    const options = { timeoutMs: 1, maxRetries: 0, signal: new AbortController().signal, headers: { 'x-a': 'b' } };
    expect(checkOptions(options)).toBe(options);
    expect(checkOptions({ maxRetries: 10, timeoutMs: 0.5 }).maxRetries).toBe(10);
  });

  it.each([-1, 0, Number.NaN, Number.POSITIVE_INFINITY, '100'])('refuses timeoutMs %j', (timeoutMs) => {
    const error = refusal(() => checkOptions({ timeoutMs: timeoutMs as number }));
    expectFieldError(error, 'options.timeoutMs', 'must be a positive number of milliseconds');
  });

  it.each([1.5, -1, 11, Number.NaN, '2'])('refuses maxRetries %j', (maxRetries) => {
    const error = refusal(() => checkOptions({ maxRetries: maxRetries as number }));
    expectFieldError(error, 'options.maxRetries', 'must be a whole number from 0 to 10');
  });

  it('refuses a signal that is not an AbortSignal, and bad headers', () => {
    expectFieldError(refusal(() => checkOptions({ signal: {} as AbortSignal })), 'options.signal', 'must be an AbortSignal');
    expectFieldError(refusal(() => checkOptions({ headers: null as never })), 'options.headers', 'must be an object of header names to values');
    expectFieldError(refusal(() => checkOptions({ headers: 'x-a: b' as never })), 'options.headers', 'must be an object');
  });

  it('accepts every header name RFC 9110 allows and every Latin-1 value without control characters', () => {
    const headers = { "X-Trace_Id.1!#$%&'*+-^`|~": 'a\tb ~ visible ASCII', 'x-name': 'Körte ÿ', 'x-empty': '' };
    expect(checkOptions({ headers })).toEqual({ headers });
  });

  it.each([
    ['a CR/LF in a value', { 'x-a': 'b\r\nx-injected: 1' }, 'x-a'],
    ['a LF in a value', { 'x-a': 'b\n' }, 'x-a'],
    ['NUL in a value', { 'x-a': '\u0000' }, 'x-a'],
    ['a control character in a value', { 'x-a': 'b\u001b[31m' }, 'x-a'],
    ['DEL in a value', { 'x-a': '\u007f' }, 'x-a'],
    ['a character beyond Latin-1 in a value', { 'x-a': 'Ayşe' }, 'x-a'],
    ['an emoji in a value', { 'x-a': '👍' }, 'x-a'],
    ['a space in a name', { 'x a': 'b' }, 'x a'],
    ['a colon in a name', { 'x-a:': 'b' }, 'x-a:'],
    ['a LF in a name', { 'x-a\nx-b': 'b' }, 'x-a\nx-b'],
    ['a name ending in a LF', { 'x-a\n': 'b' }, 'x-a\n'],
    ['a non-ASCII name', { 'x-ä': 'b' }, 'x-ä'],
    ['an empty name', { '': 'b' }, ''],
    ['a bad header after good ones', { 'x-ok': 'fine', authorization: 'Bearer tok\r\n' }, 'authorization'],
  ])('refuses %s, naming the header but never quoting the value', (_name, headers, header) => {
    const error = refusal(() => checkOptions({ headers }));
    expectFieldError(error, `options.headers[${JSON.stringify(header)}]`, 'holds a line break or another character a header cannot carry');
    for (const value of Object.values(headers).filter((v) => v.length > 1)) expect(error.message).not.toContain(value);
  });

  it.each([null, 'fast', 5])('refuses options %j', (options) => {
    expectFieldError(refusal(() => checkOptions(options as never)), 'options', 'must be an object');
  });
});

describe('AmaniClient constructor options', () => {
  const ok: AmaniClientOptions = { region: 'eu' };

  it.each([
    ['options', null, 'options', 'must be an object'],
    ['timeoutMs -1', { ...ok, timeoutMs: -1 }, 'options.timeoutMs', 'positive number of milliseconds'],
    ['maxRetries 1.5', { ...ok, maxRetries: 1.5 }, 'options.maxRetries', 'whole number from 0 to 10'],
    ['fetch not a function', { ...ok, fetch: 'node-fetch' }, 'fetch', 'must be a function'],
    ['logger neither a function nor a console-style object', { ...ok, logger: 'console' }, 'logger', 'must be a function'],
    ['credentials without a password', { ...ok, credentials: { username: 'u@x.com' } }, 'credentials.password', 'non-empty string'],
    ['credentials with an empty username', { ...ok, credentials: { username: '', password: 'p' } }, 'credentials.username', 'non-empty string'],
    ['credentials as a string', { ...ok, credentials: 'u:p' }, 'credentials', 'must be an object'],
    ['tokens without access', { ...ok, tokens: { refresh: 'r' } }, 'tokens.access', 'non-empty string'],
  ])('refuses %s', (_name, options, field, hint) => {
    expectFieldError(refusal(() => new AmaniClient(options as AmaniClientOptions)), field, hint);
  });

  it('forProfile refuses an empty token', () => {
    const client = new AmaniClient(ok);
    expectFieldError(refusal(() => client.forProfile('')), 'token.access', 'non-empty string');
  });
});

describe('resource methods refuse bad input before sending', () => {
  const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const ACCESS = `${b64url({ alg: 'HS256' })}.${b64url({ exp: 4_102_444_800 })}.sig`;
  const client = new AmaniClient({ fetch: nockFetch, region: 'eu', tokens: { access: ACCESS }, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
  const hook = { url: 'https://hooks.example.com/amani', enabled_events: ['profile_create' as const] };

  const stray = watchStrayRequests();

  // Casts stand in for callers without TypeScript (or with `any`).
  const loose = client as unknown as Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;

  const cases: Array<[string, () => Promise<unknown>, string, string | RegExp]> = [
    // profiles
    ['profiles.create without a body', () => loose.profiles!.create!(undefined), 'body', 'must be an object'],
    ['profiles.create without id_card_number', () => loose.profiles!.create!({ name: 'Ayse' }), 'id_card_number', 'non-empty string'],
    ['profiles.create with a bad gender', () => loose.profiles!.create!({ id_card_number: '1', gender: 'X' }), 'gender', 'must be one of M, F'],
    ['profiles.get with a bad id', () => client.profiles.get('42'), 'id', 'must be a uuid'],
    ['profiles.update with a bad id', () => client.profiles.update('42', { name: 'x' }), 'id', 'must be a uuid'],
    ['profiles.update with nothing to change', () => client.profiles.update(ID, {}), 'body', 'must set at least one field'],
    ['profiles.update with a bad gender', () => loose.profiles!.update!(ID, { gender: 'female' }), 'gender', 'must be one of M, F'],
    ['profiles.setStatus with a bad id', () => client.profiles.setStatus('x', 'APPROVED'), 'id', 'must be a uuid'],
    ["profiles.setStatus with 'approved'", () => loose.profiles!.setStatus!(ID, 'approved'), 'status', 'must be one of CREATED, INCOMPLETE'],
    ['profiles.setStatus without a status', () => loose.profiles!.setStatus!(ID), 'status', 'must be one of'],
    ['profiles.createVerificationUrl with a bad profile_id', () => loose.profiles!.createVerificationUrl!({ profile_id: 'p1' }), 'profile_id', 'must be a uuid'],
    ['profiles.resolveVerificationLink without a pid', () => client.profiles.resolveVerificationLink(''), 'pid', 'non-empty string'],
    // documents
    ['documents.list with a bad profile', () => client.documents.list('abc'), 'profile', 'must be a uuid'],
    ['documents.get with a bad id', () => client.documents.get('abc'), 'id', 'must be a uuid'],
    ['documents.approve with a bad id', () => client.documents.approve('abc'), 'id', 'must be a uuid'],
    ['documents.reject with a bad id', () => client.documents.reject('abc', 'blurry'), 'id', 'must be a uuid'],
    ['documents.reject with an empty reason', () => client.documents.reject(ID, ''), 'reason', 'non-empty string'],
    ['documents.archive with a bad id', () => client.documents.archive(''), 'id', 'must be a uuid'],
    ['documents.restore with a bad id', () => client.documents.restore('abc'), 'id', 'must be a uuid'],
    ['documents.delete with a bad id', () => client.documents.delete('abc'), 'id', 'must be a uuid'],
    // webhooks
    ['webhooks.create with an http URL', () => client.webhooks.create({ ...hook, url: 'http://hooks.example.com/amani' }), 'url', 'must be an https:// URL'],
    ['webhooks.create without a URL', () => loose.webhooks!.create!({ enabled_events: ['profile_create'] }), 'url', 'must be an https:// URL'],
    ['webhooks.create with an unknown event', () => loose.webhooks!.create!({ ...hook, enabled_events: ['profile_create', 'profile.created'] }), 'enabled_events[1]', `must be one of ${WebhookEventNameValues.join(', ')}`],
    ['webhooks.create with no events', () => client.webhooks.create({ ...hook, enabled_events: [] }), 'enabled_events', 'must list at least one event: profile_create'],
    ['webhooks.create with events as a string', () => loose.webhooks!.create!({ ...hook, enabled_events: 'profile_create' }), 'enabled_events', 'must list at least one event'],
    ['webhooks.create with a repeated event', () => client.webhooks.create({ ...hook, enabled_events: ['document_upload', 'document_upload'] }), 'enabled_events', 'must not repeat an event'],
    ['webhooks.update with a bad id', () => client.webhooks.update('abc', { url: hook.url }), 'id', 'must be a uuid'],
    ['webhooks.update with nothing to change', () => client.webhooks.update(ID, {}), 'body', 'must set at least one field'],
    ['webhooks.update with an http URL', () => client.webhooks.update(ID, { url: 'http://hooks.example.com' }), 'url', 'must be an https:// URL'],
    ['webhooks.update with an unknown event', () => loose.webhooks!.update!(ID, { enabled_events: ['nope'] }), 'enabled_events[0]', 'must be one of'],
    ['webhooks.delete with a bad id', () => client.webhooks.delete('abc'), 'id', 'must be a uuid'],
    ['webhooks.logs with an unknown event', () => loose.webhooks!.logs!({ event: 'nope' }), 'filter.event', 'must be one of'],
    ['webhooks.logs with a bad endpoint', () => client.webhooks.logs({ endpoint: 'abc' }), 'filter.endpoint', 'must be a uuid'],
    ['webhooks.logs with a null filter', () => loose.webhooks!.logs!(null), 'filter', 'must be an object'],
    ['webhooks.retry with a bad id', () => client.webhooks.retry('abc'), 'id', 'must be a uuid'],
    // aml
    ['aml.search with a bad profile', () => client.aml.search('abc'), 'profile', 'must be a uuid'],
    ['aml.report with a bad id', () => client.aml.report('abc'), 'id', 'must be a uuid'],
    // ip whitelist
    ['ipWhitelist.add with 256.0.0.1', () => client.ipWhitelist.add('256.0.0.1'), 'address', 'such as 203.0.113.7'],
    ['ipWhitelist.add with 10.0.0.0/33', () => client.ipWhitelist.add('10.0.0.0/33'), 'address', 'CIDR range'],
    ["ipWhitelist.add with 'localhost'", () => client.ipWhitelist.add('localhost'), 'address', 'IPv4/IPv6 address'],
    ["ipWhitelist.add with ''", () => client.ipWhitelist.add(''), 'address', 'IPv4/IPv6 address'],
    ['ipWhitelist.remove with a hostname', () => client.ipWhitelist.remove('example.com'), 'ip', "must be the entry's address or CIDR (e.g. 203.0.113.0/24) or its id (a uuid)"],
    ['ipWhitelist.remove with a bad range', () => client.ipWhitelist.remove('10.0.0.0/33'), 'ip', 'or its id (a uuid)'],
    ['ipWhitelist.remove with nothing', () => loose.ipWhitelist!.remove!(undefined), 'ip', 'or its id (a uuid)'],
    // request options
    ['options.timeoutMs -1', () => client.profiles.get(ID, { timeoutMs: -1 }), 'options.timeoutMs', 'must be a positive number of milliseconds, got -1'],
    ['options.maxRetries 1.5', () => client.webhooks.list({ maxRetries: 1.5 }), 'options.maxRetries', 'must be a whole number from 0 to 10, got 1.5'],
    ['options.signal not a signal', () => client.ipWhitelist.list({ signal: 'stop' as never }), 'options.signal', 'must be an AbortSignal'],
    ['options not an object', () => loose.webhooks!.eventTypes!('fast'), 'options', 'must be an object'],
  ];

  it.each(cases)('%s', async (_name, call, field, hint) => {
    // No interceptors: a request that left would be a "no match" and a ConnectionError.
    expectFieldError(await asyncRefusal(call), field, hint);
    expect(stray.requests).toEqual([]);
  });

  it('(guard) a valid call with no interceptor is seen as a stray request', async () => {
    await expect(client.profiles.get(ID, { maxRetries: 0 })).rejects.toThrow(/could not reach eu\.amani\.ai|the connection to eu\.amani\.ai broke/);
    expect(stray.requests).toHaveLength(1);
  });

  it.each([
    ['an IPv4 address', '203.0.113.7', '/api/v2/ip-whitelist/203.0.113.7'],
    ['an IPv6 address', '2001:db8::1', '/api/v2/ip-whitelist/2001%3Adb8%3A%3A1'],
    ['a CIDR range (slash percent-encoded)', '10.0.0.0/8', '/api/v2/ip-whitelist/10.0.0.0%2F8'],
    ['an IPv6 range', '2001:db8::/32', '/api/v2/ip-whitelist/2001%3Adb8%3A%3A%2F32'],
    ['an entry id', ID, `/api/v2/ip-whitelist/${ID}`],
  ])('ipWhitelist.remove accepts %s', async (_name, value, path) => {
    const paths: string[] = [];
    const scope = nock(base)
      .delete((uri) => uri.startsWith('/api/v2/ip-whitelist/'))
      .reply(function (uri) {
        paths.push(uri);
        return [204];
      });
    await expect(client.ipWhitelist.remove(value)).resolves.toBeUndefined();
    scope.done();
    expect(paths).toHaveLength(1);
    expect(paths[0]!.toUpperCase()).toBe(path.toUpperCase());
    expect(decodeURIComponent(paths[0]!.split('/').pop()!)).toBe(value);
  });

  it.each([
    ['203.0.113.7'],
    ['2001:db8::1'],
    ['10.0.0.0/8'],
    ['2001:db8::/32'],
  ])('ipWhitelist.add accepts %s and sends it as the address', async (address) => {
    const scope = nock(base).post('/api/v2/ip-whitelist', { address }).reply(201, { id: ID, address });
    await expect(client.ipWhitelist.add(address)).resolves.toEqual({ id: ID, address });
    scope.done();
  });

  it('profiles.setStatus sends an upper-case status', async () => {
    const scope = nock(base).put(`/api/v2/profile/${ID}/status`, { status: 'APPROVED' }).reply(200, { status: 'APPROVED' });
    await client.profiles.setStatus(ID, 'APPROVED');
    scope.done();
  });

  it('webhooks.create sends every known event and an https URL', async () => {
    const body = { url: 'https://hooks.example.com/amani', enabled_events: [...WebhookEventNameValues] };
    const scope = nock(base).post('/api/v2/webhook', body).reply(201, { id: ID });
    await client.webhooks.create(body);
    scope.done();
  });
});
