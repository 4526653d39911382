// The built package (dist/), as users run it, typed as its source: `npm run bench` builds first.
// Imported by address at run time, so type-checking the benchmarks needs no build.
import { existsSync } from 'node:fs';

async function built<T>(file: string): Promise<T> {
  const url = new URL(`../../dist/${file}`, import.meta.url);
  if (!existsSync(url)) throw new Error('dist/ is missing: run `npm run build` first');
  return (await import(url.href)) as T;
}

/** `amani-client`, built. */
export const builtPackage = () => built<typeof import('../../src/index.ts')>('index.js');
/** `amani-client/webhooks`, built. */
export const builtWebhooks = () => built<typeof import('../../src/webhooks/index.ts')>('webhooks/index.js');
