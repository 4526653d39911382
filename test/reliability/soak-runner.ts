// The soak's client side, run by soak.test.ts in its own process as
//   node --expose-gc --import tsx test/reliability/soak-runner.ts <baseUrl> <total> <concurrency> <warmup>
// (vitest's workers have no global.gc, and this process has no nock in its fetch: what is measured
// is the client as users run it). It sends `warmup` requests, collects garbage, notes the heap,
// sends `total` more through AmaniClient with bounded concurrency, collects garbage again and
// prints one JSON line with the counts, the timing and the heap figures.
import { AmaniClient } from '../../src/index.ts';

const [baseUrl, totalArg = '50000', concurrencyArg = '16', warmupArg = '2000'] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc;
if (!baseUrl || typeof gc !== 'function') {
  console.error('usage: node --expose-gc --import tsx soak-runner.ts <baseUrl> [total] [concurrency] [warmup]');
  process.exit(2);
}
const total = Number(totalArg);
const concurrency = Number(concurrencyArg);
const warmup = Number(warmupArg);

const PROFILE_ID = '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e';
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const access = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ token_type: 'access', exp: 4_102_444_800 })}.soak-signature`;

let logEntries = 0;
let failures = 0;
let wrongAnswers = 0;
const client = new AmaniClient({
  baseUrl,
  tokens: { access },
  retry: { baseDelayMs: 1, maxDelayMs: 5 },
  timeoutMs: 30_000,
  // A logger that keeps nothing: the soak measures the client, not a growing array of entries.
  logger: () => void logEntries++,
});

async function run(count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      try {
        const profile = await client.profiles.get(PROFILE_ID);
        if (profile.id !== PROFILE_ID) wrongAnswers++;
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function settledHeap(): number {
  // Several passes: the first frees objects whose finalizers release more.
  for (let i = 0; i < 4; i++) gc!();
  return process.memoryUsage().heapUsed;
}

await run(warmup);
const heapBefore = settledHeap();
const samples: number[] = [];
const cpuBefore = process.cpuUsage();
const started = performance.now();
// The heap is sampled after each fifth: a leak shows as a steady climb, noise does not.
const slices = 5;
for (let slice = 0; slice < slices; slice++) {
  await run(Math.round(total / slices));
  samples.push(settledHeap());
}
const durationMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const heapAfter = samples.at(-1)!;

console.log(
  JSON.stringify({
    total,
    warmup,
    concurrency,
    failures,
    wrongAnswers,
    logEntries,
    durationMs: Math.round(durationMs),
    requestsPerSecond: Math.round((total / durationMs) * 1000),
    heapBeforeBytes: heapBefore,
    heapAfterBytes: heapAfter,
    heapGrowthBytes: heapAfter - heapBefore,
    heapSamplesBytes: samples,
    rssBytes: process.memoryUsage().rss,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  }),
);
