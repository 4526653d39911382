// amani aml search|report
import type { Command } from 'commander';
import { requireUuid } from '../../core/validate.ts';
import type { AmlRecord, AmlReport } from '../../types.ts';
import type { CliIo } from '../io.ts';
import { sendsHelp } from '../operation-help.ts';
import { callApi, checked } from '../kit.ts';
import { formatList, formatRecord } from '../output.ts';

const RECORD_FIELDS = ['id', 'profile_id', 'status', 'provider', 'databases', 'match_count', 'overridden', 'created_at'];
type Match = NonNullable<AmlReport['matches']>[number];

const showRecord = (record: AmlRecord) => formatRecord(record, RECORD_FIELDS);
const showReport = (report: AmlReport) =>
  `${showRecord(report)}\nMatches:\n${formatList<Match>(report.matches ?? [], [
    ['name', (m) => m.name],
    ['score', (m) => m.score],
    ['categories', (m) => m.categories],
    ['sources', (m) => m.sources],
    ['countries', (m) => m.countries],
  ])}`;

export function registerAml(program: Command, io: CliIo): void {
  const aml = program.command('aml').description('anti-money-laundering screening (sanctions, PEP, adverse media)');

  aml
    .command('search')
    .description('screen a profile')
    .addHelpText('after', sendsHelp('searchAml'))
    .argument('<profile-id>', 'profile id (uuid)', checked((v) => requireUuid('profile', v)))
    .action(async (profile: string, _options, command: Command) => {
      await callApi(io, command, { progress: 'Screening the profile', request: (client) => client.aml.search(profile), table: showRecord });
    });

  aml
    .command('report')
    .description('show the full report of a screening, with its matches')
    .addHelpText('after', sendsHelp('getAmlReport'))
    .argument('<id>', 'screening id (uuid), from `aml search`', checked((v) => requireUuid('id', v)))
    .action(async (id: string, _options, command: Command) => {
      await callApi(io, command, { progress: 'Fetching the AML report', request: (client) => client.aml.report(id), table: showReport });
    });
}
