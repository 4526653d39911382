import nock from 'nock';
import { inspect } from 'node:util';
import { it } from 'vitest';
import { AmaniClient } from '../../src/index.ts';
it('probe', async () => {
  for (const err of ['boom string', Object.assign(new Error('boom err'), { code: 'ECONNRESET' }), Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })]) {
    nock('https://eu.amani.ai').get(/.*/).replyWithError(err as any);
    const c = new AmaniClient({ region: 'eu', tokens: { access: 'SECRET-ACCESS' }, maxRetries: 0 });
    const e = await c.profiles.get('6aff82cb-e91a-4df4-b9a3-d69de0be1a2e').catch((x) => x);
    console.log(inspect(e, { depth: 10 }));
  }
});
