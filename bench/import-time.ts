// Cold import time: a fresh Node process that imports the built package, against one that runs
// nothing (`node -e ''`), in interleaved runs. Needs `npm run build` first (dist/).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { machine, median, table } from './lib/stats.ts';
import { target } from './lib/targets.ts';

/** The most a cold import may add to a Node process that runs nothing. */
const LIMIT_MS = 40;

const RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 15);
const root = fileURLToPath(new URL('..', import.meta.url));

function timed(args: string[]): number {
  const t0 = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}`);
  return performance.now() - t0;
}

export async function importTime(): Promise<string> {
  if (!existsSync(`${root}/dist/index.js`)) throw new Error('dist/ is missing: run `npm run build` first');
  const commands: Record<string, string[]> = {
    "node -e ''": ['-e', ''],
    "import('amani-client')": ['--input-type=module', '-e', "await import('amani-client')"],
    "import('amani-client/webhooks')": ['--input-type=module', '-e', "await import('amani-client/webhooks')"],
    "require('amani-client')": ['-e', "require('amani-client')"],
  };
  const samples: Record<string, number[]> = {};
  for (const args of Object.values(commands)) timed(args); // warm the file cache
  for (let run = 0; run < RUNS; run++) {
    for (const [name, args] of Object.entries(commands)) (samples[name] ??= []).push(timed(args));
  }
  const baseline = median(samples["node -e ''"]!);
  for (const [name, s] of Object.entries(samples)) {
    if (name !== "node -e ''") target({ what: `cold ${name}, over node -e ''`, measured: median(s) - baseline, limit: LIMIT_MS, atLeast: false, unit: 'ms' });
  }
  const rows = Object.entries(samples).map(([name, s]) => [
    name,
    median(s),
    name === "node -e ''" ? '-' : median(s) - baseline,
    `${(median(s) / baseline).toFixed(2)}x`,
  ]);
  return [
    `Cold import time, median of ${RUNS} fresh processes (${machine()})`,
    '',
    table(['command', 'ms', `ms over node -e (target <= ${LIMIT_MS})`, 'vs node -e'], rows),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await importTime());
