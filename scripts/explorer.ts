// `npm run explorer`: Swagger UI on the bundled spec at 127.0.0.1:8080 (PORT overrides, 0 picks a
// free port), with "Try it out" aimed at an embedded Prism mock; both stop cleanly on Ctrl-C or
// SIGTERM.
import { startExplorerServer, type Explorer } from './lib/explorer-server.ts';

const port = Number(process.env.PORT ?? 8080);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a TCP port number (0-65535, 0 for a free one), got ${JSON.stringify(process.env.PORT)}`);
  process.exit(2);
}
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
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void explorer.stop().then(() => process.exit(0));
  });
}
