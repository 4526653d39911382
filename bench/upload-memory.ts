// Upload memory: peak RSS growth while uploading a 20 MB document from a file path, measured in a
// fresh child process (so nothing else lives in the heap), against the file size. The server,
// which discards the body, runs in its own process.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { machine, table } from './lib/stats.ts';

export const FILE_BYTES = 20 * 1024 * 1024;

export interface UploadMemory {
  label: string;
  peakGrowth: number;
}

export function measureUploadMemory(): UploadMemory[] {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(new URL('./lib/upload-memory-child.ts', import.meta.url))],
    { encoding: 'utf8', env: { ...process.env, FILE_BYTES: String(FILE_BYTES) }, timeout: 120_000 },
  );
  if (child.status !== 0) throw new Error(`upload memory child failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as UploadMemory[];
}

export async function uploadMemory(): Promise<string> {
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const rows = measureUploadMemory().map((m) => [m.label, mb(m.peakGrowth), `${(m.peakGrowth / FILE_BYTES).toFixed(2)}x`]);
  return [
    `Upload memory: one ${mb(FILE_BYTES)} document (${machine()}); target: peak RSS growth at most 2x the file`,
    '',
    table(['upload', 'peak RSS growth', 'of file size'], rows),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await uploadMemory());
