// What onDrift costs: one profile GET through AmaniClient with and without onDrift (every answer
// checked against the spec), in the same run, in interleaved rounds, at concurrency 1 and 32.
// The profile server's answer conforms, so this measures the check itself, not the reports.
import type { Drift } from '../src/index.ts';
import { builtPackage } from './lib/built.ts';
import { startProfileServer } from './lib/profile-server.ts';
import { interleaved, machine, ratio, table } from './lib/stats.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4000);
const id = '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e';
const token = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ exp: 4102444800 })).toString('base64url')}.c2ln`;

export async function driftCost(): Promise<string> {
  const server = await startProfileServer();
  const drifts: Drift[] = [];
  const { AmaniClient } = await builtPackage();
  const plain = new AmaniClient({ baseUrl: server.url, tokens: { access: token } });
  const watched = new AmaniClient({ baseUrl: server.url, tokens: { access: token }, onDrift: (drift) => void drifts.push(drift) });
  const clients: Record<string, () => Promise<unknown>> = {
    AmaniClient: () => plain.profiles.get(id),
    'AmaniClient with onDrift': () => watched.profiles.get(id),
  };
  const out: string[] = [`onDrift cost (${machine()}, ${ROUNDS} rounds of ${REQUESTS} requests)`];
  try {
    for (const concurrency of [1, 32]) {
      const total = concurrency === 1 ? Math.ceil(REQUESTS / 4) : REQUESTS;
      // The warm-up's first answer with onDrift loads the validator and compiles the schema.
      const measured = await interleaved(clients, total, concurrency, ROUNDS);
      const rows = measured.map((m) => [m.name, m.throughput, `${ratio(measured, m.name, 'AmaniClient').toFixed(2)}x`, m.p50, m.p99]);
      out.push('', `Concurrency ${concurrency}:`, '', table(['client', 'requests/s', 'vs without', 'p50 ms', 'p99 ms'], rows));
    }
    out.push('', `Drifts reported: ${drifts.length} (the answer conforms).`);
  } finally {
    await server.close();
  }
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await driftCost());
