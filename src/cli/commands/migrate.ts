import type { Command } from 'commander';
import { storeOptions } from '../options.ts';
import { type StoreFlags, withDeps } from '../with-deps.ts';

export function registerMigrate(program: Command): void {
  storeOptions(program.command('migrate'))
    .description('bring the store schema up to date (serve also does this at start)')
    .action(async (flags: StoreFlags) => {
      await withDeps(flags, async () => undefined);
      process.stdout.write(flags.json ? '{"migrated":true}\n' : 'Store is up to date.\n');
    });
}
