// What `import ... from 'amani-client'` offers at runtime is public API, each name documented in
// README.md (and in TypeDoc): no internal helper leaks out through the entry. A new runtime export
// fails here until it is added to this list and to the README.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as entry from '../src/index.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The runtime exports of the main entry, by the README section that documents them. */
const documented = {
  'Client reference': ['AmaniClient', 'ProfileClient'],
  Errors: [
    'AmaniError',
    'ApiError',
    'ValidationError',
    'AuthenticationError',
    'PermissionDeniedError',
    'NotFoundError',
    'RateLimitError',
    'ServerError',
    'RedirectError',
    'ConnectionError',
    'TimeoutError',
    'RequestAbortedError',
    'InvalidResponseError',
    'InvalidInputError',
  ],
  'The typed client underneath': ['createAmaniFetchClient'],
  Webhooks: [
    'verifyWebhook',
    'webhookDeliveryKey',
    'signWebhook',
    'pythonJsonDumps',
    'isWebhookEventName',
    'fetchWebhookHandler',
    'receiveWebhook',
    'webhookErrorResponse',
    'nodeWebhookHandler',
    'receiveNodeWebhook',
    'DEFAULT_MAX_BODY_BYTES',
    'WebhookSignatureError',
    'WebhookBodyTooLargeError',
  ],
};
const names = Object.values(documented).flat();

describe("the main entry's runtime exports", () => {
  it('are exactly the documented public API', () => {
    expect(Object.keys(entry).sort()).toEqual([...names].sort());
  });

  it.each(Object.entries(documented))('the README documents each one (%s)', (_section, exported) => {
    expect(exported.filter((name) => !new RegExp(`\\b${name}\\b`).test(readme))).toEqual([]);
  });
});
