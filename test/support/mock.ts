// The Prism mock of the shipped spec for a test file or describe block: started before its tests,
// stopped after them. Returns a getter, as the mock exists only once beforeAll has run.
import { afterAll, beforeAll } from 'vitest';
import { startMockServer, type MockServer } from '../../src/testing/mock-server.ts';

export function useMockServer(): () => MockServer {
  let mock: MockServer | undefined;
  beforeAll(async () => {
    mock = await startMockServer();
  }, 60_000);
  afterAll(() => mock?.stop());
  return () => mock!;
}
