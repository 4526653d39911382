// What the mock answers for a malformed path parameter: what the spec declares (404, as Django REST
// Framework answers an id that is no uuid), never Prism's own answer. Prism 5.14 answers a path
// parameter that fails its schema with an undeclared 422 (or with the operation's 400, which a real
// server does not send for a path), ends its process on a path parameter with a broken %-escape,
// and resolves a dot segment (`..`, `%2E%2E`) or a raw backslash away to another route. The mock's front
// (mock-front.ts) asks this guard which operation a request addresses: it answers an unreadable
// parameter itself, and replaces Prism's validation answer when Prism faults a path parameter (so
// Prism's own validator stays the judge of what is malformed).
import { readFileSync } from 'node:fs';
import { deref } from './spec-refs.ts';

/** A status and JSON body to answer with. */
export interface DeclaredAnswer {
  status: number;
  body: unknown;
}

export interface PathRoute {
  /** What the operation declares for a malformed path parameter (its 404), if it declares one. */
  malformed: DeclaredAnswer | undefined;
  /** A path parameter Prism must not be given (broken %-escape, dot segment, raw `\`): answer without it. */
  unreadable: boolean;
}

/** The templated operation that `method` `url` addresses, or undefined (none, or a concrete path). */
export type PathGuard = (method: string, url: string) => PathRoute | undefined;

/** For an operation that declares no 404: still Django's answer, and Prism stays up. */
export const NOT_FOUND: DeclaredAnswer = { status: 404, body: { detail: 'Not found.' } };

interface Media {
  examples?: Record<string, { value?: unknown; $ref?: string }>;
}
interface Operation {
  responses?: Record<string, { $ref?: string; content?: Record<string, Media> }>;
}
interface Template {
  method: string;
  /** Literal segments, and undefined where a parameter stands. */
  segments: Array<string | undefined>;
  malformed: DeclaredAnswer | undefined;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const PARAMETER = /^\{[^}]+\}$/;

/** Prism decodes each segment before it compares it with the spec's (keeping one it cannot decode). */
function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The operation's 404 with its `malformedId` example (else its first), or undefined when it declares none. */
function malformedAnswer(spec: unknown, operation: Operation): DeclaredAnswer | undefined {
  const declared = deref(spec, operation.responses?.['404']);
  if (!declared) return undefined;
  const examples = declared.content?.['application/json']?.examples ?? {};
  const example = deref(spec, examples.malformedId ?? Object.values(examples)[0]);
  return { status: 404, body: example?.value ?? NOT_FOUND.body };
}

/**
 * The guard for the bundled (JSON) spec at `specPath`; undefined when it is not JSON (a YAML spec
 * is mocked as Prism answers it).
 */
export function pathGuard(specPath: string): PathGuard | undefined {
  let spec: { paths?: Record<string, Record<string, Operation>> };
  try {
    spec = JSON.parse(readFileSync(specPath, 'utf8')) as typeof spec;
  } catch {
    return undefined;
  }
  const templates: Template[] = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    const segments = path.split('/').map((s) => (PARAMETER.test(s) ? undefined : s));
    for (const method of METHODS) {
      if (item[method]) templates.push({ method: method.toUpperCase(), segments, malformed: malformedAnswer(spec, item[method]) });
    }
  }
  // As Prism routes: a concrete path before a templated one, then the fewest parameters.
  const parameters = (t: Template) => t.segments.filter((s) => s === undefined).length;
  templates.sort((a, b) => parameters(a) - parameters(b));
  return (method, url) => {
    const raw = url.split('?')[0]!.split('/');
    const found = templates.find(
      (t) => t.method === method && t.segments.length === raw.length && t.segments.every((s, i) => s === undefined || s === (decoded(raw[i]!) ?? raw[i])),
    );
    if (!found || parameters(found) === 0) return undefined;
    // Prism's URL parser reads a raw backslash as `/`, so that segment would reach another route.
    const unreadable = found.segments.some((s, i) => {
      if (s !== undefined) return false;
      const value = decoded(raw[i]!);
      return value === undefined || value === '.' || value === '..' || raw[i]!.includes('\\');
    });
    return { malformed: found.malformed, unreadable };
  };
}

/**
 * Whether Prism's validation answer faults a path parameter: its violations are in the
 * `sl-violations` header when the operation declares the status, else in its problem body.
 */
export function faultsPathParameter(header: string | string[] | undefined, body: string): boolean {
  let violations: unknown;
  try {
    violations = typeof header === 'string' ? JSON.parse(header) : (JSON.parse(body) as { validation?: unknown }).validation;
  } catch {
    return false;
  }
  // Locations are ["request", "path", name] in the header and ["path", name] in the body.
  return Array.isArray(violations) && violations.some((v: { location?: unknown }) => Array.isArray(v?.location) && v.location.slice(0, 2).includes('path'));
}
