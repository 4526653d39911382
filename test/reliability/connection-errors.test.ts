// What a ConnectionError says, over real HTTP on 127.0.0.1: the host and port (unless the default)
// it could not reach or lost the connection to, and the socket error code, on the undici path, a
// caller's fetch and an upload (fetch, multipart). When the code proves nothing was sent, it says
// so; otherwise that a write may have taken effect.
import { describe, expect, it } from 'vitest';
import { AmaniClient, ConnectionError } from '../../src/index.ts';
import { act, closedPort } from './fault-server.ts';
import { ACCESS, clientFor, failure, JPEG, PROFILE_ID, secretScan, useFaultServer } from './harness.ts';

const TEST_MS = 10_000;
const GET_PATH = `/api/v2/profile/${PROFILE_ID}`;

const server = useFaultServer();

describe('a ConnectionError names the host and port it could not reach, and the error code', () => {
  it('refused (undici and a caller fetch): could not reach 127.0.0.1:PORT (ECONNREFUSED), nothing was sent', async () => {
    const port = await closedPort();
    const host = `127.0.0.1:${port}`;
    for (const fetchOption of [{}, { fetch: (request: Request) => fetch(request) }]) {
      const { client } = clientFor({ url: `http://${host}` }, { maxRetries: 0, ...fetchOption });
      const error = await failure('refused', () => client.profiles.get(PROFILE_ID));
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error.message).toBe(`GET ${GET_PATH} failed: could not reach ${host} (ECONNREFUSED): nothing was sent. Check the network and the base URL`);
    }
    // An upload goes through fetch (multipart), and says the same.
    const { client } = clientFor({ url: `http://${host}` });
    const error = await failure('refused upload', () => client.documents.upload({ profile: PROFILE_ID, type: 'XXX_SE_0', pages: [JPEG] }));
    expect(error.message).toContain(`could not reach ${host} (ECONNREFUSED)`);
  }, TEST_MS);

  it('a connection reset after the request arrived: the host, the code, and that a write may have taken effect', async () => {
    server.fallback('POST', '/api/v2/document', act.reset());
    const { client } = clientFor(server);
    const error = await failure('reset upload', () => client.documents.upload({ profile: PROFILE_ID, type: 'XXX_SE_0', pages: [JPEG] }));
    expect(server.requests).toHaveLength(1);
    expect(error).toBeInstanceOf(ConnectionError);
    const host = new URL(server.url).host;
    expect(error.message).toMatch(
      new RegExp(`^POST /api/v2/document failed: the connection to ${host.replace(/\./g, '\\.')} broke \\((ECONNRESET|UND_ERR_SOCKET)\\)\\. A write may have taken effect: check before repeating it$`),
    );
  }, TEST_MS);

  it('an https host on the default port is named without it', async () => {
    const error = await failure('https nowhere', () =>
      new AmaniClient({ baseUrl: 'https://api.mock.invalid', tokens: { access: ACCESS }, maxRetries: 0 }).profiles.get(PROFILE_ID),
    );
    expect(error.message).toContain('could not reach api.mock.invalid (ENOTFOUND)');
  }, TEST_MS);
});

secretScan();
