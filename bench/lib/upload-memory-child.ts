// Child of upload-memory.ts, one fresh process per measurement: uploads FILE once in the way CASE
// names, to a server in its own process, sampling RSS, and prints the peak growth as JSON. A 1 MB
// upload the same way first loads the code, so code loading is not counted as upload memory.
import { createReadStream, openAsBlob } from 'node:fs';
import { Readable } from 'node:stream';
import type { PageInput } from '../../src/core/upload.ts';
import { builtPackage } from './built.ts';
import { startProfileServer } from './profile-server.ts';

export type UploadCase = 'path' | 'blob' | 'stream' | 'fetch' | 'read-blob' | 'read-stream';

const file = process.env.FILE!;
const warmFile = process.env.WARM_FILE!;
const uploadCase = process.env.CASE as UploadCase;
const gc = (globalThis as { gc?: () => void }).gc!;
const server = await startProfileServer();
const token = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ exp: 4102444800 })).toString('base64url')}.c2ln`;
const { AmaniClient } = await builtPackage();
const amani = new AmaniClient({ baseUrl: server.url, tokens: { access: token }, timeoutMs: 120_000 });

async function page(path: string): Promise<PageInput> {
  if (uploadCase === 'blob') return openAsBlob(path);
  // Unknown length: a Node stream as a web stream, as an app piping a download would pass it.
  if (uploadCase === 'stream') return Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
  return path;
}

async function upload(path: string): Promise<void> {
  // The input alone, read to its end and sent nowhere: what reading it costs without any client.
  if (uploadCase === 'read-blob' || uploadCase === 'read-stream') {
    const input = uploadCase === 'read-blob' ? (await openAsBlob(path)).stream() : (Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>);
    for await (const chunk of input as unknown as AsyncIterable<Uint8Array>) void chunk;
    return;
  }
  if (uploadCase === 'fetch') {
    const form = new FormData();
    form.append('type', 'XXX_PA_0');
    form.append('pages', await openAsBlob(path, { type: 'image/jpeg' }), 'page-1.jpg');
    await (await fetch(`${server.url}/api/v2/document`, { method: 'POST', body: form })).text();
    return;
  }
  await amani.documents.upload({ profile: '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e', type: 'XXX_PA_0', pages: [await page(path)] });
}

async function peakGrowth(run: () => Promise<unknown>): Promise<number> {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
  try {
    await run();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage().rss) - base;
}

try {
  await upload(warmFile);
  console.log(JSON.stringify({ peakGrowth: await peakGrowth(() => upload(file)) }));
} finally {
  await server.close();
}
