// amani conformance: runs the spec's operations against the configured account and reports every
// answer that is not what the spec declares (status, body, headers), as a table, JSON or markdown.
import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { requireUuid } from '../../core/validate.ts';
import { resolveTarget } from '../config.ts';
import { connect, MOCK_NOTICE } from '../connect.ts';
import { CliError, UsageError } from '../errors.ts';
import type { CliIo } from '../io.ts';
import { checked, globalOptions } from '../kit.ts';
import { modeOf, operationsFor, selectSteps, TEST_ID_CARD_NUMBER, WEBHOOK_URL, type Mode } from '../conformance/plan.ts';
import { conforms, formatJson, formatMarkdown, formatTable, Redactor, type Report } from '../conformance/report.ts';
import { runPlan } from '../conformance/run.ts';

interface ConformanceOptions {
  profile?: string;
  write?: boolean;
  only?: string[];
  report?: string;
  idCardNumber: string;
}

const ALL_MODES: ReadonlySet<Mode> = new Set(['read', 'profile', 'write']);
const FLAG: Record<Mode, string> = { read: '', profile: '--profile <id>', write: '--write' };

const HELP = `
By default only operations that change nothing are sent: login, refresh, the webhook event types,
endpoints and delivery logs, and the IP whitelist; with --profile, that profile, its documents and
its AML screening (whether a screening runs anew on each call is not documented).
--write (a sandbox only) also creates a webhook endpoint on ${WEBHOOK_URL}, a TEST-NET-3 whitelist
entry (203.0.113.x; only when the whitelist already has entries, as a first entry would lock out
every other address), a profile with --id-card-number and a 1x1 JPEG selfie, and removes all of it
but the profile (the API cannot delete profiles) at the end, also after a failure or Ctrl-C.
Each request is sent once (no retries, no redirects followed). Exit: 0 conforming, 1 drift, 2 usage.`;

/** --only's list, checked against the operations this run may send. */
function onlyList(value: string): string[] {
  const ids = value.split(',').map((id) => id.trim()).filter(Boolean);
  const valid = operationsFor(ALL_MODES);
  const unknown = ids.filter((id) => !valid.includes(id as never));
  if (unknown.length || ids.length === 0) {
    throw new UsageError(`--only: unknown operationId ${unknown.join(', ') || '(none given)'}; valid ones: ${valid.join(', ')}`);
  }
  return ids;
}

export function registerConformance(program: Command, io: CliIo): void {
  program
    .command('conformance')
    .description("check that the API answers as the spec says (status, body, headers) and report each difference")
    .option('--profile <id>', 'also read this profile, its documents and its AML record', checked((v) => requireUuid('--profile', v)))
    .option('--write', 'SANDBOX ONLY: also create test data (and remove it at the end)')
    .option('--only <operationIds>', 'comma-separated operationIds to check (others run only when these need them)', (v) => v)
    .option('--report <file>', 'also write the report as markdown, ready to paste into a bug report')
    .addOption(new Option('--id-card-number <number>', 'the test identity number of the profile --write creates').default(TEST_ID_CARD_NUMBER))
    .addHelpText('after', HELP)
    .action(async (raw: Omit<ConformanceOptions, 'only'> & { only?: string }, command: Command) => {
      const { only, ...rest } = raw;
      const options: ConformanceOptions = { ...rest, ...(only !== undefined ? { only: onlyList(only) } : {}) };
      await conformance(io, command, options);
    });
}

async function conformance(io: CliIo, command: Command, options: ConformanceOptions): Promise<void> {
  const global = globalOptions(command);
  // A check "against nothing configured" would check the mock and say the API conforms.
  const target = resolveTarget(global, io.env);
  if (target.kind === 'embedded-mock' && target.why === 'unconfigured') {
    throw new UsageError('conformance checks a real deployment: set AMANI_REGION or AMANI_BASE_URL (or --region / --base-url), or pass --mock to check the embedded mock');
  }
  const modes = new Set<Mode>(['read', ...(options.profile ? (['profile'] as const) : []), ...(options.write ? (['write'] as const) : [])]);
  const only = options.only && new Set(options.only);
  for (const id of only ?? []) {
    const mode = modeOf(id)!;
    if (!modes.has(mode)) throw new UsageError(`--only ${id} needs ${FLAG[mode]}`);
  }
  const shown = only ?? new Set<string>(operationsFor(modes));
  const redactor = new Redactor();
  for (const value of [global.username, io.env.AMANI_USERNAME, options.idCardNumber]) redactor.add(value);

  const connection = await connect(global, io, true, { maxRetries: 0 });
  let interrupted: NodeJS.Signals | undefined;
  // Stops after the call in flight (its answer says what it created), then removes what was made.
  const release = io.onInterrupt((signal) => (interrupted ??= signal));
  let report: Report;
  try {
    const { findings, cleanup } = await runPlan(
      connection.client,
      selectSteps(modes, only),
      { ...(options.profile ? { profile: options.profile } : {}), idCardNumber: options.idCardNumber, options: { maxRetries: 0 } },
      () => interrupted !== undefined,
      (body) => redactor.collect(body),
    );
    report = {
      target: connection.mock ? 'the embedded mock' : connection.client.baseUrl,
      findings: findings.filter((f) => shown.has(f.operationId)),
      cleanup,
      ...(interrupted ? { interrupted } : {}),
    };
  } finally {
    release();
    await connection.close();
  }
  if (connection.mock && !global.json) io.stdout.write(`${MOCK_NOTICE}\n`);
  io.stdout.write(global.json ? formatJson(report, redactor) : formatTable(report, redactor));
  if (options.report) await writeFile(options.report, formatMarkdown(report, redactor));
  if (interrupted) io.exit(interrupted === 'SIGINT' ? 130 : 143);
  if (!conforms(report)) {
    const bad = report.findings.filter((f) => f.outcome !== 'conforms' && f.outcome !== 'skipped').length;
    throw new CliError(`${bad} answer(s) differ from the spec${report.cleanup.left.length ? ', and test data was left behind' : ''} (see the report)`);
  }
}
