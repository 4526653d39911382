// `npm run generate`: bundles the spec and generates its types into generated/, and rewrites the
// README's table of operations by evidence level from the bundled spec.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { buildGenerated } from './lib/pipeline.ts';
import { evidenceTable, withEvidenceTable } from './lib/evidence.ts';
import { generatedDir, root } from './lib/paths.ts';

await mkdir(generatedDir, { recursive: true });
const generated = await buildGenerated();
for (const [name, content] of generated) {
  await writeFile(join(generatedDir, name), content);
  console.log(`wrote ${relative(root, join(generatedDir, name))}`);
}
const readmePath = join(root, 'README.md');
const readme = await readFile(readmePath, 'utf8');
const updated = withEvidenceTable(readme, evidenceTable(JSON.parse(generated.get('openapi.json')!)));
if (updated !== readme) {
  await writeFile(readmePath, updated);
  console.log('wrote the evidence table in README.md');
}
