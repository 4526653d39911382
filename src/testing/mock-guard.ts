// Keeps one odd request from killing the mock. Prism 5.14's multipart parser and its Content-Type
// parsers throw, outside any handler, on some input: a file part without Content-Type, a part
// without a name, an unquoted filename, a form field name with a broken %-escape (these end the
// Prism process for the rest of the suite), a
// Content-Type that is no MIME type or has an empty parameter (these answer 500). The mock's front
// (mock-front.ts) checks first, with Prism's own parsers where they are reachable (loaded from the
// Prism that runs, so the oracle is exact), and answers such a body itself with the 400 Django REST
// Framework gives for a body it cannot parse.
import type { IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Prism's own parsers, the ones that throw: the exact oracle for what would crash it. */
type Either = { _tag: 'Left' } | { _tag: 'Right'; right: Record<string, string> };
interface PrismParsers {
  parseMIMEHeader(header: string): [string | undefined, string];
  parseMultipartFormDataParams(body: string, boundary: string | undefined): Either;
  splitUriParams(body: string): Either;
  decodeUriEntities(params: Record<string, string>, mediaType: string): unknown;
}

let parsers: PrismParsers | null | undefined;

/** Loaded from the Prism that runs (a dependency of @stoplight/prism-cli); null if it moved. */
function prismParsers(prismEntry: string): PrismParsers | null {
  if (parsers !== undefined) return parsers;
  try {
    const fromPrism = createRequire(require.resolve('@stoplight/prism-http/package.json', { paths: [prismEntry] }));
    const found = {
      ...(fromPrism('./dist/validator/validators/body.js') as object),
      ...(fromPrism('./dist/validator/validators/headers.js') as object),
    } as Record<keyof PrismParsers, unknown>;
    const names = ['parseMIMEHeader', 'parseMultipartFormDataParams', 'splitUriParams', 'decodeUriEntities'] as const;
    parsers = names.every((name) => typeof found[name] === 'function') ? (found as PrismParsers) : null;
  } catch {
    parsers = null;
  }
  return parsers;
}

// RFC 7231 media type, as the `content-type` parser bundled in Prism's HTTP server (micri) reads
// every Content-Type of a request with a body: it throws on anything else.
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED = '"(?:[\\u000b\\u0020\\u0021\\u0023-\\u005b\\u005d-\\u007e\\u0080-\\u00ff]|\\\\[\\u000b\\u0020-\\u00ff])*"';
const MEDIA_TYPE = new RegExp(`^\\s*${TOKEN}/${TOKEN}\\s*(?:; *${TOKEN} *= *(?:${TOKEN}|${QUOTED}) *)*$`);

/** Why Prism cannot take this body without crashing, or undefined when it can. */
export function unparseable(headers: IncomingHttpHeaders, body: Buffer, prismEntry: string): string | undefined {
  const type = headers['content-type'];
  const found = prismParsers(prismEntry);
  if (!type) return undefined;
  if (!MEDIA_TYPE.test(type)) {
    return `Unsupported media type "${type.slice(0, 80)}" in request.`;
  }
  if (!found) return undefined;
  let boundary: string | undefined;
  let mediaType: string;
  try {
    [boundary, mediaType] = found.parseMIMEHeader(type);
  } catch {
    return `Unsupported media type "${type.slice(0, 80)}" in request.`;
  }
  const multipart = mediaType === 'multipart/form-data';
  if ((!multipart && mediaType !== 'application/x-www-form-urlencoded') || body.length === 0) return undefined;
  try {
    // Prism's own steps for a form body: read as UTF-8 text (micri's text()), split into fields,
    // then %-decode the names and values.
    const text = body.toString('utf8');
    const fields = multipart ? found.parseMultipartFormDataParams(text, boundary) : found.splitUriParams(text);
    if (fields._tag === 'Right') found.decodeUriEntities(fields.right, mediaType);
  } catch (error) {
    return `${multipart ? 'Multipart form' : 'Form'} parse error - ${(error as Error).message}`;
  }
  return undefined;
}

