// In Node the client sends through undici, which nock does not see. Unit tests that intercept
// HTTP with nock hand the client this fetch (the `fetch` option, documented for proxies and tests),
// which nock has patched.
export const nockFetch = (request: Request): Promise<Response> => globalThis.fetch(request);
