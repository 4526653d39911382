// Soak: 50,000 profile GETs through AmaniClient with 16 in flight, against a keep-alive server in
// its own process, run by the same child the soak test uses (test/reliability/soak-runner.ts, in
// a process with --expose-gc); heap growth after forced collections must stay under 10 MB. The test
// asserts the same bound; this reports it with the run's other figures.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startProfileServer } from './lib/profile-server.ts';
import { machine, table } from './lib/stats.ts';
import { target } from './lib/targets.ts';

const TOTAL = 50_000;
const CONCURRENCY = 16;
const WARMUP = 2_000;
const LIMIT = 10 * 1024 * 1024;
const RUNNER = fileURLToPath(new URL('../test/reliability/soak-runner.ts', import.meta.url));

interface SoakReport {
  failures: number;
  wrongAnswers: number;
  requestsPerSecond: number;
  heapBeforeBytes: number;
  heapAfterBytes: number;
  heapGrowthBytes: number;
  rssBytes: number;
}

export async function soak(): Promise<string> {
  const server = await startProfileServer();
  let report: SoakReport;
  try {
    // spawnSync would block the server's parent too, but the server runs in a process of its own.
    const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', RUNNER, server.url, String(TOTAL), String(CONCURRENCY), String(WARMUP)], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (child.status !== 0) throw new Error(`soak runner failed (${child.status}): ${child.stderr}`);
    report = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as SoakReport;
  } finally {
    await server.close();
  }
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MB`;
  target({ what: `soak of ${TOTAL.toLocaleString('en-US')} requests: heap growth`, measured: report.heapGrowthBytes, limit: LIMIT, atLeast: false, unit: 'MB' });
  return [
    `Soak: ${TOTAL.toLocaleString('en-US')} profile GETs, ${CONCURRENCY} in flight, after ${WARMUP.toLocaleString('en-US')} to warm up (${machine()}); heap measured after forced garbage collection`,
    '',
    table(
      ['requests', 'failed', 'wrong answers', 'requests/s', 'heap before', 'heap after', 'heap growth (target < 10 MB)', 'of limit', 'RSS at end'],
      [[TOTAL, report.failures, report.wrongAnswers, report.requestsPerSecond, mb(report.heapBeforeBytes), mb(report.heapAfterBytes), mb(report.heapGrowthBytes), `${(report.heapGrowthBytes / LIMIT).toFixed(2)}x`, mb(report.rssBytes)]],
    ),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await soak());
