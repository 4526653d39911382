import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

describe('npm start', () => {
  it('walks the whole KYC flow against the embedded mock, exits 0 and stops the mock', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const steps = [...stdout.matchAll(/^(\d+)\. /gm)].map((m) => Number(m[1]));
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(stdout).toMatch(/Verified a signed profile_status_change delivery/);
    expect(stdout).toContain('Flow complete.');
    const url = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    expect(url).toBeDefined();
    await expect(fetch(`${url}/api/v2/webhook/events`)).rejects.toThrow();
  }, 60_000);
});
