import { atlasError } from '../../errors/atlas-error.ts';
import { isObjectId } from '../../lib/object-id.ts';
import * as repo from '../../storage/repositories/snapshots.repository.ts';
import { readWholeStore, replaceWholeStore } from '../../storage/whole-store.ts';
import { type InitResult, initStore } from '../bootstrap.ts';
import type { DomainContext } from '../context.ts';
import { applyFixtures } from '../fixtures/apply-fixtures.ts';
import type { FixtureChanges, Fixtures } from '../fixtures/fixtures.ts';

export interface SnapshotInfo {
  readonly id: string;
  readonly createdAt: Date;
}

/**
 * Reset, snapshots and restore (ADR 0011). Each is one transaction over every data table
 * (src/storage/snapshot-tables.ts): another request sees the store before it or after it, never in
 * between. Reset and restore move the store's generation, so every node's access cache forgets
 * what it held.
 */
export async function resetStore(
  ctx: DomainContext,
  fixtures: Fixtures | null,
): Promise<{ created: InitResult | null; fixtures: FixtureChanges | null }> {
  return replaceWholeStore(ctx.db, async (trx) => {
    const tx = { ...ctx, db: trx };
    await repo.clearDataTables(trx);
    const changes = fixtures && (await applyFixtures(tx, fixtures));
    const created = await initStore(tx);
    await repo.bumpStoreGeneration(trx);
    return { created, fixtures: changes };
  });
}

export async function saveSnapshot(ctx: DomainContext): Promise<SnapshotInfo> {
  return readWholeStore(ctx.db, async (trx) => {
    const snapshot = { id: ctx.ids.next(), createdAt: ctx.clock.now() };
    await repo.insertSnapshot(trx, { ...snapshot, copy: await repo.readDataTables(trx) });
    return snapshot;
  });
}

export function listSnapshots(ctx: DomainContext): Promise<SnapshotInfo[]> {
  return repo.listSnapshots(ctx.db);
}

export async function restoreSnapshot(ctx: DomainContext, id: string): Promise<SnapshotInfo> {
  if (!isObjectId(id)) throw atlasError('RESOURCE_NOT_FOUND', `snapshot ${id}`);
  return replaceWholeStore(ctx.db, async (trx) => {
    const copy = await repo.findSnapshotCopy(trx, id);
    if (!copy) throw atlasError('RESOURCE_NOT_FOUND', `snapshot ${id}`);
    await repo.clearDataTables(trx);
    await repo.writeDataTables(trx, copy);
    await repo.bumpStoreGeneration(trx);
    return (await repo.listSnapshots(trx)).find((s) => s.id === id) as SnapshotInfo;
  });
}

export async function deleteSnapshot(ctx: DomainContext, id: string): Promise<void> {
  if (!isObjectId(id) || !(await repo.deleteSnapshot(ctx.db, id)))
    throw atlasError('RESOURCE_NOT_FOUND', `snapshot ${id}`);
}
