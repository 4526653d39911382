// Runs the plan and checks every answer. A middleware on the client's one openapi-fetch client
// sees each final answer of every call (the implicit login and refreshes too) as the transport
// gave it, unchanged: no redirect followed, nothing re-sent (the run asks for no retries). The
// answer is checked against the bundled spec by the shared validator, whatever the wrapper then
// made of it (an ApiError for a 403 is still an answer to check).
import type { Middleware } from 'openapi-fetch';
import { OperationEvidence } from '../../../generated/evidence.ts';
import type { AmaniClient } from '../../client.ts';
import { checkResponse, type Violation } from '../../drift/validator.ts';
import { ApiError } from '../../errors.ts';
import type { OperationId } from '../operation-help.ts';
import type { Step, StepContext } from './plan.ts';

/** conforms: accepted and as declared; drift: a violation; rejected: a declared error answer. */
export type Outcome = 'conforms' | 'drift' | 'rejected' | 'failed' | 'skipped';

export interface Finding {
  operationId: OperationId;
  method: string;
  /** The spec's path, e.g. /api/v2/profile/{id}. */
  path: string;
  evidence: string;
  status?: number;
  contentType?: string;
  outcome: Outcome;
  violations: Violation[];
  /** Why it was skipped, or the error that ended the call before an answer came. */
  note?: string;
}

export interface Cleanup {
  removed: string[];
  /** What could not be removed (the run says what to remove by hand). */
  left: Array<{ operationId: OperationId; what: string; error: string }>;
}

interface Answer {
  operationId: OperationId;
  status: number;
  headers: Headers;
  body: unknown;
}

const byRoute = new Map(Object.entries(OperationEvidence).map(([id, op]) => [`${op.method} ${op.path}`, id as OperationId]));

function evidenceOf(operationId: OperationId): { method: string; path: string; evidence: string } {
  const op = OperationEvidence[operationId];
  return { method: op.method, path: op.path, evidence: op.level };
}

/** The body as sent: parsed JSON, other text as it is, nothing (undefined) when empty. */
function bodyOf(text: string, contentType: string | null): unknown {
  if (text === '') return undefined;
  if (!/json/i.test(contentType ?? '')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A middleware recording every answer, and `seen` (every body, for redaction). */
export function recorder(seen: (body: unknown) => void): { middleware: Middleware; take(): Answer[] } {
  let answers: Answer[] = [];
  const middleware: Middleware = {
    async onResponse({ request, schemaPath, response }) {
      const operationId = byRoute.get(`${request.method} ${schemaPath}`);
      const body = bodyOf(await response.clone().text(), response.headers.get('content-type'));
      seen(body);
      if (operationId) answers.push({ operationId, status: response.status, headers: response.headers, body });
    },
  };
  return {
    middleware,
    take() {
      const taken = answers;
      answers = [];
      return taken;
    },
  };
}

function check(answer: Answer): Finding {
  const { violations } = checkResponse(answer);
  const accepted = answer.status >= 200 && answer.status < 300;
  const contentType = answer.headers.get('content-type');
  return {
    operationId: answer.operationId,
    ...evidenceOf(answer.operationId),
    status: answer.status,
    ...(contentType ? { contentType } : {}),
    outcome: violations.length ? 'drift' : accepted ? 'conforms' : 'rejected',
    violations,
    // An undeclared status says so already.
    ...(accepted || violations.some((v) => v.where === 'status') ? {} : { note: `not accepted: answered ${answer.status}` }),
  };
}

/** Runs one call and turns what it sent into findings; `operationId` is the call's own. */
async function observe(operationId: OperationId, take: () => Answer[], call: () => Promise<string | void>): Promise<Finding[]> {
  let note: string | undefined;
  let skipped = false;
  try {
    const skip = await call();
    if (typeof skip === 'string') [note, skipped] = [skip, true];
  } catch (error) {
    // An API error's message quotes the server, which may name people the run never saw a value
    // of (so none can be redacted): its class and status say enough, as its answer is a finding.
    if (error instanceof ApiError) note = `${error.name}: answered ${error.status}`;
    else note = error instanceof Error ? error.message : String(error);
  }
  const findings = take().map(check);
  if (!findings.some((f) => f.operationId === operationId)) {
    // Nothing answered: refused before sending, skipped, or no answer (connection, timeout, redirect).
    findings.push({ operationId, ...evidenceOf(operationId), outcome: skipped ? 'skipped' : 'failed', violations: [], note: note ?? 'not sent' });
  }
  return findings;
}

/**
 * Runs `plan` in order until `stopped()` (an interrupt), then, always, the removals the write
 * steps registered, newest first: a failing step or an interrupt never leaves them behind.
 */
export async function runPlan(
  client: AmaniClient,
  plan: Step[],
  context: Omit<StepContext, 'client' | 'undo' | 'made'>,
  stopped: () => boolean,
  seen: (body: unknown) => void,
): Promise<{ findings: Finding[]; cleanup: Cleanup }> {
  const { middleware, take } = recorder(seen);
  client.raw.use(middleware);
  const undo: Array<{ operationId: OperationId; what: string; remove: () => Promise<unknown> }> = [];
  const step: StepContext = { ...context, client, made: {}, undo: (operationId, what, remove) => void undo.push({ operationId, what, remove }) };
  const findings: Finding[] = [];
  const cleanup: Cleanup = { removed: [], left: [] };
  try {
    for (const { operationId, run } of plan) {
      if (stopped()) break;
      findings.push(...(await observe(operationId, take, () => run(step))));
    }
  } finally {
    for (const { operationId, what, remove } of undo.reverse()) {
      const done = await observe(operationId, take, async () => void (await remove()));
      findings.push(...done);
      const own = done.find((f) => f.operationId === operationId);
      if (own && own.status !== undefined && own.status >= 200 && own.status < 300) cleanup.removed.push(what);
      else cleanup.left.push({ operationId, what, error: own?.note ?? 'not removed' });
    }
    client.raw.eject(middleware);
  }
  return { findings, cleanup };
}
