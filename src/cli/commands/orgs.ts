import type { Command } from 'commander';
import { ConfigError } from '../../config/config.ts';
import {
  createOrg,
  listAllOrgs,
  setApiAccessListRequired,
  setUsersApiShowsProjectInvitees,
} from '../../domain/orgs/org.service.ts';
import { atlasDate } from '../../lib/dates.ts';
import { printResult, storeOptions } from '../options.ts';
import { type StoreFlags, withDeps } from '../with-deps.ts';

export function registerOrgs(program: Command): void {
  const orgs = program.command('orgs').description('organizations');
  storeOptions(orgs.command('create'))
    .requiredOption('--name <name>', 'organization name')
    .action(async (flags: StoreFlags & { name: string }) => {
      const org = await withDeps(flags, (deps) => createOrg(deps.ctx, flags.name));
      printResult(Boolean(flags.json), { id: org.id, name: org.name }, () => org.id);
    });
  storeOptions(orgs.command('settings'))
    .description('organization settings')
    .requiredOption('--org <orgId>', 'organization id')
    .option('--api-access-list-required <bool>', 'require every API credential to have an access list (true|false)')
    .option(
      '--users-api-shows-project-invitees <bool>',
      "show the deprecated project invitations' invitees in the users API (true|false)",
    )
    .action(
      async (
        flags: StoreFlags & { org: string; apiAccessListRequired?: string; usersApiShowsProjectInvitees?: string },
      ) => {
        const bool = (name: string, value: string | undefined) => {
          if (value === undefined) return undefined;
          if (value !== 'true' && value !== 'false') throw new ConfigError(`--${name} takes true or false`);
          return value === 'true';
        };
        const accessList = bool('api-access-list-required', flags.apiAccessListRequired);
        const invitees = bool('users-api-shows-project-invitees', flags.usersApiShowsProjectInvitees);
        if (accessList === undefined && invitees === undefined) throw new ConfigError('give at least one setting');
        await withDeps(flags, async (deps) => {
          if (accessList !== undefined) await setApiAccessListRequired(deps.ctx, flags.org, accessList);
          if (invitees !== undefined) await setUsersApiShowsProjectInvitees(deps.ctx, flags.org, invitees);
        });
        const out = {
          orgId: flags.org,
          ...(accessList === undefined ? {} : { apiAccessListRequired: accessList }),
          ...(invitees === undefined ? {} : { usersApiShowsProjectInvitees: invitees }),
        };
        printResult(Boolean(flags.json), out, () => 'Saved.');
      },
    );
  storeOptions(orgs.command('list')).action(async (flags: StoreFlags) => {
    const all = await withDeps(flags, (deps) => listAllOrgs(deps.ctx));
    const rows = all.map((o) => ({ id: o.id, name: o.name, created: atlasDate(o.createdAt) }));
    printResult(Boolean(flags.json), rows, () => rows.map((r) => `${r.id}  ${r.name}`).join('\n'));
  });
}
