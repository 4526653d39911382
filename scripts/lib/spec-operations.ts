// The operations of the bundled spec, read from generated/openapi.json, so the browser and reference
// tests and the TypeDoc plugin follow the spec instead of a copied list.
import { readFileSync } from 'node:fs';
import { bundledSpec } from './paths.ts';

export interface SpecOperation {
  operationId: string;
  summary: string;
  method: string;
  /** The path, or the event name for an OpenAPI 3.1 webhook. */
  path: string;
  tags: string[];
  /** The operation object itself, for its examples. */
  raw: Record<string, unknown>;
}

interface Spec {
  info?: { description?: string; 'x-amani-evidence-levels'?: string[] };
  /** The default security requirements (an operation's own `security` overrides them). */
  security?: Array<Record<string, unknown>>;
  tags?: { name: string }[];
  paths?: Record<string, Record<string, unknown>>;
  webhooks?: Record<string, Record<string, unknown>>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export const spec = JSON.parse(readFileSync(bundledSpec, 'utf8')) as Spec;

export const specTags: string[] = (spec.tags ?? []).map((tag) => tag.name);

function operationsOf(items: Record<string, Record<string, unknown>> = {}): SpecOperation[] {
  return Object.entries(items).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const raw = item[method] as Record<string, unknown>;
      return {
        operationId: String(raw.operationId),
        summary: String(raw.summary),
        method,
        path,
        tags: (raw.tags as string[] | undefined) ?? [],
        raw,
      };
    }),
  );
}

/** Every operation under `paths`. */
export const pathOperations = operationsOf(spec.paths);
/** Every operation under `webhooks` (the deliveries Amani sends). */
export const webhookOperations = operationsOf(spec.webhooks);
export const allOperations = [...pathOperations, ...webhookOperations];
