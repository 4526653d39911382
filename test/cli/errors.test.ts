// Exit codes without Prism: 2 for usage errors and bad input (before anything is sent), 1 for API
// and connection errors with the typed error's message, no stack trace unless AMANI_DEBUG=1.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePrism } from '../../src/cli/connect.ts';
import { report } from '../../src/cli/errors.ts';
import { fixtures } from '../../src/testing/fixtures.ts';
import { cli, tinyApi, type TinyApi } from './helpers.ts';

const PASSWORD = 'errors-test-password-9c2a';
const PROFILE = fixtures.response('getProfile', 200).id;
const STACK = /\n\s+at /;

let api: TinyApi;
let dir: string;
const env = (extra: Record<string, string> = {}) => ({ AMANI_BASE_URL: api.url, AMANI_USERNAME: 'ops@acme.example', AMANI_PASSWORD: PASSWORD, ...extra });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'amani-cli-errors-'));
  writeFileSync(join(dir, 'notes.txt'), 'not an image');
  // Logs in for the one user it knows; 404 for every profile; 403 for the whitelist.
  api = await tinyApi((request) => {
    if (request.url === '/api/v2/user/login') return [200, fixtures.response('login', 200)];
    if (request.url?.startsWith('/api/v2/profile/')) return [404, { detail: 'Not found.', code: 'not_found' }];
    if (request.url === '/api/v2/ip-whitelist') return [403, { detail: 'You do not have permission to perform this action.' }];
    if (request.url === '/api/v2/webhook/events') return 'hang';
    return [500, { detail: 'unexpected request in the test' }];
  });
});

afterAll(async () => {
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('usage errors exit 2 with a clear message, sending nothing', () => {
  const usage: Array<[string, string[], RegExp]> = [
    ['an unknown command', ['profiles', 'frobnicate'], /unknown command 'frobnicate'/],
    ['an unknown top-level command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['an unknown option', ['profiles', 'get', PROFILE, '--colour'], /unknown option '--colour'/],
    ['a missing required option', ['documents', 'list'], /required option '--profile <id>' not specified/],
    ['a missing argument', ['documents', 'get'], /missing required argument 'id'/],
    ['a bad uuid', ['profiles', 'get', '42'], /id: must be a uuid .*got "42"/],
    ['a bad document type', ['documents', 'upload', '--profile', PROFILE, '--type', 'passport', 'a.jpg'], /type: must be a document type code/],
    ['a bad IP address', ['ip-whitelist', 'add', '300.1.1.1'], /address: must be an IPv4\/IPv6 address or CIDR/],
    ['a bad whitelist entry', ['ip-whitelist', 'remove', 'office'], /ip: must be an address, a CIDR range or an entry id/],
    ['an unknown event', ['webhooks', 'create', '--url', 'https://x.example/h', '--events', 'profile_create,lunch'], /--events\[1\]: must be one of/],
    ['a plain-http webhook URL', ['webhooks', 'create', '--url', 'http://x.example/h', '--events', 'profile_create'], /url: must be an https:\/\/ URL/],
    ['a malformed --header', ['webhooks', 'update', PROFILE, '--header', 'novalue'], /expected NAME=VALUE/],
    ['an unknown profile status', ['profiles', 'status', PROFILE, 'DONE'], /Allowed choices are CREATED/],
    ['conflicting filters', ['webhooks', 'logs', '--failed', '--succeeded'], /cannot be used with option '--succeeded'/],
    ['a bad --timeout', ['webhooks', 'events', '--timeout', 'soon'], /--timeout must be a whole number of at least 1/],
    ['a bad --port', ['mock', '--port', '70000'], /--port must be a whole number from 0 to 65535/],
    ['an unknown region', ['webhooks', 'events', '--region', 'mars'], /Allowed choices are eu, eu1, tr, ae/],
    ['no subcommand', ['profiles'], /Usage: amani profiles/],
  ];
  for (const [what, argv, message] of usage) {
    it(what, async () => {
      const before = api.requests.length;
      const result = await cli(argv, { env: env() });
      expect(result.stderr).toMatch(message);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).not.toMatch(STACK);
      expect(api.requests.length).toBe(before);
    });
  }

  it('input refused before sending: a plain-http base URL, updates with no fields, a file that is not an image or is missing', async () => {
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['webhooks', 'list'], { AMANI_BASE_URL: 'http://api.example.com' }, /baseUrl: plain http is refused for api.example.com/],
      [['profiles', 'update', PROFILE], {}, /nothing to change: give at least one of --name/],
      [['webhooks', 'update', PROFILE], {}, /nothing to change: give at least one of --url, --events/],
      [['documents', 'upload', '--profile', PROFILE, '--type', 'TUR_ID_1', join(dir, 'notes.txt')], {}, /pages\[0\]: is not a JPEG, PNG/],
      [['documents', 'upload', '--profile', PROFILE, '--type', 'TUR_ID_1', join(dir, 'none.jpg')], {}, /pages\[0\]: cannot read file .*no such file/],
    ];
    const before = api.requests.length;
    for (const [argv, extra, message] of cases) {
      const result = await cli(argv, { env: env(extra) });
      expect(result.stderr, argv.join(' ')).toMatch(message);
      expect(result.code).toBe(2);
    }
    expect(api.requests.length).toBe(before);
  });

  it('missing credentials for the real API name the variables (and never ask for a password flag)', async () => {
    const result = await cli(['webhooks', 'list'], { env: { AMANI_REGION: 'eu' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/needs a username \(--username or AMANI_USERNAME\) and a password \(AMANI_PASSWORD, or --password-stdin/);
    const empty = await cli(['webhooks', 'list', '--username', 'u', '--password-stdin'], { env: { AMANI_REGION: 'eu' }, stdin: '\n' });
    expect([empty.code, empty.stderr]).toEqual([2, expect.stringMatching(/stdin held no password/)]);
  });
});

describe('API and runtime errors exit 1 with the typed error message', () => {
  it('a 404 answer', async () => {
    const result = await cli(['profiles', 'get', PROFILE], { env: env() });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`error: GET /api/v2/profile/${PROFILE} failed with 404: Not found. Check the id, and that it belongs to this company and region\n`);
  });

  it('a 403 answer, with a stack trace only when AMANI_DEBUG=1', async () => {
    const plain = await cli(['ip-whitelist', 'list', '--json'], { env: env() });
    expect([plain.code, plain.stdout]).toEqual([1, '']);
    expect(plain.stderr).toMatch(/^error: GET \/api\/v2\/ip-whitelist failed with 403: You do not have permission/);
    expect(plain.stderr).not.toMatch(STACK);
    const debug = await cli(['ip-whitelist', 'list'], { env: env({ AMANI_DEBUG: '1' }) });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/PermissionDeniedError: GET \/api\/v2\/ip-whitelist failed with 403/);
    expect(debug.stderr).toMatch(STACK);
  });

  it('a refused login (401) without echoing the password', async () => {
    const refusing = await tinyApi(() => [401, { detail: 'No active account found with the given credentials', code: 'authentication_failed' }]);
    try {
      const result = await cli(['login'], { env: env({ AMANI_BASE_URL: refusing.url }) });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: POST \/api\/v2\/user\/login failed with 401: No active account found/);
      expect(result.stderr + result.stdout).not.toContain(PASSWORD);
    } finally {
      await refusing.close();
    }
  });

  it("a 5xx: the spec's body in the message, a read retried, a write sent once and flagged", async () => {
    const failing = await tinyApi((request) => {
      if (request.url === '/api/v2/user/login') return [200, fixtures.response('login', 200)];
      if (request.method === 'GET') return [503, fixtures.response('listWebhookEndpoints', 503)];
      return [500, fixtures.response('uploadDocument', 500, 'notImplemented')];
    });
    try {
      const read = await cli(['webhooks', 'list'], { env: env({ AMANI_BASE_URL: failing.url }) });
      expect([read.code, read.stdout]).toEqual([1, '']);
      expect(read.stderr).toBe(
        'error: GET /api/v2/webhook failed with 503: Service temporarily unavailable, try again later. Amani failed to handle the request; it may succeed later. A write may have taken effect: check before repeating it\n',
      );
      // Idempotent: the first attempt and the client's two retries.
      expect(failing.requests.filter((r) => r === 'GET /api/v2/webhook')).toHaveLength(3);

      const write = await cli(['webhooks', 'create', '--url', 'https://hooks.example.org/amani', '--events', 'profile_create'], { env: env({ AMANI_BASE_URL: failing.url }) });
      expect(write.code).toBe(1);
      expect(write.stderr).toMatch(/^error: POST \/api\/v2\/webhook failed with 500: Not implemented error\. .*A write may have taken effect: check before repeating it\n$/);
      expect(write.stderr).not.toMatch(STACK);
      expect(failing.requests.filter((r) => r === 'POST /api/v2/webhook')).toHaveLength(1);
    } finally {
      await failing.close();
    }
  });

  it('a connection that is refused, and an answer that never comes (--timeout)', async () => {
    const closed = await tinyApi(() => [200, {}]);
    await closed.close();
    const refused = await cli(['webhooks', 'events'], { env: env({ AMANI_BASE_URL: closed.url }) });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`could not reach ${new URL(closed.url).host} (ECONNREFUSED)`);

    const slow = await cli(['webhooks', 'events', '--timeout', '100'], { env: env() });
    expect(slow.code).toBe(1);
    expect(slow.stderr).toMatch(/^error: .*\/api\/v2\/webhook\/events.*100 ms/);
  });

  it('Prism missing: exit 1 saying to install it', () => {
    const missing = () => {
      throw Object.assign(new Error("Cannot find module '@stoplight/prism-cli/dist/index.js'"), { code: 'MODULE_NOT_FOUND' });
    };
    let thrown: unknown;
    try {
      ensurePrism(missing);
    } catch (error) {
      thrown = error;
    }
    const { code, message } = report(thrown, false);
    expect(code).toBe(1);
    expect(message).toMatch(/needs @stoplight\/prism-cli.*npm install --save-dev @stoplight\/prism-cli.*AMANI_REGION or AMANI_BASE_URL/);
    expect(() => ensurePrism()).not.toThrow(); // installed here
  });
});
