import { type Command, Option } from 'commander';
import { ENV } from '../../config/config.ts';
import {
  deleteSnapshot,
  listSnapshots,
  resetStore,
  restoreSnapshot,
  saveSnapshot,
} from '../../domain/store/store-state.service.ts';
import { atlasDate } from '../../lib/dates.ts';
import { printResult, storeOptions } from '../options.ts';
import { type StoreFlags, withDeps } from '../with-deps.ts';
import { describeChanges, loadFixtureFile } from './fixtures.ts';

const view = (s: { id: string; createdAt: Date }) => ({ id: s.id, createdAt: atlasDate(s.createdAt) });

/** `cloud-invites reset` and `cloud-invites snapshot …`: the control plane's store routes, on the store directly. */
export function registerSnapshots(program: Command): void {
  storeOptions(program.command('reset'))
    .description('empty the store (snapshots are kept), then apply --fixtures or bootstrap it as a first start does')
    .addOption(
      new Option('--fixtures <file>', 'go back to this fixture file instead of a first start').env(ENV.fixtures),
    )
    .action(async (flags: StoreFlags & { fixtures?: string }) => {
      const declared = flags.fixtures ? loadFixtureFile(flags.fixtures) : null;
      const result = await withDeps(flags, async (deps) => {
        const { created, fixtures } = await resetStore(deps.ctx, declared);
        return created ? { ...created, controlToken: deps.controlToken } : { fixtures };
      });
      printResult(Boolean(flags.json), result, () =>
        'fixtures' in result
          ? `Reset to the fixtures. ${describeChanges(result.fixtures ?? {})}`
          : `Reset; first-start credentials:\n${JSON.stringify(result, null, 2)}`,
      );
    });

  const snapshot = program
    .command('snapshot')
    .description('copies of the whole store, kept in the store (any node can restore them)');
  storeOptions(snapshot.command('save'))
    .description('copy every data table')
    .action(async (flags: StoreFlags) => {
      const s = view(await withDeps(flags, (deps) => saveSnapshot(deps.ctx)));
      printResult(Boolean(flags.json), s, () => `Snapshot ${s.id} (${s.createdAt})`);
    });
  storeOptions(snapshot.command('list'))
    .description('the snapshots, oldest first')
    .action(async (flags: StoreFlags) => {
      const all = (await withDeps(flags, (deps) => listSnapshots(deps.ctx))).map(view);
      printResult(
        Boolean(flags.json),
        all,
        () => all.map((s) => `${s.id}  ${s.createdAt}`).join('\n') || 'No snapshots.',
      );
    });
  storeOptions(snapshot.command('restore <id>'))
    .description('put the store back as the snapshot holds it (one transaction)')
    .action(async (id: string, flags: StoreFlags) => {
      const s = view(await withDeps(flags, (deps) => restoreSnapshot(deps.ctx, id)));
      printResult(Boolean(flags.json), s, () => `Restored snapshot ${s.id} (${s.createdAt})`);
    });
  storeOptions(snapshot.command('delete <id>'))
    .description('forget a snapshot')
    .action(async (id: string, flags: StoreFlags) => {
      await withDeps(flags, (deps) => deleteSnapshot(deps.ctx, id));
      printResult(Boolean(flags.json), { deleted: id }, () => `Deleted snapshot ${id}`);
    });
}
