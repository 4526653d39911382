import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { createAmaniFetchClient, serializeBody, toFormData } from '../src/fetch-client.ts';

const base = 'https://eu.amani.ai';
const login = { username: 'user@account.com', password: 'pw' };

afterEach(() => {
  nock.cleanAll();
});

describe('createAmaniFetchClient', () => {
  it('sends the bearer token and JSON body, and parses the typed response', async () => {
    const scope = nock(base, { reqheaders: { authorization: 'Bearer tok-1', 'content-type': 'application/json' } })
      .post('/api/v2/user/login', login)
      .reply(200, { access: 'a', refresh: 'r' });
    const client = createAmaniFetchClient({ baseUrl: base, token: 'tok-1' });
    const { data, response } = await client.POST('/api/v2/user/login', { body: login });
    expect(response.status).toBe(200);
    expect(data?.access).toBe('a');
    scope.done();
  });

  it('asks a token function for the current token on every request', async () => {
    let current = 'first';
    const seen: string[] = [];
    nock(base)
      .post('/api/v2/token/refresh/')
      .times(2)
      .reply(function () {
        seen.push(String(this.req.headers.authorization));
        return [200, { access: 'x' }];
      });
    const client = createAmaniFetchClient({ baseUrl: base, token: async () => current });
    await client.POST('/api/v2/token/refresh/', { body: { refresh: 'r' } });
    current = 'second';
    await client.POST('/api/v2/token/refresh/', { body: { refresh: 'r' } });
    expect(seen).toEqual(['Bearer first', 'Bearer second']);
  });

  it('keeps an Authorization header the request sets itself', async () => {
    const scope = nock(base, { reqheaders: { authorization: 'Bearer per-call' } })
      .post('/api/v2/token/refresh/')
      .reply(200, { access: 'x' });
    const client = createAmaniFetchClient({ baseUrl: base, token: 'default' });
    await client.POST('/api/v2/token/refresh/', { body: { refresh: 'r' }, headers: { Authorization: 'Bearer per-call' } });
    scope.done();
  });

  it('sends no Authorization header without a token', async () => {
    const scope = nock(base, { badheaders: ['authorization'] })
      .post('/api/v2/user/login')
      .reply(200, { access: 'a', refresh: 'r' });
    await createAmaniFetchClient({ baseUrl: base }).POST('/api/v2/user/login', { body: login });
    scope.done();
  });

  it('sends a URL-encoded form when the caller asks for one', async () => {
    const scope = nock(base, { reqheaders: { 'content-type': 'application/x-www-form-urlencoded' } })
      .post('/api/v2/user/login', 'username=user%40account.com&password=pw')
      .reply(200, { access: 'a', refresh: 'r' });
    await createAmaniFetchClient({ baseUrl: base }).POST('/api/v2/user/login', {
      body: login,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    scope.done();
  });

  it('sends a body holding files as multipart with a boundary it did not have to be told', async () => {
    let contentType = '';
    let raw = '';
    nock(base)
      .post('/api/v2/user/login')
      .reply(function (_uri, body) {
        contentType = String(this.req.headers['content-type']);
        raw = typeof body === 'string' ? body : JSON.stringify(body);
        return [200, { access: 'a', refresh: 'r' }];
      });
    const client = createAmaniFetchClient({ baseUrl: base });
    await client.POST('/api/v2/user/login', {
      // A login never carries files; any operation's body goes through the same serializer.
      body: { ...login, photo: new Blob(['JPEGDATA'], { type: 'image/jpeg' }) } as unknown as typeof login,
    });
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(raw).toContain('name="username"');
    expect(raw).toContain('JPEGDATA');
  });
});

describe('serializeBody', () => {
  it('keeps FormData as it is', () => {
    const form = new FormData();
    expect(serializeBody(form)).toBe(form);
  });

  it('writes JSON for plain objects without files', () => {
    expect(serializeBody({ a: 1, b: [true] })).toBe('{"a":1,"b":[true]}');
  });

  it('turns an object with bytes into FormData, pages in order, nested objects as JSON, nulls left out', async () => {
    const body = serializeBody({
      type: 'XXX_ID_0',
      pages: [new Blob(['front']), new Uint8Array([98, 97, 99, 107]), new File(['selfie'], 'me.jpg')],
      nfc: { mrz: 'P<TUR' },
      cropped: true,
      skipped: null,
    });
    expect(body).toBeInstanceOf(FormData);
    const form = body as FormData;
    const pages = form.getAll('pages') as File[];
    expect(await Promise.all(pages.map((p) => p.text()))).toEqual(['front', 'back', 'selfie']);
    expect(pages[2]!.name).toBe('me.jpg');
    expect(form.get('nfc')).toBe('{"mrz":"P<TUR"}');
    expect(form.get('cropped')).toBe('true');
    expect(form.has('skipped')).toBe(false);
  });

  it('toFormData appends repeated fields in array order', () => {
    const form = toFormData({ tag: ['a', 'b', 'c'] });
    expect(form.getAll('tag')).toEqual(['a', 'b', 'c']);
  });
});
