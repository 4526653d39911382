// The browser build in Chromium follows no redirect either: fetch with redirect 'manual' hands back
// an opaque redirect (status 0, Location hidden), which becomes a RedirectError naming no origin.
// The page is served by one real server on 127.0.0.1 that answers the API calls with redirects to
// a second one, which must receive nothing (not even a CORS preflight).
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserPlatform } from '../../scripts/build/browser-platform.ts';
import { act, startFaultServer, type FaultServer } from '../reliability/fault-server.ts';
import { ACCESS, JPEG, PROFILE_ID } from '../reliability/harness.ts';
import { launchChromium, type BrowserSession } from './chromium.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

let api: FaultServer | undefined;
let elsewhere: FaultServer | undefined;
let browser: (BrowserSession & { close(): Promise<void> }) | undefined;

/** The package's browser build of the client, as one script defining `Amani`. */
async function browserBundle(): Promise<string> {
  const result = await build({
    stdin: { contents: "export { AmaniClient } from './src/index.ts';", resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'iife',
    globalName: 'Amani',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: [browserPlatform],
  });
  return result.outputFiles[0]!.text;
}

beforeAll(async () => {
  const [script, launched] = await Promise.all([browserBundle(), launchChromium()]);
  browser = launched;
  api = await startFaultServer();
  elsewhere = await startFaultServer();
  elsewhere.fallback('OPTIONS', /.*/, act.reply(204, '', { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' }));
  elsewhere.fallback('GET', /.*/, act.json(200, { id: PROFILE_ID }, { 'access-control-allow-origin': '*' }));
  elsewhere.fallback('POST', /.*/, act.json(201, { id: PROFILE_ID }, { 'access-control-allow-origin': '*' }));
  api.fallback('GET', '/', act.reply(200, '<!DOCTYPE html><title>redirects</title>', { 'content-type': 'text/html' }));
  await browser.page.goto(`${api.url}/`);
  await browser.page.addScriptTag({ content: script });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await elsewhere?.close();
}, 20_000);

interface Outcome {
  name: string;
  status?: number;
  locationOrigin?: string | null;
  message: string;
}

/** Runs one client call in the page; what it threw, or `resolved`. */
function inPage(call: 'get' | 'upload'): Promise<Outcome> {
  return browser!.page.evaluate(
    async ({ call, access, profile, jpeg }) => {
      const { AmaniClient } = (globalThis as unknown as { Amani: typeof import('../../src/index.ts') }).Amani;
      const client = new AmaniClient({ baseUrl: location.origin, tokens: { access }, maxRetries: 2 });
      try {
        await (call === 'get'
          ? client.profiles.get(profile)
          : client.documents.upload({ profile, type: 'TUR_ID_1', pages: [new Uint8Array(jpeg)] }));
        return { name: 'resolved', message: '' };
      } catch (error) {
        const e = error as { name: string; status?: number; locationOrigin?: string; message: string };
        return { name: e.name, status: e.status, locationOrigin: e.locationOrigin ?? null, message: e.message };
      }
    },
    { call, access: ACCESS, profile: PROFILE_ID, jpeg: [...JPEG] },
  );
}

describe('the browser build (Chromium) and a redirecting API', () => {
  const cases = [
    { call: 'get' as const, method: 'GET', path: `/api/v2/profile/${PROFILE_ID}` },
    { call: 'upload' as const, method: 'POST', path: '/api/v2/document' },
  ].flatMap((c) => [301, 302, 307, 308].map((status) => ({ ...c, status })));

  it.each(cases)('$method $path answered $status: RedirectError, one request, nothing to Location', async ({ call, method, path, status }) => {
    api!.forget();
    elsewhere!.forget();
    api!.fallback(method, path, act.reply(status, '', { location: `${elsewhere!.url}/upload/here?token=abc` }));
    const outcome = await inPage(call);
    expect(outcome.name, outcome.message).toBe('RedirectError');
    expect(outcome.status).toBe(0);
    expect(outcome.locationOrigin).toBeNull();
    expect(outcome.message).toMatch(new RegExp(`^${method} ${path} failed with 0: .*does not redirect \\(Location: unknown\\)`));
    expect(outcome.message).toMatch(/not re-sent/);
    expect(api!.arrivals(method, path)).toHaveLength(1);
    expect(api!.requests).toHaveLength(1);
    expect(elsewhere!.requests).toEqual([]);
    expect(browser!.blocked).toEqual([]);
  }, 20_000);
});
