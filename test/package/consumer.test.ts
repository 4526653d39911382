// The package as a user outside this repository meets it: built, packed, and installed from the
// tarball into a throwaway project (with Prism and Redocly, as a user's CI has them), using the
// packing and installing of scripts/pack-smoke.ts. What is checked runs in that project, from
// node_modules/amani-client, never from this repository's sources.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install, pack, PEERS, run, TOOLS, writeProject } from '../../scripts/pack-smoke.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The one-line command of the README code block that follows `<!-- package-test: NAME -->`. */
function readmeCommand(name: string): string {
  const block = readme.match(new RegExp(`<!-- package-test: ${name} -->\\n\`\`\`sh\\n([^\\n]+)\\n\`\`\``));
  if (!block) throw new Error(`README.md has no sh block marked <!-- package-test: ${name} -->`);
  return block[1]!;
}

let work = '';
let project = '';

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'amani-client-consumer-'));
  project = join(work, 'project');
  await run('npm', ['run', 'build'], root, 240_000);
  const tarball = await pack(work);
  writeProject(project);
  await install(project, [tarball, ...TOOLS, ...PEERS, '@redocly/cli@2.77.0']);
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('use 2: linting the shipped spec in the consumer CI', () => {
  it("the README's lint command, run verbatim from the consumer project, exits 0", async () => {
    const command = readmeCommand('lint command');
    expect(command).toMatch(/^npx @redocly\/cli lint /);
    // Telemetry is off in the shipped config; the variable makes sure no test depends on the internet.
    process.env.REDOCLY_TELEMETRY = 'off';
    const { stdout, stderr } = await run('sh', ['-c', command], project, 120_000);
    // Redocly 2.77.0 prints a Node 20 banner with the word "warning": read its summary line instead.
    expect(`${stdout}${stderr}`).toMatch(/Your API description is valid/);
  }, 130_000);
});
