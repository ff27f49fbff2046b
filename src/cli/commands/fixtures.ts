import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError } from '../../config/config.ts';
import { applyFixtures } from '../../domain/fixtures/apply-fixtures.ts';
import { parseFixtures } from '../../domain/fixtures/fixture-file.ts';
import type { FixtureChanges, Fixtures } from '../../domain/fixtures/fixtures.ts';
import { printResult, storeOptions } from '../options.ts';
import { type StoreFlags, withDeps } from '../with-deps.ts';

/** Reads and checks a fixture file (YAML or JSON); every problem is reported with its path in the file. */
export function loadFixtureFile(file: string): Fixtures {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `cannot read the fixture file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return parseFixtures(text);
}

export function describeChanges(changes: FixtureChanges): string {
  const lines = Object.entries(changes).map(
    ([t, c]) => `  ${t}: ${c.added} added, ${c.changed} changed, ${c.removed} removed`,
  );
  return lines.length ? `Changes:\n${lines.join('\n')}` : 'No changes: the store already holds what the file declares.';
}

export function registerFixtures(program: Command): void {
  const fixtures = program
    .command('fixtures')
    .description('declared orgs, projects, credentials, members and invitations (ADR 0011)');
  storeOptions(fixtures.command('apply <file>'))
    .description('make the store hold what a YAML or JSON fixture file declares (all or nothing; again = no change)')
    .action(async (file: string, flags: StoreFlags) => {
      const declared = loadFixtureFile(file);
      const changes = await withDeps(flags, (deps) => applyFixtures(deps.ctx, declared));
      printResult(Boolean(flags.json), { changed: Object.keys(changes).length > 0, changes }, () =>
        describeChanges(changes),
      );
    });
}
