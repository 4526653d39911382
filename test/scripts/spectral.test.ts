// Spectral (spectral:oas recommended plus the OWASP API Security ruleset) as `npm run lint:spectral`
// inside `npm test`: clean on the bundled spec, able to fail, and every rule it turns off says why.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { bundledSpec, root } from '../../scripts/lib/paths.ts';

const run = promisify(execFile);
const cli = join(root, 'node_modules', '@stoplight', 'spectral-cli', 'dist', 'index.js');
const ruleset = join(root, '.spectral.yaml');
const scripts = (JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

interface Result {
  code: string;
  severity: number; // 0 error, 1 warning, 2 info, 3 hint
  path: string[];
}

/** Spectral's findings for one document, as JSON; Spectral exits 1 when there are errors. */
async function lint(document: string): Promise<Result[]> {
  const args = [cli, 'lint', document, '--ruleset', ruleset, '--format', 'json', '--quiet'];
  const { stdout } = await run(process.execPath, args, { cwd: root, maxBuffer: 64 << 20 }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  return JSON.parse(stdout) as Result[];
}

describe('npm run lint:spectral', () => {
  it('runs in npm test, after the drift check, on the bundled spec with the ruleset', () => {
    expect(scripts['lint:spectral']).toMatch(/^spectral lint generated\/openapi\.json --ruleset \.spectral\.yaml --fail-severity=warn$/);
    const steps = scripts.test!.split(' && ');
    expect(steps).toContain('npm run lint:spectral');
    expect(steps.indexOf('npm run lint:spectral')).toBeGreaterThan(steps.indexOf('npm run check:generated'));
  });

  it('exits 0 with no error and no warning', async () => {
    const { stdout } = await run('npm', ['run', '--silent', 'lint:spectral'], { cwd: root });
    expect(stdout).toMatch(/0 errors|No results with a severity of 'warn' or higher/);
    const results = await lint(bundledSpec);
    expect(results.filter((r) => r.severity === 0)).toEqual([]);
    const warnings = results.filter((r) => r.severity === 1);
    expect(warnings.map((r) => `${r.code} at ${r.path.join('.')}`)).toEqual([]);
  }, 60_000);

  it('fails on a plain-http server, an unprotected write and a missing operationId', async () => {
    const spec = JSON.parse(await readFile(bundledSpec, 'utf8')) as {
      servers: object[];
      paths: Record<string, Record<string, { operationId?: string; security?: unknown[] }>>;
    };
    spec.servers.push({ url: 'http://127.0.0.1:4010', description: 'Local mock', 'x-internal': true });
    delete spec.paths['/api/v2/profile']!.post!.operationId;
    spec.paths['/api/v2/document']!.post!.security = [];
    const dir = await mkdtemp(join(tmpdir(), 'amani-spectral-'));
    try {
      const file = join(dir, 'openapi.json');
      await writeFile(file, JSON.stringify(spec, null, 2));
      const results = await lint(file);
      const errors = results.filter((r) => r.severity === 0);
      expect(errors).toContainEqual(expect.objectContaining({ code: 'owasp:api8:2023-no-server-http', path: ['servers', '3', 'url'] }));
      expect(errors).toContainEqual(expect.objectContaining({ code: 'owasp:api2:2023-write-restricted', path: ['paths', '/api/v2/document', 'post', 'security'] }));
      expect(results.filter((r) => r.severity === 1).map((r) => r.code)).toContain('operation-operationId');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('.spectral.yaml', () => {
  it('extends spectral:oas (recommended) and the OWASP ruleset', async () => {
    const text = await readFile(ruleset, 'utf8');
    expect(text).toMatch(/^extends:\n {2}- \[spectral:oas, recommended\]\n {2}- '@stoplight\/spectral-owasp-ruleset'$/m);
  });

  it('says why for every rule it turns off, in a comment above it or above its override', async () => {
    const lines = (await readFile(ruleset, 'utf8')).split('\n');
    const off = lines.flatMap((line, i) => (/^\s+[\w:.-]+: off$/.test(line) ? [i] : []));
    expect(off.length).toBeGreaterThan(8);
    for (const i of off) {
      // Walk up past the rule's neighbours (and an override's files) to the nearest comment.
      let j = i - 1;
      while (j >= 0 && !lines[j]!.trim().startsWith('#') && !/^(rules|overrides):$/.test(lines[j]!)) j--;
      expect(lines[j]?.trim().startsWith('#'), `a reason above ${lines[i]!.trim()}`).toBe(true);
      expect(lines[j]!.length, lines[i]).toBeGreaterThan(30);
    }
  });
});
