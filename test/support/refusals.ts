// Assertions shared by the tests of input that must be refused before anything is sent.
import nock from 'nock';
import { afterEach, beforeEach, expect } from 'vitest';
import { InvalidInputError } from '../../src/errors.ts';

/** The InvalidInputError `run` throws; fails the test when it throws anything else or nothing. */
export function refusal(run: () => unknown): InvalidInputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('expected an InvalidInputError, nothing was thrown');
}

/** As refusal(), for a call that rejects. */
export async function asyncRefusal(run: () => Promise<unknown>): Promise<InvalidInputError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('expected an InvalidInputError, the call succeeded');
}

/**
 * Records every request nock could not match during each test of the calling describe block (and
 * cleans nock after each): a refused input must leave this list empty.
 */
export function watchStrayRequests(): { readonly requests: string[] } {
  const seen = { requests: [] as string[] };
  const onNoMatch = (req: { method?: string; href?: string; path?: string }) => seen.requests.push(`${req.method} ${req.href ?? req.path}`);
  beforeEach(() => {
    seen.requests = [];
    nock.emitter.on('no match', onNoMatch);
  });
  afterEach(() => {
    nock.emitter.removeListener('no match', onNoMatch);
    nock.cleanAll();
  });
  return seen;
}
