// The mock and path parameters. Every operation with a parameter in its path is sent values from
// valid ids to hostile segments (dot segments, broken %-escapes, unicode, overlong, sibling route
// names), over raw HTTP, percent-encoded as a client sends them and raw as a hand-made request
// can: the mock answers only statuses the operation declares (a malformed value gets the declared
// 404 and body, a valid one the success), and keeps running. Without the front's path guard,
// Prism answered an undeclared 422 (or the operation's 400, which the server does not send for a
// path), and a broken %-escape in a path parameter ended the Prism process.
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useMockServer } from '../support/mock.ts';
import { defaultSpecPath } from '../../src/testing/mock-server.ts';
import { isAlive } from '../../scripts/lib/processes.ts';

interface Operation {
  operationId: string;
  parameters?: Array<{ name: string; in: string }>;
  responses: Record<string, unknown>;
  requestBody?: { content: Record<string, { examples?: Record<string, { value: unknown }> }> };
}
const spec = JSON.parse(readFileSync(defaultSpecPath, 'utf8')) as {
  paths: Record<string, Record<string, Operation> & { parameters?: Operation['parameters'] }>;
};

interface Target {
  operationId: string;
  method: string;
  template: string;
  declared: number[];
  body: string | undefined;
}
const targets: Target[] = [];
const concrete = new Set<string>();
for (const [template, item] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(item)) {
    if (Array.isArray(op) || !op.operationId) continue;
    if (!template.includes('{')) {
      concrete.add(`${method.toUpperCase()} ${template}`);
      continue;
    }
    const example = op.requestBody?.content['application/json']?.examples;
    targets.push({
      operationId: op.operationId,
      method: method.toUpperCase(),
      template,
      declared: Object.keys(op.responses).map(Number),
      body: example ? JSON.stringify(Object.values(example)[0]!.value) : undefined,
    });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const mock = useMockServer();

function send(target: Target, segment: string): Promise<{ status: number; body: string }> {
  const path = target.template.replace(/\{[^}]+\}/g, segment);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: mock().port,
        method: target.method,
        path,
        headers: { authorization: 'Bearer any-token', ...(target.body ? { 'content-type': 'application/json' } : {}) },
        timeout: 10_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer to ${target.method} ${path.slice(0, 80)}`)));
    req.on('error', reject);
    req.end(target.body);
  });
}

/** A request Prism answers with its example when it is up. */
async function stillServes(): Promise<number> {
  const res = await fetch(`${mock().url}/api/v2/webhook/events`, { headers: { authorization: 'Bearer t' }, signal: AbortSignal.timeout(5000) });
  await res.arrayBuffer();
  return res.status;
}

describe('a broken %-escape in a path parameter', () => {
  it.each(targets.map((t) => [t.operationId, t] as const))('%s: the declared 404, and Prism keeps running', async (_name, target) => {
    const answer = await send(target, '%E0%A4%A');
    expect(answer.status).toBe(404);
    expect(target.declared).toContain(404);
    expect(JSON.parse(answer.body)).toEqual({ detail: 'Not found.' });
    expect(isAlive(mock().pid)).toBe(true);
    expect(await stillServes()).toBe(200);
  });
});

// Values from valid ids and addresses through near misses to hostile input.
const uuid = fc.uuid();
const value = fc.oneof(
  uuid,
  uuid.map((u) => u.toUpperCase()),
  fc.tuple(uuid, fc.nat(35), fc.string({ minLength: 1, maxLength: 2 })).map(([u, at, s]) => u.slice(0, at) + s + u.slice(at + 1)),
  fc.tuple(uuid, fc.string({ maxLength: 3 })).map(([u, s]) => u + s),
  fc.ipV4(),
  fc.tuple(fc.ipV4(), fc.nat(40)).map(([ip, bits]) => `${ip}/${bits}`),
  fc.ipV6(),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary-ascii', maxLength: 30 }),
  fc.integer({ min: 100, max: 6000 }).map((n) => 'a'.repeat(n)),
  fc.constantFrom('', ' ', '.', '..', '%', '%zz', '%E0%A4%A', '%2e%2E', '.%2E', '%00', 'events', 'secret', 'logs', 'url', 'null', '{id}'),
);
/** How it goes on the wire: as a client encodes it, or raw (only what a request line cannot carry is encoded). */
const encoding = fc.constantFrom('client', 'raw');
const onTheWire = (text: string, how: string) =>
  how === 'client' ? encodeURIComponent(text) : text.replace(/[^\x21-\x7e]|[/?#]/gu, (c) => encodeURIComponent(c));
const decoded = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

describe('fuzzing every path parameter', () => {
  it('300 requests: only declared statuses, malformed values get the declared 404, and the mock stays up', async () => {
    const seen = new Map<number, number>();
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), value, encoding, async (target, text, how) => {
        const segment = onTheWire(text, how);
        // A segment that names a sibling route (GET /api/v2/profile/url) addresses that operation.
        fc.pre(!concrete.has(`${target.method} ${target.template.replace(/\{[^}]+\}/g, decoded(segment) ?? segment)}`));
        const { status, body } = await send(target, segment);
        sent++;
        seen.set(status, (seen.get(status) ?? 0) + 1);
        const what = `${target.method} ${target.template} with ${JSON.stringify(segment.slice(0, 60))}`;
        if (!target.declared.includes(status)) throw new Error(`${what} answered ${status}, not one of ${target.declared.join(', ')}`);
        if (status === 404 && (JSON.parse(body) as { detail?: unknown }).detail !== 'Not found.') throw new Error(`${what}: 404 body ${body.slice(0, 200)}`);
        // A valid uuid in a client's encoding reaches the operation and gets its success.
        if (how === 'client' && UUID.test(text) && status >= 300) throw new Error(`${what} answered ${status} for a valid id`);
        if (!isAlive(mock().pid)) throw new Error(`Prism died after ${what}`);
        if (sent % 25 === 0 && (await stillServes()) !== 200) throw new Error(`the mock no longer serves after ${what}`);
      }),
      { numRuns: 300, endOnFailure: true },
    );
    expect(sent).toBeGreaterThanOrEqual(250);
    // Both kinds were exercised: ids that reached their operation, and malformed ones.
    expect(seen.get(404) ?? 0).toBeGreaterThan(20);
    expect([...seen.keys()].filter((s) => s < 300).length).toBeGreaterThan(0);
    expect(await stillServes()).toBe(200);
  }, 180_000);
});
