// TypeDoc plugin (typedoc.json `plugin`; `npm run docs` loads it through tsx). The spec is the one
// source of what a call sends and how well that is known, so the reference takes it from there
// instead of repeating it in comments that could drift: a method whose comment names its operation
// with `@operation <operationId>` gets, from generated/openapi.json,
// - a "Sends" block: HTTP method, path, operationId and the token it goes out with;
// - a "Throws" block with the error class each declared error status surfaces as (the class comes
//   from ApiError.from itself), and one with the failures any call can meet;
// - an "Evidence" block: the operation's `x-amani-evidence`, what that level means (the spec's own
//   words, from info.description) and the operation's `externalDocs` source.
// test/docs.test.ts checks that each method names the operation it really sends, over HTTP.
//
// Return types are converted from the annotation as written, so `Promise<Profile>` links to Profile
// (TypeDoc converts them from the checker's type, which spells out what an alias of an indexed
// access such as `type Profile = Schemas['Profile']` stands for, field by field).
//
// It also makes the README's links to example directories (`examples/webhook-receiver/`) land on
// those examples' pages (typedoc.json's projectDocuments), where TypeDoc would otherwise warn that
// a directory cannot be copied. Absolute links need nothing.
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import ts from 'typescript';
import {
  Application,
  CommentTag,
  Converter,
  normalizePath,
  ReflectionKind,
  type CommentDisplayPart,
  type Context,
  type ProjectReflection,
  type Reflection,
  type SignatureReflection,
} from 'typedoc';
import { ApiError } from '../src/errors.ts';
import { pathOperations, spec, type SpecOperation } from './lib/spec-operations.ts';

const OPERATION_TAG = '@operation';
const TOKENS: Record<string, string> = { userToken: 'a user token', profileToken: 'a profile token' };
/** Thrown by any call, whatever the spec declares: no answer, no usable answer, or a 5xx. */
const ANY_CALL = ['ServerError', 'RedirectError', 'ConnectionError', 'TimeoutError', 'RequestAbortedError', 'InvalidResponseError'];

const text = (value: string): CommentDisplayPart => ({ kind: 'text', text: value });
const code = (value: string): CommentDisplayPart => ({ kind: 'code', text: `\`${value}\`` });
// Resolved like a written {@link Name} by TypeDoc's link resolver, which runs after this plugin.
const link = (name: string): CommentDisplayPart => ({ kind: 'inline-tag', tag: '@link', text: name });

/** "documented" -> its meaning, from the spec's "Evidence levels" list ("* `level`: meaning"). */
function evidenceMeanings(): Map<string, string> {
  const meanings = new Map<string, string>();
  for (const match of (spec.info?.description ?? '').matchAll(/^\* `(\w+)`: ([\s\S]*?)(?=\n\* |\n\n|(?![\s\S]))/gm)) {
    meanings.set(match[1]!, match[2]!.replace(/\s+/g, ' ').trim());
  }
  for (const level of spec.info?.['x-amani-evidence-levels'] ?? []) {
    if (!meanings.has(level)) throw new Error(`info.description of the spec does not say what the evidence level ${level} means`);
  }
  return meanings;
}

function tokenPhrase(op: SpecOperation): string {
  const requirements = (op.raw.security as Array<Record<string, unknown>> | undefined) ?? spec.security ?? [];
  const alternatives = requirements.map((r) => Object.keys(r).map((scheme) => TOKENS[scheme] ?? scheme).join(' and ')).filter(Boolean);
  return alternatives.length ? `with ${alternatives.join(' or ')}` : 'without a token';
}

/** Error class name -> the declared statuses that surface as it, in the spec's order. */
function declaredErrors(op: SpecOperation): Map<string, string[]> {
  const byClass = new Map<string, string[]>();
  for (const status of Object.keys((op.raw.responses as object | undefined) ?? {})) {
    if (status.startsWith('2')) continue;
    if (!/^\d{3}$/.test(status)) throw new Error(`${op.operationId} declares the response ${status}: name each status`);
    const name = ApiError.from({ status: Number(status), method: op.method, path: op.path, body: undefined }).constructor.name;
    byClass.set(name, [...(byClass.get(name) ?? []), status]);
  }
  return byClass;
}

/** "A (400), B (401)": a link to each class, followed by its note. */
function classList(entries: Array<[name: string, note: string]>): CommentDisplayPart[] {
  return entries.flatMap(([name, note], i) => [...(i ? [text(', ')] : []), link(name), ...(note ? [text(note)] : [])]);
}

function throwsTags(op: SpecOperation): CommentTag[] {
  const declared = declaredErrors(op);
  const tags: CommentTag[] = [];
  if (declared.size) {
    const answers = classList([...declared].map(([name, statuses]) => [name, ` (${statuses.join(', ')})`]));
    tags.push(new CommentTag('@throws', [...answers, text(': the error answers the spec declares for this operation.')]));
  }
  const failures = classList(ANY_CALL.filter((name) => !declared.has(name)).map((name) => [name, '']));
  tags.push(new CommentTag('@throws', [...failures, text(': a 5xx after any retries, a redirect, no answer (connection, timeout, abort) or an unreadable one.')]));
  return tags;
}

interface Readme {
  path: string;
  /** The README's "Evidence levels" heading, slugged as TypeDoc does; undefined when it has none. */
  anchor: string | undefined;
}

function evidenceTag(op: SpecOperation, meanings: Map<string, string>, project: ProjectReflection, readme: Readme | undefined): CommentTag {
  const level = op.raw['x-amani-evidence'];
  if (typeof level !== 'string' || !meanings.has(level)) throw new Error(`${op.operationId} has no known x-amani-evidence (${String(level)})`);
  const parts = [code(level), text(`: ${meanings.get(level)}`)];
  const source = op.raw.externalDocs as { description?: string; url: string } | undefined;
  if (source) parts.push(text(` Source: [${source.description ?? source.url}](${source.url}).`));
  if (readme?.anchor) {
    const { target } = project.files.registerAbsolute(normalizePath(readme.path));
    parts.push(text(' See the README on [evidence levels]('), { kind: 'relative-link', text: 'README.md', target, targetAnchor: readme.anchor }, text(').'));
  }
  return new CommentTag('@evidence', parts);
}

function describeOperations(project: ProjectReflection, readme: Readme | undefined, report: (message: string) => void): void {
  const operations = new Map(pathOperations.map((op) => [op.operationId, op]));
  const meanings = evidenceMeanings();
  for (const reflection of Object.values(project.reflections) as Reflection[]) {
    const comment = reflection.comment;
    const tag = comment?.getTag(OPERATION_TAG);
    if (!comment || !tag) continue;
    const operationId = tag.content.map((part) => part.text).join('').trim();
    const op = operations.get(operationId);
    if (!op) {
      report(`${reflection.getFriendlyFullName()}: @operation ${operationId} is not an operationId of the spec`);
      continue;
    }
    const sends = new CommentTag('@sends', [code(`${op.method.toUpperCase()} ${op.path}`), text(' (operationId '), code(operationId), text(`), ${tokenPhrase(op)}.`)]);
    const written = comment.blockTags.filter((t) => t.tag !== OPERATION_TAG);
    comment.blockTags = [sends, ...written, ...throwsTags(op), evidenceTag(op, meanings, project, readme)];
  }
}

/** Each directory a project document is the README of resolves to it, and names it. */
function linkReadmeDirectories(project: ProjectReflection): void {
  for (const document of project.getReflectionsByKind(ReflectionKind.Document)) {
    const path = project.files.getReflectionPath(document);
    if (!path || basename(path) !== 'README.md') continue;
    document.name = document.name.replace(/\/README$/, '');
    // A link keeps the trailing slash it was written with: `examples/webhook-receiver/`.
    for (const dir of [dirname(path), `${dirname(path)}/`]) project.files.registerReflectionPath(normalizePath(dir), document);
  }
}

function readReadme(app: Application): Readme | undefined {
  const path = app.options.getValue('readme');
  if (!path || path.endsWith('none')) return undefined;
  // The heading that explains the levels ("The spec and its evidence levels"), slugged as TypeDoc's
  // Slugger does for these plain words. A README without one fails the build: every method's
  // evidence line links there.
  const heading = /^#+ ([^\n`]*\bevidence levels)\s*$/im.exec(readFileSync(path, 'utf8'));
  if (!heading) throw new Error(`${path} has no heading about evidence levels for the methods' evidence lines to link to`);
  return { path, anchor: heading[1]!.trim().toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-') };
}

export function load(app: Application): void {
  app.on(Application.EVENT_BOOTSTRAP_END, () => {
    const tags = app.options.getValue('blockTags');
    if (!tags.includes(OPERATION_TAG)) app.options.setValue('blockTags', [...tags, OPERATION_TAG]);
  });
  app.converter.on(Converter.EVENT_CREATE_SIGNATURE, (context: Context, signature: SignatureReflection, declaration?: ts.Node) => {
    const written = declaration && ts.isFunctionLike(declaration) ? declaration.type : undefined;
    if (!written || ts.isTypePredicateNode(written) || written.kind === ts.SyntaxKind.ThisType) return;
    signature.type = context.converter.convertType(context.withScope(signature), written);
  });
  // After TypeDoc's own resolve-begin work (the README is parsed there), before links are resolved.
  app.converter.on(
    Converter.EVENT_RESOLVE_BEGIN,
    (context: Context) => {
      linkReadmeDirectories(context.project);
      describeOperations(context.project, readReadme(app), (message) => app.logger.error(message));
    },
    -100,
  );
}
