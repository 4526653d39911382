// Run by upload-streaming.test.ts in a process of its own,
//   node --import tsx test/reliability/upload-hold-runner.ts <node:http|undici>
// because vitest's workers run nock, whose interceptor keeps a copy of what node:http sends: what
// is measured here is the client as an app runs it. A server on 127.0.0.1 stops reading a 64 MB
// upload after its first megabyte; while it waits, the ArrayBuffer memory the client holds is
// sampled; then the server reads on. Prints one JSON line: held bytes, received bytes, the answer.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, setGlobalDispatcher } from 'undici';
import { AmaniClient } from '../../src/index.ts';

const route = process.argv[2];
/** A dispatcher of the app's own: uploads then go through undici. */
class AppDispatcher extends Agent {}
if (route === 'undici') setGlobalDispatcher(new AppDispatcher());

const PROFILE_ID = '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e';
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const access = `${b64url({ alg: 'HS256' })}.${b64url({ token_type: 'access', exp: 4_102_444_800 })}.sig`;

let received = 0;
let paused: IncomingMessage | undefined;
const server = createServer((req, res) => {
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > 1024 * 1024 && !paused) (paused = req).pause();
  });
  req.on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: PROFILE_ID })));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const dir = mkdtempSync(join(tmpdir(), 'amani-upload-hold-'));
try {
  const path = join(dir, 'big.jpg');
  const bytes = new Uint8Array(64 * 1024 * 1024);
  bytes.set([0xff, 0xd8, 0xff, 0xe0]);
  writeFileSync(path, bytes);
  const client = new AmaniClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tokens: { access }, timeoutMs: 60_000 });
  const before = process.memoryUsage().arrayBuffers;
  const call = client.documents.upload({ profile: PROFILE_ID, type: 'TUR_ID_1', pages: [path] });
  call.catch(() => undefined);
  const deadline = Date.now() + 10_000;
  while (!paused && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  // Give a client that buffers time to do it; one that streams waits for the socket to drain.
  let held = 0;
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    held = Math.max(held, process.memoryUsage().arrayBuffers - before);
  }
  paused?.resume();
  const answer = await call;
  console.log(JSON.stringify({ route, paused: paused !== undefined, held, received, answer }));
} finally {
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
