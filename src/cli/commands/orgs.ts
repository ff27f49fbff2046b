import type { Command } from 'commander';
import { createOrg, listAllOrgs } from '../../domain/orgs/org.service.ts';
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
  storeOptions(orgs.command('list')).action(async (flags: StoreFlags) => {
    const all = await withDeps(flags, (deps) => listAllOrgs(deps.ctx));
    const rows = all.map((o) => ({ id: o.id, name: o.name, created: atlasDate(o.createdAt) }));
    printResult(Boolean(flags.json), rows, () => rows.map((r) => `${r.id}  ${r.name}`).join('\n'));
  });
}
