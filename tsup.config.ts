// Builds the published package into dist/: ESM (.js) and CJS (.cjs) with matching declarations
// (.d.ts / .d.cts) for each entry in package.json's `exports`, and the `amani` CLI (ESM only).
import { existsSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';
import { browserPlatform } from './scripts/build/browser-platform.ts';

/** Library entries: the key is the output path under dist/, as named in package.json's `exports`. */
const libraryEntries = {
  index: 'src/index.ts',
  'webhooks/index': 'src/webhooks/index.ts',
  'webhooks/node': 'src/webhooks/node-handler.ts',
  'testing/index': 'src/testing/index.ts',
};

const CLI_ENTRY = 'src/cli/main.ts';
const CLI_OUTPUTS = ['cli.js', 'cli.js.map'];

const shared: Options = {
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  // Keep `node:` specifiers as written: Deno, Bun and edge runtimes recognise them, and the webhook
  // entry's test checks the built files for them.
  removeNodeProtocol: false,
};

const library: Options = {
  ...shared,
  entry: libraryEntries,
  format: ['esm', 'cjs'],
  dts: true,
  // Shared code (the errors, above all) lives in one chunk per format, so `instanceof` holds across
  // entries: an error thrown by amani-client/webhooks is an instance of amani-client's class. CJS
  // splitting is off by default in tsup.
  splitting: true,
  // CJS has no import.meta.url (the mock server's createRequire needs one): a guarded shim of our
  // own instead of tsup's `shims`, see scripts/build/cjs-import-meta-url.ts.
  esbuildOptions(options, { format }) {
    if (format !== 'cjs') return;
    options.define = { ...options.define, 'import.meta.url': 'importMetaUrl' };
    options.inject = [...(options.inject ?? []), 'scripts/build/cjs-import-meta-url.ts'];
  },
  // The CLI and browser builds write into the same directory in parallel: never clean their files.
  clean: [...CLI_OUTPUTS.map((file) => `!${file}`), '!browser/**'],
};

// What the `browser` export condition serves: the root entry without the Node-only pieces
// (src/core/platform.ts becomes platform.browser.ts). ESM only; types are the root entry's. Split
// like the library: the areas AmaniClient loads on first use (src/core/lazy-areas.ts) stay in a
// chunk of their own, which an app's bundler keeps apart too. dist/browser/ is its own, so it
// cleans it (stale chunks would be shipped).
const browser: Options = {
  ...shared,
  entry: { index: 'src/index.ts' },
  outDir: 'dist/browser',
  platform: 'browser',
  target: 'es2022',
  format: ['esm'],
  dts: false,
  splitting: true,
  clean: true,
  esbuildPlugins: [browserPlatform],
};

// The CLI is built only once its source exists, so the library builds while it is being written.
// ESM only: a bin needs no CJS twin, and the CLI may use top-level await. esbuild keeps the
// entry's `#!/usr/bin/env node` line and tsup marks the file executable.
const cli: Options = {
  ...shared,
  entry: { cli: CLI_ENTRY },
  format: ['esm'],
  dts: false,
  splitting: false,
  clean: false,
};

export default defineConfig(existsSync(CLI_ENTRY) ? [library, browser, cli] : [library, browser]);
