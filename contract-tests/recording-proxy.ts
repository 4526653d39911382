// A fault server (test/reliability/fault-server.ts) in front of the suite's Prism mock: every
// request is recorded as it arrives, then forwarded to Prism as sent and answered with Prism's
// answer, so a test counts what a client really sent (retries included) against the spec's mock.
import { act, startFaultServer, type FaultServer } from '../test/reliability/fault-server.ts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** Headers of the hop, not of the request: fetch sets its own. */
const HOP = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

export async function startRecordingProxy(target: string): Promise<FaultServer> {
  const proxy = await startFaultServer();
  const forward = act.handle(async (request, res) => {
    const headers = Object.entries(request.headers).filter(([name]) => !HOP.has(name)) as Array<[string, string]>;
    const answer = await fetch(`${target}${request.url}`, {
      method: request.method,
      headers,
      ...(request.body.length ? { body: new Uint8Array(request.body) } : {}),
    });
    const body = Buffer.from(await answer.arrayBuffer());
    const kept = [...answer.headers].filter(([name]) => !HOP.has(name));
    res.writeHead(answer.status, Object.fromEntries([...kept, ['content-length', String(body.length)]])).end(body);
  }, 'forward to Prism');
  for (const method of METHODS) proxy.fallback(method, /.*/, forward);
  return proxy;
}
