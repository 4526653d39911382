// `npm run contract:coverage`: lists every operationId x declared status pair of the spec with the
// number of passing contract checks that reached it, and fails when any pair has none. Reads the
// record the contract suite writes (.contract-results/), so run `npm run test:contract` first.
import { readFile } from 'node:fs/promises';
import { bundledSpec, contractResults } from './lib/paths.ts';

const spec = JSON.parse(await readFile(bundledSpec, 'utf8')) as {
  paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, unknown> }>>;
};
const raw = await readFile(contractResults, 'utf8').catch(() => undefined);
if (raw === undefined) {
  console.error(`No contract results at ${contractResults}: run \`npm run test:contract\` first.`);
  process.exit(1);
}
const hits = new Map<string, number>();
for (const line of raw.split('\n').filter(Boolean)) {
  const { operationId, status } = JSON.parse(line) as { operationId: string; status: number };
  const key = `${operationId} ${status}`;
  hits.set(key, (hits.get(key) ?? 0) + 1);
}

const rows: Array<[string, string, string, number]> = [];
for (const [path, item] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(item)) {
    if (!op?.operationId) continue;
    for (const status of Object.keys(op.responses ?? {})) {
      rows.push([op.operationId, `${method.toUpperCase()} ${path}`, status, hits.get(`${op.operationId} ${status}`) ?? 0]);
    }
  }
}
const width = Math.max(...rows.map((r) => r[0].length));
const routeWidth = Math.max(...rows.map((r) => r[1].length));
for (const [operationId, route, status, count] of rows) {
  console.log(`${count ? 'ok     ' : 'MISSING'} ${operationId.padEnd(width)}  ${route.padEnd(routeWidth)}  ${status}  ${count} check(s)`);
}
const missing = rows.filter((r) => r[3] === 0);
const operations = new Set(rows.map((r) => r[0])).size;
console.log(`\n${rows.length - missing.length}/${rows.length} operationId x status pairs covered across ${operations} operations`);
if (missing.length) {
  console.error(`${missing.length} pair(s) have no contract test: ${missing.map((r) => `${r[0]} ${r[2]}`).join(', ')}`);
  process.exit(1);
}
