import type { Command } from 'commander';
import { createProject, listAllProjects } from '../../domain/projects/project.service.ts';
import { printResult, storeOptions } from '../options.ts';
import { type StoreFlags, withDeps } from '../with-deps.ts';

export function registerProjects(program: Command): void {
  const projects = program.command('projects').description('projects (Atlas "groups")');
  storeOptions(projects.command('create'))
    .requiredOption('--org <orgId>', 'organization id')
    .requiredOption('--name <name>', 'project name')
    .action(async (flags: StoreFlags & { org: string; name: string }) => {
      const p = await withDeps(flags, (deps) => createProject(deps.ctx, null, { orgId: flags.org, name: flags.name }));
      printResult(Boolean(flags.json), { id: p.id, name: p.name, orgId: p.orgId }, () => p.id);
    });
  storeOptions(projects.command('list'))
    .option('--org <orgId>', 'only this organization')
    .action(async (flags: StoreFlags & { org?: string }) => {
      const all = await withDeps(flags, (deps) => listAllProjects(deps.ctx, flags.org));
      const rows = all.map((p) => ({ id: p.id, name: p.name, orgId: p.orgId }));
      printResult(Boolean(flags.json), rows, () => rows.map((r) => `${r.id}  ${r.orgId}  ${r.name}`).join('\n'));
    });
}
