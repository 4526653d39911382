// Shared by the webhook tests. Signatures here come from node:crypto and python3, never from the
// implementation under test, so a bug in it cannot make its own tests agree with it.
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { createHmac, createHash } from 'node:crypto';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { WebhookEventOf } from '../../src/webhooks/index.ts';

const VECTORS_SCRIPT = fileURLToPath(new URL('./vectors.py', import.meta.url));

export interface PythonVector {
  name: string;
  body: string;
  signature: string;
  caveat: string | null;
}

export function pythonVectors(): { secret: string; oldSecret: string; vectors: PythonVector[] } {
  return JSON.parse(runPython([], ''));
}

/** json.dumps(json.loads(text)) and its signature, for each text, computed by python3. */
export function pythonDumps(secret: string, texts: string[]): { body: string; signature: string }[] {
  return JSON.parse(runPython(['--dumps'], JSON.stringify({ secret, texts })));
}

function runPython(args: string[], input: string): string {
  const result = spawnSync('python3', [VECTORS_SCRIPT, ...args], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`python3 vectors.py failed: ${result.stderr || result.error}`);
  return result.stdout;
}

export function hmacBase64(secret: string, body: string | Uint8Array): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

export function sha256Hex(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

export const SECRET = 'whsec_unit_test_secret';

/** statusChange() as python3's json.dumps writes it (the body Amani would send), for tests that need a literal. */
export const STATUS_CHANGE_BODY =
  '{"event": "profile_status_change", "timestamp": 1764118800, "profile": {"id": "6aff82cb-e91a-4df4-b9a3-d69de0be1a2e", ' +
  '"id_card_number": "12345678901", "name": "Ay\\u015fe Y\\u0131lmaz", "status": "Approved", "verified_level": 2, ' +
  '"created_at": 1764115200, "updated_at": 1764118800}, "status": "APPROVED"}';

export function statusChange(status = 'APPROVED'): WebhookEventOf<'profile_status_change'> {
  return {
    event: 'profile_status_change',
    timestamp: 1764118800,
    profile: {
      id: '6aff82cb-e91a-4df4-b9a3-d69de0be1a2e',
      id_card_number: '12345678901',
      name: 'Ayşe Yılmaz',
      status: 'Approved',
      verified_level: 2,
      created_at: 1764115200,
      updated_at: 1764118800,
    },
    status,
  };
}

/** A signed delivery of `payload` made with node:crypto (Amani's serialization is ASCII-only JSON). */
export function independentlySigned(body: string, secret = SECRET) {
  return { body, headers: { 'Content-Type': 'application/json', 'Webhook-Signature': hmacBase64(secret, body) } };
}

export async function listen(listener: RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * Any UTF-16 string: ASCII-heavy, with BMP characters, astral characters (surrogate pairs) and
 * lone surrogates. (Built from code points: fast-check's 'binary' unit excludes lone surrogates.)
 */
export function anyText(maxLength = 12) {
  const codePoint = fc.oneof(
    fc.integer({ min: 0, max: 0x7f }),
    fc.integer({ min: 0x80, max: 0xffff }),
    fc.integer({ min: 0x10000, max: 0x10ffff }),
  );
  return fc.string({ unit: codePoint.map((c) => String.fromCodePoint(c)), maxLength });
}
