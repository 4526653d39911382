// Checks an answer against what the bundled spec declares for its operation: the status, the JSON
// body (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses, each (operation, status) compiled on first
// use) and the declared headers. Shared by the contract suite, `amani conformance` and the
// client's `onDrift`. Node only: it reads the spec from the package, so the browser entry never
// imports it (the client reaches it through src/core/platform.ts).
import { createRequire } from 'node:module';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

export interface Violation {
  where: 'status' | 'body' | 'header';
  /**
   * body: the JSON pointer of the offending value in the body ('' for the whole body); header: the
   * header's lower-case name; status: the status as text.
   */
  pointer: string;
  /** What the spec expects and what came, described by type and shape: never the value itself. */
  message: string;
}

export interface ResponseCheck {
  operationId: string;
  method: string;
  /** The spec's path template, e.g. /api/v2/profile/{id}. */
  path: string;
  status: number;
  violations: Violation[];
}

interface ResponseObject {
  $ref?: string;
  content?: Record<string, { schema?: unknown }>;
  headers?: Record<string, { schema?: { type?: string }; required?: boolean; $ref?: string }>;
}
interface Operation {
  operationId: string;
  responses: Record<string, ResponseObject>;
  'x-amani-evidence'?: string;
}
export interface Spec {
  paths: Record<string, Record<string, unknown>>;
  components: { responses?: Record<string, ResponseObject> };
}

interface Entry {
  op: Operation;
  method: string;
  template: string;
  pointer: string;
  route: RegExp;
}

/** An answer as it came: its operation, status, headers and parsed body (undefined for none). */
export interface ResponseInput {
  operationId: string;
  status: number;
  headers: Headers | Record<string, string>;
  body: unknown;
}

export interface Validator {
  checkResponse(input: ResponseInput): ResponseCheck;
  operationFor(method: string, path: string): { operationId: string; evidence: string } | undefined;
}

/** A validator of answers against `spec` (a bundled OpenAPI 3.1 document, parsed). */
export function createValidator(spec: Spec): Validator {
  const entries = new Map<string, Entry>();
  for (const [template, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!op || typeof op !== 'object' || !('operationId' in op)) continue;
      const operation = op as Operation;
      const segment = encodeURIComponent(template.replaceAll('~', '~0').replaceAll('/', '~1'));
      const route = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      entries.set(operation.operationId, { op: operation, method: method.toUpperCase(), template, pointer: `#/paths/${segment}/${method}`, route });
    }
  }
  // A literal path wins over a template that also matches it (/profile/url over /profile/{id}).
  const routes = [...entries.values()].sort((a, b) => braces(a.template) - braces(b.template));

  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
  // OpenAPI's own formats: annotations, nothing to validate in a JSON body.
  ajv.addFormat('password', true);
  ajv.addFormat('binary', true);
  ajv.addSchema(spec, 'spec');
  const compiled = new Map<string, ValidateFunction | undefined>();
  /** The validator of the schema at `pointer` in the spec, compiled once on first use. */
  const schemaAt = (pointer: string): ValidateFunction | undefined => {
    if (!compiled.has(pointer)) compiled.set(pointer, ajv.getSchema(`spec${pointer}`));
    return compiled.get(pointer);
  };

  function checkResponse(input: ResponseInput): ResponseCheck {
    const entry = entries.get(input.operationId);
    if (!entry) throw new Error(`operationId ${input.operationId} is not in the spec`);
    const { status } = input;
    const result: ResponseCheck = { operationId: input.operationId, method: entry.method, path: entry.template, status, violations: [] };
    const declared = responseOf(spec, entry, status);
    if (!declared) {
      const statuses = Object.keys(entry.op.responses).join(', ');
      result.violations.push({ where: 'status', pointer: String(status), message: `status ${status} is not declared (declared: ${statuses})` });
      return result;
    }
    const { response, at } = declared;
    result.violations.push(...headerViolations(response, input.headers, (name) => schemaAt(`${at}/headers/${name}/schema`)));
    const content = response.content ?? {};
    if (content['application/json']) {
      const validate = schemaAt(`${at}/content/application~1json/schema`);
      if (input.body === undefined) {
        result.violations.push({ where: 'body', pointer: '', message: 'a JSON body is declared, none came' });
      } else if (validate && !validate(input.body)) {
        result.violations.push(...bodyViolations(validate.errors ?? [], input.body));
      }
    } else if (Object.keys(content).length === 0 && input.body != null && input.body !== '') {
      result.violations.push({ where: 'body', pointer: '', message: `no body is declared, got ${shapeOf(input.body)}` });
    }
    return result;
  }

  function operationFor(method: string, path: string): { operationId: string; evidence: string } | undefined {
    const pathname = path.split(/[?#]/)[0]!;
    const upper = method.toUpperCase();
    const entry = routes.find((e) => e.method === upper && e.route.test(pathname));
    return entry && { operationId: entry.op.operationId, evidence: entry.op['x-amani-evidence'] ?? 'unknown' };
  }

  return { checkResponse, operationFor };
}

const braces = (template: string) => template.split('{').length;

/** The declared response for `status` (exact, then e.g. 4XX, then default), following a `$ref`. */
function responseOf(spec: Spec, entry: Entry, status: number): { response: ResponseObject; at: string } | undefined {
  const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => entry.op.responses[k]);
  const declared = key === undefined ? undefined : entry.op.responses[key];
  if (!declared) return undefined;
  if (!declared.$ref) return { response: declared, at: `${entry.pointer}/responses/${key}` };
  const name = declared.$ref.replace('#/components/responses/', '');
  return { response: spec.components.responses![name]!, at: declared.$ref };
}

function headerViolations(
  response: ResponseObject,
  headers: Headers | Record<string, string>,
  schemaOf: (name: string) => ValidateFunction | undefined,
): Violation[] {
  const read = (name: string): string | null =>
    headers instanceof Headers
      ? headers.get(name)
      : (Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1] ?? null);
  const violations: Violation[] = [];
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    const pointer = name.toLowerCase();
    const value = read(name);
    if (value === null) {
      if (header.required) violations.push({ where: 'header', pointer, message: `required header ${name} is missing` });
      continue;
    }
    const validate = schemaOf(name.replaceAll('~', '~0').replaceAll('/', '~1'));
    // A header is text: a numeric schema is checked against the number the text spells.
    const numeric = /^(integer|number)$/.test(header.schema?.type ?? '') && /^-?\d+(\.\d+)?$/.test(value.trim());
    if (validate && !validate(numeric ? Number(value) : value)) {
      const problems = (validate.errors ?? []).map((error) => error.message).join('; ');
      violations.push({ where: 'header', pointer, message: `${name} ${problems} (got ${numeric ? 'a number' : 'text'})` });
    }
  }
  return violations;
}

/**
 * ajv's errors, one violation per pointer (a oneOf's alternatives all fail at the same place):
 * ajv's messages name the schema's expectation, never the data; the shape that came is added.
 */
function bodyViolations(errors: ErrorObject[], body: unknown): Violation[] {
  const byPointer = new Map<string, ErrorObject[]>();
  for (const error of errors) byPointer.set(error.instancePath, [...(byPointer.get(error.instancePath) ?? []), error]);
  return [...byPointer].map(([pointer, found]) => {
    const messages = found.map((error) => {
      const params = error.params as { allowedValues?: unknown[]; additionalProperty?: string };
      const message = error.message ?? 'does not match its schema';
      if (params.allowedValues) return `${message} (${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')})`;
      return params.additionalProperty === undefined ? message : `${message} (${JSON.stringify(params.additionalProperty)})`;
    });
    // A missing or extra property is about the object's keys, not a value of the wrong shape.
    const aboutValue = found.some((error) => !['required', 'additionalProperties'].includes(error.keyword));
    const shape = aboutValue ? `, got ${shapeOf(valueAt(body, pointer))}` : '';
    return { where: 'body' as const, pointer, message: `${[...new Set(messages)].join('; ')}${shape}` };
  });
}

function valueAt(body: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], body);
}

/**
 * A value described without quoting it, by its type only: the same drift then reads the same for
 * every record (a length would differ from one name to the next, and says something about it).
 */
function shapeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

let standard: Validator | undefined;
/** The validator of the spec this package ships (amani-client/openapi.json), made on first use. */
function bundled(): Validator {
  // Resolved through the package's own exports, as the mock server does: the same lookup works
  // from src/, from either build's chunks and from an installed copy.
  standard ??= createValidator(createRequire(import.meta.url)('amani-client/openapi.json') as Spec);
  return standard;
}

/** Loads (once) and checks an answer against the bundled spec's declared responses. */
export function checkResponse(input: ResponseInput): ResponseCheck {
  return bundled().checkResponse(input);
}

/** The operation for a METHOD and a concrete path (`/api/v2/profile/<uuid>`), or undefined. */
export function operationFor(method: string, path: string): { operationId: string; evidence: string } | undefined {
  return bundled().operationFor(method, path);
}
