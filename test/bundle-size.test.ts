// The browser bundle budgets: a size regression fails `npm test`, not just a benchmark table.
import { describe, expect, it } from 'vitest';
import { BUDGETS, bundleSizes } from '../bench/bundle-size.ts';

describe('bundle size budgets (esbuild minified + gzip)', () => {
  it('AmaniClient in a browser app and amani-client/webhooks stay within budget', async () => {
    const sizes = await bundleSizes();
    for (const size of sizes) {
      if (size.name === 'wholeEntry') continue;
      expect(size.gzipped, `${size.label}: ${size.gzipped} bytes gzipped`).toBeLessThanOrEqual(BUDGETS[size.name]);
      // A bundle of a few hundred bytes would mean the entry lost its code, not that it got small.
      expect(size.gzipped).toBeGreaterThan(1024);
    }
  }, 30_000);
});
