// Installs the package the way a user gets it and uses it: packs the built package, installs the
// tarball alone into a throwaway project (first without Prism, then with it), and runs ESM and CJS
// consumers against a mock started through `amani-client/testing`, the browser build (its chunks
// included) under --conditions=browser against a node:http server, type-checks a TypeScript
// consumer under moduleResolution node16 and bundler, and runs the `amani` bin. Run after
// `npm run build` (`npm run check:package` does both); fails when dist/ is older than the sources.
// test/package/consumer.test.ts reuses the packing and installing below for its own consumer checks.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { consumerFiles } from './package-smoke/consumer.ts';
import { isAlive } from './lib/processes.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
export const PEERS = ['@stoplight/prism-cli@5.14.2'];
export const TOOLS = ['typescript@5.9.3', '@types/node@20.19.43'];
export const INSTALL_FLAGS = ['--no-audit', '--no-fund', '--loglevel=error', '--no-package-lock'];

/** Pids of mocks the consumers started: each must be gone when its consumer exits. */
const mockPids = new Set<number>();

export interface RunResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs a command in its own process group with a time limit; on timeout the whole group (npm and
 * what it started) is killed. npm_* variables from an enclosing `npm run` are dropped, so the
 * nested npm acts on the throwaway project and not on this repo.
 */
export function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<RunResult> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) || /^npm_config_(cache|registry)$/i.test(key)),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      for (const match of stdout.matchAll(/^MOCK_PID (\d+)$/gm)) mockPids.add(Number(match[1]));
      if (code === 0) return resolve({ stdout, stderr });
      const why = signal ? `was killed (${signal}${signal === 'SIGKILL' ? `, over ${timeoutMs} ms` : ''})` : `exited with ${code}`;
      reject(new Error(`${command} ${args.join(' ')} ${why}\n${stdout}${stderr}`.trim()));
    });
  });
}


/** Fails when a mock the consumer started still runs (and stops it). */
function checkMocksStopped(): void {
  const running = [...mockPids].filter(isAlive);
  for (const pid of running) process.kill(pid, 'SIGKILL');
  mockPids.clear();
  if (running.length) throw new Error(`Prism outlived the consumer (pid ${running.join(', ')})`);
}

/** The most recently modified file under `path`, and its mtime. */
function newest(path: string): { path: string; mtimeMs: number } {
  const stat = statSync(path);
  if (!stat.isDirectory()) return { path, mtimeMs: stat.mtimeMs };
  return readdirSync(path)
    .map((name) => newest(join(path, name)))
    .reduce((a, b) => (b.mtimeMs > a.mtimeMs ? b : a), { path, mtimeMs: 0 });
}

export function checkDistIsCurrent(): void {
  const built = ['index.js', 'index.cjs', 'testing/index.d.ts'].map((file) => {
    try {
      return statSync(join(root, 'dist', file)).mtimeMs;
    } catch {
      throw new Error(`dist/${file} is missing: run npm run build first`);
    }
  });
  const changed = newest(root + 'src');
  for (const path of ['generated', 'tsup.config.ts', 'scripts/build']) {
    const candidate = newest(join(root, path));
    if (candidate.mtimeMs > changed.mtimeMs) Object.assign(changed, candidate);
  }
  if (changed.mtimeMs > Math.min(...built)) {
    throw new Error(`dist/ is older than ${relative(root, changed.path)}: run npm run build first`);
  }
}

/** Every module specifier the built file loads, and those of the files it loads in turn. */
function builtImportGraph(entry: string): string[] {
  const seen = new Set<string>();
  const external: string[] = [];
  const pending = [entry];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']([^"']+)["']/g;
  while (pending.length) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(pattern)) {
      if (specifier!.startsWith('.')) pending.push(join(dirname(file), specifier!));
      else external.push(`${relative(dirname(entry), file)} loads ${specifier}`);
    }
  }
  return external;
}

/** Checks that failed; a failed check does not stop the others, a failed setup step does. */
const failures: string[] = [];

async function step(name: string, action: () => unknown, kind: 'setup' | 'check' = 'check'): Promise<void> {
  const started = Date.now();
  try {
    await action();
  } catch (error) {
    console.error(`✗ ${name}\n${error instanceof Error ? error.message : String(error)}`);
    failures.push(name);
    if (kind === 'setup') throw new Error(`setup failed: ${name}`);
    return;
  }
  console.log(`✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function assertEqual(actual: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'amani-client-smoke-'));
  const project = join(work, 'project');
  let tarball = '';
  try {
    await step('dist/ is built from the current sources', checkDistIsCurrent, 'setup');

    await step('npm pack', async () => {
      tarball = await pack(work);
    }, 'setup');

    writeProject(project);
    await step('install the tarball alone (no Prism)', () => install(project, [tarball, ...TOOLS]), 'setup');
    await step('without Prism: the client loads and the mock says what to install', async () => {
      const { stdout } = await run(process.execPath, ['without-prism.mjs'], project, 30_000);
      if (!stdout.includes('SCENARIO_OK')) throw new Error(`without-prism.mjs did not finish:\n${stdout}`);
    });
    await step('the browser build (--conditions=browser): the entry and its chunk loaded on first use', async () => {
      const chunks = readdirSync(join(project, 'node_modules/amani-client/dist/browser')).filter((file) => /^lazy-areas-.+\.js$/.test(file));
      assertEqual(chunks.length, 1, 'chunks of dist/browser/ with the areas loaded on first use');
      const { stdout } = await run(process.execPath, ['--conditions=browser', 'browser-build.mjs'], project, 30_000);
      if (!stdout.includes('SCENARIO_OK')) throw new Error(`browser-build.mjs did not finish:\n${stdout}`);
    });
    await step('amani-client/webhooks (ESM and CJS builds) loads nothing outside the package', () => {
      const dist = join(project, 'node_modules/amani-client/dist/webhooks');
      assertEqual([...builtImportGraph(join(dist, 'index.js')), ...builtImportGraph(join(dist, 'index.cjs'))], [], 'imports');
    });
    await step('install the optional peer @stoplight/prism-cli', () => install(project, PEERS), 'setup');

    for (const file of ['esm.mjs', 'cjs.cjs']) {
      await step(`${file}: client against the mock from amani-client/testing, webhooks, spec`, async () => {
        const outcome = await run(process.execPath, [file], project, 90_000).then(
          ({ stdout }) => (stdout.includes('SCENARIO_OK') ? undefined : new Error(`${file} did not finish:\n${stdout}`)),
          (error: Error) => error,
        );
        // Checked even when the scenario failed: a failing consumer must not leave Prism behind.
        checkMocksStopped();
        if (outcome) throw outcome;
      });
    }
    const tsc = join(project, 'node_modules/typescript/bin/tsc');
    for (const config of ['tsconfig.node16.json', 'tsconfig.bundler.json']) {
      await step(`tsc -p ${config}`, () => run(process.execPath, [tsc, '-p', config], project, 90_000));
    }
    await step('the amani bin runs', async () => {
      const { stdout } = await run(join(project, 'node_modules/.bin/amani'), ['--help'], project, 30_000);
      if (!/Usage: amani/.test(stdout)) throw new Error(`unexpected amani --help output:\n${stdout}`);
    });
  } finally {
    for (const pid of mockPids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(work, { recursive: true, force: true });
  }
  const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
  if (failures.length) throw new Error(`Package smoke test failed in ${took}: ${failures.join('; ')}`);
  console.log(`Package smoke test passed in ${took}`);
}

/** Packs the package into `work`, checks what the tarball holds, and returns its path. */
export async function pack(work: string): Promise<string> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], root, 60_000);
  const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const paths = packed!.files.map((file) => file.path);
  const outside = paths.filter((path) => !/^(dist\/|generated\/openapi\.json$|redocly\.yaml$|package\.json$|README\.md$|CHANGELOG\.md$|LICENSE$)/.test(path));
  assertEqual(outside, [], 'files outside the published set');
  const required = ['dist/index.js', 'dist/index.cjs', 'dist/browser/index.js', 'dist/testing/index.d.cts', 'dist/cli.js', 'generated/openapi.json', 'redocly.yaml', 'LICENSE'];
  assertEqual(required.filter((path) => !paths.includes(path)), [], 'files missing from the tarball');
  return join(work, packed!.filename);
}

/** Installs `packages` (a tarball path, name@version) into the throwaway project. */
export function install(project: string, packages: string[]): Promise<RunResult> {
  return run('npm', ['install', ...packages, ...INSTALL_FLAGS], project, 150_000);
}

export function writeProject(project: string): void {
  mkdirSync(project, { recursive: true });
  for (const [name, text] of Object.entries(consumerFiles)) writeFileSync(join(project, name), text);
}

// Run as a script (`tsx scripts/pack-smoke.ts`), not when a test imports the helpers above.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
