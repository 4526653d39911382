// The browser bundle budgets: a size regression fails `npm test`, not just a benchmark table.
import { describe, expect, it } from 'vitest';
import { BUDGETS, bundleSizes, type BundleSize } from '../bench/bundle-size.ts';

describe('bundle size budgets (esbuild minified + gzip)', () => {
  it('AmaniClient in a browser app and amani-client/webhooks stay within budget', async () => {
    const sizes = await bundleSizes();
    const byName = (name: BundleSize['name']) => sizes.find((size) => size.name === name)!;
    for (const name of Object.keys(BUDGETS) as Array<keyof typeof BUDGETS>) {
      const size = byName(name);
      expect(size.gzipped, `${size.label}: ${size.gzipped} bytes gzipped`).toBeLessThanOrEqual(BUDGETS[name]);
      // A bundle of a few hundred bytes would mean the entry lost its code, not that it got small.
      expect(size.gzipped).toBeGreaterThan(1024);
    }
    // The areas AmaniClient loads on first use, and page preparation for uploads, are in chunks
    // of their own, reached only by import(): neither in what the app loads up front nor lost.
    expect(byName('onFirstUse')).toMatchObject({ files: 2, gzipped: expect.any(Number) });
    expect(byName('onFirstUse').gzipped).toBeGreaterThan(1024);
  }, 30_000);
});
