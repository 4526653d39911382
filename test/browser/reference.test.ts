// `npm run docs:build`: the static reference is one HTML file that renders every tag and operation
// in Chromium with the network cut off (opened from disk, as a reader would).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReference } from '../../scripts/lib/reference.ts';
import { launchChromium, type BrowserSession } from './chromium.ts';
import { allOperations, specTags } from '../../scripts/lib/spec-operations.ts';

let dir: string | undefined;
let output = '';
let browser: (BrowserSession & { close(): Promise<void> }) | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amani-reference-'));
  output = join(dir, 'index.html');
  // The build and the browser start take seconds each: run them side by side.
  const [built, launched] = await Promise.allSettled([buildReference(output), launchChromium()]);
  if (launched.status === 'fulfilled') browser = launched.value;
  if (built.status === 'rejected') throw built.reason;
  if (launched.status === 'rejected') throw launched.reason;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('static API reference (redocly build-docs)', () => {
  it('embeds its scripts instead of loading them from a CDN', async () => {
    const html = await readFile(output, 'utf8');
    const remote = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="(https?:[^"]*)"/g)].map((match) => match[1]);
    expect(remote).toEqual([]);
    expect(html.length).toBeGreaterThan(500_000); // the Redoc bundle is inlined
  });

  it('renders every tag and lists every operation offline', async () => {
    const { page, blocked } = browser!;
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(pathToFileURL(output).href, { timeout: 30_000 });

    const groups = page.locator('[data-component-name="Menu/MenuItem"].menu-item-type-group > a');
    await groups.first().waitFor({ timeout: 20_000 });
    expect(await groups.allTextContents()).toEqual(specTags);

    const labels = () => page.locator('[data-testid="menu-item-label"]').allTextContents();
    // The sidebar shows one tag's operations at a time: open each tag and look for its operations.
    expect(allOperations.filter((op) => !specTags.includes(op.tags[0]!)).map((op) => op.operationId)).toEqual([]);
    for (const [index, tag] of specTags.entries()) {
      const summaries = allOperations.filter((op) => op.tags[0] === tag).map((op) => op.summary);
      await groups.nth(index).click();
      await expect
        .poll(async () => {
          const shown = await labels();
          return summaries.filter((summary) => !shown.some((label) => label.startsWith(summary)));
        }, { timeout: 10_000 })
        .toEqual([]);
    }
    expect(errors).toEqual([]);
    // Only Redoc's "API docs by Redocly" logo is fetched from the internet, and it hides itself when
    // it cannot load; nothing the reference needs comes from outside the file.
    expect(blocked.filter((request) => request.resourceType !== 'image')).toEqual([]);
  }, 60_000);
});
