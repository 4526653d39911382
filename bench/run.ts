// `npm run bench`: runs every benchmark, prints the tables and writes them to bench/RESULTS.md with
// the machine they ran on, the targets first (bench/lib/targets.ts). Scripts, not tests: a missed
// target makes the run exit 1, and nothing in `npm test` depends on a timing.
import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { batchThroughput } from './batch.ts';
import { bundleSizeReport } from './bundle-size.ts';
import { driftCost } from './drift.ts';
import { importTime } from './import-time.ts';
import { met, takeTargets, targetTable, type Target } from './lib/targets.ts';
import { requestOverhead } from './request-overhead.ts';
import { soak } from './soak.ts';
import { uploadMemory } from './upload-memory.ts';
import { webhookVerify } from './webhook-verify.ts';

const sections: Array<[string, () => Promise<string>]> = [
  ['Request overhead', requestOverhead],
  ['Drift checks (onDrift)', driftCost],
  ['Webhook verification', webhookVerify],
  ['Upload memory', uploadMemory],
  ['Bundle size', bundleSizeReport],
  ['Cold import time', importTime],
  ['Soak', soak],
  ['Bulk work under a rate limit', batchThroughput],
];

const only = process.argv.slice(2);
const parts: string[] = [];
const targets: Target[] = [];
for (const [title, run] of sections) {
  if (only.length && !only.some((o) => title.toLowerCase().includes(o.toLowerCase()))) continue;
  const text = await run();
  targets.push(...takeTargets());
  console.log(`\n## ${title}\n\n${text}`);
  parts.push(`## ${title}\n\n${text}\n`);
}
const missed = targets.filter((t) => !met(t));
const verdict = missed.length
  ? `${missed.length} of ${targets.length} targets missed: ${missed.map((t) => t.what).join('; ')}.`
  : `All ${targets.length} targets met in this run.`;
console.log(`\n## Targets\n\n${targetTable(targets)}\n\n${verdict}`);
if (!only.length) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const header = [
    '# Benchmark results',
    '',
    `Latest \`npm run bench\`: ${new Date().toISOString().slice(0, 10)}, ${cpus().length} x ${cpu}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}. Ratios compare clients measured in the ` +
      'same run, in interleaved rounds; absolute numbers depend on the machine.',
    '',
    '## Targets',
    '',
    `Each target against its limit ("of limit": measured / limit; at least 1.00x where the target is a minimum, at most 1.00x where it is a maximum). ${verdict}`,
    '',
    targetTable(targets),
    '',
  ].join('\n');
  await writeFile(new URL('./RESULTS.md', import.meta.url), `${header}\n${parts.join('\n')}`);
  console.log('\nwrote bench/RESULTS.md');
}
if (missed.length) process.exitCode = 1;
