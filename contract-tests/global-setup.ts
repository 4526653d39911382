// Starts one Prism mock of the bundled spec for the whole contract suite, on a free loopback port,
// and always stops it. Also clears the record of covered (operationId, status) pairs.
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startMockServer, type MockServer } from '../src/testing/mock-server.ts';
import { contractResults } from '../scripts/lib/paths.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    prismUrl: string;
  }
}

let mock: MockServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  await rm(contractResults, { force: true });
  await mkdir(dirname(contractResults), { recursive: true });
  mock = await startMockServer(process.env.AMANI_CONTRACT_SPEC ? { spec: process.env.AMANI_CONTRACT_SPEC } : {});
  project.provide('prismUrl', mock.url);
}

export async function teardown(): Promise<void> {
  await mock?.stop();
}
