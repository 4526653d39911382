// `npm start`: starts the embedded Prism mock, walks a short KYC flow through the typed client,
// prints each step, and stops the mock whatever happens.
import { createAmaniFetchClient } from '../src/fetch-client.ts';
import { startMockServer } from '../src/testing/mock-server.ts';

type Step = { response: Response; error?: unknown };

function check<T extends Step>(label: string, result: T): T {
  if (!result.response.ok) {
    throw new Error(`${label} failed: HTTP ${result.response.status} ${JSON.stringify(result.error)}`);
  }
  return result;
}

const mock = await startMockServer();
console.log(`Started the Amani mock (Prism) on ${mock.url}\n`);
let failed = false;
try {
  const anonymous = createAmaniFetchClient({ baseUrl: mock.url });
  const login = check('login', await anonymous.POST('/api/v2/user/login', {
    body: { username: 'user@account.com', password: 'correct-horse-battery-staple' },
  }));
  console.log(`1. Logged in as ${login.data!.username} (${login.data!.groups?.map((g) => g.name).join(', ')})`);

  const amani = createAmaniFetchClient({ baseUrl: mock.url, token: login.data!.access });
  const profile = check('createProfile', await amani.POST('/api/v2/profile', {
    body: { id_card_number: '12345678901', name: 'Ayse Yilmaz', email: 'ayse.yilmaz@example.com' },
  })).data!;
  console.log(`2. Profile ${profile.id} for ${profile.name}: status ${profile.status}`);

  const customer = createAmaniFetchClient({ baseUrl: mock.url, token: profile.access });
  const jpeg = new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10])], { type: 'image/jpeg' });
  const document = check('uploadDocument', await customer.POST('/api/v2/document', {
    body: { type: 'TUR_ID_1', pages: [jpeg, jpeg] },
  })).data!;
  console.log(`3. Uploaded ${document.type} (${document.pages?.length ?? 0} pages): ${document.status}`);

  const approved = check('updateDocument', await amani.PUT('/api/v2/document/{id}', {
    params: { path: { id: document.id } },
    body: { status: 'APPROVED' },
  })).data!;
  console.log(`4. Document ${approved.id} is now ${approved.status}`);

  const status = check('setProfileStatus', await amani.PUT('/api/v2/profile/{id}/status', {
    params: { path: { id: profile.id } },
    body: { status: 'APPROVED' },
  })).data!;
  console.log(`5. Profile status set: ${status.status}`);

  const aml = check('searchAml', await amani.GET('/api/v2/aml/search', { params: { query: { profile: profile.id } } })).data!;
  const report = check('getAmlReport', await amani.GET('/api/v2/aml/report/{id}', { params: { path: { id: aml.id } } })).data!;
  console.log(`6. AML screening: ${aml.status}; report lists ${report.matches?.length ?? 0} match(es)`);

  const endpoint = check('createWebhookEndpoint', await amani.POST('/api/v2/webhook', {
    body: { url: 'https://hooks.example.org/amani', enabled_events: ['profile_status_change'] },
  })).data!;
  console.log(`7. Webhook endpoint ${endpoint.url} receives ${endpoint.enabled_events.join(', ')}`);

  const entry = check('addIpWhitelist', await amani.POST('/api/v2/ip-whitelist', { body: { address: '203.0.113.7/32' } })).data!;
  console.log(`8. Whitelisted ${entry.address}`);
  console.log('\nFlow complete.');
} catch (error) {
  failed = true;
  console.error(error instanceof Error ? error.message : error);
} finally {
  await mock.stop();
  console.log('Stopped the mock.');
}
process.exit(failed ? 1 : 0);
