// Runs examples/browser-profile-flow/server.ts and drives its page in headless Chromium: the page
// uploads a generated selfie to the mock with the profile token and shows the document's status as
// the mock reports it. The user token and password must never reach the browser.
import { describe, expect, it } from 'vitest';
import { AmaniClient, type TokenPair } from '../../src/index.ts';
import { withChromium } from '../browser/chromium.ts';
import { runExample } from './run-example.ts';

interface Session {
  apiBaseUrl: string;
  profileId: string;
  profileToken: string;
}

describe('examples/browser-profile-flow', () => {
  it('uploads a selfie from the browser with the profile token and shows its status', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0' };
    const server = runExample('examples/browser-profile-flow/server.ts', env);
    try {
      const mockUrl = await server.waitFor(/Amani mock on (http:\/\/127\.0\.0\.1:\d+)/, 45_000);
      const pageUrl = await server.waitFor(/Open (http:\/\/127\.0\.0\.1:\d+\/)/);
      // What the server holds and the browser must never see: the mock answers every login alike.
      let user: Readonly<TokenPair> = { access: '' };
      await new AmaniClient({ baseUrl: mockUrl, credentials: { username: 'user@account.com', password: 'x' }, onTokens: (tokens) => (user = tokens) }).auth.login();
      const secrets = { 'user access token': user.access, 'user refresh token': user.refresh!, password: 'demo-password' };

      await withChromium(async ({ page, blocked }) => {
        const seen: string[] = []; // everything the browser received or sent
        const sent: Array<{ method: string; url: string; authorization: string | undefined }> = [];
        let session: Session | undefined;
        page.on('request', (request) => {
          sent.push({ method: request.method(), url: request.url(), authorization: request.headers().authorization });
          seen.push(JSON.stringify(request.headers()), request.postData() ?? '');
        });
        page.on('response', async (response) => {
          const body = await response.text().catch(() => '');
          seen.push(body);
          if (response.url().endsWith('/session')) session = JSON.parse(body) as Session;
        });
        const pageErrors: string[] = [];
        page.on('pageerror', (error) => pageErrors.push(String(error)));

        await page.goto(pageUrl);
        await expect.poll(() => page.locator('#status').textContent(), { timeout: 15_000 }).toMatch(/^Verifying profile /);
        await page.click('#upload');
        const result = page.locator('#result[data-status], #result[data-error]');
        await result.waitFor({ timeout: 15_000 });

        expect(await page.locator('#result').getAttribute('data-error'), await page.locator('#result').textContent() ?? '').toBeNull();
        expect(session?.apiBaseUrl).toBe(mockUrl);
        const documentId = await result.getAttribute('data-document-id');
        // The status the mock reports for that document, read with the same profile token.
        const customer = new AmaniClient({ baseUrl: mockUrl }).forProfile(session!.profileToken);
        const fromMock = await customer.documents.get(documentId!);
        expect(await result.getAttribute('data-status')).toBe(fromMock.status);
        expect(await result.textContent()).toBe(`Document ${fromMock.id} (${fromMock.type}): ${fromMock.status}`);

        // The upload and the read went straight from the browser to the API, with the profile token.
        const apiCalls = sent.filter((r) => r.url.startsWith(`${mockUrl}/api/v2/`) && r.method !== 'OPTIONS');
        expect(apiCalls.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual(['POST /api/v2/document', `GET /api/v2/document/${documentId}`]);
        for (const call of apiCalls) expect(call.authorization).toBe(`Bearer ${session!.profileToken}`);
        expect(session!.profileToken).not.toBe(user.access);

        const everything = seen.join('\n');
        for (const [name, secret] of Object.entries(secrets)) expect(everything.includes(secret), `${name} reached the browser`).toBe(false);
        expect(blocked).toEqual([]);
        expect(pageErrors).toEqual([]);
      });
      for (const secret of Object.values(secrets)) expect(server.output()).not.toContain(secret);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 90_000);
});
