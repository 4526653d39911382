// Shared assertions for the contract suite. Each response is checked against the bundled spec
// itself (status declared, body valid for that status's schema, no Prism violations), and every
// passing check records its (operationId, status) pair for `npm run contract:coverage`.
import { appendFileSync, readFileSync } from 'node:fs';
import { expect, inject } from 'vitest';
import { createValidator, type Spec } from '../src/drift/validator.ts';
import { createAmaniFetchClient, type AmaniFetchClient } from '../src/fetch-client.ts';
import { fixtures, type OperationId } from '../src/testing/fixtures.ts';
import { deref } from '../src/testing/spec-refs.ts';
import { bundledSpec, contractResults } from '../scripts/lib/paths.ts';

export const USER_TOKEN = 'contract-user-token';
export const PROFILE_TOKEN = 'contract-profile-token';

interface Operation {
  operationId: string;
  responses: Record<string, unknown>;
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content: Record<string, { examples?: Record<string, { value?: unknown; $ref?: string }> }> };
}

// AMANI_CONTRACT_SPEC runs the suite against another bundle of the spec (e.g. one area's).
const specPath = process.env.AMANI_CONTRACT_SPEC ?? bundledSpec;
const spec = JSON.parse(readFileSync(specPath, 'utf8')) as Spec & { paths: Record<string, Record<string, Operation>> };
const validator = createValidator(spec);

const operations = new Map<string, { op: Operation; route: Route }>();
for (const [path, item] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(item)) {
    if (op && typeof op === 'object' && 'operationId' in op) {
      const inPath = [...((item as { parameters?: Operation['parameters'] }).parameters ?? []), ...(op.parameters ?? [])].filter((p) => p.in === 'path');
      const json = op.requestBody?.content['application/json']?.examples;
      const route: Route = {
        operationId: op.operationId,
        method: method.toUpperCase(),
        template: path,
        path: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]*')}$`),
        pathParameters: inPath.map((p) => p.name),
        body: json ? deref(spec, Object.values(json)[0])?.value : undefined,
      };
      operations.set(op.operationId, { op, route });
    }
  }
}

/** Where an operation lives, from the spec. */
export interface Route {
  operationId: string;
  /** Upper case, as sent. */
  method: string;
  /** The spec's path, e.g. /api/v2/profile/{id}. */
  template: string;
  /** Matches the operation's paths as they arrive (without the query). */
  path: RegExp;
  /** The names of its path parameters. */
  pathParameters: string[];
  /** The first example of its JSON request body, if it takes one. */
  body: unknown;
}

/** The route of `operationId`. */
export function routeOf(operationId: string): Route {
  const entry = operations.get(operationId);
  if (!entry) throw new Error(`operationId ${operationId} is not in the spec`);
  return entry.route;
}

/** Every operation with a parameter in its path. */
export const withPathParameters = (): Route[] => [...operations.values()].map((e) => e.route).filter((r) => r.pathParameters.length > 0);

/** The base URL of the suite's Prism mock. */
export const prismUrl = (): string => inject('prismUrl');

/** A typed client against the mock: user token by default, `null` for none. */
export function api(token: string | null = USER_TOKEN): AmaniFetchClient {
  return createAmaniFetchClient({ baseUrl: prismUrl(), ...(token ? { token } : {}) });
}

/** Headers that make Prism answer with a declared status (and, optionally, a named example). */
/**
 * A per-call `fetch` that notes the request as it left (its Content-Type and body text), then
 * sends it: for checking what a body serializer made.
 */
export function recordSent(): { fetch: (request: Request) => Promise<Response>; contentType: string | null; body: string } {
  const sent = {
    contentType: null as string | null,
    body: '',
    fetch: async (request: Request) => {
      sent.contentType = request.headers.get('Content-Type');
      sent.body = await request.clone().text();
      return globalThis.fetch(request);
    },
  };
  return sent;
}

export const prefer = (status: number, example?: string) => ({
  Prefer: example ? `code=${status}, example=${example}` : `code=${status}`,
});

interface Result {
  response: Response;
  data?: unknown;
  error?: unknown;
}

/** Which client made a contract check: the typed openapi-fetch client or the AmaniClient wrapper. */
export type Via = 'typed' | 'wrapper';

/** Records a passing (operationId, status) check for `npm run contract:coverage`. */
export function recordContract(operationId: string, status: number, via: Via): void {
  appendFileSync(contractResults, `${JSON.stringify({ operationId, status, via })}\n`);
}

/**
 * Records a passing malformed-id check of an operation with a path parameter: through the typed
 * client, the declared 404 came back; through the wrapper, the id was refused before sending.
 */
export function recordMalformedId(operationId: string, via: Via): void {
  appendFileSync(contractResults, `${JSON.stringify({ operationId, status: 404, via, malformedId: true })}\n`);
}

/** The server errors every operation declares. */
export const SERVER_ERRORS = [500, 502, 503] as const;

/**
 * Asserts that `body` is valid for the response the spec declares for `operationId` and `status`
 * (or that no body is declared and none came).
 */
export function expectBodyMatchesSpec(operationId: string, status: number, body: unknown, headers: Headers | Record<string, string> = {}): void {
  expect(operations.get(operationId), `operationId ${operationId} is not in the spec`).toBeDefined();
  const { violations } = validator.checkResponse({ operationId, status, headers, body: body === '' ? undefined : body });
  expect(violations, `answer of ${operationId} ${status} does not match the spec`).toEqual([]);
}

/**
 * Asserts that `result` is the declared `status` of `operationId`, that Prism saw no violation in
 * the request, and that the body validates against the schema the spec declares for that status.
 * Returns the parsed body.
 */
export function expectContract<T = unknown>(operationId: string, status: number, result: Result): T {
  expect(result.response.headers.get('sl-violations'), 'Prism reported request violations').toBeNull();
  expect(result.response.status).toBe(status);
  const body = result.response.ok ? result.data : result.error;
  expectBodyMatchesSpec(operationId, status, body, result.response.headers);
  recordContract(operationId, status, 'typed');
  return body as T;
}

/**
 * Asserts that Prism rejected the request as invalid per the spec, naming the problem. Prism puts
 * the violations in an `sl-violations` header when the operation declares the error status it
 * answers with (400/401/422), and otherwise answers its own 422 problem document with them in the
 * body's `validation` array. Not a coverage pair: it proves the spec constrains input.
 */
export function expectRejected(result: Result, status: 400 | 401 | 404 | 415 | 422, messagePart: string | RegExp): void {
  expect(result.response.status).toBe(status);
  const header = result.response.headers.get('sl-violations');
  let violations: Array<{ message: string }>;
  if (header) {
    violations = JSON.parse(header) as Array<{ message: string }>;
  } else {
    expect(result.response.headers.get('content-type'), 'Prism should report why the request is invalid').toMatch(
      /problem\+json/,
    );
    violations = (result.error as { validation?: Array<{ message: string }> }).validation ?? [];
  }
  expect(violations.length, 'Prism should name at least one violation').toBeGreaterThan(0);
  expect(violations.map((v) => v.message).join('\n')).toMatch(messagePart);
}

/**
 * Asserts the declared answer to a malformed path parameter: the operation's 404 with the spec's
 * `malformedId` body (what Django REST Framework answers), not Prism's own 422 or a 400.
 */
export function expectMalformedId(operationId: string, result: Result): void {
  expect(expectContract(operationId, 404, result)).toEqual(fixtures.response(operationId as OperationId, 404 as never, 'malformedId'));
}

/** The request body examples `operationId` declares for `mediaType` (their values). */
export function requestExamples(operationId: string, mediaType: string): unknown[] {
  const entry = operations.get(operationId);
  if (!entry) throw new Error(`operationId ${operationId} is not in the spec`);
  const media = (entry.op as { requestBody?: { content?: Record<string, { examples?: Record<string, { value?: unknown }> }> } })
    .requestBody?.content?.[mediaType];
  return Object.values(media?.examples ?? {}).map((example) => example.value);
}

/** Every declared status of an operation, for tests that walk all of them. */
export function declaredStatuses(operationId: string): number[] {
  const entry = operations.get(operationId);
  if (!entry) throw new Error(`operationId ${operationId} is not in the spec`);
  return Object.keys(entry.op.responses).map(Number);
}
