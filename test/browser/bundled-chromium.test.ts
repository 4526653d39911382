// The Chromium inside the @sparticuz/chromium devDependency, forced even where a system browser
// exists, so the fallback a fresh machine relies on is exercised on every machine. The page is
// served by a real server on 127.0.0.1; a second one (another origin) sends no CORS headers, so
// the browser must refuse the page that response: the bundled flags that switch the same-origin
// policy off are dropped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, startFaultServer, type FaultServer } from '../reliability/fault-server.ts';
import { launchChromium, type BrowserSession } from './chromium.ts';

const supported = process.platform === 'linux' && process.arch === 'x64';
let site: FaultServer | undefined;
let other: FaultServer | undefined;
let browser: (BrowserSession & { close(): Promise<void> }) | undefined;

beforeAll(async () => {
  site = await startFaultServer();
  other = await startFaultServer();
  site.fallback('GET', '/', act.reply(200, '<!DOCTYPE html><title>bundled</title><p id="p">served</p>', { 'content-type': 'text/html' }));
  site.fallback('GET', '/same', act.json(200, { from: 'site' }));
  other.fallback('GET', '/data', act.json(200, { secret: 'cross-origin' }));
  if (supported) browser = await launchChromium({ bundled: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await other?.close();
}, 20_000);

describe('bundled Chromium (@sparticuz/chromium)', () => {
  // One test for both cases, so no platform reports it skipped: elsewhere the refusal is checked.
  it('loads a page from 127.0.0.1 and keeps the same-origin policy (Linux x64; elsewhere: names CHROMIUM_PATH)', async () => {
    if (!supported) {
      await expect(launchChromium({ bundled: true })).rejects.toThrow(/Linux x64 only.*set CHROMIUM_PATH/);
      return;
    }
    const { page } = browser!;
    await page.goto(`${site!.url}/`);
    expect(await page.textContent('#p')).toBe('served');
    const result = await page.evaluate(async (otherUrl) => {
      const same = await (await fetch('/same')).json();
      const cross = await fetch(`${otherUrl}/data`).then(
        async (response) => `read ${await response.text()}`,
        (error: unknown) => (error as Error).name,
      );
      return { same, cross, agent: navigator.userAgent };
    }, other!.url);
    expect(result.agent).toMatch(/HeadlessChrome\/147\./); // the bundled build, not a system browser
    expect(result.same).toEqual({ from: 'site' });
    expect(result.cross).toBe('TypeError'); // the response arrived but the page may not read it
    expect(other!.arrivals('GET', '/data')).toHaveLength(1);
  });
});
