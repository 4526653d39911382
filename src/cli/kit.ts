// What every API command does, written once: read the global options, connect (real API or the
// embedded mock), run the call with a progress indicator, print the result, and disconnect.
import { InvalidArgumentError, type Command } from 'commander';
import type { AmaniClient } from '../client.ts';
import { InvalidInputError } from '../errors.ts';
import type { GlobalOptions } from './config.ts';
import { UsageError } from './errors.ts';
import { connect, MOCK_NOTICE } from './connect.ts';
import type { CliIo } from './io.ts';
import { printResult } from './output.ts';
import { withProgress } from './progress.ts';

interface CallBase<T> {
  /** Shown next to the spinner (TTY only). */
  progress: string;
  /** false for operations that take no user token (no credentials needed). */
  login?: boolean;
  request: (client: AmaniClient) => Promise<T>;
}

/** A call whose answer is printed: as a table, or as JSON with --json. */
export interface ShowCall<T> extends CallBase<T> {
  table: (result: T) => string;
  /** Print secret-named fields as they are (only `webhooks secret --reveal` asks for this). */
  reveal?: boolean;
}

/** A call whose answer has no body (204): a confirmation line, and nothing with --json. */
export interface DoneCall extends CallBase<void> {
  done: string;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

export async function callApi<T>(io: CliIo, command: Command, call: ShowCall<T> | DoneCall): Promise<void> {
  const options = globalOptions(command);
  const connection = await connect(options, io, call.login !== false);
  try {
    const result = await withProgress(io.stderr, call.progress, (): Promise<unknown> => call.request(connection.client));
    // The notice is on stderr too; on stdout it stays out of --json so the result still parses.
    if (connection.mock && !options.json) io.stdout.write(`${MOCK_NOTICE}\n`);
    if ('done' in call) {
      if (!options.json) io.stdout.write(`${call.done}\n`);
    } else {
      printResult(io.stdout, options.json === true, result as T, call.table, !call.reveal);
    }
  } finally {
    await connection.close();
  }
}

/**
 * A commander argument parser from one of the client's input checks (core/validate.ts), so the
 * CLI refuses bad input with the client's own message before connecting to anything.
 */
export function checked<T>(check: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return check(value);
    } catch (error) {
      if (error instanceof InvalidInputError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}

/** A whole number in [min, max], for --timeout, --port and --level. */
export function integer(name: string, min: number, max?: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || (max !== undefined && n > max)) {
      throw new InvalidArgumentError(`${name} must be a whole number ${max === undefined ? `of at least ${min}` : `from ${min} to ${max}`}`);
    }
    return n;
  };
}

/** Refuses an update that would change nothing, naming the options that change something. */
export function requireSome(body: Record<string, unknown>, options: string): Record<string, unknown> {
  if (Object.keys(body).length === 0) throw new UsageError(`nothing to change: give at least one of ${options}`);
  return body;
}

/** Collects repeated `--flag Name=Value` options into an object. */
export function keyValue(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`expected NAME=VALUE, got ${JSON.stringify(value)}`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

/** Copies the options that were given, under their API names, leaving out the others. */
export function pick(options: Record<string, unknown>, names: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [option, field] of Object.entries(names)) if (options[option] !== undefined) out[field] = options[option];
  return out;
}
