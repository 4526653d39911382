// Child process of batch.ts: allows LIMIT requests in any one-second window and answers 429 with
// Retry-After beyond that, like a throttling API. In its own process, so the client's event loop
// cannot distort the arrival times it counts. Reports its counters on SIGUSR2... via IPC messages.
import { createServer } from 'node:http';

const LIMIT = Number(process.env.LIMIT ?? 50);
const arrivals = [];
let limited = 0;
const server = createServer((req, res) => {
  req.resume();
  const now = performance.now();
  while (arrivals.length && arrivals[0] <= now - 1000) arrivals.shift();
  if (arrivals.length >= LIMIT) {
    limited++;
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end('{"detail":"Request was throttled.","code":"throttled"}');
    return;
  }
  arrivals.push(now);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id: req.url.split('/').pop() }));
});
process.on('message', (message) => {
  if (message === 'reset') {
    arrivals.length = 0;
    limited = 0;
  }
  if (message === 'stats') process.send({ limited });
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
