// Runs an example script as a user would (`node --import tsx <script>`), collects everything it
// prints, and stops it on SIGTERM, waiting for the exit so no process outlives its test.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface RunningExample {
  readonly child: ChildProcess;
  /** Everything printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Waits for a line matching `pattern` and returns its first capture group (or the match). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Waits for the process to exit by itself (stopping it after `timeoutMs`) and returns its exit code. */
  exited(timeoutMs?: number): Promise<number | null>;
  /** SIGTERM (SIGKILL after 5 s) and the exit code, or null when it had to be killed. */
  stop(): Promise<number | null>;
}

export function runExample(script: string, env: NodeJS.ProcessEnv): RunningExample {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let stopping: Promise<number | null> | undefined;
  return {
    child,
    output: () => output,
    async waitFor(pattern, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(output);
        if (match) return match[1] ?? match[0];
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`${script} did not print ${pattern} (exit code ${child.exitCode}). Output:\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async exited(timeoutMs = 20_000) {
      const timer = setTimeout(() => void this.stop(), timeoutMs);
      const [code] = await exited;
      clearTimeout(timer);
      return code;
    },
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        const [code] = await exited;
        clearTimeout(timer);
        return code;
      })();
      return stopping;
    },
  };
}
