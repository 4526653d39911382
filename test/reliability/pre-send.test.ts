// Failures that happen before any byte is sent are bad input, not a broken connection: an
// InvalidInputError naming the field, with nothing arriving at the (real, 127.0.0.1) server.
// Covered: per-call headers no HTTP request can carry, a page file that changed or vanished after
// upload() prepared it, a stream page that fails, yields something other than bytes or is locked,
// and a page that only looks like a BMP. A real network failure on the same upload stays a
// ConnectionError.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConnectionError, InvalidInputError, type AmaniClient, type PageInput } from '../../src/index.ts';
import { unreadableStreams } from '../support/streams.ts';
import { act } from './fault-server.ts';
import { ACCESS, clientFor, credentials, failure, JPEG, jwt, PROFILE_ID, secret, secretScan, until, useFaultServer } from './harness.ts';

const TEST_MS = 10_000;
const UPLOAD = '/api/v2/document';
const LOGIN = '/api/v2/user/login';
const GET_PATH = `/api/v2/profile/${PROFILE_ID}`;
const HEADER_SECRET = secret('header secret', 'HdrSecret_7tQ2mZ9x');
const LOGIN_ACCESS = jwt('PreSendLoginAccess', 3600);
const LOGIN_REFRESH = jwt('PreSendLoginRefresh', 86_400, { token_type: 'refresh' });

const server = useFaultServer();
const dir = mkdtempSync(join(tmpdir(), 'amani-pre-send-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const upload = (client: AmaniClient, pages: PageInput[], options = {}) =>
  client.documents.upload({ profile: PROFILE_ID, type: 'TUR_ID_1', pages }, options);

async function refused(label: string, call: () => Promise<unknown>, field: string): Promise<InvalidInputError> {
  const error = await failure(label, call);
  expect(error, `${label}: ${error.name}: ${error.message}`).toBeInstanceOf(InvalidInputError);
  expect((error as InvalidInputError).field).toBe(field);
  expect(error.message.startsWith(`${field}: `)).toBe(true);
  return error as InvalidInputError;
}

describe('per-call headers no HTTP request can carry are refused before sending', () => {
  const CANNOT_CARRY = /holds a line break or another character a header cannot carry \(only Latin-1 text\)$/;
  const bad: Array<[string, Record<string, string>, string]> = [
    ['a value with CR/LF (header injection)', { 'x-trace': 'a\r\nx-injected: 1' }, 'options.headers["x-trace"]'],
    ['a value with a bare LF', { 'x-trace': 'a\nb' }, 'options.headers["x-trace"]'],
    ['a value with NUL', { 'x-trace': 'a\u0000b' }, 'options.headers["x-trace"]'],
    ['a value with another control character', { 'x-trace': 'a\u0001b' }, 'options.headers["x-trace"]'],
    ['a value with DEL', { 'x-trace': 'a\u007fb' }, 'options.headers["x-trace"]'],
    ['a value with a non-Latin-1 character', { 'x-name': 'Ayşe' }, 'options.headers["x-name"]'],
    ['a value with an emoji', { 'x-name': 'ok 👍' }, 'options.headers["x-name"]'],
    ['a secret value with a line break', { authorization: `Bearer ${HEADER_SECRET}\n` }, 'options.headers["authorization"]'],
    ['a name with a space', { 'x trace': 'a' }, 'options.headers["x trace"]'],
    ['a name with a colon', { 'x-trace:': 'a' }, 'options.headers["x-trace:"]'],
    ['a name with CR/LF', { 'x-a\r\nx-b': 'a' }, 'options.headers["x-a\\r\\nx-b"]'],
    ['a non-ASCII name', { 'x-naïve': 'a' }, 'options.headers["x-naïve"]'],
    ['an empty name', { '': 'a' }, 'options.headers[""]'],
  ];

  it.each(bad)('%s, on a GET (undici) and an upload (fetch): nothing sent', async (_name, headers, field) => {
    server.fallback('GET', GET_PATH, act.json(200, { id: PROFILE_ID }));
    server.fallback('POST', UPLOAD, act.json(201, { id: PROFILE_ID }));
    const { client } = clientFor(server);
    for (const [label, call] of [
      ['get', () => client.profiles.get(PROFILE_ID, { headers })],
      ['upload', () => upload(client, [JPEG], { headers })],
    ] as const) {
      const error = await refused(`headers ${label}`, call, field);
      expect(error.message).toMatch(CANNOT_CARRY);
      expect(error.message).not.toContain(HEADER_SECRET);
      expect(error.message).not.toContain('x-injected');
    }
    expect(server.requests).toEqual([]);
  }, TEST_MS);

  it('(guard) valid per-call headers, Latin-1 included, are sent as given', async () => {
    server.fallback('GET', GET_PATH, act.json(200, { id: PROFILE_ID }));
    const { client } = clientFor(server);
    await client.profiles.get(PROFILE_ID, { headers: { 'X-Trace_Id.1': "a\tb ~!#$%&'*+-.^_`|", 'x-name': 'Körte' } });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers['x-trace_id.1']).toBe("a\tb ~!#$%&'*+-.^_`|");
    expect(Buffer.from(String(server.requests[0]!.headers['x-name']), 'latin1').toString('latin1')).toBe('Körte');
  }, TEST_MS);
});

describe('a page file that changed or vanished after upload() prepared it', () => {
  // The upload's login is the moment between preparing the pages and sending them: the file is
  // changed while the server answers it.
  function loginThen(change: () => void) {
    server.fallback(
      'POST',
      LOGIN,
      act.handle((_req, res) => {
        change();
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access: LOGIN_ACCESS, refresh: LOGIN_REFRESH }));
      }, 'login, changing the file'),
    );
    server.fallback('POST', UPLOAD, act.json(201, { id: PROFILE_ID }));
    return clientFor(server, { tokens: undefined, credentials }).client;
  }

  const pageFile = (name: string) => {
    const path = join(dir, name);
    writeFileSync(path, Buffer.concat([Buffer.from(JPEG), Buffer.alloc(64 * 1024, 7)]));
    return path;
  };

  it.each([
    ['truncated', (path: string) => truncateSync(path, 10)],
    ['deleted', (path: string) => unlinkSync(path)],
    ['rewritten', (path: string) => writeFileSync(path, Buffer.from(JPEG))],
  ])('%s: InvalidInputError naming the page, the upload never reaches the server', async (name, change) => {
    const back = pageFile(`back-${name}.jpg`);
    const client = loginThen(() => change(back));
    const error = await refused(name, () => upload(client, [JPEG, back]), 'pages[1]');
    expect(error.message).toMatch(/could not be read/);
    expect(server.arrivals('POST', LOGIN)).toHaveLength(1);
    expect(server.arrivals('POST', UPLOAD)).toEqual([]);
  }, TEST_MS);

  it('(guard) an unchanged file is uploaded whole', async () => {
    const front = pageFile('front-unchanged.jpg');
    const client = loginThen(() => undefined);
    await upload(client, [front]);
    expect(server.arrivals('POST', UPLOAD)).toHaveLength(1);
    expect(server.arrivals('POST', UPLOAD)[0]!.headers.authorization).toBe(`Bearer ${LOGIN_ACCESS}`);
  }, TEST_MS);

  it('changed while it is being sent: InvalidInputError naming the page, not ConnectionError', async () => {
    // A server that stops reading once the request starts arriving: the client can send no more
    // than the socket buffers hold, so the file is changed before it has been read to the end.
    const arrived: string[] = [];
    let resume: (() => void) | undefined;
    const slow = createServer((req, res) => {
      arrived.push(`${req.method} ${req.url}`);
      req.pause();
      resume = () => {
        req.resume();
        req.on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end('{}'));
      };
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const big = join(dir, 'big-front.jpg');
      writeFileSync(big, Buffer.concat([Buffer.from(JPEG), Buffer.alloc(48 * 1024 * 1024, 7)]));
      const { client } = clientFor({ url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}` });
      const call = upload(client, [big]);
      await until(() => resume !== undefined, 5_000, 'the upload to start arriving');
      truncateSync(big, 10);
      resume!();
      const error = await refused('changed mid-send', () => call, 'pages[0]');
      expect(error.message).toMatch(/could not be read/);
      expect(arrived).toEqual(['POST /api/v2/document']);
    } finally {
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
    }
  }, 20_000);

  it('(guard) a reset during the upload of a readable file stays a ConnectionError', async () => {
    const front = pageFile('front-reset.jpg');
    server.fallback('POST', UPLOAD, act.reset());
    const { client } = clientFor(server);
    const error = await failure('reset', () => upload(client, [front]));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(server.arrivals('POST', UPLOAD)).toHaveLength(1);
    expect(server.arrivals('POST', UPLOAD)[0]!.headers.authorization).toBe(`Bearer ${ACCESS}`);
  }, TEST_MS);
});

describe('a stream page that cannot be read to the end, as bytes', () => {
  it.each(unreadableStreams(JPEG))('a stream %s: InvalidInputError naming the page, nothing sent', async (name, stream) => {
    server.fallback('POST', UPLOAD, act.json(201, { id: PROFILE_ID }));
    const { client } = clientFor(server);
    const error = await refused(name, () => upload(client, [JPEG, stream()]), 'pages[1]');
    expect(error.message).toMatch(/stream/);
    expect(server.requests).toEqual([]);
  }, TEST_MS);
});

describe('a page that only starts like an accepted format', () => {
  it.each([
    ['text starting with "BM"', 'BMW service report for the 2019 model, page one of three'],
    ['text starting with "RIFF"', 'RIFF is a container format; this is not an image at all'],
    ['text starting with "%PD"', '%PD is not how a PDF starts'],
  ])('%s is refused, nothing sent', async (_name, text) => {
    server.fallback('POST', UPLOAD, act.json(201, { id: PROFILE_ID }));
    const { client } = clientFor(server);
    const error = await refused(text, () => upload(client, [JPEG, new TextEncoder().encode(text)]), 'pages[1]');
    expect(error.message).toMatch(/is not a JPEG, PNG, BMP, WebP or PDF file/);
    expect(server.requests).toEqual([]);
  }, TEST_MS);
});

secretScan(30);
