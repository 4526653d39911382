import { cp, mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGenerated, constantsFor, diffGenerated, typesFor } from '../../scripts/lib/pipeline.ts';
import { generatedDir } from '../../scripts/lib/paths.ts';

describe('generation pipeline', () => {
  it('is deterministic: two builds give identical bytes', async () => {
    const [first, second] = [await buildGenerated(), await buildGenerated()];
    expect([...first.keys()].sort()).toEqual([
      'BodilessOperations.ts',
      'DocumentTypeCodePattern.ts',
      'GenderValues.ts',
      'IpAddressOrCidrPatterns.ts',
      'ProfileStatusValues.ts',
      'RegionBaseUrls.ts',
      'UnauthenticatedOperations.ts',
      'WebhookEventNameValues.ts',
      'constants.ts',
      'evidence.ts',
      'openapi.json',
      'schema.d.ts',
    ]);
    // constants.ts re-exports every value, each a module of its own.
    const barrel = first.get('constants.ts')!;
    for (const name of first.keys()) if (/^[A-Z]\w+\.ts$/.test(name)) expect(barrel).toContain(`export * from './${name}';`);
    for (const [name, content] of first) expect(second.get(name)).toBe(content);
  }, 60_000);

  it('drift check names a file edited by hand, a missing file and a stray file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'amani-drift-'));
    try {
      await cp(generatedDir, dir, { recursive: true });
      expect(await diffGenerated(dir)).toEqual([]);
      const types = join(dir, 'schema.d.ts');
      await writeFile(types, `${await readFile(types, 'utf8')}// edited\n`);
      await rm(join(dir, 'openapi.json'));
      await writeFile(join(dir, 'extra.ts'), 'export {};\n');
      expect(await diffGenerated(dir)).toEqual([
        'generated/openapi.json is missing',
        'generated/schema.d.ts differs from what openapi/ produces',
        'generated/extra.ts is not produced by the pipeline',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('types an open enum (anyOf: known values, any string) as its values plus (string & {}), and nothing else so', async () => {
    const string = { type: 'string' };
    const schemas = {
      Known: { type: 'string', enum: ['A', 'B'] },
      OpenByRef: { anyOf: [{ $ref: '#/components/schemas/Known' }, { ...string, description: 'another' }] },
      Holder: {
        type: 'object',
        properties: {
          inline: { anyOf: [{ type: 'string', enum: ['X'] }, string, { type: 'null' }] },
          patterns: { anyOf: [{ type: 'string', pattern: '^a' }, { type: 'string', format: 'ipv4' }] },
          either: { anyOf: [{ type: 'integer' }, string] },
        },
      },
    };
    const types = await typesFor(JSON.stringify({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {}, components: { schemas } }));
    expect(types).toContain('OpenByRef: components["schemas"]["Known"] | (string & {});');
    expect(types).toContain('inline?: "X" | (string & {}) | null;');
    expect(types).toContain('patterns?: string;');
    expect(types).toContain('either?: number | string;');
  });

  it('BodilessOperations lists the operations whose every 2xx declares no content, $ref responses resolved', () => {
    const json = { content: { 'application/json': { schema: { type: 'object' } } } };
    const spec = {
      paths: {
        '/a/{id}': { get: { responses: { '200': json } }, delete: { responses: { '204': { description: 'gone' }, '404': json } } },
        '/b': { post: { responses: { '201': json, '204': { description: 'none' } } }, put: { responses: { '200': { $ref: '#/components/responses/Empty' } } } },
        '/c': { patch: { responses: { '2XX': { $ref: '#/components/responses/Json' } } }, delete: { responses: { '400': json } } },
      },
      components: { responses: { Empty: { description: 'no body' }, Json: json } },
    };
    const line = constantsFor(JSON.stringify(spec))
      .get('BodilessOperations.ts')!
      .split('\n')
      .find((l) => l.startsWith('export const BodilessOperations'));
    expect(line).toBe('export const BodilessOperations = ["DELETE /a/{id}","PUT /b"] as const;');
  });
});
