// The README's TypeScript code blocks as files of the consumer project of consumer.test.ts, where
// 'amani-client' is the installed tarball: each block becomes one ES module named after its line
// in README.md (so a compiler error's file and line point into the README), compiled under the
// strictest settings a user may have, once with nodenext and once with bundler resolution.
// A block marked `<!-- readme-test: run -->` is run as well: a block importing vitest as a vitest
// test file, any other one as the compiled module under node.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ReadmeBlock {
  /** The README line of the block's opening fence. */
  line: number;
  code: string;
  run: boolean;
  /** The block's file in the consumer project, relative to it. */
  file: string;
}

export const RUN_MARKER = '<!-- readme-test: run -->';
export const BLOCK_DIR = 'readme-blocks';
export const OUT_DIR = 'readme-out';
/** What the blocks import besides amani-client, as the user would have it installed. */
export const BLOCK_TOOLS = ['vitest@4.1.12', '@types/express@5.0.6'];

export function readmeBlocks(readme: string): ReadmeBlock[] {
  const lines = readme.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```ts') continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`README.md line ${i + 1}: a ts block without a closing fence`);
    const code = lines.slice(i + 1, end).join('\n');
    const line = i + 1;
    const name = `line-${String(line).padStart(4, '0')}`;
    const test = /from 'vitest'/.test(code);
    blocks.push({ line, code, run: lines[i - 1] === RUN_MARKER, file: `${BLOCK_DIR}/${name}${test ? '.test' : ''}.mts` });
    i = end;
  }
  return blocks;
}

/** How to run a runnable block in the project: vitest for a test file, node for a script. */
export function runCommand(project: string, block: ReadmeBlock): [string, string[]] {
  if (block.file.endsWith('.test.mts')) return [join(project, 'node_modules', '.bin', 'vitest'), ['run', block.file]];
  return [process.execPath, [block.file.replace(BLOCK_DIR, OUT_DIR).replace(/\.mts$/, '.mjs')]];
}

const compilerOptions = {
  target: 'es2022',
  lib: ['es2022'],
  types: ['node'],
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: true,
};

export const TSCONFIGS = { nodenext: 'tsconfig.readme.nodenext.json', bundler: 'tsconfig.readme.bundler.json' } as const;

/**
 * Writes the blocks and two tsconfigs: nodenext, which emits the modules `runCommand` runs, and
 * bundler, a check only.
 */
export function writeReadmeBlocks(project: string, blocks: ReadmeBlock[]): void {
  mkdirSync(join(project, BLOCK_DIR), { recursive: true });
  // An .mts file is an ES module whether or not it imports anything, so top-level await works.
  for (const block of blocks) writeFileSync(join(project, block.file), `${block.code}\n`);
  const config = (options: object) => JSON.stringify({ compilerOptions: { ...compilerOptions, ...options }, include: [BLOCK_DIR] }, null, 2);
  writeFileSync(join(project, TSCONFIGS.nodenext), config({ module: 'nodenext', moduleResolution: 'nodenext', outDir: OUT_DIR, rootDir: BLOCK_DIR }));
  writeFileSync(join(project, TSCONFIGS.bundler), config({ module: 'esnext', moduleResolution: 'bundler', noEmit: true }));
}
