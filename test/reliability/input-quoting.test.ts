// Refused input is never quoted whole: a page string that is no readable file (a 4 MB data: URL,
// base64 text, a document pasted as text) and any over-long string given where an id, a URL, a
// type or a region belongs show at most a short, clearly cut start in the InvalidInputError, and
// a data: URL or base64 text nothing at all. A blank password is described, never quoted. All of
// it is refused before anything reaches the (real, loopback) server.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AmaniClient, InvalidInputError } from '../../src/index.ts';
import { clientFor, failure, PROFILE_ID, secretScan, USERNAME, useFaultServer } from './harness.ts';

const TEST_MS = 15_000;
const server = useFaultServer();

/** About 4 MB of random base64, as a data: URL of a JPEG would carry it. */
const BASE64 = randomBytes(3_000_000).toString('base64');
const DATA_URL = `data:image/jpeg;base64,${BASE64}`;
/** Pieces of the document: none may appear in a message. */
const pieces = (text: string) => Array.from({ length: 20 }, (_, i) => text.slice(i * 150_000 + 30, i * 150_000 + 46));

async function refused(label: string, call: () => Promise<unknown>, field: string): Promise<string> {
  const error = await failure(label, call);
  expect(error).toBeInstanceOf(InvalidInputError);
  expect((error as InvalidInputError).field).toBe(field);
  expect(error.message.length, error.message.slice(0, 500)).toBeLessThan(400);
  expect(server.count, 'requests that reached the server').toBe(0);
  return error.message;
}

describe('a page string that is no readable file path', () => {
  const upload = (page: string) => (c: AmaniClient) => c.documents.upload({ profile: PROFILE_ID, type: 'TUR_ID_1', pages: [page] });

  it('a 4 MB data: URL: named as one, none of it quoted, with what to pass instead', async () => {
    const { client } = clientFor(server);
    const message = await refused('data: URL page', () => upload(DATA_URL)(client), 'pages[0]');
    expect(message).toContain('a data: URL');
    expect(message).toContain('pass the decoded bytes');
    expect(message).not.toContain('base64,');
    for (const piece of [BASE64.slice(0, 12), ...pieces(BASE64)]) expect(message).not.toContain(piece);
  }, TEST_MS);

  it.each([
    ['in one line', BASE64],
    ['in MIME lines of 76', BASE64.slice(0, 400_000).replace(/.{76}/g, '$&\r\n')],
    ['URL-safe', Buffer.from(BASE64.slice(0, 200_000), 'base64').toString('base64url')],
  ])('base64 text %s: named as such, none of it quoted', async (_label, text) => {
    const { client } = clientFor(server);
    const message = await refused('base64 page', () => upload(text)(client), 'pages[0]');
    expect(message).toContain('base64-like');
    expect(message).toContain('not a readable file path');
    for (const piece of [text.slice(0, 12), ...pieces(text).filter((p) => p.length === 16)]) expect(message).not.toContain(piece);
  }, TEST_MS);

  it('a document pasted as text: only its first 40 characters, marked as cut, with its length', async () => {
    const text = `/tmp/scans/${'Surname: Yılmaz, Given names: Ayşe, Document no: U12345678. '.repeat(2_000)}`;
    const { client } = clientFor(server);
    const message = await refused('text page', () => upload(text)(client), 'pages[0]');
    expect(message).toContain(`cannot read file ${JSON.stringify(text.slice(0, 40))}… (${text.length} characters) (`);
    expect(message).not.toContain(text.slice(0, 41));
  }, TEST_MS);

  it('a real path that is missing is still quoted whole', async () => {
    const path = `/tmp/amani-missing-${'d'.repeat(80)}/passport-front.jpg`;
    const { client } = clientFor(server);
    const message = await refused('missing path', () => upload(path)(client), 'pages[0]');
    expect(message).toBe(`pages[0]: cannot read file ${JSON.stringify(path)} (no such file)`);
  }, TEST_MS);
});

describe('over-long strings where an id, a code, a URL or a region belongs', () => {
  const long = 'Z'.repeat(1_000_000);
  const cut = `"${'Z'.repeat(40)}"… (1000000 characters)`;

  it.each([
    ['profiles.get (uuid)', 'id', (c: AmaniClient) => c.profiles.get(long)],
    ['profiles.setStatus (one of)', 'status', (c: AmaniClient) => c.profiles.setStatus(PROFILE_ID, long as never)],
    ['documents.upload (document type)', 'type', (c: AmaniClient) => c.documents.upload({ profile: PROFILE_ID, type: long, pages: [new Uint8Array([1])] })],
    ['webhooks.create (https URL)', 'url', (c: AmaniClient) => c.webhooks.create({ url: `http://${long}`, enabled_events: ['profile_update'] })],
    ['ipWhitelist.add (address)', 'address', (c: AmaniClient) => c.ipWhitelist.add(long)],
    ['ipWhitelist.remove (address or id)', 'ip', (c: AmaniClient) => c.ipWhitelist.remove(long)],
  ])('%s', async (_label, field, call) => {
    const { client } = clientFor(server);
    const message = await refused(field, () => call(client), field);
    expect(message).toMatch(/"… \(\d+ characters\)/);
    if (field !== 'url') expect(message).toContain(cut);
  }, TEST_MS);

  it('a data: URL given as the webhook URL is cut to its start too', async () => {
    const { client } = clientFor(server);
    const message = await refused('webhook data: URL', () => client.webhooks.create({ url: DATA_URL, enabled_events: ['profile_update'] }), 'url');
    expect(message).toContain(`${JSON.stringify(DATA_URL.slice(0, 40))}… (${DATA_URL.length} characters)`);
  }, TEST_MS);

  it.each([
    ['region', () => new AmaniClient({ region: long as never })],
    ['baseUrl', () => new AmaniClient({ baseUrl: `not a url ${long}` })],
  ])('%s given as a long string', async (field, create) => {
    const message = await refused(field, async () => create(), field);
    expect(message).toContain('… (');
    expect(message).not.toContain('Z'.repeat(41));
  }, TEST_MS);
});

describe('secret fields are never quoted', () => {
  it.each([
    ['credentials.password', (url: string) => new AmaniClient({ baseUrl: url, credentials: { username: USERNAME, password: ' \t  \u00a0 ' } })],
    ['tokens.access', (url: string) => new AmaniClient({ baseUrl: url, tokens: { access: '   \n ' } })],
    ['token.access', (url: string) => new AmaniClient({ baseUrl: url }).forProfile({ access: '\t\t' })],
    ['pid', (url: string) => new AmaniClient({ baseUrl: url }).profiles.resolveVerificationLink('  \u2028 ')],
  ])('a blank %s is described, not quoted', async (field, create) => {
    const message = await refused(field, async () => create(server.url), field);
    expect(message).toBe(`${field}: is required and must be a non-empty string, got a blank string`);
  }, TEST_MS);
});

secretScan(10);
