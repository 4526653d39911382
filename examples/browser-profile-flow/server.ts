// Serves a page that uploads a selfie from the browser with a profile token:
//
//   npx tsx examples/browser-profile-flow/server.ts     (PORT=8080 for a fixed port)
//
// It starts the embedded Amani mock, logs in there with a company user (server side only), creates
// a profile and gives the page that profile's token, plus AmaniClient bundled for the browser.
import { readFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import { build } from 'esbuild';
import { browserPlatform } from '../../scripts/build/browser-platform.ts';
import { AmaniClient } from '../../src/index.ts';
import { startMockServer } from '../../src/testing/mock-server.ts';

const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
const here = (file: string) => new URL(file, import.meta.url);

const port = Number(process.env.PORT ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, not ${JSON.stringify(process.env.PORT)}`);
  process.exit(1);
}

// The browser bundle: the page and the parts of AmaniClient it uses. Built once at start-up.
const bundle = await build({
  entryPoints: [here('page.ts').pathname],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  logLevel: 'silent',
  // As the package's browser build (what a bundler picks from amani-client's "browser" export):
  // without the Node-only platform module.
  plugins: [browserPlatform],
});
const script = bundle.outputFiles[0]!.text;
const html = await readFile(here('index.html'), 'utf8');

const mock = await startMockServer();
// The company user's credentials and tokens live in this process only. The mock accepts any.
const amani = new AmaniClient({ baseUrl: mock.url, credentials: { username: 'user@account.com', password: 'demo-password' } });

// Only the page itself, its script and calls to the Amani API: an injected script could neither
// load code from elsewhere nor send the profile token anywhere else.
const csp = `default-src 'self'; connect-src 'self' ${mock.url}; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'`;

function send(res: ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, { 'Content-Type': type, 'Content-Security-Policy': csp, 'Cache-Control': 'no-store' }).end(body);
}

const server = createServer(async (req, res) => {
  try {
    if (req.method === 'GET' && req.url === '/') return send(res, 200, 'text/html; charset=utf-8', html);
    if (req.method === 'GET' && req.url === '/app.js') return send(res, 200, 'text/javascript; charset=utf-8', script);
    if (req.method === 'POST' && req.url === '/session') {
      // In your product: the profile of the signed-in customer, found or created by their identity number.
      const profile = await amani.profiles.create({ id_card_number: '12345678901', name: 'Ayse Yilmaz' });
      log(`session for profile ${profile.id}`);
      // Only the short-lived profile access token: no refresh token, and never the user token.
      const session = { apiBaseUrl: mock.url, profileId: profile.id, profileToken: profile.access };
      return send(res, 200, 'application/json', JSON.stringify(session));
    }
    send(res, 404, 'text/plain', 'Not found');
  } catch (error) {
    log(`request failed: ${(error as Error).message}`);
    send(res, 502, 'text/plain', 'Could not reach Amani');
  }
});

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  log(`Amani mock on ${mock.url}`);
  log(`Open http://127.0.0.1:${actualPort}/ (Ctrl-C stops the page and the mock)`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.closeAllConnections();
    server.close();
    void mock.stop().then(() => process.exit(0));
  });
}
