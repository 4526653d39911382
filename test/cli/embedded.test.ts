// The embedded mock stops Prism when the CLI gets SIGINT/SIGTERM, whether Prism is still starting
// or already serving, and only then exits (130 for SIGINT, 143 for SIGTERM).
import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startEmbeddedMock } from '../../src/cli/connect.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { isClosed } from './helpers.ts';

function fakeIo() {
  const state: { handler?: (signal: NodeJS.Signals) => void; released: boolean; exitCode?: number; exited: Promise<number> } = {
    released: false,
    exited: Promise.resolve(0),
  };
  let resolveExit!: (code: number) => void;
  state.exited = new Promise((resolve) => (resolveExit = resolve));
  const io: CliIo = {
    stdout: { write: () => true },
    stderr: { write: () => true },
    stdin: Readable.from([]),
    env: {},
    onInterrupt(handler) {
      state.handler = handler;
      return () => {
        state.released = true;
      };
    },
    exit(code) {
      state.exitCode = code;
      resolveExit(code);
    },
  };
  return { io, state };
}

/** Prism processes started by this test process. */
const prismChildren = () =>
  execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('prism-cli'));

describe('the embedded mock and signals', () => {
  it('a signal while Prism starts: stopped once up, then exit 143', async () => {
    const { io, state } = fakeIo();
    const starting = startEmbeddedMock(io, 'Starting');
    state.handler!('SIGTERM');
    await expect(starting).rejects.toThrow(/interrupted by SIGTERM/);
    expect(state.exitCode).toBe(143);
    expect(state.released).toBe(true);
    expect(prismChildren()).toEqual([]);
  }, 60_000);

  it('a signal while it serves: stopped, then exit 130', async () => {
    const { io, state } = fakeIo();
    const { mock } = await startEmbeddedMock(io, 'Starting');
    try {
      expect(await isClosed(mock.url)).toBe(false);
      state.handler!('SIGINT');
      expect(await state.exited).toBe(130);
      expect(await isClosed(mock.url)).toBe(true);
      expect(prismChildren()).toEqual([]);
    } finally {
      await mock.stop();
    }
  }, 60_000);
});
