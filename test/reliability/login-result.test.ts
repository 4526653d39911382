// auth.login() resolves the user, not the tokens: over a real login on 127.0.0.1, nothing that
// prints, serializes, inspects or copies the result shows the access or refresh token; the tokens
// reach the caller through onTokens (and are used for the next call).
import { format, inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { TokenPair } from '../../src/index.ts';
import { act } from './fault-server.ts';
import { clientFor, credentials, evidence, jwt, PROFILE_ID, secretScan, useFaultServer } from './harness.ts';

const LOGIN = '/api/v2/user/login';
const LOGIN_ACCESS = jwt('LoginResultAccess', 3600);
const LOGIN_REFRESH = jwt('LoginResultRefresh', 86_400, { token_type: 'refresh' });
const USER = {
  id: 7,
  username: 'ops@company.example',
  first_name: 'Ayse',
  last_name: 'Yilmaz',
  company_id: 3,
  groups: [{ id: 1, name: 'Operators' }],
  permissions: ['view_profile'],
};

const server = useFaultServer();

describe('auth.login() resolves the user without the tokens', () => {
  it('console.log, JSON.stringify, util.inspect and spreading show no token; onTokens gets them', async () => {
    server.fallback('POST', LOGIN, act.json(200, { access: LOGIN_ACCESS, refresh: LOGIN_REFRESH, ...USER }));
    server.fallback('GET', `/api/v2/profile/${PROFILE_ID}`, act.json(200, { id: PROFILE_ID }));
    const saved: Array<Readonly<TokenPair>> = [];
    const { client } = clientFor(server, { tokens: undefined, credentials, onTokens: (tokens) => void saved.push(tokens) });
    const user = await client.auth.login();
    evidence.object('login result', user);

    expect(user).toEqual(USER);
    expect(Object.keys(user)).toEqual(Object.keys(USER));
    expect('access' in user || 'refresh' in user).toBe(false);
    // @ts-expect-error the tokens are not part of the login result: onTokens has them
    expect(user.access).toBeUndefined();
    const shown = [
      format('%o', user),
      format('%s', user),
      format(user),
      JSON.stringify(user),
      inspect(user, { showHidden: true, getters: true, depth: Infinity }),
      JSON.stringify({ ...user }),
      inspect(Object.assign({}, user)),
      JSON.stringify(structuredClone(user)),
    ];
    for (const text of shown) {
      expect(text).not.toContain(LOGIN_ACCESS.split('.')[1]);
      expect(text).not.toContain(LOGIN_REFRESH.split('.')[1]);
      expect(text).toContain('ops@company.example');
    }

    expect(saved).toEqual([{ access: LOGIN_ACCESS, refresh: LOGIN_REFRESH }]);
    await client.profiles.get(PROFILE_ID);
    expect(server.arrivals('GET').map((r) => r.headers.authorization)).toEqual([`Bearer ${LOGIN_ACCESS}`]);
    expect(server.arrivals('POST', LOGIN)).toHaveLength(1);
  });
});

secretScan();
