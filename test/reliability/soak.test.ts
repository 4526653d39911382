// Soak: 50,000 requests through AmaniClient against a keep-alive fault server answering a profile,
// with bounded concurrency; the heap, measured after forced garbage collection, must grow by less
// than 10 MB. Vitest's workers have no global.gc (checked: typeof gc is 'undefined' there) and
// test/setup.ts wraps nock around their fetch, so the client runs in a child
//   node --expose-gc --import tsx test/reliability/soak-runner.ts
// and this test asserts on the JSON line it prints. The server runs here, in another process, so
// client and server use both cores, as a client and Amani never share one.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { act, startFaultServer, type FaultServer } from './fault-server.ts';
import { evidence, failOnUnhandledRejections, PROFILE_ID, secretScan } from './harness.ts';

const TOTAL = 50_000;
const WARMUP = 2_000;
const CONCURRENCY = 16;
const MAX_HEAP_GROWTH = 10 * 1024 * 1024;
/** The child's budget. Measured on 2 cores: 7.5-15 s (3,300-6,700 req/s); with other work at load 12, up to ~130 s. */
const CHILD_TIMEOUT_MS = 280_000;
const RUNNER = fileURLToPath(new URL('./soak-runner.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface SoakReport {
  total: number;
  warmup: number;
  concurrency: number;
  failures: number;
  wrongAnswers: number;
  logEntries: number;
  durationMs: number;
  requestsPerSecond: number;
  heapBeforeBytes: number;
  heapAfterBytes: number;
  heapGrowthBytes: number;
  heapSamplesBytes: number[];
  rssBytes: number;
  cpuMs: number;
}

let server: FaultServer;
beforeAll(async () => {
  // record: false: the server counts requests instead of keeping 52,000 of them.
  server = await startFaultServer({ record: false });
  server.fallback(
    'GET',
    `/api/v2/profile/${PROFILE_ID}`,
    act.json(200, { id: PROFILE_ID, id_card_number: '12345678901', name: 'Ayse Yilmaz', status: 'APPROVED', verified_level: 2 }),
  );
}, 10_000);
afterAll(() => server.close(), 10_000);
failOnUnhandledRejections();

/** Runs the child, killed at the deadline; resolves with its exit code and output. */
function runChild(args: string[]): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', RUNNER, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: CHILD_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

it(`${TOTAL.toLocaleString('en')} requests through AmaniClient: every one answered, heap growth after GC under 10 MB`, async () => {
  const { code, signal, stdout, stderr } = await runChild([server.url, String(TOTAL), String(CONCURRENCY), String(WARMUP)]);
  evidence.text('soak stderr', stderr);
  expect({ code, signal, stderr: stderr.slice(0, 2_000) }).toEqual({ code: 0, signal: null, stderr: '' });
  const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as SoakReport;
  evidence.text('soak report', JSON.stringify(report));
  // The numbers, for the record (vitest prints a test's console output).
  console.log(
    `soak: ${report.total} requests in ${(report.durationMs / 1000).toFixed(1)} s (${report.requestsPerSecond} req/s, ` +
      `client CPU ${(report.cpuMs / 1000).toFixed(1)} s, concurrency ${report.concurrency}); heap after GC ` +
      `${(report.heapBeforeBytes / 2 ** 20).toFixed(2)} MB -> ${(report.heapAfterBytes / 2 ** 20).toFixed(2)} MB ` +
      `(growth ${(report.heapGrowthBytes / 2 ** 20).toFixed(2)} MB; per 10,000: ${report.heapSamplesBytes.map((b) => (b / 2 ** 20).toFixed(2)).join(', ')} MB); ` +
      `${server.connections} connections`,
  );
  expect(report.failures).toBe(0);
  expect(report.wrongAnswers).toBe(0);
  // One attempt per request: no retries, and every request reached the server exactly once.
  expect(report.logEntries).toBe(TOTAL + WARMUP);
  expect(server.count).toBe(TOTAL + WARMUP);
  // Keep-alive: connections are reused, not one per request.
  expect(server.connections).toBeLessThanOrEqual(4 * CONCURRENCY);
  expect(report.heapGrowthBytes).toBeLessThan(MAX_HEAP_GROWTH);
}, CHILD_TIMEOUT_MS + 10_000);

secretScan(2);
