// `npm run explorer`: Swagger UI on the bundled spec at 127.0.0.1:8080 (PORT overrides, 0 picks a
// free port), with "Try it out" aimed at an embedded Prism mock; both stop cleanly on Ctrl-C or
// SIGTERM.
import { startExplorerServer, type Explorer } from './lib/explorer-server.ts';
import { portFromEnv, stopOnSignals } from './lib/processes.ts';

const port = portFromEnv(8080, { allowZero: true });
let explorer: Explorer;
try {
  explorer = await startExplorerServer({ port });
} catch (error) {
  const reason = (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? `port ${port} is in use (set PORT)` : (error as Error).message;
  console.error(`The explorer could not start: ${reason}`);
  process.exit(1);
}
console.log(`Amani API explorer: ${explorer.url} (Ctrl-C to stop)`);
console.log(`"Try it out" calls the embedded Prism mock at ${explorer.mockUrl}`);
console.log('Authorize with any bearer token: the mock only checks that one is sent.');
stopOnSignals(() => explorer.stop());
