import { type Command, Option } from 'commander';
import { ConfigError } from '../../config/config.ts';
import { addConsoleMember, resetConsolePassword } from '../../domain/console/console-members.ts';
import { generatePassword } from '../../domain/console/passwords.ts';
import { list, printResult, storeOptions } from '../options.ts';
import { type StoreFlags, withDeps } from '../with-deps.ts';

interface UserFlags extends StoreFlags {
  org?: string;
  roles: string;
  password?: string;
}

/**
 * `console-user add EMAIL --org ID [--roles ORG_OWNER,…] [--password P]` and
 * `console-user reset-password EMAIL [--password P]`: web console accounts for people. Without
 * `--password` one is generated and printed once.
 */
export function registerConsoleUser(program: Command): void {
  const cmd = program.command('console-user').description('web console accounts (people who sign in with a password)');
  storeOptions(cmd.command('add <email>'))
    .description('make a console account, a member of the organization with the given roles')
    .requiredOption('--org <orgId>', 'the organization they join')
    .option('--roles <list>', 'organization roles, comma-separated', 'ORG_MEMBER')
    .addOption(passwordOption('their password (default: generated, printed once)'))
    .action(async (email: string, flags: UserFlags) => {
      const password = passwordOf(flags);
      const added = await withDeps(flags, (deps) =>
        addConsoleMember(deps.ctx, { orgId: flags.org as string, email, password, orgRoles: list(flags.roles) }),
      );
      const out = {
        email,
        userId: added.userId,
        orgId: flags.org,
        joined: added.joined,
        ...(flags.password ? {} : { password }),
      };
      printResult(
        Boolean(flags.json),
        out,
        () =>
          `Console account ${email} (${added.joined ? 'joined' : 'already a member of'} ${flags.org})${'password' in out ? `\nPassword ${password}  (shown once)` : ''}`,
      );
    });
  storeOptions(cmd.command('reset-password <email>'))
    .description('a new password for a console account (signs it out everywhere, lifts a lockout)')
    .addOption(passwordOption('the new password (default: generated, printed once)'))
    .action(async (email: string, flags: UserFlags) => {
      const password = passwordOf(flags);
      await withDeps(flags, (deps) => resetConsolePassword(deps.ctx, email, password));
      const generated = !flags.password;
      printResult(
        Boolean(flags.json),
        { email, ...(generated ? { password } : {}) },
        () => `Password reset for ${email}${generated ? `\nPassword ${password}  (shown once)` : ''}`,
      );
    });
}

/** `--password`, or CLOUD_INVITES_CONSOLE_PASSWORD to keep it off the command line. */
const passwordOption = (help: string) =>
  new Option('--password <password>', help).env('CLOUD_INVITES_CONSOLE_PASSWORD');

function passwordOf(flags: UserFlags): string {
  if (flags.password === '') throw new ConfigError('--password must not be empty');
  return flags.password ?? generatePassword();
}
