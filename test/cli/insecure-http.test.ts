// The CLI and plain http: --insecure-http (test only, said so in --help) lets a command send over
// http to a host other than this machine, with one warning on stderr; without it the command is a
// usage error naming the flag, before anything is sent. Real HTTP: only 127.0.0.1 can be reached
// here, so http://mock.invalid:4010 (a name that never resolves) shows that the request was
// attempted, and the error names that host and ENOTFOUND.
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../src/testing/fixtures.ts';
import { cli, tinyApi } from './helpers.ts';

const CREDENTIALS = { AMANI_USERNAME: 'ops@acme.example', AMANI_PASSWORD: 'insecure-cli-password-4f1e' };
const NOWHERE = 'http://mock.invalid:4010';
const WARNING = /^warning: plain http to mock\.invalid:4010, test only: tokens and identity documents travel unencrypted$/;

describe('amani --insecure-http', () => {
  it('is listed in --help as test-only', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--insecure-http\s+TEST ONLY: allow a plain http base URL/);
  });

  it('without it, http to a non-loopback host is a usage error naming the flag', async () => {
    const result = await cli(['webhooks', 'events'], { env: { ...CREDENTIALS, AMANI_BASE_URL: NOWHERE } });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: baseUrl: plain http is refused for mock\.invalid: .*; for a test server elsewhere, --insecure-http\)/);
    expect(result.stderr).not.toMatch(/^warning/m);
  });

  it('with it, the request is attempted over http, after one warning; the error names the host and ENOTFOUND', async () => {
    for (const argv of [
      ['--insecure-http', 'webhooks', 'events'],
      ['--insecure-http', '--base-url', NOWHERE, 'login'],
    ]) {
      const env = argv.includes('--base-url') ? CREDENTIALS : { ...CREDENTIALS, AMANI_BASE_URL: NOWHERE };
      const result = await cli(argv, { env });
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines.filter((line) => line.startsWith('warning:')), result.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(WARNING);
      expect(lines.at(-1)).toMatch(/^error: POST \/api\/v2\/user\/login failed: could not reach mock\.invalid:4010 \(ENOTFOUND\)/);
      expect(result.code).toBe(1);
      expect(result.stderr).not.toContain(CREDENTIALS.AMANI_PASSWORD);
    }
  }, 20_000);

  it('on a loopback host it changes nothing: no warning', async () => {
    const api = await tinyApi((request) =>
      request.url === '/api/v2/user/login' ? [200, fixtures.response('login', 200)] : [200, fixtures.response('listWebhookEventTypes', 200)],
    );
    try {
      const result = await cli(['--insecure-http', 'webhooks', 'events', '--json'], { env: { ...CREDENTIALS, AMANI_BASE_URL: api.url } });
      expect([result.code, result.stderr]).toEqual([0, '']);
      expect(api.requests).toEqual(['POST /api/v2/user/login', 'GET /api/v2/webhook/events']);
    } finally {
      await api.close();
    }
  });
});
