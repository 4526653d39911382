// The openapi-fetch client every call goes through (resource methods and `amani.raw`), and the
// `raw` view of it. Middleware a caller registers with `raw.use()` sees every call, resource
// methods included, and gets what openapi-fetch documents: a Fetch Request (clone it, rebuild it,
// return another) and a Fetch Response. Without any, openapi-fetch builds a PreparedRequest
// instead, which costs a fraction of a Request.
import createClient, { createQuerySerializer, type Client, type Middleware } from 'openapi-fetch';
import type { AmaniPaths } from '../fetch-client.ts';
import { serializeBody } from '../fetch-client.ts';
import type { Transport } from './transport.ts';
import { requestType } from './wire.ts';

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;

export function createApi(baseUrl: string, transport: Transport): { api: Client<AmaniPaths>; raw: Client<AmaniPaths> } {
  const registered: Middleware[] = [];
  const api = createClient<AmaniPaths>({
    baseUrl,
    fetch: (request) => transport.send(request),
    bodySerializer: serializeBody,
    // Made once: given as options, openapi-fetch would make a serializer on every call.
    querySerializer: createQuerySerializer(),
    Request: requestType(() => registered.length > 0),
  });
  const { use, eject } = api;
  api.use = (...middleware) => {
    for (const m of middleware) {
      use(m);
      if (m) registered.push(m);
    }
  };
  api.eject = (...middleware) => {
    for (const m of middleware) {
      eject(m);
      if (registered.includes(m)) registered.splice(registered.indexOf(m), 1);
    }
  };
  // Each raw call tells the transport its schema path (for idempotency and which operations go
  // without a token) through its own fetch, so no middleware can lose it by replacing the request.
  const request = (method: string, url: string, init?: { middleware?: unknown[] }) =>
    api.request(method as never, url as never, {
      fetch: (sent: Request) => transport.send(sent, { schemaPath: url }),
      // A call given its own `middleware` gets a Fetch Request too (its body is read once to send).
      ...(init?.middleware?.length ? { Request } : {}),
      ...init,
    } as never);
  const raw: Record<string, unknown> = Object.create(api);
  raw.request = request;
  for (const method of METHODS) raw[method] = (url: string, init?: { middleware?: unknown[] }) => request(method, url, init);
  return { api, raw: raw as unknown as Client<AmaniPaths> };
}
