// Each operation's evidence (x-amani-evidence, its externalDocs source, its x-amani-discrepancies)
// shows where a user reads: the bundled spec's descriptions, hence the generated types' JSDoc;
// generated/evidence.ts, which the CLI's --help prints from; and the README's table. Checked
// against the spec's own fields, not against the code that writes them.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiscrepancyTopics, OperationEvidence } from '../../generated/evidence.ts';
import { evidenceTable, TABLE_END, TABLE_START } from '../../scripts/lib/evidence.ts';
import { bundledSpec, generatedDir, root } from '../../scripts/lib/paths.ts';
import { pathOperations, webhookOperations } from '../../scripts/lib/spec-operations.ts';

interface Raw {
  description?: string;
  'x-amani-evidence'?: string;
  'x-amani-discrepancies'?: string[];
  externalDocs?: { description?: string; url: string };
}

const spec = JSON.parse(readFileSync(bundledSpec, 'utf8')) as Parameters<typeof evidenceTable>[0] & {
  'x-amani-discrepancy-register': Record<string, { topic: string }>;
};
const raw = (op: { raw: Record<string, unknown> }) => op.raw as Raw;
const LINE = /\n\nEvidence: `(\w+)` \(source: \[([^\]]+)\]\(([^)]+)\)\)\.(?: Discrepancies: ((?:D\d+, )*D\d+)\.)?\n$/;

describe('the bundled spec', () => {
  it('ends every operation\'s description, paths and webhooks, with its evidence line', () => {
    expect(pathOperations.length + webhookOperations.length).toBeGreaterThan(30);
    for (const op of [...pathOperations, ...webhookOperations]) {
      const { description = '', externalDocs, ...fields } = raw(op);
      const match = LINE.exec(description);
      expect(match, `${op.operationId}: ${description.slice(-160)}`).not.toBeNull();
      expect(match![1], op.operationId).toBe(fields['x-amani-evidence']);
      expect([match![2], match![3]], op.operationId).toEqual([externalDocs!.description, externalDocs!.url]);
      expect(match![4]?.split(', ') ?? [], op.operationId).toEqual(fields['x-amani-discrepancies'] ?? []);
      expect(description.match(/Evidence: /g), op.operationId).toHaveLength(1);
    }
  });

  it('gets the line from the pipeline: no source file under openapi/ writes it', () => {
    for (const dir of ['paths', 'webhooks']) {
      for (const file of readdirSync(join(root, 'openapi', dir))) {
        expect(readFileSync(join(root, 'openapi', dir, file), 'utf8'), file).not.toContain('Evidence: `');
      }
    }
  });
});

describe('generated/schema.d.ts', () => {
  const types = readFileSync(join(generatedDir, 'schema.d.ts'), 'utf8');

  it('shows the evidence line in the JSDoc of every operation', () => {
    for (const op of [...pathOperations, ...webhookOperations]) {
      // The JSDoc block right before `get: operations["getProfile"];` (a webhook: its own operation).
      const at = types.indexOf(`${op.method}: operations["${op.operationId}"];`);
      const block = at >= 0 ? types.slice(types.lastIndexOf('/**', at), at) : '';
      expect(block, op.operationId).toContain(`Evidence: \`${raw(op)['x-amani-evidence']}\``);
      expect(block.replace(/\n\s*\*\s*/g, ' '), op.operationId).toContain(raw(op).externalDocs!.url);
    }
  });
});

describe('generated/evidence.ts', () => {
  it('holds each path operation\'s level, source and discrepancies, and the register\'s topics', () => {
    expect(Object.keys(OperationEvidence)).toEqual(pathOperations.map((op) => op.operationId));
    for (const op of pathOperations) {
      const fields = raw(op);
      expect(OperationEvidence[op.operationId as keyof typeof OperationEvidence]).toEqual({
        method: op.method.toUpperCase(),
        path: op.path,
        level: fields['x-amani-evidence'],
        source: { title: fields.externalDocs!.description, url: fields.externalDocs!.url },
        discrepancies: fields['x-amani-discrepancies'] ?? [],
      });
    }
    expect(DiscrepancyTopics).toEqual(Object.fromEntries(Object.entries(spec['x-amani-discrepancy-register']).map(([id, e]) => [id, e.topic])));
  });
});

describe('README: operations by evidence level', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The spec and its evidence levels'), readme.indexOf('\n## ', readme.indexOf('## The spec and its evidence levels') + 5));
  const block = section.slice(section.indexOf(TABLE_START), section.indexOf(TABLE_END));

  it('sits in the section on evidence levels', () => {
    expect(section.length).toBeGreaterThan(100);
    expect(block.length).toBeGreaterThan(1000);
  });

  it('lists every operation once, under its level, with the discrepancies that touch it', () => {
    const rows = block.split('\n').filter((line) => /^\| `/.test(line)).map((line) => line.split(' | '));
    const levels = rows.map((cells) => cells[0]!.replace(/^\| /, ''));
    // Grouped: documented first, then overview, then inferred.
    const order = ['`documented`', '`overview`', '`inferred`'];
    expect([...levels].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(levels);
    for (const op of pathOperations) {
      const matching = rows.filter((cells) => cells[1] === `\`${op.operationId}\``);
      expect(matching, op.operationId).toHaveLength(1);
      const [level, , sends, ids] = matching[0]!;
      expect(level).toBe(`| \`${raw(op)['x-amani-evidence']}\``);
      expect(sends).toBe(`\`${op.method.toUpperCase()} ${op.path}\``);
      expect(ids!.replace(/ \|$/, '')).toBe((raw(op)['x-amani-discrepancies'] ?? []).join(', ') || '-');
    }
    for (const op of webhookOperations) expect(block, op.path).toContain(`\`${op.path}\``);
    for (const id of Object.keys(spec['x-amani-discrepancy-register'])) expect(block).toContain(`${id} ${spec['x-amani-discrepancy-register'][id]!.topic}`);
  });

  it('is what `npm run generate` writes from the spec (run it after changing evidence)', () => {
    expect(`${block}${TABLE_END}`).toBe(evidenceTable(spec));
  });
});
