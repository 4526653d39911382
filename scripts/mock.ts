// `npm run mock`: Prism on the bundled spec at 127.0.0.1:4010 (PORT overrides), stopped cleanly on
// Ctrl-C or SIGTERM.
import { startMockServer } from '../src/testing/mock-server.ts';

const port = Number(process.env.PORT ?? 4010);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`PORT must be a TCP port number (1-65535), got ${JSON.stringify(process.env.PORT)}`);
  process.exit(2);
}
const mock = await startMockServer({ port, onLog: (line) => console.log(line) });
console.log(`Amani mock listening on ${mock.url} (Ctrl-C to stop)`);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void mock.stop().then(() => process.exit(0));
  });
}
