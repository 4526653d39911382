// `npm run check:generated`: fails when generated/ is not exactly what the spec produces, naming the
// files, so a spec edit without `npm run generate` (or a hand edit of generated/) never lands.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildGenerated } from './lib/pipeline.ts';
import { generatedDir } from './lib/paths.ts';

const expected = await buildGenerated();
const present = await readdir(generatedDir).catch(() => [] as string[]);
const problems: string[] = [];
for (const [name, content] of expected) {
  const actual = await readFile(join(generatedDir, name), 'utf8').catch(() => undefined);
  if (actual === undefined) problems.push(`generated/${name} is missing`);
  else if (actual !== content) problems.push(`generated/${name} differs from what openapi/ produces`);
}
for (const name of present) {
  if (!expected.has(name)) problems.push(`generated/${name} is not produced by the pipeline`);
}
if (problems.length) {
  console.error(problems.join('\n'));
  console.error('Run `npm run generate` and commit openapi/ and generated/ together.');
  process.exit(1);
}
console.log(`generated/ is up to date (${expected.size} files)`);
