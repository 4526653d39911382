// The browser build split as the package ships it (src/index.ts, ESM, code splitting, the browser
// platform): in Chromium, a page that imports AmaniClient loads the entry and the chunks it imports
// statically, never the areas loaded on first use; the profile-token flow needs only the page
// preparation chunk more, fetched with its first upload.
// A chunk the server cannot serve fails the call that needed it with an AmaniError naming it, no API
// request leaves the page, and the next call fetches the chunk again. One real server on 127.0.0.1
// serves the page, the chunks and the API.
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upFront } from '../../bench/bundle-size.ts';
import { browserPlatform } from '../../scripts/build/browser-platform.ts';
import { act, startFaultServer, type FaultServer } from '../reliability/fault-server.ts';
import { ACCESS, JPEG, PROFILE_ID } from '../reliability/harness.ts';
import { launchChromium, type BrowserSession } from './chromium.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

let server: FaultServer | undefined;
let browser: (BrowserSession & { close(): Promise<void> }) | undefined;
/** Output file name -> whether the entry imports it statically (at any depth). */
let files: Map<string, boolean>;
let lazyChunk: string;
/** Page preparation for uploads, loaded with the first one. */
let uploadChunk: string;
/** Answers the page and the build's files (again after each forget()). */
let serve: () => void;

/** The package's browser build in memory: file name -> code, and which files load up front. */
async function splitBuild(): Promise<{ code: Map<string, string>; upFront: Set<string> }> {
  const result = await build({
    entryPoints: { index: `${root}src/index.ts` },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: `${root}lib`,
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [browserPlatform],
  });
  const outputs = result.metafile.outputs;
  const loaded = upFront(outputs, Object.keys(outputs).find((path) => outputs[path]!.entryPoint)!);
  const code = new Map(result.outputFiles.map((file) => [relative(`${root}lib`, file.path), file.text]));
  return { code, upFront: new Set([...loaded].map((path) => relative(`${root}lib`, `${root}${path}`))) };
}

beforeAll(async () => {
  const [{ code, upFront }, launched] = await Promise.all([splitBuild(), launchChromium()]);
  browser = launched;
  files = new Map([...code.keys()].filter((file) => file.endsWith('.js')).map((file) => [file, upFront.has(file)]));
  lazyChunk = [...files].find(([file, up]) => !up && file.startsWith('lazy-areas-'))![0];
  uploadChunk = [...files].find(([file, up]) => !up && file.startsWith('upload-chunk-'))![0];
  server = await startFaultServer();
  // The page imports the build as an app's own module would.
  const page = "<!DOCTYPE html><title>chunks</title><script type=module>import * as Amani from '/lib/index.js'; window.Amani = Amani;</script>";
  serve = () => {
    server!.fallback('GET', '/', act.reply(200, page, { 'content-type': 'text/html' }));
    for (const [file, text] of code) server!.fallback('GET', `/lib/${file}`, act.reply(200, text, { 'content-type': 'text/javascript' }));
  };
}, 60_000);

/** A fresh page that has imported the build, with the server's record cleared before it loaded. */
async function openPage(): Promise<void> {
  server!.forget();
  serve();
  await browser!.page.goto(`${server!.url}/`);
  await browser!.page.waitForFunction(() => 'Amani' in window);
}

afterAll(async () => {
  await browser?.close();
  await server?.close();
}, 20_000);

interface Outcome {
  name: string;
  message: string;
  value?: unknown;
}

/** Runs one client call in the page. */
function inPage(call: 'upload' | 'webhooks' | 'aml'): Promise<Outcome> {
  return browser!.page.evaluate(
    async ({ call, access, profile, jpeg }) => {
      const { AmaniClient } = (window as unknown as { Amani: typeof import('../../src/index.ts') }).Amani;
      const amani = new AmaniClient({ baseUrl: location.origin, tokens: { access }, maxRetries: 0 });
      try {
        const value =
          call === 'upload'
            ? await amani.forProfile(access).documents.upload({ profile, type: 'XXX_SE_0', pages: [new Uint8Array(jpeg)] })
            : call === 'webhooks'
              ? await amani.webhooks.list()
              : await amani.aml.search(profile);
        return { name: 'resolved', message: '', value };
      } catch (error) {
        return { name: (error as Error).name, message: (error as Error).message };
      }
    },
    { call, access: ACCESS, profile: PROFILE_ID, jpeg: [...JPEG] },
  );
}

const scripts = () => server!.requests.filter((r) => r.path.startsWith('/lib/')).map((r) => r.path.slice('/lib/'.length));
const api = () => server!.requests.filter((r) => r.path.startsWith('/api/')).map((r) => `${r.method} ${r.path}`);

describe('the split browser build (Chromium)', () => {
  it('is an entry, the chunks it imports, and the chunks of the areas and of page preparation, loaded on first use', () => {
    expect([...files.values()].filter((up) => up).length).toBeGreaterThanOrEqual(2);
    expect(files.get('index.js')).toBe(true);
    expect(files.get(lazyChunk)).toBe(false);
    expect(files.get(uploadChunk)).toBe(false);
  });

  it('the profile-token flow loads the up-front files, the page preparation with its first upload, and uploads', async () => {
    await openPage();
    const document = { id: PROFILE_ID, type: 'XXX_SE_0', status: 'PENDING_REVIEW' };
    server!.fallback('POST', '/api/v2/document', act.json(201, document));
    const outcome = await inPage('upload');
    expect(outcome, outcome.message).toEqual({ name: 'resolved', message: '', value: document });
    expect(scripts().sort()).toEqual([...[...files].filter(([, up]) => up).map(([file]) => file), uploadChunk].sort());
    expect(scripts()).not.toContain(lazyChunk);
    expect(api()).toEqual(['POST /api/v2/document']);
    expect(browser!.blocked).toEqual([]);
  }, 20_000);

  // Whether a browser fetches a module again after a failed import() is the browser's choice
  // (Chromium releases differ; the Node test in test/lazy-areas.test.ts covers the client asking
  // again). What the client controls holds either way: a clear AmaniError and nothing sent.
  it('a chunk that cannot be fetched fails the call with an AmaniError naming it and nothing reaches the API; the next call loads it if the browser fetches it again', async () => {
    await openPage();
    server!.script('GET', `/lib/${lazyChunk}`, act.reply(404, 'Not found', { 'content-type': 'text/plain' }));
    server!.fallback('GET', '/api/v2/aml/search', act.json(200, { id: PROFILE_ID }));
    const outcome = await inPage('webhooks');
    expect(outcome.name).toBe('AmaniError');
    expect(outcome.message).toMatch(/^amani\.webhooks\.list\(\): could not load its code \(TypeError: .+\): the request was not sent\./);
    expect(outcome.message).toContain(`/lib/${lazyChunk}`);
    expect(scripts().filter((file) => !files.get(file))).toEqual([lazyChunk]);
    expect(api()).toEqual([]);

    const again = await inPage('aml');
    const fetchedAgain = scripts().filter((file) => !files.get(file)).length === 2;
    if (fetchedAgain) {
      expect(again, again.message).toEqual({ name: 'resolved', message: '', value: { id: PROFILE_ID } });
      expect(api()).toEqual(['GET /api/v2/aml/search']);
    } else {
      // This browser keeps the failed module: the call fails the same way, and still sends nothing.
      expect(again.name).toBe('AmaniError');
      expect(again.message).toMatch(/^amani\.aml\.search\(\): could not load its code \(TypeError: .+\): the request was not sent\./);
      expect(api()).toEqual([]);
    }
  }, 20_000);
});
