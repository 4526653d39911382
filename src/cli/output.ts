// Output: human-readable tables by default, the API's result as JSON with --json. Secret-named
// fields (tokens, the webhook secret) are redacted in both, with the client's own redaction.
import { redactSecrets } from '../core/redact.ts';
import type { OutputStream } from './io.ts';

/** A column of a list table: a heading and how to read the cell from a row. */
export type Column<T> = [heading: string, cell: (row: T) => unknown];

const TIMESTAMP_KEY = /(_at|_update|_check)$/;

/** One value as table text: null as "-", lists joined, objects as compact JSON, epoch times as ISO. */
export function cellText(value: unknown, key = ''): string {
  if (value === null || value === undefined || value === '') return '-';
  if (typeof value === 'number' && TIMESTAMP_KEY.test(key) && Number.isInteger(value) && value > 0) {
    return new Date(value * 1000).toISOString().replace('.000Z', 'Z');
  }
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) {
    return value.length ? value.map((v) => cellText(v)).join(', ') : '-';
  }
  if (typeof value === 'object') return JSON.stringify(value);
  // One cell is one line: control characters (from API data) never break the layout.
  return String(value).replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

/** Rows of cells padded into aligned columns (the last column is not padded). */
function align(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

/** A list as a table with a header row; "(none)" when empty. */
export function formatList<T>(rows: readonly T[], columns: Column<T>[]): string {
  if (rows.length === 0) return '(none)\n';
  const header = columns.map(([heading]) => heading);
  return align([header, ...rows.map((row) => columns.map(([heading, cell]) => cellText(cell(row), heading)))]);
}

/** One object as "field  value" lines: the given fields in order, or all of them. */
export function formatRecord(record: object, fields?: readonly string[]): string {
  const entries = Object.entries(record as Record<string, unknown>);
  const chosen = fields ? fields.filter((f) => f in record).map((f) => [f, (record as Record<string, unknown>)[f]] as const) : entries;
  if (chosen.length === 0) return '(empty)\n';
  return align(chosen.map(([key, value]) => [key, cellText(value, key)]));
}

/** Prints a command's result: `--json` writes the (redacted) API result, otherwise `table` renders it. */
export function printResult<T>(out: OutputStream, json: boolean, result: T, table: (shown: T) => string, redact = true): void {
  const safe = redact ? redactSecrets(result) : result;
  out.write(json ? `${JSON.stringify(safe, null, 2)}\n` : table(safe));
}
