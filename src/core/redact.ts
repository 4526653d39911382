// Secrets must never leave the client in an error, a log line or inspect output. Anything that
// copies server- or caller-provided data into such places goes through here.

const SECRET_KEYS = /^(access|refresh|password|token|secret|access_token|refresh_token|authorization|profile_token|webhook_secret)$/i;

const REDACTED = '[redacted]';

/**
 * A deep copy of JSON-like data with the string values of secret-named keys replaced. Lists under
 * such keys are kept: they are validation messages about the field (`{"password": ["This field is
 * required."]}`), not the secret.
 */
export function redactSecrets<T>(value: T, depth = 0): T {
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    out[key] = SECRET_KEYS.test(key) && typeof item === 'string' ? REDACTED : redactSecrets(item, depth + 1);
  }
  return out as T;
}

/**
 * The body text with every occurrence of the secrets replaced. A JSON body is scrubbed once
 * parsed, every string in it, so no escaping (`\u00f6`, `\u0026`, `\/`) hides a secret, then
 * written again, plainly, and searched once more (for keys); other text is searched as it is.
 */
export function scrubSecrets(text: string, secrets: Array<string | undefined | Array<string | undefined>>): string {
  // Tokens come before a password, so a token is replaced whole before anything shorter that
  // might be found inside it. Each secret also as it reads inside a JSON string (quotes and
  // backslashes escaped), and that first: in JSON text a bare quote or backslash is the JSON's.
  const found = secrets.flat().flatMap((s) => (s ? [JSON.stringify(s).slice(1, -1), s] : []));
  const clean = (value: string) =>
    found.reduce(
      (out, s) =>
        // A very short secret ("abc") replaced anywhere would mangle ordinary words: it is kept
        // inside a longer word, and replaced wherever it stands alone (a word, a whole value).
        out.split(s).reduce((done, part) => done + (s.length < 6 && /\w/.test(done.slice(-1) + part.slice(0, 1)) ? s : REDACTED) + part),
      value,
    );
  try {
    // (A secret that reads as JSON syntax, a password "1" or '"\\', can break the structure in
    // the second search: the error then carries the scrubbed text, not parsed JSON.)
    return clean(JSON.stringify(JSON.parse(text, (_key, value: unknown) => (typeof value === 'string' ? clean(value) : value))));
  } catch {
    return clean(text);
  }
}

/** The URL's path with every query value replaced: query strings can carry link ids (`pid`). */
export function redactUrl(url: URL): string {
  if (!url.search) return url.pathname;
  const keys = [...url.searchParams.keys()].map((key) => `${encodeURIComponent(key)}=${REDACTED}`);
  return `${url.pathname}?${keys.join('&')}`;
}

/** The symbol Node's util.inspect looks for; using it needs no `node:` import. */
export const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');
