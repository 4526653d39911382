// `npm run docs` (TypeDoc with typedoc.json) into a temporary directory: it must finish without
// warnings, document the client, the webhook functions and every error class, and produce pages
// that load nothing from the network.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ReflectionKind } from 'typedoc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as errors from '../src/errors.ts';

interface Reflection {
  name: string;
  kind: number;
  children?: Reflection[];
  signatures?: Array<{ comment?: { summary: Array<{ text: string }> } }>;
  comment?: { summary: Array<{ text: string }> };
}

const typedocBin = join('node_modules', 'typedoc', 'bin', 'typedoc');
// The error classes are whatever src/errors.ts exports as a subclass of Error.
const errorClasses = Object.entries(errors)
  .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Error)
  .map(([name]) => name);

describe('API reference (TypeDoc)', () => {
  let dir: string;
  let api: Reflection;
  let log: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'amani-docs-'));
    const started = Date.now();
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [typedocBin, '--options', 'typedoc.json', '--out', join(dir, 'html'), '--json', join(dir, 'api.json'), '--treatWarningsAsErrors'],
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

  it('runs clean and documents both entry points', () => {
    expect(log).not.toMatch(/\[(warning|error)\]/);
    expect(api.children!.map((m) => m.name).sort()).toEqual(['index', 'webhooks']);
  });

  it('documents AmaniClient with its resources and forProfile', () => {
    const client = member(module('index'), 'AmaniClient');
    expect(client?.kind).toBe(ReflectionKind.Class);
    const names = client!.children!.map((c) => c.name);
    for (const name of ['profiles', 'documents', 'webhooks', 'aml', 'ipWhitelist', 'auth', 'raw', 'forProfile']) expect(names).toContain(name);
    const forProfile = member(client!, 'forProfile')!;
    expect(forProfile.signatures![0]!.comment!.summary.map((p) => p.text).join('')).toMatch(/profile token/);
  });

  it('documents verifyWebhook in both modules, with its comment', () => {
    for (const name of ['index', 'webhooks']) expect(member(module(name), 'verifyWebhook'), name).toBeDefined();
    const verify = member(module('index'), 'verifyWebhook')!;
    expect(verify.kind).toBe(ReflectionKind.Function);
    expect(verify.signatures![0]!.comment!.summary.map((p) => p.text).join('')).toMatch(/Webhook-Signature/);
  });

  it('documents every error class', () => {
    expect(errorClasses).toEqual(expect.arrayContaining(['AmaniError', 'ApiError', 'ValidationError', 'WebhookSignatureError']));
    for (const name of errorClasses) expect(member(module('index'), name)?.kind, name).toBe(ReflectionKind.Class);
  });

  it('writes HTML pages that load no asset from the network', async () => {
    const html = join(dir, 'html');
    for (const page of ['index.html', 'classes/index.AmaniClient.html', 'functions/index.verifyWebhook.html']) {
      expect(existsSync(join(html, page)), page).toBe(true);
    }
    for (const name of errorClasses) expect(existsSync(join(html, 'classes', `index.${name}.html`)), name).toBe(true);
    expect(await readFile(join(html, 'classes/index.AmaniClient.html'), 'utf8')).toContain('forProfile');
    const pages = (await readdir(html, { recursive: true })).filter((f) => f.endsWith('.html'));
    for (const page of pages) {
      const text = await readFile(join(html, page), 'utf8');
      expect(text, page).not.toMatch(/<(script|link|img)[^>]+(src|href)="(https?:)?\/\//);
    }
  });
});
