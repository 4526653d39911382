// Code as a user writes it, compiled with strict, exactOptionalPropertyTypes and
// noUncheckedIndexedAccess (./tsconfig.json): every optional option and parameter of the public
// types is given an explicit `undefined`, from values that may or may not be there, as the runtime
// allows. Never run, only compiled by test/types/exact-optional.test.ts.
import {
  AmaniClient,
  NotFoundError,
  createAmaniFetchClient,
  type AmaniClientOptions,
  type BatchOptions,
  type ConsoleLogger,
  type Logger,
  type ProfileCreateRequest,
  type RequestLogEntry,
  type RequestOptions,
  type TokenPair,
  type UploadDocumentParams,
  type WebhookDeliveryFilter,
} from 'amani-client';
import { fetchWebhookHandler, receiveWebhook, verifyWebhook, type WebhookEventName } from 'amani-client/webhooks';
import { nodeWebhookHandler, receiveNodeWebhook, type NodeWebhookRequest } from 'amani-client/webhooks/node';
import type { MockServerOptions } from 'amani-client/testing';

/** Values a form, an environment or an earlier step may or may not provide. */
declare const form: { name?: string; email?: string; city?: string; language?: string; event?: WebhookEventName };
declare const env: Partial<Record<'BASE_URL' | 'TIMEOUT' | 'SECRET', string>>;
declare const maybe: {
  number: number | undefined;
  string: string | undefined;
  boolean: boolean | undefined;
  signal: AbortSignal | undefined;
  headers: Record<string, string> | undefined;
  onTokens: ((tokens: Readonly<TokenPair>) => void) | undefined;
  fetch: ((request: Request) => Promise<Response>) | undefined;
  logger: Logger | undefined;
  tokens: TokenPair | undefined;
  credentials: { username: string; password: string } | undefined;
};
const timeoutMs = env.TIMEOUT === undefined ? undefined : Number(env.TIMEOUT);

export async function userCode(pages: Blob[], request: Request, req: NodeWebhookRequest): Promise<void> {
  const options: AmaniClientOptions = {
    region: undefined,
    baseUrl: env.BASE_URL,
    credentials: maybe.credentials,
    tokens: maybe.tokens,
    onTokens: maybe.onTokens,
    timeoutMs,
    maxRetries: maybe.number,
    retry: { baseDelayMs: maybe.number, maxDelayMs: undefined, maxRetryAfterMs: maybe.number },
    fetch: maybe.fetch,
    logger: maybe.logger,
    requestsPerSecond: maybe.number,
  };
  const amani = new AmaniClient(options);
  new AmaniClient({ baseUrl: 'https://eu.amani.ai', logger: console });
  const pino: ConsoleLogger = { debug() {}, info() {}, warn() {}, error() {} };
  new AmaniClient({ region: 'eu', logger: pino, tokens: { access: 'a', refresh: maybe.string } });

  const call: RequestOptions = { signal: maybe.signal, timeoutMs, maxRetries: maybe.number, headers: maybe.headers };
  const body: ProfileCreateRequest = { id_card_number: '12345678901', name: form.name, email: form.email, address: { city: form.city } };
  const profile = await amani.profiles.create(body, call);
  await amani.profiles.get(profile.id, { signal: maybe.signal });
  await amani.profiles.update(profile.id, { name: form.name, email: undefined, address: { city: form.city, province: undefined } });
  await amani.profiles.createVerificationUrl({ profile_id: profile.id, language: form.language, redirect_url: maybe.string });

  const upload: UploadDocumentParams = { profile: maybe.string, type: 'TUR_ID_1', pages, nfc: undefined, cropped: maybe.boolean, rotated: maybe.boolean };
  await amani.documents.upload(upload, { timeoutMs });
  await amani.forProfile(profile.access ?? 'token', { onTokens: maybe.onTokens }).documents.upload({ type: 'XXX_SE_0', pages, profile: undefined });

  await amani.webhooks.create({ url: 'https://hooks.example.com/amani', enabled_events: ['profile_status_change'], custom_headers: undefined, metadata: undefined });
  await amani.webhooks.update('6aff82cb-e91a-4df4-b9a3-d69de0be1a2e', { url: maybe.string, enabled_events: undefined });
  const filter: WebhookDeliveryFilter = { event: form.event, endpoint: maybe.string };
  await amani.webhooks.logs(filter, { signal: maybe.signal });

  const batchOptions: BatchOptions = { concurrency: maybe.number, maxRateLimitRetries: undefined, signal: maybe.signal };
  await amani.batch([1, 2], async (n) => n, batchOptions);
  await amani.raw.GET('/api/v2/profile/{id}', { params: { path: { id: profile.id } } });

  createAmaniFetchClient({ baseUrl: 'https://eu.amani.ai', token: maybe.string, fetch: maybe.fetch, headers: undefined });
  new NotFoundError({ status: 404, method: 'GET', path: '/api/v2/profile', body: {}, headers: undefined });
  const onLog = (entry: RequestLogEntry): number | undefined => entry.retryInMs ?? entry.status;
  void onLog;

  const secret = env.SECRET ?? 'whsec';
  await verifyWebhook({ body: '{}', signature: request.headers.get('webhook-signature') ?? undefined, secret });
  await receiveWebhook(request, { secret, maxBodyBytes: maybe.number });
  fetchWebhookHandler({ secret, maxBodyBytes: undefined, onEvent: () => undefined, onRejected: undefined });
  nodeWebhookHandler({ secrets: [secret], allowParsedBody: maybe.boolean, maxBodyBytes: maybe.number, onEvent: () => undefined, onRejected: undefined });
  await receiveNodeWebhook(req, { secret, allowParsedBody: undefined });

  const mock: MockServerOptions = { spec: maybe.string, port: maybe.number, dynamic: maybe.boolean, onLog: undefined, readyTimeoutMs: timeoutMs };
  void mock;
}

// Deliberately wrong, so this compilation can fail: each line must stay an error.
export function mistakes(amani: AmaniClient): void {
  // Proves the flag is on: without exactOptionalPropertyTypes this line compiles.
  // @ts-expect-error an optional property declared without `| undefined` refuses an explicit undefined
  const probe: { a?: string } = { a: undefined };
  void probe;
  // @ts-expect-error timeoutMs is a number
  void amani.profiles.get('id', { timeoutMs: '5s' });
  // @ts-expect-error id_card_number stays required
  void amani.profiles.create({ name: form.name });
  // @ts-expect-error with noUncheckedIndexedAccess an element may be missing
  const first: string = ['a'][0];
  void first;
}
