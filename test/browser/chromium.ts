// Headless Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core (never a
// downloaded browser), a fresh profile per launch, and only loopback reachable. `withChromium`
// (or `close()` after launchChromium) ends the browser and deletes the profile.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Background services and first-run work would reach Google's servers or slow the start down.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Every request the page tried to send anywhere but loopback (each one was aborted). */
  blocked: { url: string; resourceType: string }[];
}

const isLoopback = (url: URL) => url.hostname === '127.0.0.1' || url.hostname === 'localhost';

/** A fresh browser; `close()` (safe to call twice) ends Chromium and deletes its profile. */
export async function launchChromium(): Promise<BrowserSession & { close(): Promise<void> }> {
  if (!existsSync(chromiumPath)) {
    // A failure, not a skip: CI installs Chromium (.ci/run), so a missing one is a broken setup.
    throw new Error(
      `Chromium not found at ${chromiumPath}. Install Debian's package (sudo apt-get install -y chromium) ` +
        'or set CHROMIUM_PATH; .ci/run installs it when it is missing.',
    );
  }
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
      executablePath: chromiumPath,
      headless: true,
      args: ARGS,
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
