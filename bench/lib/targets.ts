// The targets `npm run bench` is held to (issue 13 and the budgets before it). Each benchmark
// records what it measured against its limit here; bench/run.ts prints them all as one table at
// the top of RESULTS.md and exits 1 when one is missed. Nothing in `npm test` reads a timing.
import { table } from './stats.ts';

export interface Target {
  /** What is measured, e.g. "AmaniClient vs undici's request, concurrency 32". */
  what: string;
  measured: number;
  limit: number;
  /** True when the measured value must reach the limit (a throughput ratio), false when it must stay within it. */
  atLeast: boolean;
  /** How the values read: a ratio (x), megabytes, bytes or milliseconds. */
  unit: 'x' | 'MB' | 'bytes' | 'ms';
}

const recorded: Target[] = [];

/** Records a target and returns whether it is met. */
export function target(t: Target): boolean {
  recorded.push(t);
  return met(t);
}

export const met = (t: Target): boolean => (t.atLeast ? t.measured >= t.limit : t.measured <= t.limit);

/** The targets recorded so far, taken (the next section starts with none). */
export function takeTargets(): Target[] {
  return recorded.splice(0);
}

function show(value: number, unit: Target['unit']): string {
  if (unit === 'x') return `${value.toFixed(2)}x`;
  if (unit === 'MB') return `${(value / 2 ** 20).toFixed(1)} MB`;
  if (unit === 'ms') return `${value.toFixed(1)} ms`;
  return `${Math.round(value).toLocaleString('en-US')} bytes`;
}

/** One row per target: the measured value, the limit, their ratio, and whether it is met. */
export function targetTable(targets: Target[]): string {
  return table(
    ['target', 'measured', 'limit', 'of limit', 'met'],
    targets.map((t) => [t.what, show(t.measured, t.unit), `${t.atLeast ? 'at least' : 'at most'} ${show(t.limit, t.unit)}`, `${(t.measured / t.limit).toFixed(2)}x`, met(t) ? 'yes' : 'NO']),
  );
}
