// `npm run bundle`: writes the bundled spec only (generated/openapi.json).
import { writeFile, mkdir } from 'node:fs/promises';
import { bundleSpec } from './lib/pipeline.ts';
import { bundledSpec, generatedDir } from './lib/paths.ts';

await mkdir(generatedDir, { recursive: true });
await writeFile(bundledSpec, await bundleSpec());
console.log(`bundled -> ${bundledSpec}`);
