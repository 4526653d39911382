// Bundle size: what a browser app pays, esbuild-minified and gzipped. Budgets are enforced by
// test/bundle-size.test.ts; this script prints the table.
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { browserPlatform } from '../scripts/build/browser-platform.ts';
import { machine, table } from './lib/stats.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Gzipped bytes a browser bundle budget allows, per measured entry. */
export const BUDGETS = {
  /** `import { AmaniClient } from 'amani-client'` in a browser app, openapi-fetch included. */
  browserClient: 12.5 * 1024,
  /** `amani-client/webhooks`, whole. */
  webhooks: 6 * 1024,
} as const;

export interface BundleSize {
  name: keyof typeof BUDGETS | 'wholeEntry';
  label: string;
  minified: number;
  gzipped: number;
}

async function measure(contents: string): Promise<{ minified: number; gzipped: number }> {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    // As the package's browser build: without the Node-only module.
    plugins: [browserPlatform],
  });
  const code = result.outputFiles[0]!.contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}

export async function bundleSizes(): Promise<BundleSize[]> {
  return [
    {
      name: 'browserClient',
      label: "import { AmaniClient } from 'amani-client' (browser app, tree-shaken)",
      ...(await measure("import { AmaniClient } from './src/index.ts'; globalThis.AmaniClient = AmaniClient;")),
    },
    {
      name: 'webhooks',
      label: "amani-client/webhooks (every export)",
      ...(await measure("export * from './src/webhooks/index.ts';")),
    },
    {
      name: 'wholeEntry',
      label: "amani-client (every export, for reference)",
      ...(await measure("export * from './src/index.ts';")),
    },
  ];
}

export async function bundleSizeReport(): Promise<string> {
  const sizes = await bundleSizes();
  const rows = sizes.map((s) => [
    s.label,
    s.minified,
    s.gzipped,
    s.name === 'wholeEntry' ? '-' : `${BUDGETS[s.name]} (${((s.gzipped / BUDGETS[s.name]) * 100).toFixed(0)}% used)`,
  ]);
  return [`Bundle size, esbuild --minify, gzip -9 (${machine()})`, '', table(['bundle', 'minified bytes', 'gzipped bytes', 'budget'], rows)].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await bundleSizeReport());
