// How failures become exit codes: 2 for anything the user typed wrong (fixable by changing the
// command), 1 for everything that went wrong while running it (the API, the network, the mock).
import { CommanderError } from 'commander';
import { AmaniError, ApiError, InvalidInputError, WebhookSignatureError } from '../errors.ts';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A problem with the command line or configuration, found by the CLI itself. */
export class UsageError extends Error {}

/** A runtime failure outside the client (e.g. the embedded mock cannot start). */
export class CliError extends Error {}

export interface Reported {
  code: number;
  /** What to print on stderr, or undefined when commander has already printed it. */
  message?: string;
}

/** The exit code and message for a thrown value. Stack traces only with AMANI_DEBUG=1. */
export function report(error: unknown, debug: boolean): Reported {
  if (error instanceof CommanderError) {
    // Commander printed its own message (or the help) already.
    const ok = error.code === 'commander.helpDisplayed' || error.code === 'commander.version';
    return { code: ok ? EXIT_OK : EXIT_USAGE };
  }
  const message = (text: string) => `error: ${text}${debug && error instanceof Error && error.stack ? `\n${error.stack}` : ''}\n`;
  if (error instanceof UsageError || error instanceof InvalidInputError) {
    return { code: EXIT_USAGE, message: message(`${error.message}\n(add --help for usage)`) };
  }
  if (error instanceof WebhookSignatureError) {
    return { code: EXIT_FAILURE, message: message(`the delivery did not verify (${error.reason}): ${error.message}`) };
  }
  if (error instanceof ApiError) {
    // The message names the first few invalid fields; every one, by its dotted path, on a line of its own.
    const fields = Object.entries(error.fieldErrors).map(([path, messages]) => `\n  ${path}: ${messages.join(' ')}`);
    return { code: EXIT_FAILURE, message: message(error.message + fields.join('')) };
  }
  if (error instanceof AmaniError || error instanceof CliError) return { code: EXIT_FAILURE, message: message(error.message) };
  const text = error instanceof Error ? error.message : String(error);
  return { code: EXIT_FAILURE, message: message(`unexpected failure: ${text}${debug ? '' : ' (set AMANI_DEBUG=1 for details)'}`) };
}
