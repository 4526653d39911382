// Request overhead: throughput and latency of one authenticated profile GET (a small JSON answer)
// through each HTTP client, against a keep-alive server in its own process, at concurrency 1 and
// 32. Clients run in interleaved rounds so drift of the machine affects all of them alike; the
// table shows medians over the rounds and each client's throughput as a ratio of undici's
// request() (the practical limit on this runtime; the target is at least 0.80x) and of raw fetch,
// in the same run. AmaniClient is the built package (dist/), as users run it: `npm run bench`
// builds first.
import createClient from 'openapi-fetch';
import { builtPackage } from './lib/built.ts';
import type { paths } from '../generated/schema.js';
import { startProfileServer } from './lib/profile-server.ts';
import { interleaved, machine, ratio, table } from './lib/stats.ts';
import { target } from './lib/targets.ts';

const UNDICI = "undici's request";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4000);
const id = '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e';
const token = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ exp: 4102444800 })).toString('base64url')}.c2ln`;

/**
 * From `node --cpu-prof` of AmaniClient alone (dist/, concurrency 32, 30,000 GETs, this machine,
 * 2026-12-02), as shares of the client process's busy time. Re-profile when the transport changes.
 */
const WHERE_THE_TIME_GOES = [
  'Where AmaniClient\'s time goes (node --cpu-prof, dist/, concurrency 32; shares of the busy time): undici\'s HTTP/1.1',
  'client writing each request and parsing each answer 43%; Node\'s sockets, streams and event loop 16%;',
  'openapi-fetch building each call (the URL from the path template, merged headers) 13%; JSON.parse of',
  'the profile 10%; the client\'s own call and transport (validation, token, attempt and its timeout,',
  'headers, the light answer) 14%; garbage collection 4%. What was removed: undici\'s request() layer',
  '(URL parsed again, a stream per answer, every header parsed; the client hands the dispatcher its',
  'origin and path and keeps the raw headers until one is read), an AbortController per attempt, a',
  'query serializer and a Headers copy per call. What is left of ours is mostly openapi-fetch, kept so',
  'that `amani.raw` and middleware see every call as openapi-fetch documents it.',
].join('\n');

export async function requestOverhead(): Promise<string> {
  const server = await startProfileServer();
  const url = `${server.url}/api/v2/profile/${id}`;
  const headers = { authorization: `Bearer ${token}` };
  const { request } = await import('undici');
  const axios = (await import('axios')).default.create({ headers });
  const bare = createClient<paths>({ baseUrl: server.url, headers });
  const { AmaniClient } = await builtPackage();
  const amani = new AmaniClient({ baseUrl: server.url, tokens: { access: token } });
  const clients: Record<string, () => Promise<unknown>> = {
    'raw fetch': async () => (await fetch(url, { headers })).json(),
    [UNDICI]: async () => (await request(url, { headers })).body.json(),
    axios: async () => (await axios.get(url)).data,
    'bare openapi-fetch': async () => (await bare.GET('/api/v2/profile/{id}', { params: { path: { id } } })).data,
    AmaniClient: () => amani.profiles.get(id),
  };
  const out: string[] = [
    `Request overhead (${machine()}; concurrency 1: ${ROUNDS * 3} rounds of ${Math.ceil(REQUESTS / 8)} requests, concurrency 32: ${ROUNDS} rounds of ${REQUESTS}; ratios are medians of the ratios within each round)`,
  ];
  try {
    for (const concurrency of [1, 32]) {
      // One at a time, a round is short and each request waits on the machine's scheduling:
      // more, shorter rounds, so a slow moment weighs on one round's ratios only.
      const [total, rounds] = concurrency === 1 ? [Math.ceil(REQUESTS / 8), ROUNDS * 3] : [REQUESTS, ROUNDS];
      const measured = await interleaved(clients, total, concurrency, rounds);
      const rows = measured.map((m) => [
        m.name,
        m.throughput,
        `${ratio(measured, m.name, UNDICI).toFixed(2)}x`,
        `${ratio(measured, m.name, 'raw fetch').toFixed(2)}x`,
        m.p50,
        m.p99,
      ]);
      target({ what: `AmaniClient vs undici's request, concurrency ${concurrency}`, measured: ratio(measured, 'AmaniClient', UNDICI), limit: 0.8, atLeast: true, unit: 'x' });
      out.push('', `Concurrency ${concurrency}:`, '', table(['client', 'requests/s', "vs undici's request (target >= 0.80x)", 'vs raw fetch', 'p50 ms', 'p99 ms'], rows));
    }
  } finally {
    await server.close();
  }
  out.push('', WHERE_THE_TIME_GOES);
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await requestOverhead());
