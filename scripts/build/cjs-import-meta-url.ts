// Stands in for `import.meta.url` in the CJS build only (tsup.config.ts defines the one as the
// other), for the mock server's createRequire. tsup's own shim reads `__filename` unguarded when
// there is no `document`, and esbuild places an injected module in the chunk every entry shares:
// amani-client/webhooks would then fail to load as CJS wherever `__filename` does not exist (an
// edge runtime's bundle). Guarded here, and built without `node:url`, which that entry must not load.
export const importMetaUrl: string | undefined = typeof __filename === 'string' ? fileUrl(__filename) : undefined;

function fileUrl(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  // URL encodes spaces and non-ASCII itself; these three would otherwise end or escape the path.
  const escaped = slashed.replace(/[%?#]/g, encodeURIComponent);
  return new URL(`file://${slashed.startsWith('/') ? '' : '/'}${escaped}`).href;
}
