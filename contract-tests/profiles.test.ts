import { describe, expect, it } from 'vitest';
import { toFormData } from '../src/fetch-client.ts';
import { api, expectContract, expectMalformedId, expectRejected, prefer, PROFILE_TOKEN, prismUrl, recordSent, requestExamples, SERVER_ERRORS } from './support.ts';

const profileId = '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e';
const jwt = /^[\w-]+\.[\w-]+\.[\w-]+$/;
const newCustomer = {
  id_card_number: '12345678901',
  name: 'Ayse Yilmaz',
  email: 'ayse.yilmaz@example.com',
  phone: '905321260000',
  birthdate: '1990-04-23',
  level: 1,
  occupation: 'Engineer',
  gender: 'F' as const,
  address: { city: 'Istanbul', province: 'Sisli', address: 'Buyukdere Cad. No 185' },
};
/** Sends a plain object as multipart/form-data, the way the Web SDK guide creates profiles. */
const asForm = (body: unknown) => toFormData(body as Record<string, string>);

describe('createProfile', () => {
  it('200 with the JSON body returns the profile and a profile token pair', async () => {
    const result = await api().POST('/api/v2/profile', { body: newCustomer });
    expectContract('createProfile', 200, result);
    expect(result.data?.id).toBe(profileId);
    expect(result.data?.id_card_number).toBe('12345678901');
    expect(result.data?.access).toMatch(jwt);
    expect(result.data?.refresh).toMatch(jwt);
    expect(result.data?.extra).toMatchObject({ stream: false });
  });

  it('200 with only the required identity number', async () => {
    const result = await api().POST('/api/v2/profile', { body: { id_card_number: '12345678901' } });
    expectContract('createProfile', 200, result);
    expect(result.data?.status).toBe('Created');
  });

  it('200 with the multipart form the Web SDK guide sends', async () => {
    const sent = recordSent();
    const result = await api().POST('/api/v2/profile', {
      body: { id_card_number: '12345678901', name: 'Ayse Yilmaz', email: 'ayse.yilmaz@example.com', phone: '905321260000' },
      bodySerializer: asForm,
      fetch: sent.fetch,
    });
    expect(sent.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expectContract('createProfile', 200, result);
    expect(result.data?.access).toMatch(jwt);
  });

  it('200 with a URL-encoded form (DRF parses it as it parses multipart)', async () => {
    const sent = recordSent();
    const result = await api().POST('/api/v2/profile', {
      body: { id_card_number: '12345678901', name: 'Ayse Yilmaz', email: 'ayse.yilmaz@example.com', phone: '905321260000' },
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      fetch: sent.fetch,
    });
    expect(sent.contentType).toBe('application/x-www-form-urlencoded');
    expect(sent.body).toBe('id_card_number=12345678901&name=Ayse+Yilmaz&email=ayse.yilmaz%40example.com&phone=905321260000');
    expectContract('createProfile', 200, result);
    expect(result.data?.access).toMatch(jwt);
  });

  it('rejects a URL-encoded form without id_card_number', async () => {
    const result = await api().POST('/api/v2/profile', {
      // @ts-expect-error id_card_number is required in the form too
      body: { name: 'Ayse Yilmaz' },
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expectRejected(result, 400, /id_card_number/);
  });

  it.each(['application/json', 'multipart/form-data', 'application/x-www-form-urlencoded'])(
    'the %s body declares an example the mock accepts',
    async (mediaType) => {
      const examples = requestExamples('createProfile', mediaType);
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) {
        const body = example as { id_card_number: string };
        const result = await api().POST('/api/v2/profile', {
          body,
          ...(mediaType === 'multipart/form-data' ? { bodySerializer: asForm } : {}),
          ...(mediaType === 'application/x-www-form-urlencoded' ? { headers: { 'Content-Type': mediaType } } : {}),
        });
        expectContract('createProfile', 200, result);
      }
    },
  );

  it.each([400, 401, 403, 429, ...SERVER_ERRORS])('%i is declared and matches the error schema', async (status) => {
    const result = await api().POST('/api/v2/profile', { body: newCustomer, headers: prefer(status) });
    expectContract('createProfile', status, result);
  });

  it('400 names the invalid fields', async () => {
    const result = await api().POST('/api/v2/profile', { body: newCustomer, headers: prefer(400, 'invalidFields') });
    expect(result.error).toHaveProperty('email');
  });

  it('rejects a body without id_card_number', async () => {
    const result = await api().POST('/api/v2/profile', {
      // @ts-expect-error id_card_number is required: that is what this test proves
      body: { name: 'Ayse Yilmaz' },
    });
    expectRejected(result, 400, /id_card_number/);
  });

  it('rejects id_card_number sent as a number (it is a string, D5)', async () => {
    const result = await api().POST('/api/v2/profile', {
      // @ts-expect-error id_card_number must be a string
      body: { id_card_number: 12345678901 },
    });
    expectRejected(result, 400, /id_card_number must be string/);
  });

  it('rejects a multipart form without id_card_number', async () => {
    const result = await api().POST('/api/v2/profile', {
      // @ts-expect-error id_card_number is required in the form too
      body: { name: 'Ayse Yilmaz' },
      bodySerializer: asForm,
    });
    expectRejected(result, 400, /id_card_number/);
  });

  it('rejects an unknown gender', async () => {
    const result = await api().POST('/api/v2/profile', {
      // No @ts-expect-error: the typed body is the union of the JSON and form schemas, and the form
      // schema has no gender, so TypeScript lets this through; the spec (gender is M or F) does not.
      body: { ...newCustomer, gender: 'X' },
    });
    expectRejected(result, 400, /gender/);
  });

  it('rejects a call without a token', async () => {
    const result = await api(null).POST('/api/v2/profile', { body: newCustomer });
    expectRejected(result, 401, /security/);
  });
});

describe('getProfile', () => {
  it('200 returns the profile with a fresh profile token pair', async () => {
    const result = await api().GET('/api/v2/profile/{id}', { params: { path: { id: profileId } } });
    expectContract('getProfile', 200, result);
    expect(result.data?.id).toBe(profileId);
    expect(result.data?.access).toMatch(jwt);
    expect(result.data?.rules?.[0]?.document_classes).toEqual(['ID']);
    expect(result.data?.address).toMatchObject({ city: 'Istanbul' });
  });

  it.each([401, 403, 404, 429, ...SERVER_ERRORS])('%i is declared and matches the error schema', async (status) => {
    const result = await api().GET('/api/v2/profile/{id}', { params: { path: { id: profileId } }, headers: prefer(status) });
    expectContract('getProfile', status, result);
  });

  it('answers an id that is not a uuid with the declared 404', async () => {
    const result = await api().GET('/api/v2/profile/{id}', { params: { path: { id: 'not-a-uuid' } } });
    expectMalformedId('getProfile', result);
  });

  it('rejects a call without a token', async () => {
    const result = await api(null).GET('/api/v2/profile/{id}', { params: { path: { id: profileId } } });
    expectRejected(result, 401, /security/);
  });
});

describe('updateProfile', () => {
  const changes = { email: 'ayse.yilmaz@example.com', gender: 'F' as const, level: null };

  it('200 with the profile token (S5) returns the updated profile', async () => {
    const result = await api(PROFILE_TOKEN).PATCH('/api/v2/profile/{id}', {
      params: { path: { id: profileId } },
      body: changes,
    });
    expectContract('updateProfile', 200, result);
    expect(result.data?.id).toBe(profileId);
    expect(result.data?.email).toBe('ayse.yilmaz@example.com');
  });

  it('200 with a user token', async () => {
    const result = await api().PATCH('/api/v2/profile/{id}', {
      params: { path: { id: profileId } },
      body: { address: { city: 'Istanbul', province: 'Sisli', address: 'Buyukdere Cad. No 185' } },
    });
    expectContract('updateProfile', 200, result);
    expect(result.data?.gender).toBe('F');
  });

  it.each([400, 401, 403, 404, 429, ...SERVER_ERRORS])('%i is declared and matches the error schema', async (status) => {
    const result = await api(PROFILE_TOKEN).PATCH('/api/v2/profile/{id}', {
      params: { path: { id: profileId } },
      body: changes,
      headers: prefer(status),
    });
    expectContract('updateProfile', status, result);
  });

  it('rejects an empty body', async () => {
    const result = await api(PROFILE_TOKEN).PATCH('/api/v2/profile/{id}', { params: { path: { id: profileId } }, body: {} });
    expectRejected(result, 400, /fewer than 1 properties/);
  });

  it('rejects a malformed birthdate', async () => {
    const result = await api(PROFILE_TOKEN).PATCH('/api/v2/profile/{id}', {
      params: { path: { id: profileId } },
      body: { birthdate: '23.04.1990' },
    });
    expectRejected(result, 400, /birthdate must match format "date"/);
  });

  it('answers an id that is not a uuid with the declared 404, not a 400', async () => {
    const result = await api(PROFILE_TOKEN).PATCH('/api/v2/profile/{id}', {
      params: { path: { id: 'not-a-uuid' } },
      body: changes,
    });
    expectMalformedId('updateProfile', result);
  });

  it('rejects a call without a token', async () => {
    const result = await api(null).PATCH('/api/v2/profile/{id}', { params: { path: { id: profileId } }, body: changes });
    expectRejected(result, 401, /security/);
  });
});

describe('setProfileStatus', () => {
  it('200 reports the result and the new status', async () => {
    const result = await api().PUT('/api/v2/profile/{id}/status', {
      params: { path: { id: profileId } },
      body: { status: 'APPROVED' },
    });
    expectContract('setProfileStatus', 200, result);
    expect(result.data?.result).toBe(true);
    expect(result.data?.status).toBe('Approved');
  });

  it.each([400, 401, 403, 404, 429, ...SERVER_ERRORS])('%i is declared and matches the error schema', async (status) => {
    const result = await api().PUT('/api/v2/profile/{id}/status', {
      params: { path: { id: profileId } },
      body: { status: 'REJECTED' },
      headers: prefer(status),
    });
    expectContract('setProfileStatus', status, result);
  });

  it('rejects the title-case spelling the responses use (D6)', async () => {
    const result = await api().PUT('/api/v2/profile/{id}/status', {
      params: { path: { id: profileId } },
      // @ts-expect-error requests take the upper-snake status
      body: { status: 'Approved' },
    });
    expectRejected(result, 400, /status must be equal to one of the allowed values/);
  });

  it('rejects a body without status', async () => {
    const result = await api().PUT('/api/v2/profile/{id}/status', {
      params: { path: { id: profileId } },
      // @ts-expect-error status is required
      body: {},
    });
    expectRejected(result, 400, /status/);
  });

  it('rejects a call without a token', async () => {
    const result = await api(null).PUT('/api/v2/profile/{id}/status', {
      params: { path: { id: profileId } },
      body: { status: 'APPROVED' },
    });
    expectRejected(result, 401, /security/);
  });
});

describe('createVerificationUrl', () => {
  const request = { profile_id: profileId, language: 'en', redirect_url: 'https://www.example.com/kyc/done' };

  it('200 returns a verification link', async () => {
    const result = await api().POST('/api/v2/profile/url', { body: request });
    expectContract('createVerificationUrl', 200, result);
    expect(result.data?.url).toMatch(/^https:\/\/verify\.amani\.ai\//);
    expect(result.data?.profile_id).toBe(profileId);
  });

  it.each([400, 401, 403, 404, 429, ...SERVER_ERRORS])('%i is declared and matches the error schema', async (status) => {
    const result = await api().POST('/api/v2/profile/url', { body: request, headers: prefer(status) });
    expectContract('createVerificationUrl', status, result);
  });

  it('rejects a profile_id that is not a uuid', async () => {
    const result = await api().POST('/api/v2/profile/url', { body: { profile_id: 'profile-1' } });
    expectRejected(result, 400, /profile_id must match format "uuid"/);
  });

  it('rejects a body without profile_id', async () => {
    const result = await api().POST('/api/v2/profile/url', {
      // @ts-expect-error profile_id is required
      body: { language: 'en' },
    });
    expectRejected(result, 400, /profile_id/);
  });

  it('rejects a language that is not a two-letter code', async () => {
    const result = await api().POST('/api/v2/profile/url', { body: { profile_id: profileId, language: 'English' } });
    expectRejected(result, 400, /language must match pattern/);
  });

  it('rejects a call without a token', async () => {
    const result = await api(null).POST('/api/v2/profile/url', { body: request });
    expectRejected(result, 401, /security/);
  });
});

describe('resolveVerificationLink', () => {
  it('200 without any token returns a profile token and its server', async () => {
    const result = await api(null).GET('/api/v2/profile/url', { params: { query: { pid: 'Xk29fQ7a' } } });
    expectContract('resolveVerificationLink', 200, result);
    expect(result.data?.access_token).toMatch(jwt);
    expect(result.data?.server_url).toBe('https://eu.amani.ai');
    expect(result.data?.language).toBe('en');
  });

  it.each([400, 404, 429, ...SERVER_ERRORS])('%i is declared and matches the error schema', async (status) => {
    const result = await api(null).GET('/api/v2/profile/url', {
      params: { query: { pid: 'Xk29fQ7a' } },
      headers: prefer(status),
    });
    expectContract('resolveVerificationLink', status, result);
  });

  it('is routed to this operation, not to getProfile with id "url"', async () => {
    // Without a pid, getProfile would complain about the uuid format; this operation wants pid.
    const result = await api(null).GET('/api/v2/profile/url', {
      // @ts-expect-error pid is required: that is what this test proves
      params: { query: {} },
    });
    expectRejected(result, 400, /required property 'pid'/);
  });

  it('rejects an empty pid', async () => {
    const response = await fetch(`${prismUrl()}/api/v2/profile/url?pid=`);
    expect(response.status).toBe(400);
    expect(response.headers.get('sl-violations')).toMatch(/pid/);
  });
});
