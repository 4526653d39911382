// The `amani-client/testing` entry as a user's suite sees it: fixtures are the spec's examples
// (read here straight from the JSON, by path, as the oracle), they are what the mock answers, and
// signWebhook's deliveries carry the HMAC node:crypto computes.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixtures, signWebhook, startMockServer, type OperationId } from '../../src/testing/index.ts';

type Examples = Record<string, { value: unknown }>;
interface SpecOperation {
  operationId?: string;
  responses?: Record<string, { content?: Record<string, { examples?: Examples }> }>;
}
const spec = JSON.parse(readFileSync(fileURLToPath(new URL('../../generated/openapi.json', import.meta.url)), 'utf8'));
const jsonExamples = (body: { content?: Record<string, { examples?: Examples }> } | undefined) =>
  body?.content?.['application/json']?.examples;

describe('fixtures.response', () => {
  it('is the first example of the status, or the named one', () => {
    const listed = jsonExamples(spec.paths['/api/v2/document'].get.responses['200'])!;
    expect(Object.keys(listed)).toEqual(['twoDocuments', 'none']);
    expect(fixtures.response('listDocuments', 200)).toEqual(listed.twoDocuments!.value);
    expect(fixtures.response('listDocuments', 200, 'none')).toEqual(listed.none!.value);
    expect(fixtures.responses('listDocuments', 200)).toEqual({ twoDocuments: listed.twoDocuments!.value, none: listed.none!.value });
  });

  it('follows a response $ref to the shared component', () => {
    const unauthorized = jsonExamples(spec.components.responses.Unauthorized)!;
    expect(fixtures.response('getProfile', 401)).toEqual(Object.values(unauthorized)[0]!.value);
  });

  it('reaches every example of every operation in the spec', () => {
    let checked = 0;
    for (const item of Object.values(spec.paths) as Array<Record<string, SpecOperation>>) {
      for (const operation of Object.values(item)) {
        for (const [status, response] of Object.entries(operation.responses ?? {})) {
          const examples = jsonExamples(response);
          if (!examples || !operation.operationId) continue;
          for (const [name, example] of Object.entries(examples)) {
            const call = fixtures.response as (op: OperationId, status: number, name: string) => unknown;
            expect(call(operation.operationId as OperationId, Number(status), name)).toEqual(example.value);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('returns a fresh copy each time', () => {
    const first = fixtures.response('getProfile', 200);
    first.name = 'changed by a test';
    expect(fixtures.response('getProfile', 200).name).not.toBe('changed by a test');
  });

  it('names what exists when asked for an example, status or operation the spec lacks', () => {
    expect(() => fixtures.response('listDocuments', 200, 'nope')).toThrow(/no example named "nope".*twoDocuments, none/);
    const loose = fixtures.response as (op: string, status: number) => unknown;
    expect(() => loose('listDocuments', 299)).toThrow(/no JSON example for listDocuments 299/);
    expect(() => loose('noSuchOperation', 200)).toThrow(/no JSON example for noSuchOperation 200/);
  });
});

describe('fixtures.webhook and fixtures.schema', () => {
  it('webhook is the event example, and signWebhook signs it as HMAC-SHA256 in Base64', async () => {
    const example = jsonExamples(spec.webhooks.document_status_change.post.requestBody)!;
    const payload = fixtures.webhook('document_status_change');
    expect(payload).toEqual(Object.values(example)[0]!.value);
    const secret = 'fixture-test-secret';
    const delivery = await signWebhook(payload, secret);
    expect(JSON.parse(delivery.body)).toEqual(payload);
    expect(delivery.headers['Webhook-Signature']).toBe(createHmac('sha256', secret).update(delivery.body).digest('base64'));
  });

  it("schema gathers the schema's own examples and every body example of that schema", () => {
    const gender = spec.components.schemas.Gender.example;
    expect(gender).toBeDefined();
    expect(fixtures.schema('Gender')).toEqual([gender]);
    const loggedIn = jsonExamples(spec.paths['/api/v2/user/login'].post.responses['200'])!.loggedIn!.value;
    expect(fixtures.schema('LoginResponse')).toContainEqual(loggedIn);
    const loose = fixtures.schema as (name: string) => unknown;
    expect(() => loose('NoSuchSchema')).toThrow(/no example of the schema NoSuchSchema/);
  });
});

describe('the mock and the fixtures', () => {
  it('the mock answers with the fixture, and stops', async () => {
    const mock = await startMockServer();
    try {
      const res = await fetch(`${mock.url}/api/v2/user/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'user@account.com', password: 'correct-horse-battery-staple' }),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(fixtures.response('login', 200));
    } finally {
      await mock.stop();
    }
    expect(() => process.kill(mock.pid, 0)).toThrow();
  }, 40_000);
});
