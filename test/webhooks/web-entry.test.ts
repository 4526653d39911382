// src/webhooks/index.ts must run outside Node (Deno, Bun, edge runtimes, browsers): nothing it
// reaches, directly or transitively, may import a `node:` module, a Node builtin or any package,
// or use a Node-only global. Walks the real import graph with TypeScript's own import scanner.
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const entry = resolve(root, 'src/webhooks/index.ts');
const NODE_GLOBALS = new Set(['Buffer', 'process', 'require', '__dirname', '__filename', 'global', 'setImmediate']);

function resolveLocal(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.d.ts')];
  const found = candidates.find((c) => existsSync(c) && /\.tsx?$/.test(c));
  if (!found) throw new Error(`cannot resolve ${specifier} from ${relative(root, from)}`);
  return found;
}

/** Every file reachable from `start`, and every import that leaves the project. */
function walk(start: string) {
  const files = new Set<string>();
  const external: string[] = [];
  const pending = [start];
  while (pending.length) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (fileName.startsWith('.')) pending.push(resolveLocal(file, fileName));
      else external.push(`${relative(root, file)} imports ${fileName}`);
    }
  }
  return { files: [...files].map((f) => relative(root, f)).sort(), external };
}

/** Identifiers naming Node-only globals, outside property names (`x.process` is fine). */
function nodeGlobalsUsed(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(resolve(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const used: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text)) {
      const parent = node.parent;
      const isPropertyName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        ((ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isPropertyDeclaration(parent)) && parent.name === node);
      if (!isPropertyName) used.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${node.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return used;
}

describe('the Web-Crypto-only webhook entry', () => {
  const graph = walk(entry);

  it('reaches the webhook modules, the errors and the generated constants, and nothing outside the project', () => {
    expect(graph.files).toEqual(
      expect.arrayContaining(['src/webhooks/verify.ts', 'src/webhooks/fetch-handler.ts', 'src/errors.ts', 'generated/constants.ts']),
    );
    expect(graph.files).not.toContain('src/webhooks/node-handler.ts');
    expect(graph.external).toEqual([]);
  });

  it('imports no Node builtin, with or without the node: prefix', () => {
    // Belt and braces: `external` is already empty; this states the rule the entry exists for.
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const offending = graph.external.filter((line) => builtins.has(line.split(' imports ')[1]!));
    expect(offending).toEqual([]);
  });

  it('uses no Node-only global (Buffer, process, require, ...)', () => {
    expect(graph.files.filter((f) => !f.endsWith('.d.ts')).flatMap(nodeGlobalsUsed)).toEqual([]);
  });

  it('the check itself notices a node: import (the node receiver has one)', () => {
    expect(walk(resolve(root, 'src/webhooks/node-handler.ts')).external).toContain('src/webhooks/node-handler.ts imports node:http');
  });
});
