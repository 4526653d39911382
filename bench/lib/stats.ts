// Small statistics and table helpers shared by the benchmark scripts.

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

export function median(values: number[]): number {
  return quantile([...values].sort((a, b) => a - b), 0.5);
}

/** A Markdown table: the same text is printed and written to RESULTS.md. */
export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? format(cell) : cell)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

function format(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return value.toLocaleString('en-US');
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(2);
}

/** Runs `fn` `total` times with `concurrency` calls in flight; returns per-call latencies (ms) and throughput (calls/s). */
export async function load(
  fn: () => Promise<unknown>,
  total: number,
  concurrency: number,
): Promise<{ throughput: number; latencies: number[] }> {
  const latencies: number[] = [];
  let started = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < total) {
        started++;
        const s = performance.now();
        await fn();
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { throughput: total / seconds, latencies: latencies.sort((a, b) => a - b) };
}

export interface Measured {
  name: string;
  /** Median requests/s over the rounds. */
  throughput: number;
  /** Requests/s in each round, in round order (for ratios taken round by round). */
  rounds: number[];
  /** Median p50 and p99 latencies (ms) over the rounds. */
  p50: number;
  p99: number;
}

/**
 * Warms every client up, then loads each in `rounds` interleaved rounds (the order rotated every
 * round, so no client always runs first or last) and returns, per client, its median requests/s
 * and median p50 and p99 latencies.
 */
export async function interleaved(
  clients: Record<string, () => Promise<unknown>>,
  total: number,
  concurrency: number,
  rounds: number,
): Promise<Measured[]> {
  const samples: Record<string, { throughput: number[]; p50: number[]; p99: number[] }> = {};
  for (const fn of Object.values(clients)) await load(fn, 200, concurrency); // warm up
  const names = Object.keys(clients);
  for (let round = 0; round < rounds; round++) {
    for (const name of [...names.slice(round % names.length), ...names.slice(0, round % names.length)]) {
      const result = await load(clients[name]!, total, concurrency);
      const s = (samples[name] ??= { throughput: [], p50: [], p99: [] });
      s.throughput.push(result.throughput);
      s.p50.push(quantile(result.latencies, 0.5));
      s.p99.push(quantile(result.latencies, 0.99));
    }
  }
  return Object.entries(samples).map(([name, s]) => ({ name, throughput: median(s.throughput), rounds: s.throughput, p50: median(s.p50), p99: median(s.p99) }));
}

/**
 * `name`'s throughput as a ratio of `baseline`'s: the median of the ratios within each round, so
 * a round the machine ran slower for (a shared 2-core machine drifts) slows both alike.
 */
export function ratio(measured: Measured[], name: string, baseline: string): number {
  const of = (n: string) => measured.find((m) => m.name === n)!.rounds;
  const base = of(baseline);
  return median(of(name).map((t, round) => t / base[round]!));
}

export function machine(): string {
  return `${process.platform} ${process.arch}, Node ${process.version}`;
}
