// The static API reference: one self-contained HTML file built by `redocly build-docs` from the
// bundled spec. Shared by `npm run docs:build` and its test so both build it the same way.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { bundledSpec, root } from './paths.ts';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

export const defaultReferencePath = join(root, 'dist', 'reference', 'index.html');

/**
 * Writes the reference to `output`. `--inlineBundle` embeds Redoc's scripts: without it the page
 * loads them from Redocly's CDN and shows nothing offline.
 */
export async function buildReference(output: string = defaultReferencePath, spec: string = bundledSpec): Promise<void> {
  const cli = require.resolve('@redocly/cli/bin/cli.js');
  await run(process.execPath, [cli, 'build-docs', spec, '--inlineBundle', '-o', output], {
    cwd: root,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    timeout: 60_000,
  });
}
