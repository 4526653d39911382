// amani mock: Prism on the bundled spec until SIGINT/SIGTERM, then stopped cleanly (exit 0).
import type { Command } from 'commander';
import { MockPortInUseError, startMockServer } from '../../testing/mock-server.ts';
import { ensurePrism } from '../connect.ts';
import { CliError } from '../errors.ts';
import type { CliIo } from '../io.ts';
import { integer } from '../kit.ts';
import { withProgress } from '../progress.ts';

export function registerMock(program: Command, io: CliIo): void {
  program
    .command('mock')
    .description('serve a Prism mock of the Amani API on 127.0.0.1 until Ctrl-C (answers are the spec\'s examples)')
    .option('--port <port>', 'TCP port on 127.0.0.1 (0 picks a free one)', integer('--port', 0, 65535), 4010)
    .option('--log', "print Prism's log lines (one per request) on stderr")
    .addHelpText('after', '\nSend `Prefer: code=404` (or another declared status) to get an error answer, `Prefer: example=NAME` for a named example.')
    .action(async (options: { port: number; log?: true }) => {
      ensurePrism();
      // Listen for the signal before starting, so a Ctrl-C during startup still stops Prism.
      let release = () => {};
      const interrupted = new Promise<void>((resolve) => {
        release = io.onInterrupt(() => resolve());
      });
      try {
        const mock = await withProgress(io.stderr, 'Starting Prism', () =>
          startMockServer({ port: options.port, ...(options.log ? { onLog: (line: string) => io.stderr.write(`${line}\n`) } : {}) }),
        ).catch((error: Error) => {
          // One line with the fix (exit 1), not Prism's help text or a silent exit.
          if (error instanceof MockPortInUseError) {
            throw new CliError(`port ${error.port} is in use (by another server); pass --port 0 for a free port or stop the other process`);
          }
          throw new CliError(`the mock did not start: ${error.message}`);
        });
        io.stdout.write(`Amani mock listening on ${mock.url} (Ctrl-C to stop)\n`);
        await interrupted;
        await mock.stop();
        io.stderr.write('Stopped the mock.\n');
      } finally {
        release();
      }
    });
}
