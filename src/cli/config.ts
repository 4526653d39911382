// Where the CLI sends requests and as whom: flags first, then AMANI_* environment variables. The
// password never comes from a flag (it would land in shell history): AMANI_PASSWORD, or the first
// line of stdin with --password-stdin.
import { readAll, type CliIo } from './io.ts';
import { UsageError } from './errors.ts';

/** The options every command accepts (defined once, on the program). */
export interface GlobalOptions {
  region?: string;
  baseUrl?: string;
  mock?: boolean;
  insecureHttp?: boolean;
  username?: string;
  passwordStdin?: boolean;
  json?: boolean;
  timeout?: number;
}

/** `why`: what chose the mock (said in the notice), --mock or nothing configured at all. */
export type Target = { kind: 'api'; region?: string; baseUrl?: string } | { kind: 'embedded-mock'; why: 'flag' | 'unconfigured' };

const set = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value);

/**
 * The API to talk to. A flag for either region or base URL overrides both variables. The mock is
 * used only when asked for (--mock) or when nothing points at an account: credentials without a
 * region are a forgotten AMANI_REGION, and answering them from the mock ("Deleted document ...",
 * exit 0) would pretend a change was made on the real account.
 */
export function resolveTarget(options: GlobalOptions, env: CliIo['env']): Target {
  const fromFlags = set(options.region) !== undefined || set(options.baseUrl) !== undefined;
  const region = fromFlags ? set(options.region) : set(env.AMANI_REGION);
  const baseUrl = fromFlags ? set(options.baseUrl) : set(env.AMANI_BASE_URL);
  if (options.mock) {
    if (fromFlags) throw new UsageError('--mock runs against the embedded mock: drop --region/--base-url, or drop --mock to use the API');
    return { kind: 'embedded-mock', why: 'flag' };
  }
  if (region !== undefined || baseUrl !== undefined) {
    return { kind: 'api', ...(region !== undefined ? { region } : {}), ...(baseUrl !== undefined ? { baseUrl } : {}) };
  }
  const credentials = [
    ...(set(options.username) !== undefined ? ['--username'] : []),
    ...(options.passwordStdin ? ['--password-stdin'] : []),
    ...(['AMANI_USERNAME', 'AMANI_PASSWORD'] as const).filter((name) => set(env[name]) !== undefined),
  ];
  if (credentials.length) {
    throw new UsageError(
      `${credentials.join(' and ')} given but no API to send to: set AMANI_REGION (or --region, or AMANI_BASE_URL / --base-url), ` +
        'or pass --mock to run against the embedded mock',
    );
  }
  return { kind: 'embedded-mock', why: 'unconfigured' };
}

/** The company user's credentials for the real API; a UsageError naming what is missing. */
export async function resolveCredentials(options: GlobalOptions, io: CliIo): Promise<{ username: string; password: string }> {
  const username = set(options.username) ?? set(io.env.AMANI_USERNAME);
  let password: string | undefined;
  if (options.passwordStdin) {
    const text = new TextDecoder().decode(await readAll(io.stdin));
    password = set(text.split(/\r?\n/, 1)[0]);
    if (password === undefined) throw new UsageError('--password-stdin: stdin held no password (its first line is read)');
  } else {
    password = set(io.env.AMANI_PASSWORD);
  }
  const missing = [
    ...(username === undefined ? ['a username (--username or AMANI_USERNAME)'] : []),
    ...(password === undefined ? ['a password (AMANI_PASSWORD, or --password-stdin to read it from stdin)'] : []),
  ];
  if (missing.length) throw new UsageError(`this command logs in to Amani and needs ${missing.join(' and ')}`);
  return { username: username!, password: password! };
}
