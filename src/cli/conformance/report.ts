// The three forms of a conformance report (terminal table, --json, --report markdown), and the
// redaction all three go through last: every token, password and personal value the run sent or
// received (names, identity numbers, e-mails, phones, addresses) is replaced wherever it appears.
import { OperationEvidence } from '../../../generated/evidence.ts';
import { scrubSecrets } from '../../core/redact.ts';
import { formatList } from '../output.ts';
import type { Cleanup, Finding } from './run.ts';

/** Keys whose values are secrets or personal data, in any answer. */
const PRIVATE_KEYS =
  /^(access|refresh|token|profile_token|password|secret|webhook_secret|authorization|name|first_name|last_name|full_name|username|email|phone|id_card_number|birthdate|birth_date|external_id|address|nationality|occupation)$/i;

/** Collects the values to redact: every string or number under a private key, at any depth. */
export class Redactor {
  readonly #values = new Set<string>();

  add(value: unknown): void {
    if (typeof value === 'string' || typeof value === 'number') this.#values.add(String(value));
  }

  /** Every value under a private key in `body`, nested ones included. */
  collect(body: unknown, under = false, depth = 0): void {
    if (depth > 20 || body === null || body === undefined) return;
    if (typeof body !== 'object') return under ? this.add(body) : undefined;
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) this.collect(value, under || PRIVATE_KEYS.test(key), depth + 1);
  }

  /** The text with every collected value replaced (longest first, so no value hides in another). */
  scrub(text: string): string {
    return scrubSecrets(text, [...this.#values].sort((a, b) => b.length - a.length));
  }
}

export interface Report {
  target: string;
  findings: Finding[];
  cleanup: Cleanup;
  interrupted?: string;
}

export const conforms = (report: Report): boolean =>
  report.findings.every((f) => f.outcome === 'conforms' || f.outcome === 'skipped') && report.cleanup.left.length === 0;

const RESULT: Record<Finding['outcome'], string> = {
  conforms: 'conforms',
  drift: 'DRIFT',
  rejected: 'NOT ACCEPTED',
  failed: 'FAILED',
  skipped: 'skipped',
};

/** One line per violation or note: what the spec says at which place. */
function details(finding: Finding): string[] {
  // A status violation's pointer is the status, which its message already gives.
  const lines = finding.violations.map((v) => (v.where === 'status' ? v.message : `${v.where}${v.pointer ? ` ${v.pointer}` : ''}: ${v.message}`));
  return finding.note ? [...lines, finding.note] : lines;
}

function tail(report: Report): string[] {
  const lines = report.cleanup.removed.map((what) => `removed ${what}`);
  for (const left of report.cleanup.left) lines.push(`LEFT BEHIND: ${left.what} (${left.error}): remove it by hand`);
  if (report.interrupted) lines.push(`interrupted by ${report.interrupted}: the remaining operations were not run`);
  const bad = report.findings.filter((f) => f.outcome !== 'conforms' && f.outcome !== 'skipped').length;
  lines.push(conforms(report) ? `${report.target}: every answer conforms to the spec` : `${report.target}: ${bad} of ${report.findings.length} answers do not conform`);
  return lines;
}

export function formatTable(report: Report, redactor: Redactor): string {
  const table = formatList(report.findings, [
    ['operation', (f) => f.operationId],
    ['evidence', (f) => f.evidence],
    ['status', (f) => f.status],
    ['result', (f) => RESULT[f.outcome]],
    ['details', (f) => details(f).join('; ')],
  ]);
  return redactor.scrub(`${table}${tail(report).join('\n')}\n`);
}

export function formatJson(report: Report, redactor: Redactor): string {
  const value = { conforms: conforms(report), ...report };
  return `${JSON.stringify(JSON.parse(redactor.scrub(JSON.stringify(value))), null, 2)}\n`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** Markdown to paste into a bug report: a summary, then each non-conforming answer in detail. */
export function formatMarkdown(report: Report, redactor: Redactor): string {
  const out = [
    `# Amani API conformance: ${report.target}`,
    '',
    `Checked with amani-client's \`amani conformance\` against the bundled OpenAPI spec. Secrets and personal values are [redacted].`,
    '',
    '| Operation | Evidence | Spec says | Server did | Result |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const f of report.findings) {
    const spec = f.violations.length ? details({ ...f, note: undefined }).join('<br>') : 'as declared';
    const did = f.status === undefined ? (f.note ?? 'no answer') : `${f.status}${f.contentType ? ` (${f.contentType})` : ''}`;
    out.push(`| \`${f.operationId}\` ${f.method} \`${f.path}\` | ${f.evidence} | ${cell(spec)} | ${cell(did)} | ${RESULT[f.outcome]} |`);
  }
  const failing = report.findings.filter((f) => f.outcome !== 'conforms' && f.outcome !== 'skipped');
  for (const f of failing) {
    const source: { title: string; url: string } | null = OperationEvidence[f.operationId].source;
    out.push('', `## ${f.operationId}: ${f.method} ${f.path}`, '', `- Evidence: ${f.evidence}${source ? ` ([${source.title}](${source.url}))` : ''}`);
    out.push(`- Server did: ${f.status === undefined ? 'no answer' : `answered ${f.status}${f.contentType ? ` with ${f.contentType}` : ''}`}`);
    for (const line of details(f)) out.push(`- ${line}`);
  }
  out.push('', ...tail(report).map((line) => `${line}  `), '');
  return redactor.scrub(out.join('\n'));
}
