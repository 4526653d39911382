import { describe, expect, it } from 'vitest';
import { api, expectContract, expectMalformedId, expectRejected, prefer, prismUrl, USER_TOKEN, SERVER_ERRORS } from './support.ts';

const entryId = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('listIpWhitelist', () => {
  it('200 lists the entries as a bare array', async () => {
    const result = await api().GET('/api/v2/ip-whitelist');
    expectContract('listIpWhitelist', 200, result);
    expect(Array.isArray(result.data)).toBe(true);
    expect(result.data?.[0]).toEqual({ id: entryId, company_name: 'Test', address: '31.223.84.238/32' });
    expect(result.data?.[1]?.address).toBe('2001:db8::/32');
  });

  it('200 with no entries', async () => {
    const result = await api().GET('/api/v2/ip-whitelist', { headers: prefer(200, 'empty') });
    expectContract('listIpWhitelist', 200, result);
    expect(result.data).toEqual([]);
  });

  it.each([401, 403, 429, ...SERVER_ERRORS])('%i is declared and matches the error schema', async (status) => {
    const result = await api().GET('/api/v2/ip-whitelist', { headers: prefer(status) });
    expectContract('listIpWhitelist', status, result);
  });

  it('rejects a list request without a token', async () => {
    const result = await api(null).GET('/api/v2/ip-whitelist');
    expectRejected(result, 401, /security/);
  });
});

describe('addIpWhitelist', () => {
  it.each(['31.223.84.238/32', '127.0.0.1/32', '127.0.0.1', '0.0.0.0/0', '2001:db8::/32', '::1', '::/0', 'fe80::1/64', '::ffff:192.0.2.0/120', '64:ff9b::192.0.2.0/120'])(
    '201 whitelists %s',
    async (address) => {
      const result = await api().POST('/api/v2/ip-whitelist', { body: { address } });
      expectContract('addIpWhitelist', 201, result);
      expect(result.data?.id).toMatch(uuid);
      expect(result.data?.company_name).toBe('Test');
      expect(result.data?.address).toBe('127.0.0.1/32');
    },
  );

  it.each([400, 401, 403, 429, ...SERVER_ERRORS])('%i is declared and matches the error schema', async (status) => {
    const result = await api().POST('/api/v2/ip-whitelist', { body: { address: '127.0.0.1' }, headers: prefer(status) });
    expectContract('addIpWhitelist', status, result);
  });

  it.each(['256.1.1.1', '10.0.0.0/33', '10.0.0/8', '01.2.3.4/8', 'localhost', '', '2001:db8::/129', '2001:db8:::1', '1.2.3.4/', '::ffff:256.0.0.1/120', ':::1.2.3.4/8'])(
    'rejects the address %j',
    async (address) => {
      const result = await api().POST('/api/v2/ip-whitelist', { body: { address } });
      expectRejected(result, 400, /address must match a schema in anyOf/);
    },
  );

  it('rejects a body without an address', async () => {
    const result = await api().POST('/api/v2/ip-whitelist', {
      // @ts-expect-error the spec requires address: that is what this test proves
      body: {},
    });
    expectRejected(result, 400, /required property 'address'/);
  });

  it('rejects an address of the wrong type', async () => {
    const result = await api().POST('/api/v2/ip-whitelist', {
      // @ts-expect-error address must be a string
      body: { address: 2130706433 },
    });
    expectRejected(result, 400, /address must be string/);
  });

  it('rejects an add request without a token', async () => {
    const result = await api(null).POST('/api/v2/ip-whitelist', { body: { address: '127.0.0.1' } });
    expectRejected(result, 401, /security/);
  });
});

describe('removeIpWhitelist', () => {
  it('204 removes an entry by id (as the IP whitelist page describes)', async () => {
    const result = await api().DELETE('/api/v2/ip-whitelist/{ip}', { params: { path: { ip: entryId } } });
    expectContract('removeIpWhitelist', 204, result);
    expect(result.response.url).toMatch(new RegExp(`/api/v2/ip-whitelist/${entryId}$`));
  });

  it('204 removes an entry by CIDR range, its slash sent as %2F', async () => {
    const result = await api().DELETE('/api/v2/ip-whitelist/{ip}', { params: { path: { ip: '10.0.0.0/24' } } });
    expectContract('removeIpWhitelist', 204, result);
    expect(result.response.url).toMatch(/\/api\/v2\/ip-whitelist\/10\.0\.0\.0%2F24$/);
  });

  it.each(['127.0.0.1', '::1', '2001:db8::/32'])('204 removes an entry by address %s', async (ip) => {
    const result = await api().DELETE('/api/v2/ip-whitelist/{ip}', { params: { path: { ip } } });
    expectContract('removeIpWhitelist', 204, result);
  });

  it('an unencoded slash splits the path: Prism finds no route', async () => {
    const response = await fetch(`${prismUrl()}/api/v2/ip-whitelist/10.0.0.0/24`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${USER_TOKEN}` },
    });
    expect(response.status).toBe(404);
    expect(await response.text()).toMatch(/NO_PATH_MATCHED/);
  });

  it.each([401, 403, 404, 429, ...SERVER_ERRORS])('%i is declared and matches the error schema', async (status) => {
    const result = await api().DELETE('/api/v2/ip-whitelist/{ip}', {
      params: { path: { ip: entryId } },
      headers: prefer(status),
    });
    expectContract('removeIpWhitelist', status, result);
  });

  it.each(['localhost', '10.0.0.0/33', '256.1.1.1', 'not-a-uuid'])('answers the path value %j with the declared 404', async (ip) => {
    // Neither an address, a CIDR range nor an entry id.
    const result = await api().DELETE('/api/v2/ip-whitelist/{ip}', { params: { path: { ip } } });
    expectMalformedId('removeIpWhitelist', result);
  });

  it('rejects a delete request without a token', async () => {
    const result = await api(null).DELETE('/api/v2/ip-whitelist/{ip}', { params: { path: { ip: entryId } } });
    expectRejected(result, 401, /security/);
  });
});
