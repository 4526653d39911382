// The `amani-client/testing` entry: what a user's own test suite needs to exercise code built on
// amani-client without reaching Amani. A Prism mock of the shipped spec (Prism is an optional peer
// dependency: startMockServer says how to install it when it is missing), deliveries signed exactly
// as Amani signs them, and the spec's examples as typed fixtures.
/**
 * For a user's own tests: {@link startMockServer} runs a Prism mock of the shipped spec on
 * 127.0.0.1 (Prism is an optional peer dependency), {@link signWebhook} signs a delivery as
 * Amani does, and {@link fixtures} hands out the spec's examples, typed.
 *
 * @module amani-client/testing
 */
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
