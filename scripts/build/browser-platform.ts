// An esbuild plugin for browser bundles of the client: src/core/platform.ts (undici, file paths)
// becomes src/core/platform.browser.ts. Used by the package's browser build and by the bundle-size
// budget, so the budget measures what the package ships to browsers.
import { dirname, join } from 'node:path';
import type { Plugin } from 'esbuild';

export const browserPlatform: Plugin = {
  name: 'amani-browser-platform',
  setup(build) {
    build.onResolve({ filter: /(^|\/)platform\.ts$/ }, (args) => ({
      path: join(args.resolveDir, dirname(args.path), 'platform.browser.ts'),
    }));
  },
};
