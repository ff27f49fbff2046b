import type { Command } from 'commander';
import { ConfigError } from '../../config/config.ts';
import { createOrg, listAllOrgs, setApiAccessListRequired } from '../../domain/orgs/org.service.ts';
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
    .requiredOption('--api-access-list-required <bool>', 'require every API credential to have an access list (true|false)')
    .action(async (flags: StoreFlags & { org: string; apiAccessListRequired: string }) => {
      if (!['true', 'false'].includes(flags.apiAccessListRequired)) throw new ConfigError('--api-access-list-required takes true or false');
      const required = flags.apiAccessListRequired === 'true';
      await withDeps(flags, (deps) => setApiAccessListRequired(deps.ctx, flags.org, required));
      printResult(Boolean(flags.json), { orgId: flags.org, apiAccessListRequired: required }, () => 'Saved.');
    });
  storeOptions(orgs.command('list')).action(async (flags: StoreFlags) => {
    const all = await withDeps(flags, (deps) => listAllOrgs(deps.ctx));
    const rows = all.map((o) => ({ id: o.id, name: o.name, created: atlasDate(o.createdAt) }));
    printResult(Boolean(flags.json), rows, () => rows.map((r) => `${r.id}  ${r.name}`).join('\n'));
  });
}
