// `npm run contract:coverage`: lists every operationId x declared status pair of the spec with the
// number of passing contract checks that reached it through the typed client and through the
// AmaniClient wrapper, and fails when any pair lacks either. Every operation with a path parameter
// has one row more, "404 malformed id": the typed client got the declared 404 for malformed ids,
// and the wrapper refused them before sending. Reads the record the contract suite writes
// (.contract-results/), so run `npm run test:contract` first.
import { readFile } from 'node:fs/promises';
import { bundledSpec, contractResults } from './lib/paths.ts';

type Via = 'typed' | 'wrapper';
const VIAS: Via[] = ['typed', 'wrapper'];
const MALFORMED = ' malformed id';

interface Operation {
  operationId?: string;
  responses?: Record<string, unknown>;
  parameters?: Array<{ in?: string }>;
}
const spec = JSON.parse(await readFile(bundledSpec, 'utf8')) as {
  paths: Record<string, Record<string, Operation> & { parameters?: Operation['parameters'] }>;
};
const raw = await readFile(contractResults, 'utf8').catch(() => undefined);
if (raw === undefined) {
  console.error(`No contract results at ${contractResults}: run \`npm run test:contract\` first.`);
  process.exit(1);
}
const hits = new Map<string, number>();
for (const line of raw.split('\n').filter(Boolean)) {
  const { operationId, status, via, malformedId } = JSON.parse(line) as { operationId: string; status: number; via: Via; malformedId?: true };
  const key = `${operationId} ${status}${malformedId ? MALFORMED : ''} ${via}`;
  hits.set(key, (hits.get(key) ?? 0) + 1);
}

interface Row {
  operationId: string;
  route: string;
  status: string;
  counts: Record<Via, number>;
}
const rows: Row[] = [];
for (const [path, item] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(item)) {
    if (typeof op !== 'object' || Array.isArray(op) || !op.operationId) continue;
    const statuses = Object.keys(op.responses ?? {});
    const inPath = [...(item.parameters ?? []), ...(op.parameters ?? [])].some((p) => p.in === 'path');
    for (const status of inPath ? [...statuses, `404${MALFORMED}`] : statuses) {
      const counts = Object.fromEntries(VIAS.map((via) => [via, hits.get(`${op.operationId} ${status} ${via}`) ?? 0])) as Record<Via, number>;
      rows.push({ operationId: op.operationId, route: `${method.toUpperCase()} ${path}`, status, counts });
    }
  }
}
const width = Math.max(...rows.map((r) => r.operationId.length));
const routeWidth = Math.max(...rows.map((r) => r.route.length));
const codeWidth = Math.max(...rows.map((r) => r.status.length));
console.log(`${'status '.padEnd(8)}${'operationId'.padEnd(width)}  ${'route'.padEnd(routeWidth)}  ${'code'.padEnd(codeWidth)}  typed  wrapper`);
for (const row of rows) {
  const ok = VIAS.every((via) => row.counts[via] > 0);
  console.log(
    `${(ok ? 'ok' : 'MISSING').padEnd(8)}${row.operationId.padEnd(width)}  ${row.route.padEnd(routeWidth)}  ${row.status.padEnd(codeWidth)}  ${String(row.counts.typed).padStart(5)}  ${String(row.counts.wrapper).padStart(7)}`,
  );
}
const missing = rows.filter((r) => VIAS.some((via) => r.counts[via] === 0));
const operations = new Set(rows.map((r) => r.operationId)).size;
console.log(`\n${rows.length - missing.length}/${rows.length} operationId x status pairs (malformed ids included) covered by both clients across ${operations} operations`);
if (missing.length) {
  const names = missing.map((r) => `${r.operationId} ${r.status} (${VIAS.filter((v) => r.counts[v] === 0).join(', ')})`);
  console.error(`${missing.length} pair(s) lack a contract test: ${names.join('; ')}`);
  process.exit(1);
}
