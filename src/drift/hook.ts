// `onDrift`: every answer a client gets is checked against the spec after the call has its
// result, and each distinct deviation is reported once. Node only (reached through
// src/core/platform.ts): the validator, ajv and the spec load on the first answer, by import(),
// so a client without onDrift never loads them.
import { InvalidInputError } from '../errors.ts';
import type { CallContext } from '../core/transport.ts';
import type { WireResponse } from '../core/wire.ts';
import type { Violation } from './validator.ts';

/** What `onDrift` is told: one operation's answer that is not what the spec declares. */
export interface Drift {
  operationId: string;
  method: string;
  /** The request's path, redacted as in the client's log lines (query values replaced). */
  path: string;
  status: number;
  /** Each deviation, with its pointer; values are described by type, never quoted. */
  violations: Violation[];
}

/**
 * Given the call's context (method, redacted path, status; the spec's path template if known) and
 * its final answer, as the transport has them.
 */
export type DriftHook = (context: CallContext, answer: WireResponse) => void;

type ValidatorModule = typeof import('./validator.ts');

/**
 * The transport's hook for `onDrift`. Checking happens off the call's path (after a microtask),
 * and nothing it does (a failed check, a throwing `onDrift`) reaches the call. A drift is the
 * operation, the status and the violations' pointers and messages, array indices generalised, so
 * the same deviation in every record of a list, or in every later answer, is reported once.
 */
export function driftHook(options: { onDrift?: ((drift: Drift) => void) | undefined }, warn: (message: string) => void): DriftHook | undefined {
  const { onDrift } = options;
  if (onDrift === undefined) return undefined;
  if (typeof onDrift !== 'function') throw new InvalidInputError('onDrift', 'must be a function');
  let validator: Promise<ValidatorModule | undefined> | undefined;
  const seen = new Set<string>();
  return (context, answer) => {
    // Read now: the context is the call's, and the transport goes on filling it in.
    const { method = '', path = '', schemaPath, status = 0 } = context;
    const { headers, text } = answer;
    validator ??= import('./validator.ts').catch(() => {
      warn('onDrift is off: the response validator (ajv) could not be loaded');
      return undefined;
    });
    void validator.then((module) => {
      try {
        const drift = module && check(module, { method, path, schemaPath, status, headers, text });
        if (!drift) return;
        const key = JSON.stringify([drift.operationId, drift.status, drift.violations.map((v) => [v.where, v.pointer.replace(/\/\d+(?=\/|$)/g, '/*'), v.message])]);
        if (seen.has(key)) return;
        seen.add(key);
        onDrift(drift);
      } catch {
        // A report must never break (or even reach) a call.
      }
    });
  };
}

/** The answer's drift, or undefined when it conforms (or its operation is not in the spec). */
function check(
  module: ValidatorModule,
  answer: { method: string; path: string; schemaPath: string | undefined; status: number } & Pick<WireResponse, 'headers' | 'text'>,
): Drift | undefined {
  const { method, path, status } = answer;
  const operation = module.operationFor(method, answer.schemaPath ?? path);
  if (!operation) return undefined;
  const headers: Record<string, string> = {};
  answer.headers.forEach((value, name) => (headers[name] = value));
  let body: unknown;
  try {
    body = answer.text === '' ? undefined : JSON.parse(answer.text);
  } catch {
    // Not JSON: checked as the text it is (a JSON schema then names its type).
    body = answer.text;
  }
  const { operationId, violations } = module.checkResponse({ operationId: operation.operationId, status, headers, body });
  return violations.length ? { operationId, method, path, status, violations } : undefined;
}
