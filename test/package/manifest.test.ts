// package.json's publishing fields agree with each other and with tsup.config.ts, without a build:
// every export has ESM and CJS code and types from a tsup entry whose source exists, node10's
// typesVersions point where `require` does, everything exported is in `files`, and Prism stays an
// optional peer. (`npm run check:package` checks the built result with attw, publint and a real
// install.)
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Options } from 'tsup';
import { describe, expect, it } from 'vitest';
import buildConfig from '../../tsup.config.ts';
import { defaultSpecPath } from '../../src/testing/mock-server.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const configs = (Array.isArray(buildConfig) ? buildConfig : [buildConfig]) as Options[];
const entries = Object.assign({}, ...configs.map((config) => config.entry)) as Record<string, string>;
const formatsOf = (entry: string) => configs.find((config) => Object.hasOwn(config.entry as object, entry))?.format;

type Conditions = {
  browser?: { types: string; default: string };
  import: { types: string; default: string };
  require: { types: string; default: string };
};
const codeExports = Object.entries(pkg.exports as Record<string, Conditions | string>).filter(
  (pair): pair is [string, Conditions] => typeof pair[1] === 'object',
);

describe('package.json exports', () => {
  it('lists the documented entry points', () => {
    expect(Object.keys(pkg.exports)).toEqual(
      expect.arrayContaining(['.', './webhooks', './webhooks/node', './testing', './openapi.json', './redocly.yaml', './package.json']),
    );
  });

  it.each(codeExports)('%s: types first, ESM and CJS, built by a tsup entry whose source exists', (subpath, { browser: _, ...conditions }) => {
    expect(Object.keys(conditions)).toEqual(['import', 'require']);
    void subpath;
    expect(Object.keys(conditions.import)).toEqual(['types', 'default']);
    expect(Object.keys(conditions.require)).toEqual(['types', 'default']);
    const name = conditions.import.default.match(/^\.\/dist\/(.+)\.js$/)?.[1];
    expect(name).toBeDefined();
    expect(conditions).toEqual({
      import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` },
      require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
    });
    expect(existsSync(`${root}${entries[name!]}`)).toBe(true);
    expect(formatsOf(name!)).toEqual(['esm', 'cjs']);
  });

  it('the root entry has a browser build without the Node-only module, typed like the ESM entry', () => {
    const rootEntry = pkg.exports['.'] as Conditions;
    expect(Object.keys(rootEntry)[0]).toBe('browser');
    expect(rootEntry.browser).toEqual({ types: rootEntry.import.types, default: './dist/browser/index.js' });
    const browserConfig = configs.find((config) => config.platform === 'browser');
    expect(browserConfig?.outDir).toBe('dist/browser');
    expect(browserConfig?.entry).toEqual({ index: 'src/index.ts' });
    expect(browserConfig?.format).toEqual(['esm']);
    // Split, so the areas AmaniClient loads on first use stay out of the entry (and out of the
    // entry of an app's bundler, which keeps a dynamic import() apart).
    expect(browserConfig?.splitting).toBe(true);
    expect(browserConfig?.esbuildPlugins?.map((plugin) => plugin.name)).toEqual(['amani-browser-platform']);
  });

  it('main, module and types are the root entry', () => {
    const rootEntry = pkg.exports['.'] as Conditions;
    expect([pkg.main, pkg.module, pkg.types]).toEqual([rootEntry.require.default, rootEntry.import.default, rootEntry.require.types]);
  });

  it('typesVersions gives node10 resolution the types `require` gets, for every subpath', () => {
    const mapped = pkg.typesVersions['*'] as Record<string, string[]>;
    const expected = Object.fromEntries(
      Object.entries(pkg.exports as Record<string, Conditions | string>)
        // The lint config is read by Redocly from its path, never imported: no types to map.
        .filter(([subpath]) => !['.', './package.json', './redocly.yaml'].includes(subpath))
        .map(([subpath, target]) => [subpath.slice(2), [typeof target === 'string' ? target : target.require.types]]),
    );
    expect(mapped).toEqual(expected);
  });

  it('ships every export target, the spec and the bin', () => {
    const targets = [
      ...Object.values(pkg.exports as Record<string, Conditions | string>).flatMap((target) =>
        typeof target === 'string'
          ? [target]
          : [target.import.types, target.import.default, target.require.types, target.require.default, ...(target.browser ? [target.browser.default] : [])],
      ),
      ...Object.values(pkg.bin as Record<string, string>),
    ]
      .map((target) => target.replace(/^\.\//, ''))
      .filter((target) => target !== 'package.json');
    const shipped = (path: string) => (pkg.files as string[]).some((entry) => path === entry || path.startsWith(`${entry}/`));
    expect(targets.filter((target) => !shipped(target))).toEqual([]);
  });

  it('the bin is the ESM-only build of the CLI entry', () => {
    expect(pkg.bin).toEqual({ amani: 'dist/cli.js' });
    expect(entries.cli).toBe('src/cli/main.ts');
    expect(formatsOf('cli')).toEqual(['esm']);
    expect(readFileSync(`${root}src/cli/main.ts`, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});

describe('dependencies of the published package', () => {
  it('Prism is an optional peer dependency, never a dependency', () => {
    expect(pkg.dependencies).not.toHaveProperty('@stoplight/prism-cli');
    expect(pkg.peerDependencies).toHaveProperty('@stoplight/prism-cli');
    expect(pkg.peerDependenciesMeta['@stoplight/prism-cli']).toEqual({ optional: true });
  });

  it('the mock finds the spec through the package self-reference that also works once installed', () => {
    expect(defaultSpecPath).toBe(`${root}generated/openapi.json`);
    expect(createRequire(import.meta.url).resolve('amani-client/openapi.json')).toBe(defaultSpecPath);
  });

  it('is side-effect free and states the Node versions it supports', () => {
    expect(pkg.sideEffects).toBe(false);
    // undici, the Node transport, needs 20.18.1.
    expect(pkg.engines).toEqual({ node: '>=20.18.1' });
  });
});

describe('what the npm page shows', () => {
  it('names the repository, homepage and issue tracker at one address, and keywords', () => {
    expect(pkg.repository.type).toBe('git');
    // npm's normalized form; test/readme.test.ts reads the address from here for the README's links.
    const address = (pkg.repository.url as string).match(/^git\+(https:\/\/github\.com\/[\w.-]+\/[\w.-]+)\.git$/)?.[1];
    expect(address, pkg.repository.url).toBeDefined();
    expect(pkg.homepage).toBe(`${address}#readme`);
    expect(pkg.bugs).toEqual({ url: `${address}/issues` });
    expect(pkg.keywords).toEqual(expect.arrayContaining(['amani', 'kyc', 'identity-verification', 'openapi', 'webhooks']));
  });

  it("CHANGELOG.md's first section is the package's version (dated, or Unreleased until published)", () => {
    const changelog = readFileSync(`${root}CHANGELOG.md`, 'utf8');
    const first = changelog.match(/^## (.+)$/m)?.[1];
    const version = (pkg.version as string).replace(/\./g, '\\.');
    expect(first).toMatch(new RegExp(`^\\[${version}\\] - (\\d{4}-\\d{2}-\\d{2}|Unreleased)$`));
  });
});
