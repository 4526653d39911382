import { describe, expect, it } from 'vitest';
import { api, expectContract, expectMalformedId, expectRejected, prefer, SERVER_ERRORS } from './support.ts';

const profile = '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e';
const recordId = '0b7e6a51-92c4-4f0e-8d3a-5c1f2e9a7b64';
const amlStatuses = ['No Records', 'Records Found', 'Whitelisted'];

describe('searchAml', () => {
  it('200 screens a profile and returns its AML record', async () => {
    const result = await api().GET('/api/v2/aml/search', { params: { query: { profile } } });
    expectContract('searchAml', 200, result);
    expect(result.data?.profile_id).toBe(profile);
    expect(amlStatuses).toContain(result.data?.status);
    expect(result.data?.status).toBe('Records Found');
    expect(result.data?.match_count).toBe(1);
    expect(result.data?.databases).toContain('OFAC SDN');
    expect(result.data?.overridden).toBeNull();
  });

  it('200 with no match', async () => {
    const result = await api().GET('/api/v2/aml/search', {
      params: { query: { profile } },
      headers: prefer(200, 'noRecords'),
    });
    expectContract('searchAml', 200, result);
    expect(result.data?.status).toBe('No Records');
    expect(result.data?.match_count).toBe(0);
  });

  it.each([400, 401, 403, 404, 429, ...SERVER_ERRORS])('%i is declared and matches the error schema', async (status) => {
    const result = await api().GET('/api/v2/aml/search', { params: { query: { profile } }, headers: prefer(status) });
    expectContract('searchAml', status, result);
  });

  it('rejects a search without a profile', async () => {
    const result = await api().GET('/api/v2/aml/search', {
      // @ts-expect-error the spec requires the profile query parameter: that is what this test proves
      params: { query: {} },
    });
    expectRejected(result, 400, /required property 'profile'/);
  });

  it('rejects a profile id that is not a uuid', async () => {
    const result = await api().GET('/api/v2/aml/search', { params: { query: { profile: 'not-a-uuid' } } });
    expectRejected(result, 400, /profile must match format "uuid"/);
  });

  it('rejects a search without a token', async () => {
    const result = await api(null).GET('/api/v2/aml/search', { params: { query: { profile } } });
    expectRejected(result, 401, /security/);
  });
});

describe('getAmlReport', () => {
  it('200 returns the record with its matches', async () => {
    const result = await api().GET('/api/v2/aml/report/{id}', { params: { path: { id: recordId } } });
    expectContract('getAmlReport', 200, result);
    expect(result.data?.id).toBe(recordId);
    expect(result.data?.profile_id).toBe(profile);
    const match = result.data?.matches[0];
    expect(match?.name).toBe('Ivan Petrov');
    expect(match?.score).toBeGreaterThanOrEqual(0);
    expect(match?.score).toBeLessThanOrEqual(100);
    expect(match?.categories).toEqual(['sanctions', 'pep']);
    expect(result.data?.matches).toHaveLength(result.data?.match_count ?? -1);
  });

  it('200 shows a manual override', async () => {
    const result = await api().GET('/api/v2/aml/report/{id}', {
      params: { path: { id: recordId } },
      headers: prefer(200, 'overridden'),
    });
    expectContract('getAmlReport', 200, result);
    expect(result.data?.overridden).toMatchObject({ by: 'Ayse Yilmaz', decision: 'approved', at: 1764118800 });
  });

  it.each([401, 403, 404, 429, ...SERVER_ERRORS])('%i is declared and matches the error schema', async (status) => {
    const result = await api().GET('/api/v2/aml/report/{id}', {
      params: { path: { id: recordId } },
      headers: prefer(status),
    });
    expectContract('getAmlReport', status, result);
  });

  it('answers a report id that is not a uuid with the declared 404', async () => {
    const result = await api().GET('/api/v2/aml/report/{id}', { params: { path: { id: 'not-a-uuid' } } });
    expectMalformedId('getAmlReport', result);
  });

  it('rejects a report request without a token', async () => {
    const result = await api(null).GET('/api/v2/aml/report/{id}', { params: { path: { id: recordId } } });
    expectRejected(result, 401, /security/);
  });
});
