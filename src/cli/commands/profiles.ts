// amani profiles create|get|update|status|url
import { Option, type Command } from 'commander';
import { GenderValues, ProfileStatusValues } from '../../../generated/constants.ts';
import { requireString, requireUuid } from '../../core/validate.ts';
import type { ProfileCreateRequest, ProfileStatus, ProfileUpdateRequest } from '../../types.ts';
import type { CliIo } from '../io.ts';
import { sendsHelp } from '../operation-help.ts';
import { callApi, checked, integer, pick, requireSome } from '../kit.ts';
import { formatRecord } from '../output.ts';

const PROFILE_FIELDS = [
  'id', 'id_card_number', 'name', 'email', 'phone', 'birthdate', 'gender', 'nationality', 'occupation', 'address',
  'status', 'verified_level', 'risk', 'aml_status', 'created_at', 'updated_at',
];

/** Option name (camelCase, as commander stores it) to API field. */
const FIELDS = { name: 'name', email: 'email', phone: 'phone', birthdate: 'birthdate', level: 'level', occupation: 'occupation', gender: 'gender' };
const ADDRESS = { city: 'city', province: 'province', street: 'address' };

function addProfileOptions(command: Command): Command {
  return command
    .option('--name <name>', 'full name, "first_name last_name"')
    .option('--email <email>', 'e-mail address')
    .option('--phone <phone>', 'phone number, e.g. 905321260000')
    .option('--birthdate <date>', 'date of birth, YYYY-MM-DD')
    .option('--level <n>', 'verification level (rule set) to apply', integer('--level', 0))
    .option('--occupation <text>', 'occupation')
    .addOption(new Option('--gender <gender>', 'gender').choices(GenderValues))
    .option('--city <city>', 'address: city')
    .option('--province <province>', 'address: province, state or region')
    .option('--street <street>', 'address: street address');
}

function profileBody(options: Record<string, unknown>): Record<string, unknown> {
  const address = pick(options, ADDRESS);
  return { ...pick(options, FIELDS), ...(Object.keys(address).length ? { address } : {}) };
}

const uuid = (field: string) => checked((value) => requireUuid(field, value));

export function registerProfiles(program: Command, io: CliIo): void {
  const profiles = program.command('profiles').description('create, read and update customer profiles');

  addProfileOptions(
    profiles
      .command('create')
      .description('get or create the profile of a customer by identity number (the existing one is returned when there is one)')
      .requiredOption('--id-card-number <number>', "the customer's identity number")
      .addHelpText('after', sendsHelp('createProfile')),
  ).action(async (options: Record<string, unknown>, command: Command) => {
    const body = { id_card_number: options.idCardNumber, ...profileBody(options) } as ProfileCreateRequest;
    await callApi(io, command, {
      progress: 'Creating the profile',
      request: (client) => client.profiles.create(body),
      table: (profile) => formatRecord(profile, PROFILE_FIELDS),
    });
  });

  profiles
    .command('get')
    .description('show a profile')
    .addHelpText('after', sendsHelp('getProfile'))
    .argument('<id>', 'profile id (uuid)', uuid('id'))
    .action(async (id: string, _options, command: Command) => {
      await callApi(io, command, {
        progress: 'Fetching the profile',
        request: (client) => client.profiles.get(id),
        table: (profile) => formatRecord(profile, PROFILE_FIELDS),
      });
    });

  addProfileOptions(
    profiles
      .command('update')
      .description('change profile fields; only the fields given are changed (at least one)')
      .argument('<id>', 'profile id (uuid)', uuid('id'))
      .option('--id-card-number <number>', "the customer's identity number")
      .addHelpText('after', sendsHelp('updateProfile')),
  ).action(async (id: string, options: Record<string, unknown>, command: Command) => {
    const body = requireSome(
      { ...pick(options, { idCardNumber: 'id_card_number' }), ...profileBody(options) },
      '--name, --email, --phone, --birthdate, --level, --occupation, --gender, --city, --province, --street, --id-card-number',
    ) as ProfileUpdateRequest;
    await callApi(io, command, {
      progress: 'Updating the profile',
      request: (client) => client.profiles.update(id, body),
      table: (profile) => formatRecord(profile, PROFILE_FIELDS),
    });
  });

  profiles
    .command('status')
    .description('set the review status of a profile')
    .addHelpText('after', sendsHelp('setProfileStatus'))
    .argument('<id>', 'profile id (uuid)', uuid('id'))
    .addArgument(profiles.createArgument('<status>', 'the new status').choices(ProfileStatusValues))
    .action(async (id: string, status: ProfileStatus, _options, command: Command) => {
      await callApi(io, command, {
        progress: 'Setting the profile status',
        request: (client) => client.profiles.setStatus(id, status),
        table: (result) => formatRecord(result),
      });
    });

  // Two subcommands rather than one command with either --profile or --pid: they are different
  // operations (one needs a user token and makes a link, the other needs none and reads one).
  const url = profiles.command('url').description('Web SDK verification links: `url create` makes one, `url resolve` reads one');
  url
    .command('create')
    .description('create a verification link (Web SDK) for a profile')
    .addHelpText('after', sendsHelp('createVerificationUrl'))
    .argument('<profile-id>', 'profile id (uuid)', uuid('profile_id'))
    .option('--language <code>', 'two-letter language of the Web SDK, e.g. en or tr')
    .option('--redirect-url <url>', 'where to send the customer when the flow ends')
    .action(async (profileId: string, options: Record<string, unknown>, command: Command) => {
      const body = { profile_id: profileId, ...pick(options, { language: 'language', redirectUrl: 'redirect_url' }) };
      await callApi(io, command, {
        progress: 'Creating the verification link',
        request: (client) => client.profiles.createVerificationUrl(body),
        table: (link) => formatRecord(link),
      });
    });
  url
    .command('resolve')
    .description("trade the pid of a verification link or QR code for its profile token (no login needed; the token is not printed)")
    .argument('<pid>', 'the pid query value of the link', checked((v) => requireString('pid', v)))
    .addHelpText('after', sendsHelp('resolveVerificationLink'))
    .action(async (pid: string, _options, command: Command) => {
      await callApi(io, command, {
        progress: 'Resolving the verification link',
        login: false,
        request: (client) => client.profiles.resolveVerificationLink(pid),
        table: (link) => formatRecord(link),
      });
    });
}
