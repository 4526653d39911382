// The spec's servers are Amani's regions only (the local mock is described in `x-amani-mock`, not
// offered as a server), the European host's two spellings (D1) are one server variable, and the
// discrepancy register at the root names every id the spec uses.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RegionBaseUrls } from '../../generated/constants.ts';
import { constantsFor } from '../../scripts/lib/pipeline.ts';
import { bundledSpec } from '../../scripts/lib/paths.ts';
import { regions, resolveBaseUrl } from '../../src/core/base-url.ts';

interface Server {
  url: string;
  description?: string;
  'x-internal'?: boolean;
  'x-amani-discrepancies'?: string[];
  variables?: Record<string, { default: string; enum?: string[]; description?: string }>;
}
interface Spec {
  servers: Server[];
  'x-amani-mock'?: { url: string; description?: string };
  'x-amani-discrepancy-register'?: Record<string, { topic: string; sources: string[] }>;
}

const text = readFileSync(bundledSpec, 'utf8');
const spec = JSON.parse(text) as Spec;

/** Every value of `x-amani-discrepancies` anywhere in the document, with where it was found. */
function discrepancyUses(node: unknown, at = '#'): Array<[id: string, at: string]> {
  if (Array.isArray(node)) return node.flatMap((item, i) => discrepancyUses(item, `${at}/${i}`));
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'x-amani-discrepancies' ? (value as string[]).map((id): [string, string] => [id, at]) : discrepancyUses(value, `${at}/${key}`),
  );
}

describe('servers', () => {
  it('lists only https hosts of amani.ai, each marked public and production', () => {
    expect(spec.servers.length).toBeGreaterThanOrEqual(3);
    for (const server of spec.servers) {
      expect(server.url).toMatch(/^https:\/\/[a-z0-9{}]+\.amani\.ai$/);
      expect(server['x-internal']).toBe(false);
      expect(server.description).toMatch(/\bproduction\b/);
    }
    // Nor does any path or operation offer a server of its own (the mock, say).
    expect(JSON.stringify(spec, (key, value: unknown) => (key === 'servers' && value !== spec.servers ? 'FOUND' : value))).not.toContain('FOUND');
  });

  it('describes the local mock outside servers, on the port `npm run mock` uses', () => {
    expect(spec['x-amani-mock']?.url).toBe('http://127.0.0.1:4010');
    expect(spec['x-amani-mock']?.description).toContain('npm run mock');
    expect(readFileSync(new URL('../../scripts/mock.ts', import.meta.url), 'utf8')).toContain('portFromEnv(4010');
  });

  it('offers the Web SDK guide\'s eu1 host as a value of the European server\'s variable (D1)', () => {
    const europe = spec.servers.find((server) => server.variables)!;
    expect(europe.url).toBe('https://{europe}.amani.ai');
    expect(europe.variables!.europe).toMatchObject({ default: 'eu', enum: ['eu', 'eu1'] });
    expect(europe['x-amani-discrepancies']).toEqual(['D1']);
  });

  it('records the v1 `uae` host on the UAE server (D18)', () => {
    const uae = spec.servers.find((server) => server.url === 'https://ae.amani.ai')!;
    expect(uae['x-amani-discrepancies']).toEqual(['D18']);
    expect(uae.description).toContain('uae.amani.ai');
  });
});

describe('regions', () => {
  it('are the servers with their variables expanded: eu, eu1, tr, ae', () => {
    expect(RegionBaseUrls).toEqual({ eu: 'https://eu.amani.ai', eu1: 'https://eu1.amani.ai', tr: 'https://tr.amani.ai', ae: 'https://ae.amani.ai' });
    expect(regions).toEqual(['eu', 'eu1', 'tr', 'ae']);
    expect(resolveBaseUrl({ region: 'eu1' })).toBe('https://eu1.amani.ai');
  });

  it('come from every enum value of a server variable (the default alone when it has no enum), hosts of amani.ai only', () => {
    const input = {
      servers: [
        { url: 'https://{a}.amani.ai', variables: { a: { default: 'x', enum: ['x', 'y'] } } },
        { url: 'https://{b}.amani.ai', variables: { b: { default: 'z' } } },
        { url: 'https://{c}.example.com', variables: { c: { default: 'w' } } },
        { url: 'http://127.0.0.1:4010' },
      ],
    };
    const line = constantsFor(JSON.stringify(input)).get('RegionBaseUrls.ts')!.split('\n').find((l) => l.startsWith('export const RegionBaseUrls'));
    expect(line).toBe('export const RegionBaseUrls = {"x":"https://x.amani.ai","y":"https://y.amani.ai","z":"https://z.amani.ai"} as const;');
  });
});

describe('discrepancy register', () => {
  const register = spec['x-amani-discrepancy-register'] ?? {};

  it('lists D1 to D18, each with its topic and the sources on both sides', () => {
    expect(Object.keys(register)).toEqual(Array.from({ length: 18 }, (_, i) => `D${i + 1}`));
    for (const [id, entry] of Object.entries(register)) {
      expect(entry.topic, id).toMatch(/\w/);
      expect(entry.sources.length, id).toBeGreaterThanOrEqual(2);
    }
    expect(register.D18!.sources.join(' ')).toContain('uae.amani.ai');
  });

  it('holds every id that any x-amani-discrepancies, and any description, names', () => {
    const uses = discrepancyUses(spec);
    expect(uses.length).toBeGreaterThan(20);
    for (const [id, at] of uses) expect(register, `${id} at ${at}`).toHaveProperty(id);
    const named = new Set([...text.matchAll(/\bD(\d+)\b/g)].map((m) => `D${m[1]}`));
    for (const id of named) expect(register, `${id} named in a description`).toHaveProperty(id);
  });
});
