// Runs the onboarding API:
//
//   AMANI_REGION=eu AMANI_USERNAME=... AMANI_PASSWORD=... PORT=3000 npx tsx examples/express-onboarding/server.ts
//
// AMANI_BASE_URL replaces AMANI_REGION (e.g. a Prism mock: `npm run mock`, then
// AMANI_BASE_URL=http://127.0.0.1:4010 with any username and password).
import { AmaniClient, AmaniError, type Region } from '../../src/index.ts';
import { createOnboardingApp } from './app.ts';

const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const { AMANI_BASE_URL, AMANI_REGION, AMANI_USERNAME, AMANI_PASSWORD } = process.env;
const missing = [
  ...(!AMANI_BASE_URL && !AMANI_REGION ? ['AMANI_REGION (eu, tr or ae) or AMANI_BASE_URL'] : []),
  ...(!AMANI_USERNAME ? ['AMANI_USERNAME'] : []),
  ...(!AMANI_PASSWORD ? ['AMANI_PASSWORD'] : []),
];
if (missing.length) fail(`Set ${missing.join(', ')} (the Amani company user this server acts as).`);
const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be a port number, not ${JSON.stringify(process.env.PORT)}`);
const host = process.env.HOST ?? '127.0.0.1';

let amani: AmaniClient;
try {
  amani = new AmaniClient({
    ...(AMANI_BASE_URL ? { baseUrl: AMANI_BASE_URL } : { region: AMANI_REGION as Region }),
    credentials: { username: AMANI_USERNAME!, password: AMANI_PASSWORD! },
    // Entries are redacted by the client: method, path, status, timing; never a token.
    logger: (entry) => log(`amani ${entry.message}`),
  });
} catch (error) {
  // e.g. an unknown region or a plain-http base URL; the message never echoes credentials.
  fail(error instanceof AmaniError ? `Bad Amani configuration: ${error.message}` : String(error));
}

const server = createOnboardingApp(amani, log).listen(port, host, () => {
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  log(`Onboarding API on http://${host}:${actualPort} using Amani at ${amani.baseUrl}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
