// The `amani` command line: one commander program per run (commander keeps parsed values on the
// command objects), its output routed through the injected io, and every failure turned into an
// exit code by report(): 0 success, 1 API/runtime error, 2 usage error.
import { Command, Option } from 'commander';
import { regions } from '../core/base-url.ts';
import { registerAml } from './commands/aml.ts';
import { registerConformance } from './commands/conformance.ts';
import { registerDocuments } from './commands/documents.ts';
import { registerIpWhitelist } from './commands/ip-whitelist.ts';
import { registerLogin } from './commands/login.ts';
import { registerMock } from './commands/mock.ts';
import { registerProfiles } from './commands/profiles.ts';
import { registerWebhooks } from './commands/webhooks.ts';
import { report } from './errors.ts';
import type { CliIo } from './io.ts';
import { integer } from './kit.ts';

const ENVIRONMENT_HELP = `
Configuration (flags override the environment):
  AMANI_REGION, AMANI_BASE_URL   the API to use. Credentials without either are a usage error;
                                 with nothing configured (or --mock), commands run against an
                                 embedded mock (Prism, started for the command) and every output
                                 says (mock)
  AMANI_USERNAME                 the company user (or --username)
  AMANI_PASSWORD                 its password; never a flag (shell history): or --password-stdin
  AMANI_WEBHOOK_SECRET           the secret for \`webhooks verify\` and \`webhooks trigger\` (or --secret)
  AMANI_DEBUG=1                  print stack traces with errors

Output: tables by default, --json for scripts. Tokens and secrets are [redacted] (only
\`webhooks secret --reveal\` prints one).
Exit codes: 0 success, 1 API or runtime error, 2 usage error (bad flag, argument or input).
Each API command's --help ends with the operation it sends, its evidence level (documented,
overview or inferred: how well Amani's own sources show it), the source and the discrepancies
between sources that touch it.`;

export function buildProgram(io: CliIo): Command {
  const program = new Command('amani')
    .description('Command line for the Amani identity-verification (KYC) API')
    // Set before adding subcommands: commander copies these settings into each one.
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .showHelpAfterError('(add --help for usage)')
    .addOption(new Option('--region <region>', 'Amani region').choices(regions))
    .option('--base-url <url>', 'API base URL (overrides --region), e.g. https://eu.amani.ai')
    .option('--mock', "run against the embedded mock (Prism, the spec's examples), even with credentials set")
    .option('--insecure-http', 'TEST ONLY: allow a plain http base URL to a host other than this machine (tokens travel unencrypted)')
    .option('--username <user>', 'company user to log in as (password: AMANI_PASSWORD or --password-stdin)')
    .option('--password-stdin', 'read the password from the first line of stdin')
    .option('--json', 'print the API result as JSON instead of a table')
    .option('--timeout <ms>', 'per-attempt request timeout in milliseconds (default 60000)', integer('--timeout', 1))
    .addHelpText('after', ENVIRONMENT_HELP);
  registerLogin(program, io);
  registerProfiles(program, io);
  registerDocuments(program, io);
  registerAml(program, io);
  registerWebhooks(program, io);
  registerIpWhitelist(program, io);
  registerMock(program, io);
  registerConformance(program, io);
  return program;
}

/** Runs one command line (without the node and script arguments) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    const { code, message } = report(error, io.env.AMANI_DEBUG === '1');
    if (message) io.stderr.write(message);
    return code;
  }
}
