// The spec's examples as test fixtures, typed by the generated types: the same bodies the mock
// returns (Prism answers with an operation's first example unless asked for another), so a test
// can assert against exactly what the mock sends, or feed a webhook example to signWebhook.
//
// They are read from the shipped spec at runtime, not copied at build time: there is one source of
// truth, the file the mock serves, and a spec change needs no rebuild step to reach the fixtures.
import { readFileSync } from 'node:fs';
import type { components, operations, webhooks } from '../../generated/schema.js';
import { defaultSpecPath } from './mock-server.ts';
import { deref as resolveRef } from './spec-refs.ts';

type JsonBody<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;
type Responses<Op extends OperationId> = operations[Op]['responses'];

/** An operationId of the spec, e.g. `getProfile`. */
export type OperationId = keyof operations;
/** The statuses of `Op` that have a JSON body, e.g. 200 or 404. */
export type FixtureStatus<Op extends OperationId> = {
  [S in keyof Responses<Op>]: [JsonBody<Responses<Op>[S]>] extends [never] ? never : S;
}[keyof Responses<Op>] &
  number;
/** The JSON body `Op` answers with `Status`. */
export type ResponseFixture<Op extends OperationId, Status extends FixtureStatus<Op>> = JsonBody<Responses<Op>[Status]>;
/** The name of a component schema, e.g. `Profile`. */
export type SchemaName = keyof components['schemas'];
type WebhookName = keyof webhooks;
/** The payload of the webhook event `Name`. */
export type WebhookFixture<Name extends WebhookName> = JsonBody<NonNullable<webhooks[Name]['post']>['requestBody']>;

type Json = unknown;
interface MediaType {
  schema?: { $ref?: string };
  example?: Json;
  examples?: Record<string, { value?: Json; $ref?: string }>;
}
interface Spec {
  paths: Record<string, Record<string, { operationId?: string; requestBody?: Body; responses?: Record<string, Body> }>>;
  webhooks?: Record<string, { post?: { requestBody?: Body } }>;
  components?: { schemas?: Record<string, { examples?: Json[]; example?: Json }> };
}
interface Body {
  $ref?: string;
  content?: Record<string, MediaType>;
}

interface Index {
  responses: Map<string, Map<string, Json>>;
  webhooks: Map<string, Map<string, Json>>;
  schemas: Map<string, Json[]>;
}

let index: Index | undefined;

function load(): Index {
  if (index) return index;
  const spec = JSON.parse(readFileSync(defaultSpecPath, 'utf8')) as Spec;
  const deref = <T>(node: T): T => resolveRef(spec, node);
  const built: Index = { responses: new Map(), webhooks: new Map(), schemas: new Map() };
  const addToSchema = (media: MediaType, values: Iterable<Json>) => {
    const name = media.schema?.$ref?.match(/^#\/components\/schemas\/(.+)$/)?.[1];
    if (!name) return;
    const list = built.schemas.get(name) ?? [];
    list.push(...values);
    built.schemas.set(name, list);
  };
  /** The named examples of a body's JSON media type, in the spec's order. */
  const examplesOf = (body: Body | undefined): Map<string, Json> => {
    const media = deref(body)?.content?.['application/json'];
    const named = new Map<string, Json>();
    if (!media) return named;
    if (media.example !== undefined) named.set('default', media.example);
    for (const [name, example] of Object.entries(media.examples ?? {})) {
      const value = deref(example).value;
      if (value !== undefined) named.set(name, value);
    }
    addToSchema(media, named.values());
    return named;
  };
  for (const item of Object.values(spec.paths)) {
    for (const operation of Object.values(item)) {
      if (typeof operation !== 'object' || !operation?.operationId) continue;
      examplesOf(operation.requestBody);
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const named = examplesOf(response);
        if (named.size) built.responses.set(`${operation.operationId} ${status}`, named);
      }
    }
  }
  for (const [event, item] of Object.entries(spec.webhooks ?? {})) {
    const named = examplesOf(item.post?.requestBody);
    if (named.size) built.webhooks.set(event, named);
  }
  for (const [name, schema] of Object.entries(spec.components?.schemas ?? {})) {
    const own = [...(schema.examples ?? []), ...(schema.example === undefined ? [] : [schema.example])];
    if (own.length) built.schemas.set(name, [...own, ...(built.schemas.get(name) ?? [])]);
  }
  return (index = built);
}

function pick(named: Map<string, Json> | undefined, what: string, name: string | undefined): Json {
  if (!named) throw new Error(`The spec has no JSON example for ${what}`);
  const value = name === undefined ? named.values().next().value : named.get(name);
  if (value === undefined) {
    throw new Error(`The spec has no example named ${JSON.stringify(name)} for ${what}; it has ${[...named.keys()].join(', ')}`);
  }
  // A copy each time: a test that mutates its fixture cannot change what the next test gets.
  return structuredClone(value);
}

function all(named: Map<string, Json> | undefined, what: string): Record<string, Json> {
  if (!named) throw new Error(`The spec has no JSON example for ${what}`);
  return structuredClone(Object.fromEntries(named));
}

/**
 * The spec's examples. Every call returns a fresh copy; an unknown operation, status, event or
 * example name throws, naming what exists.
 */
export const fixtures = {
  /**
   * The body `operationId` answers with `status`: the example named `example`, or the first one
   * (the one the mock returns when no `Prefer: example=NAME` header is sent).
   *
   * @returns A fresh copy of the example, typed as that response's body.
   * @throws Error naming the examples there are, when the operation, status or example is unknown.
   */
  response<Op extends OperationId, Status extends FixtureStatus<Op>>(
    operationId: Op,
    status: Status,
    example?: string,
  ): ResponseFixture<Op, Status> {
    const what = `${String(operationId)} ${status}`;
    return pick(load().responses.get(what), what, example) as ResponseFixture<Op, Status>;
  },
  /**
   * Every named example of `operationId`'s `status` response, by example name.
   *
   * @returns Example name to a fresh copy of the example.
   * @throws Error when the spec has no JSON example for that operation and status.
   */
  responses<Op extends OperationId, Status extends FixtureStatus<Op>>(
    operationId: Op,
    status: Status,
  ): Record<string, ResponseFixture<Op, Status>> {
    const what = `${String(operationId)} ${status}`;
    return all(load().responses.get(what), what) as Record<string, ResponseFixture<Op, Status>>;
  },
  /**
   * The example delivery of the webhook `event` (sign it with signWebhook to test a receiver).
   *
   * @returns A fresh copy of the event's payload, typed as that event.
   * @throws Error naming the examples there are, when the event or example is unknown.
   */
  webhook<Name extends WebhookName>(event: Name, example?: string): WebhookFixture<Name> {
    return pick(load().webhooks.get(event), `the webhook ${event}`, example) as WebhookFixture<Name>;
  },
  /**
   * Every example of the component schema `name`: the schema's own examples, then each request,
   * response and webhook example whose body is that schema.
   *
   * @returns Fresh copies of the examples, typed as the schema.
   * @throws Error when the spec has no example of the schema.
   */
  schema<Name extends SchemaName>(name: Name): Array<components['schemas'][Name]> {
    const values = load().schemas.get(name);
    if (!values?.length) throw new Error(`The spec has no example of the schema ${String(name)}`);
    return structuredClone(values) as Array<components['schemas'][Name]>;
  },
};
