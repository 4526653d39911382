// Runs examples/webhook-receiver/server.ts as a user would and posts signed deliveries to it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { signWebhook } from '../../src/webhooks/index.ts';
import { startScript } from '../support/scripts.ts';
import { cli } from '../cli/helpers.ts';
import { hmacBase64, STATUS_CHANGE_BODY, statusChange } from './helpers.ts';

const SECRET = 'whsec_example_receiver_secret';
const OLD_SECRET = 'whsec_example_previous_secret';

describe('examples/webhook-receiver', () => {
  it('verifies, dedupes and logs deliveries over real HTTP, without logging secrets', async () => {
    const receiver = startScript('examples/webhook-receiver/server.ts', {
      PORT: '0',
      AMANI_WEBHOOK_SECRET: SECRET,
      AMANI_WEBHOOK_SECRET_PREVIOUS: OLD_SECRET,
    });
    try {
      const url = (await receiver.waitFor(/listening on (http:\S+)/, 15_000))[1];
      expect(url, receiver.output()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhooks\/amani$/);

      const signed = await signWebhook(statusChange('APPROVED'), SECRET);
      expect((await fetch(url!, { method: 'POST', ...signed })).status).toBe(200);
      expect((await fetch(url!, { method: 'POST', ...signed })).status).toBe(200); // Amani's retry
      const rejectedBody = STATUS_CHANGE_BODY.replace('APPROVED', 'REJECTED');
      const byOldSecret = { 'Webhook-Signature': hmacBase64(OLD_SECRET, rejectedBody) };
      expect((await fetch(url!, { method: 'POST', body: rejectedBody, headers: byOldSecret })).status).toBe(200);
      const forged = await fetch(url!, { method: 'POST', body: signed.body.replace('APPROVED', 'REJECTED'), headers: signed.headers });
      expect([forged.status, await forged.text()]).toEqual([400, 'Bad Request']);
      expect((await fetch(url!.replace('/webhooks/amani', '/other'), { method: 'POST' })).status).toBe(404);
      // `amani webhooks trigger` against it: the right secret is handled, a wrong one is refused.
      const triggered = await cli(['webhooks', 'trigger', 'document_status_change', '--forward-to', url!], { env: { AMANI_WEBHOOK_SECRET: SECRET } });
      expect([triggered.code, triggered.stdout], triggered.stderr).toEqual([0, `Sent document_status_change to ${url}\nReceiver answered 200 OK\n(empty body)\n`]);
      const wrong = await cli(['webhooks', 'trigger', 'profile_create', '--forward-to', url!, '--secret', 'whsec_wrong_secret']);
      expect([wrong.code, wrong.stdout]).toEqual([1, `Sent profile_create to ${url}\nReceiver answered 400 Bad Request\nBad Request\n`]);

      const output = receiver.output();
      const lines = output.trim().split('\n');
      expect(lines.filter((l) => /Z profile_status_change delivery/.test(l))).toHaveLength(2); // the retry is not handled twice
      expect(output).toMatch(/profile_status_change delivery [0-9a-f]{16}: profile 6aff82cb-e91a-4df4-b9a3-d69de0be1a2e is now APPROVED/);
      expect(output).toMatch(/is now REJECTED/);
      expect(output).toMatch(/duplicate profile_status_change delivery [0-9a-f]{16}: already handled/);
      // The refusal is logged with its reason and the fix, not only a bare 400 to the sender.
      const refused = lines.filter((l) => l.includes('refused a delivery'));
      expect(refused, output).toHaveLength(2); // the forged body and the wrong secret
      for (const line of refused) {
        expect(line).toMatch(/refused a delivery \(mismatch\): Webhook-Signature does not match the body under .*Check the endpoint secret, and pass the body exactly as received/);
      }
      expect(output).toMatch(/document_status_change delivery [0-9a-f]{16}: document /);
      expect(output).not.toContain(SECRET);
      expect(output).not.toContain(OLD_SECRET);
      expect(output).not.toContain('12345678901'); // the identity number stays out of the log
    } finally {
      expect(await receiver.stop('SIGTERM')).toBe(0);
    }
  }, 30_000);

  it('refuses to start without a secret', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0' };
    delete env.AMANI_WEBHOOK_SECRET;
    delete env.AMANI_WEBHOOK_SECRET_PREVIOUS;
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/webhook-receiver/server.ts'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain('AMANI_WEBHOOK_SECRET');
  }, 30_000);
});
