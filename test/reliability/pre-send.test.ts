// Failures that happen before any byte is sent are bad input, not a broken connection: an
// InvalidInputError naming the field, with nothing arriving at the (real, 127.0.0.1) server.
// Covered: a page that only looks like a BMP (or WebP, or PDF).
import { describe, expect, it } from 'vitest';
import { InvalidInputError, type AmaniClient, type PageInput } from '../../src/index.ts';
import { act } from './fault-server.ts';
import { clientFor, failure, JPEG, PROFILE_ID, secretScan, useFaultServer } from './harness.ts';

const TEST_MS = 10_000;
const UPLOAD = '/api/v2/document';

const server = useFaultServer();

const upload = (client: AmaniClient, pages: PageInput[], options = {}) =>
  client.documents.upload({ profile: PROFILE_ID, type: 'TUR_ID_1', pages }, options);

async function refused(label: string, call: () => Promise<unknown>, field: string): Promise<InvalidInputError> {
  const error = await failure(label, call);
  expect(error, `${label}: ${error.name}: ${error.message}`).toBeInstanceOf(InvalidInputError);
  expect((error as InvalidInputError).field).toBe(field);
  expect(error.message.startsWith(`${field}: `)).toBe(true);
  return error as InvalidInputError;
}

describe('a page that only starts like an accepted format', () => {
  it.each([
    ['text starting with "BM"', 'BMW service report for the 2019 model, page one of three'],
    ['text starting with "RIFF"', 'RIFF is a container format; this is not an image at all'],
    ['text starting with "%PD"', '%PD is not how a PDF starts'],
  ])('%s is refused, nothing sent', async (_name, text) => {
    server.fallback('POST', UPLOAD, act.json(201, { id: PROFILE_ID }));
    const { client } = clientFor(server);
    const error = await refused(text, () => upload(client, [JPEG, new TextEncoder().encode(text)]), 'pages[1]');
    expect(error.message).toMatch(/is not a JPEG, PNG, BMP, WebP or PDF file/);
    expect(server.requests).toEqual([]);
  }, TEST_MS);
});

secretScan(3);
