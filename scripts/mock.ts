// `npm run mock`: Prism on the bundled spec at 127.0.0.1:4010 (PORT overrides), stopped cleanly on
// Ctrl-C or SIGTERM.
import { MockPortInUseError, startMockServer } from '../src/testing/mock-server.ts';
import { portFromEnv, stopOnSignals } from './lib/processes.ts';

const port = portFromEnv(4010, { allowZero: false });
const mock = await startMockServer({ port, onLog: (line) => console.log(line) }).catch((error: unknown) => {
  if (!(error instanceof MockPortInUseError)) throw error;
  // One line with the fix, not a stack trace.
  console.error(`port ${error.port} is in use (by another server); set PORT to another port or stop the other process`);
  process.exit(1);
});
console.log(`Amani mock listening on ${mock.url} (Ctrl-C to stop)`);
stopOnSignals(() => mock.stop());
