// `npm run generate`: bundles the spec and generates its types into generated/.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { buildGenerated } from './lib/pipeline.ts';
import { generatedDir, root } from './lib/paths.ts';

await mkdir(generatedDir, { recursive: true });
for (const [name, content] of await buildGenerated()) {
  await writeFile(join(generatedDir, name), content);
  console.log(`wrote ${relative(root, join(generatedDir, name))}`);
}
