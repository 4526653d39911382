import { describe, expect, it } from 'vitest';
import { api, expectContract, expectRejected, prefer, PROFILE_TOKEN, SERVER_ERRORS } from './support.ts';

const profileId = '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e';
const documentId = '3c9e8a41-1f7b-4d2a-9e55-7a0b6c2d1e90';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const typeCode = /^[A-Z]{3}_[A-Z]{2}_[0-9]+$/;

// The first bytes of real JPEG (JFIF) and PNG files: enough to be typed pages of a multipart upload.
const jpeg = () => new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01])], { type: 'image/jpeg' });
const png = () => new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d])], { type: 'image/png' });

/** The upload Amani's own client code sends with a profile token: front and back pages in order. */
const idCardUpload = () => ({ type: 'TUR_ID_1', pages: [jpeg(), png()], cropped: true, rotated: true });

describe('uploadDocument', () => {
  it('201 for a multipart upload with a profile token, without Prism violations', async () => {
    const result = await api(PROFILE_TOKEN).POST('/api/v2/document', { body: idCardUpload() });
    expectContract('uploadDocument', 201, result);
    expect(result.data?.id).toMatch(uuid);
    expect(result.data?.type).toMatch(typeCode);
    expect(result.data?.profile_id).toBe(profileId);
    expect(result.data?.pages?.map((p) => p.index)).toEqual([0, 1]);
  });

  it('201 for a selfie uploaded with a user token naming the profile', async () => {
    const result = await api().POST('/api/v2/document', {
      body: { type: 'XXX_SE_0', profile: profileId, pages: [jpeg()] },
    });
    expectContract('uploadDocument', 201, result);
    expect(result.data?.archived).toBe(false);
  });

  it('201 for an NFC upload carrying the chip data as JSON text', async () => {
    const nfc = JSON.stringify({ mrz: 'I<TURA12B34567<8', photo: { base64: '/9j/4AAQ', height: 320, width: 240 } });
    const result = await api(PROFILE_TOKEN).POST('/api/v2/document', {
      body: { type: 'XXX_NF_0', profile: profileId, pages: [jpeg()], nfc, cropped: false, rotated: false },
    });
    expectContract('uploadDocument', 201, result);
  });

  it.each([400, 401, 403, 404, 422, 429, ...SERVER_ERRORS])('%i is declared and matches its schema', async (status) => {
    const result = await api(PROFILE_TOKEN).POST('/api/v2/document', { body: idCardUpload(), headers: prefer(status) });
    expectContract('uploadDocument', status, result);
  });

  it('422 explains an unreadable page', async () => {
    const result = await api(PROFILE_TOKEN).POST('/api/v2/document', { body: idCardUpload(), headers: prefer(422) });
    expect(result.error).toMatchObject({ pages: [expect.stringMatching(/valid image/)] });
  });

  // Prism answers requests that break the spec with the declared 422 (it prefers 422 over 400).
  it('rejects an upload without a type', async () => {
    const { type: _type, ...withoutType } = idCardUpload();
    // @ts-expect-error the spec requires type: that is what this test proves
    const result = await api(PROFILE_TOKEN).POST('/api/v2/document', { body: withoutType });
    expectRejected(result, 422, /required property 'type'/);
  });

  it('rejects a type that is not an AAA_TT_N code', async () => {
    const result = await api(PROFILE_TOKEN).POST('/api/v2/document', { body: { ...idCardUpload(), type: 'passport' } });
    expectRejected(result, 422, /type must match pattern/);
  });

  it('rejects an upload without pages', async () => {
    const result = await api(PROFILE_TOKEN).POST('/api/v2/document', {
      // @ts-expect-error the spec requires pages: that is what this test proves (a Blob keeps the body multipart)
      body: { type: 'TUR_ID_1', cropped: true, signature: jpeg() },
    });
    expectRejected(result, 422, /required property 'pages'/);
  });

  it('rejects a profile that is not a uuid', async () => {
    const result = await api().POST('/api/v2/document', { body: { ...idCardUpload(), profile: 'customer-42' } });
    expectRejected(result, 422, /profile must match format "uuid"/);
  });

  it('rejects a cropped flag that is not a boolean', async () => {
    const result = await api(PROFILE_TOKEN).POST('/api/v2/document', {
      // @ts-expect-error cropped must be a boolean
      body: { ...idCardUpload(), cropped: 'maybe' },
    });
    expectRejected(result, 422, /cropped must be boolean/);
  });

  it('rejects a JSON body: uploads are multipart only', async () => {
    const result = await api(PROFILE_TOKEN).POST('/api/v2/document', {
      // @ts-expect-error pages must be files, and a body without files is sent as JSON
      body: { type: 'TUR_ID_1', pages: ['front'] },
    });
    expectRejected(result, 422, /multipart\/form-data/);
  });

  it('rejects an upload without a token', async () => {
    const result = await api(null).POST('/api/v2/document', { body: idCardUpload() });
    expectRejected(result, 401, /security/);
  });
});

describe('listDocuments', () => {
  it("200 lists a profile's documents", async () => {
    const result = await api().GET('/api/v2/document', { params: { query: { profile: profileId } } });
    expectContract('listDocuments', 200, result);
    expect(result.data?.length).toBe(2);
    expect(result.data?.every((d) => d.profile_id === profileId)).toBe(true);
    expect(result.data?.map((d) => d.type)).toEqual(['TUR_ID_1', 'XXX_SE_0']);
  });

  it('200 with an empty list', async () => {
    const result = await api().GET('/api/v2/document', {
      params: { query: { profile: profileId } },
      headers: prefer(200, 'none'),
    });
    expectContract('listDocuments', 200, result);
    expect(result.data).toEqual([]);
  });

  it.each([400, 401, 403, 404, 429, ...SERVER_ERRORS])('%i is declared and matches its schema', async (status) => {
    const result = await api().GET('/api/v2/document', { params: { query: { profile: profileId } }, headers: prefer(status) });
    expectContract('listDocuments', status, result);
  });

  it('rejects a list without a profile', async () => {
    // @ts-expect-error the spec requires the profile query parameter
    const result = await api().GET('/api/v2/document', { params: { query: {} } });
    expectRejected(result, 400, /required property 'profile'/);
  });

  it('rejects a profile that is not a uuid', async () => {
    const result = await api().GET('/api/v2/document', { params: { query: { profile: '42' } } });
    expectRejected(result, 400, /profile must match format "uuid"/);
  });
});

describe('getDocument', () => {
  it('200 returns the document with a user token', async () => {
    const result = await api().GET('/api/v2/document/{id}', { params: { path: { id: documentId } } });
    expectContract('getDocument', 200, result);
    expect(result.data?.id).toBe(documentId);
    expect(result.data?.status).toBe('REJECTED');
    expect(result.data?.reject_reason).toBe('The photo is blurred.');
    expect(result.data?.pages?.[1]?.url).toBeNull();
  });

  it('200 with the profile token of the document owner', async () => {
    const result = await api(PROFILE_TOKEN).GET('/api/v2/document/{id}', { params: { path: { id: documentId } } });
    expectContract('getDocument', 200, result);
    expect(result.data?.profile_id).toBe(profileId);
  });

  it.each([401, 403, 404, 429, ...SERVER_ERRORS])('%i is declared and matches its schema', async (status) => {
    const result = await api().GET('/api/v2/document/{id}', { params: { path: { id: documentId } }, headers: prefer(status) });
    expectContract('getDocument', status, result);
  });

  it('rejects a request without a token', async () => {
    const result = await api(null).GET('/api/v2/document/{id}', { params: { path: { id: documentId } } });
    expectRejected(result, 401, /security/);
  });
});

describe('updateDocument', () => {
  const path = { id: documentId };

  it.each([
    ['approve', { status: 'APPROVED' as const }],
    ['reject', { status: 'REJECTED' as const, reject_reason: 'The photo is blurred.' }],
    ['archive', { archived: true }],
    ['restore', { archived: false }],
  ])('200 for the %s request', async (_name, body) => {
    const result = await api().PUT('/api/v2/document/{id}', { params: { path }, body });
    expectContract('updateDocument', 200, result);
    expect(result.data?.id).toBe(documentId);
    expect(result.data?.status).toBe('APPROVED');
  });

  it('200 returns the archived document', async () => {
    const result = await api().PUT('/api/v2/document/{id}', {
      params: { path },
      body: { archived: true },
      headers: prefer(200, 'archived'),
    });
    expectContract('updateDocument', 200, result);
    expect(result.data?.archived).toBe(true);
  });

  it.each([400, 401, 403, 404, 429, ...SERVER_ERRORS])('%i is declared and matches its schema', async (status) => {
    const result = await api().PUT('/api/v2/document/{id}', {
      params: { path },
      body: { status: 'APPROVED' },
      headers: prefer(status),
    });
    expectContract('updateDocument', status, result);
  });

  it('rejects an empty update', async () => {
    const result = await api().PUT('/api/v2/document/{id}', { params: { path }, body: {} });
    expectRejected(result, 400, /fewer than 1 properties/);
  });

  it('rejects a status other than APPROVED or REJECTED', async () => {
    // @ts-expect-error status is APPROVED or REJECTED
    const result = await api().PUT('/api/v2/document/{id}', { params: { path }, body: { status: 'PENDING_REVIEW' } });
    expectRejected(result, 400, /allowed values/);
  });

  it('rejects an archived flag that is not a boolean', async () => {
    // @ts-expect-error archived is a boolean
    const result = await api().PUT('/api/v2/document/{id}', { params: { path }, body: { archived: 'yes' } });
    expectRejected(result, 400, /archived must be boolean/);
  });
});

describe('deleteDocument', () => {
  it('204 deletes the document', async () => {
    const result = await api().DELETE('/api/v2/document/{id}', { params: { path: { id: documentId } } });
    expectContract('deleteDocument', 204, result);
  });

  it.each([401, 403, 404, 429, ...SERVER_ERRORS])('%i is declared and matches its schema', async (status) => {
    const result = await api().DELETE('/api/v2/document/{id}', { params: { path: { id: documentId } }, headers: prefer(status) });
    expectContract('deleteDocument', status, result);
  });

  it('rejects a delete without a token', async () => {
    const result = await api(null).DELETE('/api/v2/document/{id}', { params: { path: { id: documentId } } });
    expectRejected(result, 401, /security/);
  });
});
