// The crashed test runner of issue 10: a node process that starts a mock (however it imports
// startMockServer) and is then killed with SIGKILL, so neither stop() nor an exit handler runs.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { isAlive } from '../../scripts/lib/processes.ts';

/**
 * Runs `importLine` (an ES import binding `startMockServer`) in a child node process started with
 * `nodeArgs` in `cwd`, SIGKILLs it once its mock is ready, and reports whether Prism was running
 * before and still runs `graceMs` later. Prism is killed here in any case.
 */
export async function killParentOfMock(
  importLine: string,
  { cwd, nodeArgs = [], graceMs = 5000 }: { cwd?: string; nodeArgs?: string[]; graceMs?: number } = {},
): Promise<{ prismPid: number; aliveBefore: boolean; aliveAfter: boolean }> {
  const source = `${importLine}
const mock = await startMockServer();
console.log('PRISM_PID ' + mock.pid);
setInterval(() => {}, 1000);`;
  const parent = spawn(process.execPath, [...nodeArgs, '--input-type=module', '-e', source], {
    ...(cwd ? { cwd } : {}),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  parent.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const deadline = Date.now() + 40_000;
  while (!/PRISM_PID \d+/.test(stdout) && parent.exitCode === null && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const prismPid = Number(stdout.match(/PRISM_PID (\d+)/)?.[1] ?? 0);
  try {
    const aliveBefore = prismPid > 0 && isAlive(prismPid);
    const gone = once(parent, 'exit');
    parent.kill('SIGKILL');
    await gone;
    const killedAt = Date.now();
    while (aliveBefore && isAlive(prismPid) && Date.now() - killedAt < graceMs) await new Promise((resolve) => setTimeout(resolve, 100));
    return { prismPid, aliveBefore, aliveAfter: prismPid > 0 && isAlive(prismPid) };
  } finally {
    if (prismPid > 0 && isAlive(prismPid)) process.kill(prismPid, 'SIGKILL');
    if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
  }
}
