// `npm run bench`: runs every benchmark, prints the tables and writes them to bench/RESULTS.md with
// the machine they ran on. Scripts, not tests: nothing here passes or fails on a timing.
import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { batchThroughput } from './batch.ts';
import { bundleSizeReport } from './bundle-size.ts';
import { driftCost } from './drift.ts';
import { importTime } from './import-time.ts';
import { requestOverhead } from './request-overhead.ts';
import { uploadMemory } from './upload-memory.ts';
import { webhookVerify } from './webhook-verify.ts';

const sections: Array<[string, () => Promise<string>]> = [
  ['Request overhead', requestOverhead],
  ['Drift checks (onDrift)', driftCost],
  ['Webhook verification', webhookVerify],
  ['Upload memory', uploadMemory],
  ['Bundle size', bundleSizeReport],
  ['Cold import time', importTime],
  ['Bulk work under a rate limit', batchThroughput],
];

const only = process.argv.slice(2);
const parts: string[] = [];
for (const [title, run] of sections) {
  if (only.length && !only.some((o) => title.toLowerCase().includes(o.toLowerCase()))) continue;
  const text = await run();
  console.log(`\n## ${title}\n\n${text}`);
  parts.push(`## ${title}\n\n${text}\n`);
}
if (!only.length) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const header = [
    '# Benchmark results',
    '',
    `Latest \`npm run bench\`: ${new Date().toISOString().slice(0, 10)}, ${cpus().length} x ${cpu}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}. Ratios compare clients measured in the ` +
      'same run, in interleaved rounds; absolute numbers depend on the machine.',
    '',
  ].join('\n');
  await writeFile(new URL('./RESULTS.md', import.meta.url), `${header}\n${parts.join('\n')}`);
  console.log('\nwrote bench/RESULTS.md');
}
