// Bundle size: what a browser app pays, esbuild-minified and gzipped. Budgets are enforced by
// test/bundle-size.test.ts; this script prints the table.
import { gzipSync } from 'node:zlib';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { browserPlatform } from '../scripts/build/browser-platform.ts';
import { machine, table } from './lib/stats.ts';
import { target } from './lib/targets.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Gzipped bytes a browser bundle budget allows, per measured entry. */
export const BUDGETS = {
  /**
   * `import { AmaniClient } from 'amani-client'` in a browser app, openapi-fetch included: what it
   * loads before its first call.
   */
  browserClient: 12 * 1024,
  /** `amani-client/webhooks`, whole. */
  webhooks: 6 * 1024,
} as const;

export interface BundleSize {
  /** A budget's name; `onFirstUse` and `wholeEntry` are reported without one. */
  name: keyof typeof BUDGETS | 'onFirstUse' | 'wholeEntry';
  label: string;
  /** The files counted, entry first. */
  files: number;
  minified: number;
  gzipped: number;
}

type Sizes = Pick<BundleSize, 'files' | 'minified' | 'gzipped'>;

function sizeOf(files: Uint8Array[]): Sizes {
  return {
    files: files.length,
    minified: files.reduce((sum, file) => sum + file.length, 0),
    // Each file is a download of its own, so each is gzipped alone.
    gzipped: files.reduce((sum, file) => sum + gzipSync(file, { level: 9 }).length, 0),
  };
}

type Outputs = Metafile['outputs'];

/** The output `entry` and every output it imports statically, at any depth: what loads up front. */
export function upFront(outputs: Outputs, entry: string): Set<string> {
  const found = new Set<string>();
  const visit = (path: string) => {
    if (found.has(path)) return;
    found.add(path);
    for (const imported of outputs[path]!.imports) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(entry);
  return found;
}

/**
 * Bundled with code splitting, as a browser app's bundler does. Up front: the entry chunk and every
 * chunk it imports statically, at any depth (what the browser downloads before the first call);
 * on first use: the chunks only import() reaches (the areas of src/core/lazy-areas.ts).
 */
async function measure(contents: string): Promise<{ upFront: Sizes; onFirstUse: Sizes }> {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts', sourcefile: 'app.ts' },
    bundle: true,
    minify: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // Never written (write: false); splitting needs a directory to name the chunks in.
    outdir: join(root, 'bundle-size'),
    write: false,
    metafile: true,
    logLevel: 'silent',
    // As the package's browser build: without the Node-only module.
    plugins: [browserPlatform],
  });
  const outputs = result.metafile.outputs;
  const code = new Map(result.outputFiles.map((file) => [relative(root, file.path), file.contents]));
  const loaded = upFront(outputs, Object.keys(outputs).find((path) => outputs[path]!.entryPoint !== undefined)!);
  const chunks = Object.keys(outputs).filter((path) => path.endsWith('.js'));
  return {
    upFront: sizeOf([...loaded].map((path) => code.get(path)!)),
    onFirstUse: sizeOf(chunks.filter((path) => !loaded.has(path)).map((path) => code.get(path)!)),
  };
}

export async function bundleSizes(): Promise<BundleSize[]> {
  const client = await measure("import { AmaniClient } from './src/index.ts'; globalThis.AmaniClient = AmaniClient;");
  return [
    { name: 'browserClient', label: "import { AmaniClient } from 'amani-client' (browser app, tree-shaken, up front)", ...client.upFront },
    { name: 'onFirstUse', label: 'loaded on first use (the areas profiles, documents, webhooks, aml, ipWhitelist, batch; page preparation for uploads)', ...client.onFirstUse },
    { name: 'webhooks', label: 'amani-client/webhooks (every export)', ...(await measure("export * from './src/webhooks/index.ts';")).upFront },
    { name: 'wholeEntry', label: 'amani-client (every export, for reference)', ...(await measure("export * from './src/index.ts';")).upFront },
  ];
}

export async function bundleSizeReport(): Promise<string> {
  const sizes = await bundleSizes();
  const rows = sizes.map((s) => {
    const budget = s.name === 'onFirstUse' || s.name === 'wholeEntry' ? undefined : BUDGETS[s.name];
    if (budget !== undefined) target({ what: `${s.label}, gzipped`, measured: s.gzipped, limit: budget, atLeast: false, unit: 'bytes' });
    return [s.label, s.files, s.minified, s.gzipped, budget === undefined ? '-' : `${budget} (${((s.gzipped / budget) * 100).toFixed(0)}% used)`];
  });
  return [
    `Bundle size, esbuild --minify --splitting, gzip -9 per file (${machine()})`,
    '',
    table(['bundle', 'files', 'minified bytes', 'gzipped bytes', 'budget'], rows),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await bundleSizeReport());
