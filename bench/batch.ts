// Bulk work against a rate limit: amani.batch() against a server in its own process that allows 50
// requests per second (sliding one-second window) and answers 429 with Retry-After beyond that. Reports the
// achieved rate as a share of the allowed one, and the failed items (the target is zero).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AmaniClient } from '../src/client.ts';
import { machine, table } from './lib/stats.ts';

const ALLOWED_PER_SECOND = 50;
const ITEMS = Number(process.env.BENCH_BATCH_ITEMS ?? 1000);
const token = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ exp: 4102444800 })).toString('base64url')}.c2ln`;

export async function batchThroughput(): Promise<string> {
  const child = fork(fileURLToPath(new URL('./lib/rate-limited-server-process.mjs', import.meta.url)), {
    env: { ...process.env, LIMIT: String(ALLOWED_PER_SECOND) },
  });
  const ask = <T>(message: string, key: string) =>
    new Promise<T>((resolve) => {
      const onMessage = (reply: Record<string, unknown>) => {
        if (key in reply) {
          child.off('message', onMessage);
          resolve(reply[key] as T);
        }
      };
      child.on('message', onMessage);
      if (message) child.send(message);
    });
  const port = await ask<number>('', 'port');
  const baseUrl = `http://127.0.0.1:${port}`;
  const paced = new AmaniClient({ baseUrl, tokens: { access: token }, requestsPerSecond: ALLOWED_PER_SECOND });
  const unpaced = new AmaniClient({ baseUrl, tokens: { access: token } });
  const idsOf = (n: number) => Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  const rows: Array<Array<string | number>> = [];
  try {
    for (const [label, items, amani] of [
      ['requestsPerSecond 50, concurrency 8', ITEMS, paced],
      ['no rate given, concurrency 8 (for comparison: bursts, 429s and Retry-After waits)', Math.ceil(ITEMS / 4), unpaced],
    ] as const) {
      const ids = idsOf(items);
      child.send('reset');
      await new Promise((resolve) => setTimeout(resolve, 1100)); // an empty window to start from
      const t0 = performance.now();
      const results = await amani.batch(ids, (id) => amani.profiles.get(id), { concurrency: 8 });
      const seconds = (performance.now() - t0) / 1000;
      const failed = results.filter((r) => !r.ok).length;
      const rate = items / seconds;
      const limited = await ask<number>('stats', 'limited');
      rows.push([label, items, rate, `${((rate / ALLOWED_PER_SECOND) * 100).toFixed(1)}%`, limited, failed]);
    }
  } finally {
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  }
  return [
    `Bulk work against a limit of ${ALLOWED_PER_SECOND} requests/s (${machine()})`,
    '',
    table(['batch', 'items', 'items/s', 'of allowed rate', '429 answers', 'failed items'], rows),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await batchThroughput());
