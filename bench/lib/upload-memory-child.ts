// Child of upload-memory.ts: uploads one large file twice (AmaniClient from a path, and a raw
// fetch of a file-backed FormData for reference), sampling RSS, and prints the peaks as JSON.
import { openAsBlob } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AmaniClient } from '../../src/client.ts';
import { startProfileServer } from './profile-server.ts';

const bytes = Number(process.env.FILE_BYTES);
const gc = (globalThis as { gc?: () => void }).gc!;
const dir = await mkdtemp(join(tmpdir(), 'amani-upload-'));
const file = join(dir, 'passport.jpg');
{
  const content = new Uint8Array(bytes);
  content.set([0xff, 0xd8, 0xff, 0xe0]);
  await writeFile(file, content);
}
const server = await startProfileServer();
const token = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ exp: 4102444800 })).toString('base64url')}.c2ln`;

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
  peak = Math.max(peak, process.memoryUsage().rss);
  return peak - base;
}

const amani = new AmaniClient({ baseUrl: server.url, tokens: { access: token } });
const results = [];
try {
  // Warm both paths once so code loading is not counted as upload memory.
  await amani.documents.upload({ profile: '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e', type: 'XXX_PA_0', pages: [file] });
  results.push({
    label: 'AmaniClient documents.upload (file path)',
    peakGrowth: await peakGrowth(() =>
      amani.documents.upload({ profile: '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e', type: 'XXX_PA_0', pages: [file] }),
    ),
  });
  results.push({
    label: 'raw fetch of a FormData with openAsBlob (reference)',
    peakGrowth: await peakGrowth(async () => {
      const form = new FormData();
      form.append('type', 'XXX_PA_0');
      form.append('pages', await openAsBlob(file, { type: 'image/jpeg' }), 'page-1.jpg');
      await (await fetch(`${server.url}/api/v2/document`, { method: 'POST', body: form })).text();
    }),
  });
} finally {
  await server.close();
  await rm(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(results));
