// `amani login` prints the user the login answered with, never a token: not in the table, not in
// --json, not even redacted (auth.login() resolves the user without them). Over a real 127.0.0.1 API.
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../src/testing/fixtures.ts';
import { cli, tinyApi } from './helpers.ts';

const CREDENTIALS = { AMANI_USERNAME: 'ops@acme.example', AMANI_PASSWORD: 'login-cli-password-8d3c' };

describe('amani login', () => {
  it('prints the user, without the tokens, in the table and with --json', async () => {
    const answer = fixtures.response('login', 200);
    const api = await tinyApi(() => [200, answer]);
    try {
      const env = { ...CREDENTIALS, AMANI_BASE_URL: api.url };
      const table = await cli(['login'], { env });
      expect([table.code, table.stderr]).toEqual([0, '']);
      expect(table.stdout).toContain(answer.username);
      const json = await cli(['login', '--json'], { env });
      expect(json.code).toBe(0);
      const { access: _access, refresh: _refresh, ...user } = answer;
      expect(JSON.parse(json.stdout)).toEqual(user);
      for (const text of [table.stdout, json.stdout]) {
        expect(text).not.toContain(answer.access);
        expect(text).not.toContain(answer.refresh);
        expect(text).not.toContain('[redacted]');
      }
    } finally {
      await api.close();
    }
  });
});
