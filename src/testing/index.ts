// The `amani-client/testing` entry: what a user's own test suite needs to exercise code built on
// amani-client without reaching Amani. A Prism mock of the shipped spec (Prism is an optional peer
// dependency: startMockServer says how to install it when it is missing), deliveries signed exactly
// as Amani signs them, and the spec's examples as typed fixtures.
export { MockPortInUseError, startMockServer, type MockServer, type MockServerOptions } from './mock-server.ts';
export { signWebhook, type SignedWebhook } from '../webhooks/sign.ts';
export {
  fixtures,
  type FixtureStatus,
  type OperationId,
  type ResponseFixture,
  type SchemaName,
  type WebhookFixture,
} from './fixtures.ts';
