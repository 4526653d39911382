// Node only (from ./platform.ts): how a multipart upload leaves. undici keeps garbage of about the
// bytes it has written until the next garbage collection (measured: +20 MB RSS for a 20 MB body of
// one reused buffer; bench/upload-memory.ts), which V8 does not see coming, so with the app's
// default dispatcher the upload goes through node:http(s) instead, whose write callback says when
// a chunk has left: the next is read only then, and a page never sits in memory. An app that
// installed a dispatcher of its own (a proxy, custom TLS, a MockAgent) gets it, through undici.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { dispatch, decode, type GlobalDispatcher } from './undici-send.ts';
import type { HeaderReader, WireRequest, WireResponse } from './wire.ts';

const INSTALLED = Symbol.for('undici.globalDispatcher.1');
/** The dispatcher undici made when none was installed yet; undefined if one was there first. */
let ownDefault: unknown;
let noted = false;

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

/** Sends `request` (its body an async iterable of chunks) by the way the note above says. */
export async function upload(globalDispatcher: GlobalDispatcher, request: WireRequest): Promise<WireResponse> {
  if (!noted) {
    noted = true;
    if ((globalThis as Record<symbol, unknown>)[INSTALLED] === undefined) ownDefault = globalDispatcher();
  }
  if (ownDefault === undefined || globalDispatcher() !== ownDefault) return dispatch(globalDispatcher, request);
  const url = new URL(request.url);
  // A computed specifier keeps bundlers from trying to resolve node:http.
  const module = url.protocol === 'https:' ? 'node:https' : 'node:http';
  const http = (await import(module)) as HttpModule;
  return new Promise((resolve, reject) => {
    const sending = http.request(url, { method: request.method, headers: request.headers });
    let answered = false;
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
        // An answer before the whole body (a refusal) ends the upload: the rest is not sent.
        sending.destroy();
        resolve({ status: response.statusCode!, statusText: response.statusMessage ?? '', headers: new NodeHeaders(response.headers), text: decode(chunks, size) });
      });
    });
    void (async () => {
      for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
        if (answered || sending.destroyed) return;
        await new Promise<void>((written, failed) => sending.write(chunk, (error) => (error ? failed(error) : written())));
      }
      sending.end();
    })().catch(fail);
  });
}
