import type { Command } from 'commander';
import { ConfigError } from '../../config/config.ts';
import { seed, seedPlan } from '../../domain/seed/seed.service.ts';
import { analyzeStore, tuneForBulkLoad } from '../../storage/database.ts';
import { printResult, storeOptions } from '../options.ts';
import { type StoreFlags, withDeps } from '../with-deps.ts';

interface SeedFlags extends StoreFlags {
  invitations: string;
  projects?: string;
  orgs?: string;
  members: string;
  membersOrg?: string;
  progress: boolean;
}

function count(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isSafeInteger(n) || n < 0)
    throw new ConfigError(`--${name} takes a whole number ≥ 0 (e.g. 1000000 or 1e6)`);
  return n;
}

/** A bar on stderr: redrawn in place on a terminal, a line per tenth otherwise. */
function progressBar(label: string): (done: number, total: number) => void {
  const started = performance.now();
  const tty = Boolean(process.stderr.isTTY);
  let lastDraw = 0;
  let lastTenth = -1;
  return (done, total) => {
    const now = performance.now();
    const fraction = total === 0 ? 1 : done / total;
    const tenth = Math.floor(fraction * 10);
    if (tty ? now - lastDraw < 100 && done < total : tenth === lastTenth) return;
    lastDraw = now;
    lastTenth = tenth;
    const seconds = (now - started) / 1000;
    const rate = seconds > 0 ? Math.round(done / seconds) : 0;
    const width = 30;
    const bar = '#'.repeat(Math.round(fraction * width)).padEnd(width, '.');
    const line = `${label} [${bar}] ${(fraction * 100).toFixed(0).padStart(3)}% ${done}/${total} ${seconds.toFixed(1)}s ${rate}/s`;
    process.stderr.write(tty ? `\r${line}${done >= total ? '\n' : ''}` : `${line}\n`);
  };
}

export function registerSeed(program: Command): void {
  storeOptions(program.command('seed'))
    .description(
      'bulk-load invitations (with their users, org invitations and events) and organization members, for scale tests',
    )
    .option('--invitations <n>', 'project invitations to add', '0')
    .option('--projects <n>', 'projects to spread them over (default: one per 100 invitations)')
    .option('--orgs <n>', 'organizations to spread the projects over (default: one per 10 projects)')
    .option('--members <n>', 'members to add to one organization', '0')
    .option('--members-org <orgId>', 'the organization that gets the members (default: a new one)')
    .option('--no-progress', 'no progress bar on stderr')
    .action(async (flags: SeedFlags) => {
      const options = {
        invitations: count('invitations', flags.invitations) ?? 0,
        projects: count('projects', flags.projects),
        orgs: count('orgs', flags.orgs),
        members: count('members', flags.members) ?? 0,
        membersOrgId: flags.membersOrg,
      };
      const plan = seedPlan(options);
      const label = `seeding ${options.invitations} invitations (${plan.projects} projects, ${plan.orgs} orgs), ${options.members} members`;
      const started = performance.now();
      const result = await withDeps(flags, async (deps) => {
        await tuneForBulkLoad(deps.database);
        const seeded = await seed(deps.ctx, options, flags.progress ? progressBar(label) : undefined);
        await analyzeStore(deps.database);
        return seeded;
      });
      const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
      printResult(Boolean(flags.json), { ...result, seconds }, () =>
        [
          `Seeded ${result.invitations} invitations in ${result.projects} projects of ${result.orgs} organizations and ${result.members} members in ${seconds}s.`,
          ...(result.firstOrgId
            ? [`first organization ${result.firstOrgId}, first project ${result.firstProjectId}`]
            : []),
          ...(result.membersOrgId ? [`members in organization ${result.membersOrgId}`] : []),
        ].join('\n'),
      );
    });
}
