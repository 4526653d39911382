// The public types under the strictest settings a user may compile with: ./exact-optional/user-code.ts
// passes an explicit `undefined` to every optional option and parameter, and compiles with strict,
// exactOptionalPropertyTypes and noUncheckedIndexedAccess; its deliberate mistakes must stay errors.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const project = fileURLToPath(new URL('./exact-optional/tsconfig.json', import.meta.url));

async function compile(): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [tsc, '-p', project, '--noEmit', '--pretty', 'false']);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('public types with exactOptionalPropertyTypes', () => {
  it('compile user code that passes explicit undefined to every optional option', async () => {
    const { code, output } = await compile();
    expect(output).toBe('');
    expect(code).toBe(0);
  }, 120_000);
});
