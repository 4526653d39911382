// In Node the verifier uses node:crypto (through process.getBuiltinModule); every other runtime
// takes the Web Crypto path. This runs the module in a Node process without getBuiltinModule, so
// the Web Crypto path is exercised as Deno, Bun, edge runtimes and browsers run it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

const script = `
delete process.getBuiltinModule;
const crypto = await import('./src/webhooks/crypto.ts');
const { signWebhook, verifyWebhook } = await import('./src/webhooks/index.ts');
const secret = 'whsec_web_crypto_path';
const payload = { event: 'profile_status_change', profile: { id: 'p-1', name: 'Ayşe Yılmaz 😀' }, status: 'APPROVED' };
const { body, headers } = await signWebhook(payload, secret);
const event = await verifyWebhook({ body, signature: headers['Webhook-Signature'], secret });
const bytes = new TextEncoder().encode(body);
const fromBytes = await verifyWebhook({ body: bytes, signature: headers['Webhook-Signature'], secret });
let tampered = 'accepted';
try { await verifyWebhook({ body: body.replace('APPROVED', 'REJECTED'), signature: headers['Webhook-Signature'], secret }); }
catch (error) { tampered = error.reason; }
let wrongSecret = 'accepted';
try { await verifyWebhook({ body, signature: headers['Webhook-Signature'], secrets: ['other', 'another'] }); }
catch (error) { wrongSecret = error.reason; }
console.log(JSON.stringify({ sync: crypto.hasSyncHmac(), status: event.status, name: fromBytes.profile.name, tampered, wrongSecret }));
`;

describe('the Web Crypto verification path', () => {
  it('verifies genuine deliveries and refuses tampered ones without node:crypto', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 30_000 });
    expect(JSON.parse(stdout.trim())).toEqual({
      sync: false,
      status: 'APPROVED',
      name: 'Ayşe Yılmaz 😀',
      tampered: 'mismatch',
      wrongSecret: 'mismatch',
    });
  }, 40_000);

  it('uses the synchronous node:crypto path in Node', async () => {
    const { hasSyncHmac } = await import('../../src/webhooks/crypto.ts');
    expect(hasSyncHmac()).toBe(true);
  });
});
