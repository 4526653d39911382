// `amani webhooks verify`: a delivery signed by signWebhook verifies (exit 0, the typed event);
// a tampered body, a wrong secret or a bad signature fails with exit 1 and the reason.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures } from '../../src/testing/fixtures.ts';
import { signWebhook, type SignedWebhook } from '../../src/webhooks/index.ts';
import { cli } from './helpers.ts';

const SECRET = 'whsec-cli-test-7d41b0';
const event = fixtures.webhook('profile_status_change');
let delivery: SignedWebhook;
let dir: string;

beforeAll(async () => {
  delivery = await signWebhook(event, SECRET);
  dir = mkdtempSync(join(tmpdir(), 'amani-cli-verify-'));
  writeFileSync(join(dir, 'delivery.json'), delivery.body);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const signature = () => delivery.headers['Webhook-Signature'];

describe('amani webhooks verify', () => {
  it('verifies a delivery from stdin with the secret from AMANI_WEBHOOK_SECRET and prints the typed event', async () => {
    const json = await cli(['webhooks', 'verify', '--signature', signature(), '--json'], { env: { AMANI_WEBHOOK_SECRET: SECRET }, stdin: delivery.body });
    expect([json.code, json.stderr]).toEqual([0, '']);
    expect(JSON.parse(json.stdout)).toEqual(event);

    const table = await cli(['webhooks', 'verify', '-', '--signature', signature()], { env: { AMANI_WEBHOOK_SECRET: SECRET }, stdin: delivery.body });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^event\s+profile_status_change$/m);
    expect(table.stdout).toContain(event.profile.id);
    expect(table.stdout + table.stderr).not.toContain(SECRET);
  });

  it('reads a file, with the secret from --secret', async () => {
    const result = await cli(['webhooks', 'verify', join(dir, 'delivery.json'), '--signature', signature(), '--secret', SECRET, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(event);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it('refuses a tampered body, a wrong secret and a malformed signature with exit 1 and the reason', async () => {
    const tampered = delivery.body.replace(event.status, 'APPROVED_BY_ATTACKER');
    expect(tampered).not.toBe(delivery.body);
    const cases: Array<[string[], string, RegExp]> = [
      [['--secret', SECRET], tampered, /did not verify \(mismatch\)/],
      [['--secret', 'another-secret'], delivery.body, /did not verify \(mismatch\)/],
      [['--secret', SECRET, '--signature', 'not-base64!'], delivery.body, /did not verify \(malformed_signature\)/],
    ];
    for (const [flags, body, reason] of cases) {
      const result = await cli(['webhooks', 'verify', '--signature', signature(), ...flags], { stdin: body });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(reason);
      expect(result.stderr).not.toContain(SECRET);
    }
  });

  it('is a usage error (exit 2) without a secret, without --signature, or with an unreadable file', async () => {
    const noSecret = await cli(['webhooks', 'verify', '--signature', signature()], { stdin: delivery.body });
    expect([noSecret.code, noSecret.stderr]).toEqual([2, expect.stringMatching(/AMANI_WEBHOOK_SECRET/)]);
    const noSignature = await cli(['webhooks', 'verify'], { env: { AMANI_WEBHOOK_SECRET: SECRET }, stdin: delivery.body });
    expect([noSignature.code, noSignature.stderr]).toEqual([2, expect.stringMatching(/required option '--signature <signature>'/)]);
    const noFile = await cli(['webhooks', 'verify', join(dir, 'missing.json'), '--signature', signature()], { env: { AMANI_WEBHOOK_SECRET: SECRET } });
    expect([noFile.code, noFile.stderr]).toEqual([2, expect.stringMatching(/cannot read .*missing\.json.*ENOENT/)]);
  });
});
