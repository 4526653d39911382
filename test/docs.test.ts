// `npm run docs` (TypeDoc with typedoc.json and its plugin) into a temporary directory: it must finish
// without warnings, with the README as the landing page, a module per package entry, a page for
// every public class (the client, its areas, the profile client, every error, the mock's), and
// pages that load nothing from the network and link to nothing missing. Every method of the areas
// says what it sends, what it returns, what it throws and how well the spec knows the operation,
// and what it says it sends is checked against what it really sends, over HTTP.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ReflectionKind } from 'typedoc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, publicMethods } from '../contract-tests/methods.ts';
import { pathOperations } from '../scripts/lib/spec-operations.ts';
import * as errors from '../src/errors.ts';
import { MockPortInUseError } from '../src/testing/index.ts';
import { startFaultServer, act, type FaultServer } from './reliability/fault-server.ts';
import { clientFor, credentials } from './reliability/harness.ts';

interface Part {
  kind: string;
  text: string;
  tag?: string;
}
interface Comment {
  summary: Part[];
  blockTags?: Array<{ tag: string; content: Part[] }>;
}
interface Reflection {
  name: string;
  readme?: Part[];
  kind: number;
  children?: Reflection[];
  signatures?: Array<{ comment?: Comment }>;
  comment?: Comment;
}

const typedocBin = join('node_modules', 'typedoc', 'bin', 'typedoc');
// The error classes are whatever src/errors.ts exports as a subclass of Error.
const errorClasses = Object.entries(errors)
  .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Error)
  .map(([name]) => name);
// The class behind each area of AmaniClient, as the docs name it.
const AREAS = { auth: 'Auth', profiles: 'Profiles', documents: 'Documents', webhooks: 'Webhooks', aml: 'Aml', ipWhitelist: 'IpWhitelist' };
const operations = new Map(pathOperations.map((op) => [op.operationId, op]));

const plain = (parts: Part[] = []) => parts.map((p) => p.text).join('');
const codes = (parts: Part[] = []) => parts.filter((p) => p.kind === 'code').map((p) => p.text.replace(/^`|`$/g, ''));
const links = (parts: Part[] = []) => parts.filter((p) => p.kind === 'inline-tag' && p.tag === '@link').map((p) => p.text);
const tags = (comment: Comment | undefined, tag: string) => (comment?.blockTags ?? []).filter((t) => t.tag === tag);

/** The operation a request went to: a literal path wins over a template (`/profile/url` over `/profile/{id}`). */
function operationOf(method: string, path: string): string | undefined {
  const candidates = pathOperations
    .filter((op) => op.method.toUpperCase() === method && new RegExp(`^${op.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path))
    .sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0));
  return candidates[0]?.operationId;
}

describe('API reference (TypeDoc)', () => {
  let dir: string;
  let html: string;
  let api: Reflection;
  let log: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'amani-docs-'));
    html = join(dir, 'html');
    const started = Date.now();
    // As `npm run docs` runs it: through tsx, which loads the TypeScript plugin.
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', typedocBin, '--options', 'typedoc.json', '--out', html, '--json', join(dir, 'api.json'), '--treatWarningsAsErrors'],
      { timeout: 170_000 },
    );
    log = stdout + stderr;
    console.info(`TypeDoc took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    api = JSON.parse(await readFile(join(dir, 'api.json'), 'utf8')) as Reflection;
  }, 180_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const module = (name: string) => api.children!.find((m) => m.name === name)!;
  const member = (parent: Reflection, name: string) => parent.children?.find((c) => c.name === name);
  const methodsOf = (parent: Reflection) => (parent.children ?? []).filter((c) => c.kind === ReflectionKind.Method);
  /** The HTML page of `name` in `module` (TypeDoc suffixes -1, -2 to names that differ only in case). */
  async function page(folder: string, moduleName: string, name: string): Promise<string | undefined> {
    const prefix = `${moduleName.replace(/\//g, '_')}.${name}`;
    for (const file of existsSync(join(html, folder)) ? await readdir(join(html, folder)) : []) {
      if (!new RegExp(`^${prefix.replace(/\./g, '\\.')}(-\\d+)?\\.html$`).test(file)) continue;
      const text = await readFile(join(html, folder, file), 'utf8');
      if (new RegExp(`<title>${name} \\|`).test(text)) return text;
    }
    return undefined;
  }

  it('runs clean and documents every entry point of the package, named as it is imported', async () => {
    expect(log).not.toMatch(/\[(warning|error)\]/);
    const manifest = JSON.parse(await readFile('package.json', 'utf8')) as { name: string; exports: Record<string, unknown> };
    // The code entries: the ones with types (not openapi.json, redocly.yaml, package.json).
    const entries = Object.entries(manifest.exports)
      .filter(([, target]) => JSON.stringify(target).includes('"types"'))
      .map(([key]) => manifest.name + key.slice(1));
    expect(api.children!.map((m) => m.name).sort()).toEqual(entries.sort());
    expect(entries).toContain('amani-client/testing');
  });

  it('lands on the README, whose links all reach a page or file of the reference', async () => {
    const readme = await readFile('README.md', 'utf8');
    const index = await readFile(join(html, 'index.html'), 'utf8');
    expect(plain(api.readme).trim()).toBe(readme.trim());
    // Its opening sentence, up to the first link or markup, is on the landing page.
    const opening = /^[A-Za-z][^[`*<\n]{20,}/m.exec(readme)![0];
    expect(index).toContain(opening);
    // Relative README links (examples/webhook-receiver/) lead to the examples' pages, not to nothing.
    const pages = (await readdir(html, { recursive: true })).filter((f) => f.endsWith('.html'));
    const broken: string[] = [];
    for (const file of pages) {
      const text = await readFile(join(html, file), 'utf8');
      for (const [, href] of text.matchAll(/<a [^>]*href="([^"#][^"]*)"/g)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(href!)) continue;
        const target = resolve(dirname(join(html, file)), decodeURIComponent(href!.split('#')[0]!));
        if (!existsSync(target)) broken.push(`${file} -> ${href}`);
      }
    }
    expect(broken).toEqual([]);
    for (const example of ['webhook-receiver', 'express-onboarding', 'browser-profile-flow']) {
      if (readme.includes(`](examples/${example}/)`)) expect(index, example).toMatch(new RegExp(`href="documents/examples_${example}[^"]*\\.html"`));
    }
  });

  it('has a page for the client, each of its areas, the profile client and the testing entry', async () => {
    const main = 'amani-client';
    for (const name of ['AmaniClient', 'ProfileClient']) expect(await page('classes', main, name), name).toContain('forProfile');
    for (const name of Object.values(AREAS)) expect(await page('interfaces', main, name), name).toBeDefined();
    expect(existsSync(join(html, 'modules', 'amani-client_testing.html'))).toBe(true);
    expect(await page('functions', 'amani-client/testing', 'startMockServer')).toBeDefined();
    expect(await page('interfaces', 'amani-client/testing', 'MockServer')).toBeDefined();
    expect(await page('variables', 'amani-client/testing', 'fixtures')).toBeDefined();
    expect(await page('functions', 'amani-client', 'verifyWebhook')).toBeDefined();
    expect(await page('functions', 'amani-client/webhooks/node', 'nodeWebhookHandler')).toBeDefined();
    const client = (await page('classes', main, 'AmaniClient'))!;
    for (const area of Object.values(AREAS)) expect(client, area).toMatch(new RegExp(`href="[^"]*amani-client\\.${area}(-\\d+)?\\.html"`));
  });

  it('documents every error class, each with its own page and comment', async () => {
    expect(errorClasses).toEqual(expect.arrayContaining(['AmaniError', 'ApiError', 'ValidationError', 'WebhookSignatureError']));
    for (const name of errorClasses) {
      const reflection = member(module('amani-client'), name);
      expect(reflection?.kind, name).toBe(ReflectionKind.Class);
      expect(plain(reflection!.comment?.summary), name).not.toBe('');
      expect(await page('classes', 'amani-client', name), name).toBeDefined();
    }
    const mockError = member(module('amani-client/testing'), MockPortInUseError.name);
    expect(mockError?.kind).toBe(ReflectionKind.Class);
    expect(plain(mockError!.comment?.summary)).toMatch(/port/);
    expect(await page('classes', 'amani-client/testing', MockPortInUseError.name)).toBeDefined();
  });

  it('documents every method of every area: what it sends, returns and throws, and its evidence level from the spec', () => {
    const documented = Object.entries(AREAS).flatMap(([area, name]) => methodsOf(member(module('amani-client'), name)!).map((m) => `${area}.${m.name}`));
    expect(documented.sort()).toEqual(publicMethods().sort());
    const problems: string[] = [];
    for (const [area, name] of Object.entries(AREAS)) {
      for (const method of methodsOf(member(module('amani-client'), name)!)) {
        const label = `${area}.${method.name}`;
        const comment = method.signatures?.[0]?.comment;
        const [sends] = tags(comment, '@sends');
        const [route, operationId] = codes(sends?.content);
        const op = operations.get(operationId ?? '');
        if (!op) {
          problems.push(`${label}: no "Sends" line naming an operation of the spec (${plain(sends?.content)})`);
          continue;
        }
        if (route !== `${op.method.toUpperCase()} ${op.path}`) problems.push(`${label}: sends ${route}, the spec has ${op.method} ${op.path}`);
        if (!plain(comment?.summary)) problems.push(`${label}: no summary`);
        if (!plain(tags(comment, '@returns')[0]?.content)) problems.push(`${label}: no @returns`);
        const thrown = tags(comment, '@throws').flatMap((t) => links(t.content));
        // The class each declared error status surfaces as, and what any call can meet.
        const declared = Object.keys((op.raw.responses as object | undefined) ?? {})
          .filter((status) => Number(status) >= 300)
          .map((status) => errors.ApiError.from({ status: Number(status), method: op.method, path: op.path, body: undefined }).constructor.name);
        for (const error of new Set(['InvalidInputError', ...declared, 'ServerError', 'ConnectionError', 'TimeoutError', 'RequestAbortedError'])) {
          if (!thrown.includes(error)) problems.push(`${label}: no @throws {@link ${error}}`);
        }
        const [evidence] = tags(comment, '@evidence');
        const level = op.raw['x-amani-evidence'];
        if (codes(evidence?.content)[0] !== level) problems.push(`${label}: evidence ${codes(evidence?.content)[0]}, the spec has ${String(level)}`);
        const source = (op.raw.externalDocs as { url?: string } | undefined)?.url;
        if (source && !plain(evidence?.content).includes(source)) problems.push(`${label}: evidence does not link ${source}`);
        const toReadme = evidence?.content.some((part) => (part as { targetAnchor?: string }).targetAnchor === 'the-spec-and-its-evidence-levels');
        if (!toReadme) problems.push(`${label}: evidence does not link the README's evidence levels section`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents the other public methods and functions with what they return and throw', () => {
    const main = module('amani-client');
    const missing: string[] = [];
    const check = (label: string, comment: Comment | undefined, throws: boolean) => {
      if (!plain(comment?.summary)) missing.push(`${label}: summary`);
      if (!tags(comment, '@returns').length) missing.push(`${label}: @returns`);
      if (throws && !tags(comment, '@throws').length) missing.push(`${label}: @throws`);
    };
    for (const name of ['AmaniClient', 'ProfileClient']) {
      for (const method of methodsOf(member(main, name)!)) check(`${name}.${method.name}`, method.signatures?.[0]?.comment, /forProfile|batch/.test(method.name));
      for (const field of (member(main, name)!.children ?? []).filter((c) => c.kind === ReflectionKind.Property)) {
        if (!plain(field.comment?.summary)) missing.push(`${name}.${field.name}: comment`);
      }
    }
    // Every function of every entry (a re-export is documented where it is defined). The ones that
    // check their input say what they throw.
    const validating = new Set(['verifyWebhook', 'webhookDeliveryKey', 'signWebhook', 'receiveWebhook', 'fetchWebhookHandler', 'receiveNodeWebhook', 'nodeWebhookHandler', 'startMockServer', 'pythonJsonDumps']);
    const functions = api.children!.flatMap((m) => (m.children ?? []).filter((c) => c.kind === ReflectionKind.Function).map((fn) => [m.name, fn] as const));
    for (const [entry, fn] of functions) check(`${entry} ${fn.name}`, fn.signatures?.[0]?.comment, validating.has(fn.name));
    expect(functions.map(([, fn]) => fn.name)).toEqual(expect.arrayContaining([...validating]));
    // fixtures.response(), .webhook(), ...: each says what it returns and when it throws.
    const fixtures = member(module('amani-client/testing'), 'fixtures') as Reflection & { type?: { declaration?: Reflection } };
    const fixtureMethods = fixtures.type?.declaration?.children ?? [];
    expect(fixtureMethods.map((m) => m.name).sort()).toEqual(['response', 'responses', 'schema', 'webhook']);
    for (const method of fixtureMethods) check(`fixtures.${method.name}`, method.signatures?.[0]?.comment, true);
    expect(missing).toEqual([]);
  });

  describe('what a method says it sends is what it sends', () => {
    let server: FaultServer;
    beforeAll(async () => {
      server = await startFaultServer();
    });
    afterAll(() => server?.close());

    it('over HTTP, for every method of every area', async () => {
      const documented = new Map(
        Object.entries(AREAS).flatMap(([area, name]) =>
          methodsOf(member(module('amani-client'), name)!).map((m) => [`${area}.${m.name}`, codes(tags(m.signatures?.[0]?.comment, '@sends')[0]?.content)[1]] as const),
        ),
      );
      const sent: Record<string, string | undefined> = {};
      for (const { method, call } of cases) {
        // Every request is answered 404, and only once (no retries): what arrives is what matters.
        server.forget();
        for (const verb of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) server.fallback(verb, /.*/, act.json(404, { detail: 'Not found.' }));

        const { client } = clientFor(server, { credentials, maxRetries: 0 });
        await call(client, {}).catch(() => undefined);
        const arrived = server.requests.map((r) => operationOf(r.method, r.path) ?? `${r.method} ${r.path}`);
        sent[method] = arrived.length === 1 ? arrived[0] : arrived.join(' + ') || '(nothing)';
      }
      expect(Object.keys(sent).sort()).toEqual([...documented.keys()].sort());
      expect(Object.fromEntries(documented)).toEqual(sent);
    });
  });

  it('writes HTML pages that load no asset from the network', async () => {
    for (const page of ['index.html', 'classes/amani-client.AmaniClient.html', 'functions/amani-client.verifyWebhook.html']) {
      expect(existsSync(join(html, page)), page).toBe(true);
    }
    expect(await readFile(join(html, 'classes/amani-client.AmaniClient.html'), 'utf8')).toContain('forProfile');
    const pages = (await readdir(html, { recursive: true })).filter((f) => f.endsWith('.html'));
    for (const page of pages) {
      const text = await readFile(join(html, page), 'utf8');
      expect(text, page).not.toMatch(/<(script|link|img)[^>]+(src|href)="(https?:)?\/\//);
    }
  });
});
