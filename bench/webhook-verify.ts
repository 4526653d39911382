// Webhook verification: verifications per second of verifyWebhook (Web Crypto, raw body) against
// the bare Node baseline a hand-written receiver would use (createHmac + timingSafeEqual), for 1 KB
// and 64 KB payloads, in interleaved rounds; the target is at least 0.80x. verifyWebhook is the
// built package's (dist/), as users run it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { builtWebhooks } from './lib/built.ts';
import { machine, median, table } from './lib/stats.ts';
import { target } from './lib/targets.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const secret = 'whsec_benchmark_secret_0123456789';

/** A profile_update payload whose serialized body is `bytes` long, with some non-ASCII names. */
function payloadOfSize(bytes: number) {
  const base = { event: 'profile_update' as const, profile: { id: '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e', name: 'Ayşe Yılmaz', note: '' } };
  const overhead = JSON.stringify(base).length + 20; // the escapes of the two non-ASCII letters
  base.profile.note = 'x'.repeat(Math.max(0, bytes - overhead));
  return base;
}

async function perSecond(fn: () => Promise<unknown> | unknown, iterations: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  return iterations / ((performance.now() - t0) / 1000);
}

export async function webhookVerify(): Promise<string> {
  const { signWebhook, verifyWebhook } = await builtWebhooks();
  const out: string[] = [`Webhook verification (${machine()}, ${ROUNDS} rounds)`];
  for (const size of [1024, 64 * 1024]) {
    const { body, headers } = await signWebhook(payloadOfSize(size), secret);
    const signature = headers['Webhook-Signature'];
    const raw = Buffer.from(body);
    const candidates: Record<string, () => Promise<unknown> | unknown> = {
      'node:crypto createHmac + timingSafeEqual': () => {
        const expected = createHmac('sha256', secret).update(raw).digest();
        const given = Buffer.from(signature, 'base64');
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('mismatch');
        return JSON.parse(raw.toString('utf8'));
      },
      verifyWebhook: () => verifyWebhook({ body: raw, signature, secret }),
    };
    const iterations = size > 4096 ? 2000 : 20000;
    const samples: Record<string, number[]> = {};
    for (const fn of Object.values(candidates)) await perSecond(fn, iterations / 10);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, fn] of Object.entries(candidates)) (samples[name] ??= []).push(await perSecond(fn, iterations));
    }
    const baseline = median(samples['node:crypto createHmac + timingSafeEqual']!);
    const rows = Object.entries(samples).map(([name, s]) => [name, median(s), `${(median(s) / baseline).toFixed(2)}x`]);
    target({ what: `verifyWebhook vs node:crypto, ${size / 1024} KB payload`, measured: median(samples.verifyWebhook!) / baseline, limit: 0.8, atLeast: true, unit: 'x' });
    out.push('', `${size / 1024} KB payload (${body.length} bytes on the wire):`, '', table(['verifier', 'verifications/s', 'vs node:crypto (target >= 0.80x)'], rows));
  }
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await webhookVerify());
