// `npm start`: starts the embedded Prism mock and walks a KYC flow through AmaniClient, printing
// each step; the mock is stopped whatever happens, and the exit code says whether the flow passed.
import { AmaniClient } from '../src/client.ts';
import { startMockServer } from '../src/testing/mock-server.ts';
import { signWebhook, verifyWebhook } from '../src/webhooks/index.ts';

const mock = await startMockServer();
console.log(`Started the Amani mock (Prism) on ${mock.url}\n`);
let failed = false;
try {
  const amani = new AmaniClient({
    baseUrl: mock.url,
    credentials: { username: 'user@account.com', password: 'correct-horse-battery-staple' },
  });
  const user = await amani.auth.login();
  console.log(`1. Logged in as ${user.username} (${user.groups?.map((g) => g.name).join(', ')})`);

  const profile = await amani.profiles.create({ id_card_number: '12345678901', name: 'Ayse Yilmaz', email: 'ayse.yilmaz@example.com' });
  console.log(`2. Profile ${profile.id} for ${profile.name}: status ${profile.status}`);

  const customer = amani.forProfile({ access: profile.access, refresh: profile.refresh });
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
  const document = await customer.documents.upload({ type: 'TUR_ID_1', pages: [jpeg, jpeg] });
  const selfie = await customer.documents.upload({ type: 'XXX_SE_0', pages: [jpeg] });
  console.log(`3. Uploaded the identity card (front, back) and a selfie with the profile token: documents ${document.id}, ${selfie.id}`);

  const approved = await amani.documents.approve(document.id);
  console.log(`4. Document ${approved.id} is now ${approved.status}`);

  const status = await amani.profiles.setStatus(profile.id, 'APPROVED');
  console.log(`5. Profile status set: ${status.status}`);

  const aml = await amani.aml.search(profile.id);
  const report = await amani.aml.report(aml.id);
  console.log(`6. AML screening: ${aml.status}; the report lists ${report.matches?.length ?? 0} match(es)`);

  const endpoint = await amani.webhooks.create({ url: 'https://hooks.example.org/amani', enabled_events: ['profile_status_change'] });
  console.log(`7. Webhook endpoint ${endpoint.id} receives ${endpoint.enabled_events.join(', ')}`);

  // The mock cannot call back, so the delivery Amani would POST is signed here with the real secret
  // and verified exactly as a receiver does.
  const { secret } = await amani.webhooks.getSecret();
  const delivery = await signWebhook({ event: 'profile_status_change', profile: { id: profile.id }, status: 'APPROVED' }, secret);
  const event = await verifyWebhook({ body: delivery.body, headers: new Headers(delivery.headers), secret });
  console.log(`8. Verified a signed ${event.event} delivery for profile ${event.profile.id}`);

  const entry = await amani.ipWhitelist.add('203.0.113.7/32');
  console.log(`9. Whitelisted ${entry.address}`);
  console.log('\nFlow complete.');
} catch (error) {
  failed = true;
  console.error(`Flow failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await mock.stop();
  console.log('Stopped the mock.');
}
process.exit(failed ? 1 : 0);
