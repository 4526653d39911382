// Child process of profile-server.ts: answers any request with the spec's example profile.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const spec = JSON.parse(readFileSync(new URL('../../generated/openapi.json', import.meta.url), 'utf8'));
const example = spec.paths['/api/v2/profile/{id}'].get.responses['200'].content['application/json'].examples;
const body = JSON.stringify(Object.values(example)[0].value);
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)) && server.closeAllConnections());
