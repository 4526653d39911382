// amani login: checks the credentials and shows who they belong to.
import type { Command } from 'commander';
import type { LoginUser } from '../../types.ts';
import type { CliIo } from '../io.ts';
import { sendsHelp } from '../operation-help.ts';
import { callApi } from '../kit.ts';
import { formatRecord } from '../output.ts';

const showUser = (user: LoginUser) =>
  formatRecord({ ...user, groups: user.groups?.map((group) => group.name) }, ['id', 'username', 'first_name', 'last_name', 'company_id', 'groups', 'permissions']);

export function registerLogin(program: Command, io: CliIo): void {
  program
    .command('login')
    .description('log in with the configured credentials and show the user (never the tokens)')
    .addHelpText('after', sendsHelp('login'))
    .action(async (_options, command: Command) => {
      await callApi(io, command, { progress: 'Logging in', request: (client) => client.auth.login(), table: showUser });
    });
}
