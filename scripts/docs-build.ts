// `npm run docs:build`: the static API reference at dist/reference/index.html (or the path given as
// the first argument), a single HTML file that works offline.
import { resolve } from 'node:path';
import { buildReference, defaultReferencePath } from './lib/reference.ts';

const output = process.argv[2] ? resolve(process.argv[2]) : defaultReferencePath;
try {
  await buildReference(output);
  console.log(`Wrote the API reference to ${output}`);
} catch (error) {
  const { stderr, message } = error as { stderr?: string; message: string };
  console.error(`redocly build-docs failed: ${stderr?.trim() || message}`);
  process.exit(1);
}
