// `npm run explorer` in a real browser: Swagger UI renders every tag and operation of the bundled
// spec from local files only, "Try it out" (authorized through the Authorize dialog) reaches the
// embedded Prism mock and shows its answer, the servers are the mock and Amani's regions (eu1 as
// the European server's variable), and each operation's description shows its evidence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExplorerServer, type Explorer } from '../../scripts/lib/explorer-server.ts';
import { launchChromium, type BrowserSession } from './chromium.ts';
import { allOperations, pathOperations, specTags } from '../../scripts/lib/spec-operations.ts';

// The operation run through "Try it out": a GET without parameters that needs a user token.
const TRY_OPERATION = 'listWebhookEventTypes';
// Prism only checks that a bearer token is present; this one is not a secret.
const TOKEN = 'explorer-test-token';

let explorer: Explorer | undefined;
let browser: (BrowserSession & { close(): Promise<void> }) | undefined;
const pageErrors: string[] = [];

beforeAll(async () => {
  // Prism and Chromium take seconds each to start: start them side by side.
  const [started, launched] = await Promise.allSettled([startExplorerServer({ port: 0 }), launchChromium()]);
  if (started.status === 'fulfilled') explorer = started.value;
  if (launched.status === 'fulfilled') browser = launched.value;
  if (started.status === 'rejected') throw started.reason;
  if (launched.status === 'rejected') throw launched.reason;
  const { page } = launched.value;
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await page.goto(started.value.url, { timeout: 30_000 });
  await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await explorer?.stop();
}, 20_000);

describe('API explorer (Swagger UI in Chromium)', () => {
  it('lists every tag and every operation of the spec, loading nothing from outside loopback', async () => {
    const page = browser!.page;
    const tags = await page.locator('.opblock-tag[data-tag]').evaluateAll((els) => els.map((el) => el.getAttribute('data-tag')));
    expect(new Set(tags)).toEqual(new Set(specTags));

    const shown = await page.locator('.opblock').evaluateAll((els) =>
      els.map((el) => ({
        operationId: el.querySelector('.opblock-summary-operation-id')?.textContent?.trim(),
        summary: el.querySelector('.opblock-summary-description')?.textContent?.trim(),
      })),
    );
    const expected = allOperations.map(({ operationId, summary }) => ({ operationId, summary }));
    expect(shown).toHaveLength(expected.length);
    expect(shown).toEqual(expect.arrayContaining(expected));

    // Each path operation sits under its first tag's section.
    for (const op of pathOperations) {
      const tag = op.tags[0]!;
      const section = page.locator(`.opblock-tag-section:has(> .opblock-tag[data-tag="${tag}"])`);
      await expect.poll(() => section.locator('.opblock-summary-operation-id', { hasText: op.operationId }).count()).toBe(1);
    }
    expect(browser!.blocked).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 30_000);

  it('aims "Try it out" at the embedded mock and shows Prism\'s answer', async () => {
    const page = browser!.page;
    expect(await page.locator('.servers select').inputValue()).toBe(explorer!.mockUrl);

    // Authorize dialog: the user token scheme.
    await page.locator('.auth-wrapper .authorize').click();
    const scheme = page.locator('.auth-container', { has: page.locator('h4', { hasText: 'userToken' }) });
    await scheme.locator('input').fill(TOKEN);
    await scheme.locator('button.authorize').click();
    await page.locator('.modal-ux .btn-done, .modal-ux button.close-modal').first().click();

    const op = pathOperations.find((candidate) => candidate.operationId === TRY_OPERATION)!;
    const block = page.locator(`.opblock:has(.opblock-summary-operation-id:text-is("${TRY_OPERATION}"))`);
    await block.locator('.opblock-summary-control').click();
    await block.locator('.try-out__btn').click();
    const answered = page.waitForResponse((res) => res.url().startsWith(`${explorer!.mockUrl}${op.path}`), { timeout: 15_000 });
    await block.locator('.execute').click();
    const response = await answered;
    expect(response.status()).toBe(200);
    expect(await response.request().headerValue('authorization')).toBe(`Bearer ${TOKEN}`);

    const live = block.locator('.live-responses-table');
    await expect.poll(() => live.locator('tbody .response-col_status').first().textContent(), { timeout: 10_000 }).toContain('200');
    expect(await block.locator('.request-url pre').textContent()).toBe(`${explorer!.mockUrl}${op.path}`);
    // A value from the spec's own example, which Prism returns as the response body.
    type Responses = Record<string, { content: Record<string, { examples: Record<string, { value: unknown }> }> }>;
    const examples = (op.raw.responses as Responses)['200']!.content['application/json']!.examples;
    const example = Object.values(examples)[0]?.value;
    expect(Array.isArray(example) && example.length > 0, 'the spec example is a non-empty list').toBe(true);
    const expectedValue = JSON.stringify((example as unknown[])[0]);
    await expect.poll(() => live.locator('tbody .response-col_description').first().textContent()).toContain(expectedValue);
    expect(browser!.blocked).toEqual([]);
  }, 30_000);

  it('offers the mock and Amani\'s regions only, eu1 through the European server\'s variable', async () => {
    const page = browser!.page;
    const servers = page.locator('.servers select').first();
    const options = await servers.locator('option').evaluateAll((els) => els.map((el) => (el as HTMLOptionElement).value));
    expect(options).toEqual([explorer!.mockUrl, 'https://{europe}.amani.ai', 'https://tr.amani.ai', 'https://ae.amani.ai']);
    await servers.selectOption('https://{europe}.amani.ai');
    const europe = page.locator('.servers tr', { has: page.locator('td', { hasText: 'europe' }) }).locator('select');
    const values = await europe.locator('option').evaluateAll((els) => els.map((el) => (el as HTMLOptionElement).value));
    expect(values).toEqual(['eu', 'eu1']);
    await europe.selectOption('eu1');
    await expect.poll(() => page.locator('.servers .computed-url code').textContent()).toBe('https://eu1.amani.ai');
    await servers.selectOption(explorer!.mockUrl);
    expect(browser!.blocked).toEqual([]);
  }, 30_000);

  it('shows each operation\'s evidence level and source in its description', async () => {
    const page = browser!.page;
    const op = pathOperations.find((candidate) => candidate.operationId === 'getProfile')!;
    const block = page.locator(`.opblock:has(.opblock-summary-operation-id:text-is("getProfile"))`);
    await block.locator('.opblock-summary-control').click();
    const description = block.locator('.opblock-description-wrapper');
    await expect.poll(() => description.textContent()).toContain(`Evidence: ${String(op.raw['x-amani-evidence'])} (source: `);
    const source = (op.raw.externalDocs as { url: string }).url;
    expect(await description.locator(`a[href="${source}"]`).count()).toBeGreaterThan(0);
  }, 30_000);
});
