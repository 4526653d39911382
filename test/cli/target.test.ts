// Where the CLI sends a command: the embedded mock only when chosen (--mock) or when nothing at all
// is configured, and then every screen says so; credentials without a region or base URL are a
// usage error before anything starts; a base URL sends to that server and never to a mock.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../src/testing/fixtures.ts';
import { cli, tinyApi } from './helpers.ts';

const DOCUMENT = fixtures.response('getDocument', 200).id;
const CREDENTIALS = { AMANI_USERNAME: 'ops@acme.example', AMANI_PASSWORD: 'target-test-password-77c1' };
const NOTICE = '(mock) answers come from the embedded Prism mock, not Amani';

/** Prism processes started by this test process (the embedded mock runs as its child). */
const prismChildren = () =>
  execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('prism'));

describe('credentials without a region or base URL', () => {
  const cases: Array<[string, string[], Record<string, string>]> = [
    ['AMANI_USERNAME and AMANI_PASSWORD', ['documents', 'delete', DOCUMENT], CREDENTIALS],
    ['AMANI_PASSWORD alone', ['documents', 'delete', DOCUMENT], { AMANI_PASSWORD: CREDENTIALS.AMANI_PASSWORD }],
    ['--username', ['--username', 'ops@acme.example', 'documents', 'delete', DOCUMENT], {}],
    ['--password-stdin', ['--password-stdin', 'webhooks', 'events'], {}],
  ];
  for (const [what, argv, env] of cases) {
    it(`${what}: usage error (exit 2) naming AMANI_REGION, nothing started or sent`, async () => {
      const result = await cli(argv, { env, stdin: 'pw\n' });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^error: .*AMANI_REGION/);
      expect(result.stderr).toContain('--region');
      expect(result.stderr).toContain('AMANI_BASE_URL');
      expect(result.stderr).toContain('--mock');
      expect(result.stderr).not.toContain('(mock)');
      expect(result.stderr).not.toContain(CREDENTIALS.AMANI_PASSWORD);
      expect(prismChildren()).toEqual([]);
    });
  }

  it('--mock with --region or --base-url: usage error, they contradict', async () => {
    const result = await cli(['--mock', '--base-url', 'http://127.0.0.1:9', 'webhooks', 'events'], { env: {} });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--mock/);
    expect(prismChildren()).toEqual([]);
  });
});

describe('the embedded mock, and saying so', () => {
  it('--mock with credentials: runs on the mock, and both streams say so', async () => {
    const result = await cli(['--mock', 'documents', 'delete', DOCUMENT], { env: CREDENTIALS });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.split('\n')[0]).toBe(`${NOTICE} (--mock)`);
    expect(result.stdout).toBe(`${NOTICE}\nDeleted document ${DOCUMENT}\n`);
    expect(prismChildren()).toEqual([]);
  }, 60_000);

  it('nothing configured: the mock, a marker in the table, the notice on stderr', async () => {
    const result = await cli(['webhooks', 'events'], { env: {} });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.split('\n')[0]).toMatch(/^\(mock\) answers come from the embedded Prism mock, not Amani \(nothing configured: /);
    expect(result.stderr).toContain('AMANI_REGION');
    const [first, header] = result.stdout.split('\n');
    expect(first).toBe(NOTICE);
    expect(header).toMatch(/^event/);
    for (const name of fixtures.response('listWebhookEventTypes', 200)) expect(result.stdout).toContain(name);
  }, 60_000);

  it('--json on the mock: stdout stays the parseable result, the notice is on stderr', async () => {
    const result = await cli(['--mock', 'webhooks', 'events', '--json'], { env: {} });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(fixtures.response('listWebhookEventTypes', 200));
    expect(result.stderr.split('\n')[0]).toBe(`${NOTICE} (--mock)`);
  }, 60_000);
});

describe('a base URL: the real API path, never the mock', () => {
  it('AMANI_BASE_URL with credentials sends to that server and prints no mock notice', async () => {
    const api = await tinyApi((request) => (request.url === '/api/v2/user/login' ? [200, fixtures.response('login', 200)] : [204, null]));
    try {
      const result = await cli(['documents', 'delete', DOCUMENT], { env: { ...CREDENTIALS, AMANI_BASE_URL: api.url } });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe(`Deleted document ${DOCUMENT}\n`);
      expect(result.stderr).not.toContain('mock');
      expect(api.requests).toEqual(['POST /api/v2/user/login', `DELETE /api/v2/document/${DOCUMENT}`]);
      expect(prismChildren()).toEqual([]);
    } finally {
      await api.close();
    }
  });
});
