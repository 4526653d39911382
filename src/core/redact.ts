// Secrets must never leave the client in an error, a log line or inspect output. Anything that
// copies server- or caller-provided data into such places goes through here.

const SECRET_KEYS = /^(access|refresh|password|token|secret|access_token|refresh_token|authorization|profile_token|webhook_secret)$/i;

export const REDACTED = '[redacted]';

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

/** The URL's path with every query value replaced: query strings can carry link ids (`pid`). */
export function redactUrl(url: URL): string {
  if (!url.search) return url.pathname;
  const keys = [...url.searchParams.keys()].map((key) => `${encodeURIComponent(key)}=${REDACTED}`);
  return `${url.pathname}?${keys.join('&')}`;
}

/** The symbol Node's util.inspect looks for; using it needs no `node:` import. */
export const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');
