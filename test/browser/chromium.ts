// Headless Chromium for browser tests, driven by playwright-core (never a downloaded browser): the
// first of CHROMIUM_PATH, a system Chromium or Chrome, and the Chromium inside the
// @sparticuz/chromium devDependency (browser-choice.ts), with a fresh profile per launch and only
// loopback reachable. `withChromium` (or `close()` after launchChromium) ends the browser and
// deletes the profile.
import { accessSync, constants, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { chooseBrowser } from './browser-choice.ts';
import { bundledChromium } from './bundled-chromium.ts';

// Background services and first-run work would reach Google's servers or slow the start down.
const QUIET = [
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// A system browser is a full Chromium: headless and without sandbox (tests may run as root). The
// bundled one is a headless shell and brings its own flags.
const SYSTEM = ['--headless', '--no-sandbox', '--disable-gpu'];

interface Browser {
  executablePath: string;
  args: string[];
  env?: Record<string, string>;
  description: string;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

let announced = false;

async function findBrowser(bundledOnly: boolean): Promise<Browser> {
  const choice = bundledOnly
    ? { source: 'bundled' as const }
    : chooseBrowser({ env: process.env, platform: process.platform, arch: process.arch, exists: isExecutableFile });
  const browser: Browser =
    choice.source === 'bundled'
      ? await bundledChromium().then((bundled) => ({
          executablePath: bundled.executablePath,
          args: [...bundled.args, ...QUIET],
          env: bundled.env,
          description: `@sparticuz/chromium ${bundled.version} (${bundled.executablePath})`,
        }))
      : { executablePath: choice.path, args: [...SYSTEM, ...QUIET], description: `${choice.source} ${choice.path}` };
  // One line per test file, so a CI log says which browser the results come from.
  if (!announced) {
    process.stderr.write(`browser tests use ${browser.description}\n`);
    announced = true;
  }
  return browser;
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Every request the page tried to send anywhere but loopback (each one was aborted). */
  blocked: { url: string; resourceType: string }[];
}

const isLoopback = (url: URL) => url.hostname === '127.0.0.1' || url.hostname === 'localhost';

/**
 * A fresh browser; `close()` (safe to call twice) ends Chromium and deletes its profile.
 * `bundled` skips CHROMIUM_PATH and system browsers, so the npm one is tested on every machine.
 */
export async function launchChromium({ bundled = false } = {}): Promise<BrowserSession & { close(): Promise<void> }> {
  // No browser at all is a failure, not a skip: the bundled one is always there on Linux x64.
  const browser = await findBrowser(bundled);
  const profile = await mkdtemp(join(tmpdir(), 'amani-chromium-'));
  let context: BrowserContext | undefined;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await context?.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    })());
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: browser.executablePath,
      headless: true,
      args: browser.args,
      ...(browser.env && { env: { ...process.env, ...browser.env } }),
      timeout: 30_000,
    });
    const blocked: BrowserSession['blocked'] = [];
    // Tests must not depend on (or leak to) the internet: anything but loopback is refused.
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (isLoopback(url) || ['data:', 'blob:', 'file:'].includes(url.protocol)) return route.continue();
      blocked.push({ url: url.href, resourceType: route.request().resourceType() });
      return route.abort('blockedbyclient');
    });
    const page = context.pages()[0] ?? (await context.newPage());
    return { context, page, blocked, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Runs `fn` with a fresh browser that is closed afterwards, whatever `fn` does. */
export async function withChromium<T>(fn: (session: BrowserSession) => Promise<T>): Promise<T> {
  const session = await launchChromium();
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}
