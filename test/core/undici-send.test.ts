// Node's sender (src/core/undici-send.ts) hands each request to undici's global dispatcher and
// collects the answer itself: what fetch or undici's request() did for it must still hold. Real
// HTTP on 127.0.0.1, except where the point is an app's own dispatcher (undici's MockAgent).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getGlobalDispatcher, MockAgent, setGlobalDispatcher } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AmaniClient } from '../../src/index.ts';
import { defaultRetrySettings } from '../../src/core/retry.ts';
import { Transport } from '../../src/core/transport.ts';
import { defaultSender, PreparedRequest } from '../../src/core/wire.ts';
import { RequestAbortedError, TimeoutError } from '../../src/errors.ts';

const PROFILE_ID = '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e';
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const access = `${b64url({ alg: 'HS256' })}.${b64url({ token_type: 'access', exp: 4_102_444_800 })}.sig`;

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
let handler: Handler = (_, response) => response.end();
const seen: Array<{ url: string; closed: Promise<void> }> = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const closed = new Promise<void>((resolve) => response.once('close', () => resolve()));
    seen.push({ url: request.url!, closed });
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
afterEach(() => {
  seen.length = 0;
});

function transport(timeoutMs = 5_000): Transport {
  return new Transport({ send: defaultSender(), timeoutMs, maxRetries: 0, retry: defaultRetrySettings, unauthenticated: new Set() });
}

describe("Node's sender", () => {
  it('sends the path a URL parser makes of the address, as fetch would: dot segments resolved, unsafe characters escaped', async () => {
    handler = (_, response) => response.end('{}');
    const addresses = [
      '/api/v2/profile/abc?x=1&y=%2F',
      '/api/v2/document/..',
      '/api/v2/a/%2E%2E/b',
      '/api/v2/a/./b',
      '/api/v2/x?q=a b',
      '/api/v2/\u00f6?name=\u00f6',
      '/api/v2/x?a="b"',
    ];
    const client = transport();
    for (const address of addresses) await client.send(new PreparedRequest(`${base}${address}`));
    const expected = addresses.map((address) => {
      const url = new URL(`${base}${address}`);
      return `${url.pathname}${url.search}`;
    });
    expect(seen.map((s) => s.url)).toEqual(expected);
    // The first is sent exactly as given; the rest differ from their address.
    expect(expected[0]).toBe(addresses[0]);
    expect(expected.slice(1).every((path, i) => path !== addresses[i + 1])).toBe(true);
  });

  it('reads the final answer after 103 Early Hints, joins repeated headers and drops a UTF-8 byte order mark', async () => {
    handler = (_, response) => {
      response.writeEarlyHints({ link: '</style.css>; rel=preload' });
      response.setHeader('content-type', 'application/json');
      response.setHeader('x-amani-note', ['first', 'second']);
      response.end(`\ufeff{"id":"${PROFILE_ID}","name":"J\\u00f6rg \\/ Ay\u015fe"}`);
    };
    const amani = new AmaniClient({ baseUrl: base, tokens: { access } });
    const profile = await amani.profiles.get(PROFILE_ID);
    expect(profile).toEqual({ id: PROFILE_ID, name: 'J\u00f6rg / Ay\u015fe' });
    const { data, response } = await amani.raw.GET('/api/v2/profile/{id}', { params: { path: { id: PROFILE_ID } } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-amani-note')).toBe('first, second');
    expect(data).toEqual(profile);
  });

  it("an attempt called off by the caller's signal or its timeout closes its connection", async () => {
    handler = () => {}; // never answers
    const controller = new AbortController();
    const aborted = transport().send(new PreparedRequest(`${base}/api/v2/profile/a`, { signal: controller.signal }));
    while (seen.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(RequestAbortedError);
    await seen[0]!.closed;

    await expect(transport(150).send(new PreparedRequest(`${base}/api/v2/profile/b`))).rejects.toBeInstanceOf(TimeoutError);
    expect(seen).toHaveLength(2);
    await seen[1]!.closed;
  });

  it('a signal aborted before the attempt sends nothing', async () => {
    handler = (_, response) => response.end('{}');
    await expect(transport().send(new PreparedRequest(`${base}/api/v2/profile/c`, { signal: AbortSignal.abort() }))).rejects.toBeInstanceOf(
      RequestAbortedError,
    );
    expect(seen).toHaveLength(0);
  });

  it("goes through the app's global dispatcher: an undici MockAgent answers the client's calls", async () => {
    const previous = getGlobalDispatcher();
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('https://eu.amani.ai')
      .intercept({ path: `/api/v2/profile/${PROFILE_ID}`, method: 'GET' })
      .reply(200, { id: PROFILE_ID, name: 'Mocked' }, { headers: { 'content-type': 'application/json' } });
    setGlobalDispatcher(agent);
    try {
      const amani = new AmaniClient({ region: 'eu', tokens: { access } });
      await expect(amani.profiles.get(PROFILE_ID)).resolves.toEqual({ id: PROFILE_ID, name: 'Mocked' });
      agent.assertNoPendingInterceptors();
    } finally {
      setGlobalDispatcher(previous);
      await agent.close();
    }
  });
});
