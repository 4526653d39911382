// Node only (from ./platform.ts): how a multipart upload leaves. undici keeps garbage of about the
// bytes it has written until the next garbage collection (measured: +20 MB RSS for a 20 MB body of
// one reused buffer), which V8 does not see coming, so while the global dispatcher is undici's
// plain Agent (its default, or Node's own) the upload goes through node:http(s) instead, whose
// write callback says when a chunk has left: the next is read only then, so a page never sits in
// memory. An app that installed another dispatcher (a ProxyAgent, EnvHttpProxyAgent, MockAgent,
// a composed or custom one) gets it, through undici. An Agent made with TLS options of its own is
// still a plain Agent: the README says how to have uploads use it.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { dispatch, decode, type GlobalDispatcher } from './undici-send.ts';
import type { HeaderReader, SerializedBody, WireRequest, WireResponse } from './wire.ts';

type HttpModule = typeof import('node:http');

class NodeHeaders implements HeaderReader {
  constructor(private readonly raw: IncomingHttpHeaders) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }
  forEach(callback: (value: string, name: string) => void): void {
    for (const name of Object.keys(this.raw)) callback(this.get(name)!, name);
  }
}

/**
 * Undici's Agent as made (its default, or Node's own), neither subclassed nor composed with
 * interceptors: compose() returns a Proxy whose dispatch is another than the class's.
 */
function isPlainAgent(dispatcher: { constructor: { name: string }; dispatch: unknown }): boolean {
  return dispatcher.constructor.name === 'Agent' && dispatcher.dispatch === (Object.getPrototypeOf(dispatcher) as { dispatch: unknown }).dispatch;
}

/**
 * Sends `request` with the bytes `body` gives, by the way the note above says: `reuse` tells it
 * whether each chunk is done with before the next is asked for (see ./multipart.ts).
 */
export async function upload(
  globalDispatcher: GlobalDispatcher,
  request: WireRequest,
  body: (reuse: boolean) => AsyncIterable<Uint8Array>,
): Promise<WireResponse> {
  if (!isPlainAgent(globalDispatcher())) {
    return dispatch(globalDispatcher, { ...request, body: body(false) as unknown as SerializedBody });
  }
  const url = new URL(request.url);
  // A computed specifier keeps bundlers from trying to resolve node:http.
  const module = url.protocol === 'https:' ? 'node:https' : 'node:http';
  const http = (await import(module)) as HttpModule;
  return new Promise((resolve, reject) => {
    const sending = http.request(url, { method: request.method, headers: request.headers });
    let answered = false;
    let sent = false;
    const fail = (error: unknown) => {
      sending.destroy();
      reject(error);
    };
    request.cancel.onCancel(fail);
    sending.on('error', reject);
    sending.on('response', (response: IncomingMessage) => {
      answered = true;
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
      });
      response.on('error', reject);
      response.on('end', () => {
        // An answer before the whole body (a refusal) ends the upload: the rest is not sent (and
        // the connection, mid-body, is not reused).
        if (!sent) sending.destroy();
        resolve({ status: response.statusCode!, statusText: response.statusMessage ?? '', headers: new NodeHeaders(response.headers), text: decode(chunks, size) });
      });
    });
    void (async () => {
      for await (const chunk of body(true)) {
        if (answered || sending.destroyed) return;
        await new Promise<void>((written, failed) => sending.write(chunk, (error) => (error ? failed(error) : written())));
      }
      sent = true;
      sending.end();
    })().catch(fail);
  });
}
