// The files of the throwaway project scripts/pack-smoke.ts installs the packed tarball into. They
// are kept as text, not as files in the repo, because they import 'amani-client' by name: inside
// the repo that name resolves to the repo itself (a self-reference), so the repo's own typecheck
// would depend on dist/ being built.

/**
 * One scenario for both module formats, given the package's entries as loaded by the caller (so
 * the ESM run exercises only the ESM build and the CJS run only the CJS build). It prints the
 * mock's pid so the driver can make sure no Prism outlives the run.
 */
const scenario = `import assert from 'node:assert/strict';

export async function run({ main, webhooks, node, testing, spec }) {
  assert.equal(spec.openapi, '3.1.0');
  assert.equal(typeof node.nodeWebhookHandler, 'function');

  const mock = await testing.startMockServer();
  console.log('MOCK_PID ' + mock.pid);
  try {
    const amani = new main.AmaniClient({
      baseUrl: mock.url,
      credentials: { username: 'user@account.com', password: 'correct-horse-battery-staple' },
    });
    // The mock answers with each operation's first example, which is what fixtures return (the
    // login's without the tokens: they go to onTokens).
    const { access, refresh, ...user } = testing.fixtures.response('login', 200);
    assert.deepEqual(await amani.auth.login(), user);
    assert.deepEqual(await amani.webhooks.list(), testing.fixtures.response('listWebhookEndpoints', 200));
  } finally {
    await mock.stop();
  }
  assert.throws(() => process.kill(mock.pid, 0), { code: 'ESRCH' }, 'Prism still runs after stop()');

  const secret = 'smoke-test-webhook-secret';
  const payload = testing.fixtures.webhook('profile_status_change');
  const delivery = await testing.signWebhook(payload, secret);
  assert.deepEqual(await webhooks.verifyWebhook({ body: delivery.body, headers: delivery.headers, secret }), payload);
  // One copy of the shared code per format: an error from one entry is an instance of the other's class.
  assert.equal(main.verifyWebhook, webhooks.verifyWebhook);
  await assert.rejects(
    webhooks.verifyWebhook({ body: delivery.body, headers: delivery.headers, secret: 'another-secret' }),
    (error) => error instanceof main.WebhookSignatureError && error instanceof webhooks.WebhookSignatureError,
  );
  console.log('SCENARIO_OK');
}
`;

const esm = `import * as main from 'amani-client';
import * as webhooks from 'amani-client/webhooks';
import * as node from 'amani-client/webhooks/node';
import * as testing from 'amani-client/testing';
import spec from 'amani-client/openapi.json' with { type: 'json' };
import { run } from './scenario.mjs';

await run({ main, webhooks, node, testing, spec });
`;

const cjs = `const main = require('amani-client');
const webhooks = require('amani-client/webhooks');
const node = require('amani-client/webhooks/node');
const testing = require('amani-client/testing');
const spec = require('amani-client/openapi.json');

import('./scenario.mjs')
  .then(({ run }) => run({ main, webhooks, node, testing, spec }))
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
`;

/** Run before Prism is installed: the package works without it and the mock says what to install. */
const withoutPrism = `import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { AmaniClient } from 'amani-client';
import { startMockServer } from 'amani-client/testing';

const require = createRequire(import.meta.url);
assert.throws(() => require.resolve('@stoplight/prism-cli/package.json'), 'Prism was installed with the package');
assert.equal(typeof AmaniClient, 'function');
for (const start of [startMockServer, require('amani-client/testing').startMockServer]) {
  await assert.rejects(start(), /install @stoplight\\/prism-cli/);
}
console.log('SCENARIO_OK');
`;

/**
 * Run with --conditions=browser: 'amani-client' is then the browser build, dist/browser/, whose
 * areas loaded on first use are a chunk of their own. Against a node:http server on 127.0.0.1: a
 * profile-token read (in the entry) and a webhooks call (in that chunk) both reach it.
 */
const browserBuild = `import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { AmaniClient } from 'amani-client';

assert.match(import.meta.resolve('amani-client'), /\\/node_modules\\/amani-client\\/dist\\/browser\\/index\\.js$/);
const document = { id: '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e', type: 'XXX_SE_0', status: 'PENDING_REVIEW' };
const answers = { ['/api/v2/document/' + document.id]: document, '/api/v2/webhook': [] };
const seen = [];
const server = createServer((req, res) => {
  seen.push(req.method + ' ' + req.url);
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answers[req.url]));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
try {
  const amani = new AmaniClient({ baseUrl: 'http://127.0.0.1:' + server.address().port, tokens: { access: 'smoke-user-token' } });
  assert.deepEqual(await amani.forProfile('smoke-profile-token').documents.get(document.id), document);
  assert.deepEqual(await amani.webhooks.list(), []);
  assert.deepEqual(seen, ['GET /api/v2/document/' + document.id, 'GET /api/v2/webhook']);
} finally {
  server.close();
}
console.log('SCENARIO_OK');
`;

/** Type-level use of every entry; the @ts-expect-error lines fail the check if types get looser. */
const typedBody = `
export async function typed(): Promise<void> {
  const mock: MockServer = await startMockServer({ dynamic: false });
  const amani = new AmaniClient({ baseUrl: mock.url, credentials: { username: 'u', password: 'p' } });
  const login: LoginUser = await amani.auth.login();
  // @ts-expect-error the login result holds no tokens (onTokens gets them)
  void login.access;
  const expected: LoginResponse = fixtures.response('login', 200);
  const notFound: { detail: string } = fixtures.response('getProfile', 404);
  // @ts-expect-error getProfile declares no 299 response
  fixtures.response('getProfile', 299);
  // @ts-expect-error not an operationId of the spec
  fixtures.response('noSuchOperation', 200);
  const profiles: Profile[] = fixtures.schema('Profile');
  const event = fixtures.webhook('profile_status_change');
  const delivery = await signWebhook(event, 'secret');
  const verified: WebhookEvent = await verifyWebhook({ body: delivery.body, headers: delivery.headers, secret: 'secret' });
  if (verified.event === 'profile_status_change') void verified.status;
  void nodeWebhookHandler({ secret: 'secret', onEvent: async () => {} });
  const error: unknown = undefined;
  if (error instanceof WebhookSignatureError) void error.reason;
  void [login, expected, notFound, profiles];
  await mock.stop();
}
`;

const typedImports = (extra = '') => `import { AmaniClient, WebhookSignatureError, type LoginResponse, type LoginUser, type Profile } from 'amani-client';
import { verifyWebhook, type WebhookEvent } from 'amani-client/webhooks';
import { nodeWebhookHandler } from 'amani-client/webhooks/node';
import { fixtures, signWebhook, startMockServer, type MockServer } from 'amani-client/testing';
${extra}`;

const tsconfig = (module: string, moduleResolution: string, files: string[]) =>
  JSON.stringify(
    {
      compilerOptions: {
        module,
        moduleResolution,
        target: 'es2022',
        lib: ['es2022'],
        types: ['node'],
        strict: true,
        noEmit: true,
        resolveJsonModule: true,
        // The package's own declarations are checked too, as a strict consumer would see them.
        skipLibCheck: false,
      },
      files,
    },
    null,
    2,
  );

export const consumerFiles: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'amani-client-smoke', private: true, version: '0.0.0' }, null, 2),
  'scenario.mjs': scenario,
  'esm.mjs': esm,
  'cjs.cjs': cjs,
  'without-prism.mjs': withoutPrism,
  'browser-build.mjs': browserBuild,
  // node16: an ES module (.mts, the `import` condition) and a CommonJS one (.cts, `require`).
  'typed-esm.mts': typedImports() + typedBody,
  'typed-cjs.cts': typedImports() + typedBody,
  'typed-bundler.ts':
    typedImports(`import spec from 'amani-client/openapi.json';\nexport const version: string = spec.openapi;\n`) + typedBody,
  'tsconfig.node16.json': tsconfig('node16', 'node16', ['typed-esm.mts', 'typed-cjs.cts']),
  'tsconfig.bundler.json': tsconfig('esnext', 'bundler', ['typed-bundler.ts']),
};
