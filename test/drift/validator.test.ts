// The shared answer validator: what it reports for each kind of deviation from the bundled spec,
// and that its messages describe values by type and shape without quoting them.
import { describe, expect, it } from 'vitest';
import { checkResponse, operationFor } from '../../src/drift/validator.ts';
import { fixtures } from '../../src/testing/fixtures.ts';

const profile = () => fixtures.response('getProfile', 200) as unknown as Record<string, unknown>;
const check = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  checkResponse({ operationId: 'getProfile', status, headers, body });

describe('checkResponse', () => {
  it('finds nothing in the spec’s own example', () => {
    expect(check(200, profile())).toEqual({ operationId: 'getProfile', method: 'GET', path: '/api/v2/profile/{id}', status: 200, violations: [] });
  });

  it('names a field of another type by its pointer, describing the value by type only', () => {
    const body = { ...profile(), created_at: 'Jan 5, 2024' };
    const { violations } = check(200, body);
    expect(violations).toEqual([{ where: 'body', pointer: '/created_at', message: 'must be integer, got a string' }]);
  });

  it('names a missing required field', () => {
    const { access: _, ...body } = profile();
    const { violations } = check(200, body);
    expect(violations).toContainEqual({ where: 'body', pointer: '', message: "must have required property 'access'" });
  });

  it('names a value outside a closed enum without quoting it', () => {
    const { violations } = check(200, { ...profile(), gender: 'Secret-Gender-Value' });
    expect(violations).toEqual([
      {
        where: 'body',
        pointer: '/gender',
        message: 'must be equal to one of the allowed values ("M", "F"); must be null; must match exactly one schema in oneOf, got a string',
      },
    ]);
    expect(JSON.stringify(violations)).not.toContain('Secret-Gender-Value');
  });

  it('reports an undeclared status, naming the declared ones', () => {
    const { violations } = check(418, { detail: 'teapot' });
    expect(violations).toEqual([
      { where: 'status', pointer: '418', message: 'status 418 is not declared (declared: 200, 401, 403, 404, 429, 500, 502, 503)' },
    ]);
  });

  it('checks a declared header: Retry-After of a 429 must be whole seconds', () => {
    const body = { detail: 'Request was throttled.', code: 'throttled' };
    expect(check(429, body, { 'Retry-After': '30' }).violations).toEqual([]);
    expect(check(429, body, {}).violations).toEqual([]);
    expect(check(429, body, { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }).violations).toEqual([
      { where: 'header', pointer: 'retry-after', message: 'Retry-After must be integer (got text)' },
    ]);
    expect(checkResponse({ operationId: 'getProfile', status: 429, headers: new Headers({ 'retry-after': '-1' }), body }).violations).toEqual([
      { where: 'header', pointer: 'retry-after', message: 'Retry-After must be >= 0 (got a number)' },
    ]);
  });

  it('reports a body where none is declared, and none where one is', () => {
    expect(checkResponse({ operationId: 'deleteDocument', status: 204, headers: {}, body: undefined }).violations).toEqual([]);
    expect(checkResponse({ operationId: 'deleteDocument', status: 204, headers: {}, body: { ok: true } }).violations).toEqual([
      { where: 'body', pointer: '', message: 'no body is declared, got an object' },
    ]);
    expect(check(200, undefined).violations).toEqual([{ where: 'body', pointer: '', message: 'a JSON body is declared, none came' }]);
  });

  it('refuses an operationId the spec does not have', () => {
    expect(() => checkResponse({ operationId: 'nope', status: 200, headers: {}, body: {} })).toThrow('operationId nope is not in the spec');
  });
});

describe('operationFor', () => {
  it('maps a method and a concrete path to its operation, a literal path before a template', () => {
    expect(operationFor('get', '/api/v2/profile/6aff82cb-e91a-4df4-b9a3-d69de0be1a2e?x=1')).toEqual({ operationId: 'getProfile', evidence: 'overview' });
    expect(operationFor('GET', '/api/v2/profile/url')?.operationId).toBe('resolveVerificationLink');
    expect(operationFor('GET', '/api/v2/webhook/events')?.operationId).toBe('listWebhookEventTypes');
    expect(operationFor('DELETE', '/api/v2/webhook/12')?.operationId).toBe('deleteWebhookEndpoint');
    expect(operationFor('POST', '/api/v2/token/refresh/')).toEqual({ operationId: 'refreshToken', evidence: 'documented' });
    expect(operationFor('GET', '/api/v2/profiles')).toBeUndefined();
    expect(operationFor('DELETE', '/api/v2/profile/url')).toBeUndefined();
  });
});
