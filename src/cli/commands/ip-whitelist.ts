// amani ip-whitelist list|add|remove
import type { Command } from 'commander';
import { isIpOrCidr, requireIpOrCidr } from '../../core/validate-address.ts';
import { isUuid, quote } from '../../core/validate.ts';
import { InvalidInputError } from '../../errors.ts';
import type { IpWhitelistEntry } from '../../types.ts';
import type { CliIo } from '../io.ts';
import { sendsHelp } from '../operation-help.ts';
import { callApi, checked } from '../kit.ts';
import { formatList, formatRecord } from '../output.ts';

const showEntry = (entry: IpWhitelistEntry) => formatRecord(entry, ['id', 'address', 'company_name']);

export function registerIpWhitelist(program: Command, io: CliIo): void {
  const whitelist = program
    .command('ip-whitelist')
    .description('the addresses allowed to call the API (once any entry exists, others are refused)');

  whitelist
    .command('list')
    .description('list the whitelisted addresses and ranges')
    .addHelpText('after', sendsHelp('listIpWhitelist'))
    .action(async (_options, command: Command) => {
      await callApi(io, command, {
        progress: 'Listing the IP whitelist',
        request: (client) => client.ipWhitelist.list(),
        table: (entries) =>
          formatList(entries, [
            ['id', (e) => e.id],
            ['address', (e) => e.address],
            ['company_name', (e) => e.company_name],
          ]),
      });
    });

  whitelist
    .command('add')
    .description('allow an IPv4/IPv6 address or CIDR range')
    .argument('<address>', 'e.g. 203.0.113.7, 203.0.113.0/24 or 2001:db8::/32', checked((v) => requireIpOrCidr('address', v)))
    .addHelpText('after', sendsHelp('addIpWhitelist'))
    .action(async (address: string, _options, command: Command) => {
      await callApi(io, command, { progress: 'Adding to the IP whitelist', request: (client) => client.ipWhitelist.add(address), table: showEntry });
    });

  whitelist
    .command('remove')
    .description('remove an entry, named by its address/CIDR (as listed) or its id')
    .argument(
      '<address-or-id>',
      'the address or CIDR as listed, or the entry id (uuid)',
      checked((v) => {
        // The same rule as ipWhitelist.remove, checked before connecting.
        if (!isUuid(v) && !isIpOrCidr(v)) throw new InvalidInputError('ip', `must be an address, a CIDR range or an entry id (uuid), got ${quote(v)}`);
        return v;
      }),
    )
    .addHelpText('after', sendsHelp('removeIpWhitelist'))
    .action(async (entry: string, _options, command: Command) => {
      await callApi(io, command, {
        progress: 'Removing from the IP whitelist',
        request: (client) => client.ipWhitelist.remove(entry),
        done: `Removed ${entry} from the IP whitelist`,
      });
    });
}
