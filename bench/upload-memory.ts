// Upload memory: peak RSS growth while uploading one document of 20 MB and one of 256 MB, from a
// file path, a Blob (openAsBlob) and a ReadableStream of unknown length through AmaniClient, and a
// raw fetch of a file-backed FormData for reference. Each measurement runs in a fresh child process
// (so nothing else lives in its heap); the server, which discards the body, runs in its own process.
// Targets (issue 13): at most 16 MB of growth for 20 MB, at most 64 MB for 256 MB.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { UploadCase } from './lib/upload-memory-child.ts';
import { machine, table } from './lib/stats.ts';
import { target } from './lib/targets.ts';

const MB = 1024 * 1024;
export const SIZES = [
  { bytes: 20 * MB, limit: 16 * MB },
  { bytes: 256 * MB, limit: 64 * MB },
];
/** `input`: the reference row that reads the same input alone, for the client's own share. */
const CASES: Array<{ case: UploadCase; label: string; target: boolean; input?: UploadCase }> = [
  { case: 'path', label: 'AmaniClient documents.upload (file path)', target: true },
  { case: 'blob', label: 'AmaniClient documents.upload (Blob from openAsBlob)', target: true, input: 'read-blob' },
  { case: 'stream', label: 'AmaniClient documents.upload (ReadableStream, unknown length)', target: true, input: 'read-stream' },
  { case: 'fetch', label: 'raw fetch of a FormData with openAsBlob (reference)', target: false },
  // What Node itself costs to read each input, with no upload: a fresh buffer per chunk, freed at
  // the next garbage collection, which V8 starts after tens of MB of them. The client's own cost
  // is its row minus this one.
  { case: 'read-blob', label: 'reading the Blob alone, no upload (reference)', target: false },
  { case: 'read-stream', label: 'reading the ReadableStream alone, no upload (reference)', target: false },
];

export interface UploadMemory {
  case: UploadCase;
  input: UploadCase | undefined;
  label: string;
  fileBytes: number;
  limit: number;
  peakGrowth: number;
  /** Whether the row is held to the limit (the reference is not). */
  target: boolean;
}

/** A JPEG-typed file of `bytes` bytes, written 1 MB at a time (never whole in this process). */
function writePage(path: string, bytes: number): void {
  const chunk = Buffer.alloc(MB, 7);
  chunk.set([0xff, 0xd8, 0xff, 0xe0]);
  const fd = openSync(path, 'w');
  try {
    for (let written = 0; written < bytes; written += MB) writeSync(fd, chunk, 0, Math.min(MB, bytes - written));
  } finally {
    closeSync(fd);
  }
}

function measure(uploadCase: UploadCase, file: string, warmFile: string): number {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(new URL('./lib/upload-memory-child.ts', import.meta.url))],
    { encoding: 'utf8', env: { ...process.env, FILE: file, WARM_FILE: warmFile, CASE: uploadCase }, timeout: 300_000 },
  );
  if (child.status !== 0) throw new Error(`upload memory child (${uploadCase}) failed: ${child.stderr}`);
  return (JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { peakGrowth: number }).peakGrowth;
}

export function measureUploadMemory(): UploadMemory[] {
  const dir = mkdtempSync(join(tmpdir(), 'amani-upload-'));
  try {
    const warmFile = join(dir, 'warm.jpg');
    writePage(warmFile, MB);
    const results: UploadMemory[] = [];
    for (const { bytes, limit } of SIZES) {
      const file = join(dir, `passport-${bytes}.jpg`);
      writePage(file, bytes);
      for (const c of CASES) results.push({ case: c.case, input: c.input, label: c.label, fileBytes: bytes, limit, target: c.target, peakGrowth: measure(c.case, file, warmFile) });
      rmSync(file);
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function uploadMemory(): Promise<string> {
  const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
  const measured = measureUploadMemory();
  for (const m of measured) {
    if (m.target) target({ what: `${m.label}, ${mb(m.fileBytes)} page: peak RSS growth`, measured: m.peakGrowth, limit: m.limit, atLeast: false, unit: 'MB' });
  }
  const inputAlone = (m: UploadMemory) => measured.find((r) => r.case === m.input && r.fileBytes === m.fileBytes)?.peakGrowth;
  const rows = measured.map((m) => [
    m.label,
    mb(m.fileBytes),
    mb(m.peakGrowth),
    m.input === undefined ? '-' : mb(Math.max(0, m.peakGrowth - inputAlone(m)!)),
    `${(m.peakGrowth / m.fileBytes).toFixed(2)}x`,
    mb(m.limit),
    `${(m.peakGrowth / m.limit).toFixed(2)}x`,
    m.target ? (m.peakGrowth <= m.limit ? 'yes' : 'no') : '- (reference)',
  ]);
  return [
    `Upload memory: peak RSS growth of one upload, each in a fresh process (${machine()}); target: at most 16 MB for a 20 MB page, 64 MB for a 256 MB page (of limit <= 1.00x)`,
    '',
    table(['upload', 'file size', 'peak RSS growth', 'above reading the input alone', 'of file size', 'limit', 'of limit', 'meets target'], rows),
    '',
    'A file path is read by the client itself, into one reused buffer. A Blob or a stream is read by',
    'Node (a fresh buffer for every chunk, freed only at the next garbage collection, which V8 starts',
    'after tens of MB of them): the reference rows read the same input alone, uploading nothing, and',
    '"above reading the input alone" is what the client adds to that.',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await uploadMemory());
