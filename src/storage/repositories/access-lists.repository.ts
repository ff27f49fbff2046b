import type { Kysely, Selectable } from 'kysely';
import type { AccessListEntry, AccessListOwner } from '../../domain/access-lists/access-list.ts';
import { instant, integer, optionalInstant } from '../codec.ts';
import type { AccessListEntriesTable, Database } from '../schema.ts';

type Executor = Kysely<Database>;

const toEntry = (row: Selectable<AccessListEntriesTable>): AccessListEntry => ({
  id: row.id,
  cidrBlock: row.cidr_block,
  createdAt: instant.decode(row.created_at),
  lastUsedAt: optionalInstant.decode(row.last_used_at),
  lastUsedAddress: row.last_used_address,
  requestCount: integer.decode(row.request_count),
});

export async function listAccessList(db: Executor, owner: AccessListOwner): Promise<AccessListEntry[]> {
  const rows = await db
    .selectFrom('access_list_entries')
    .selectAll()
    .where('owner_kind', '=', owner.kind)
    .where('owner_id', '=', owner.id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toEntry);
}

/** Adds the entry unless the owner has that CIDR block already. */
export async function addAccessListEntry(
  db: Executor,
  owner: AccessListOwner,
  id: string,
  cidrBlock: string,
  at: Date,
): Promise<void> {
  await db
    .insertInto('access_list_entries')
    .values({
      id,
      owner_kind: owner.kind,
      owner_id: owner.id,
      cidr_block: cidrBlock,
      created_at: instant.encode(at),
      last_used_at: null,
      last_used_address: null,
    })
    .onConflict((oc) => oc.columns(['owner_kind', 'owner_id', 'cidr_block']).doNothing())
    .execute();
}

export async function deleteAccessListEntry(db: Executor, owner: AccessListOwner, cidrBlock: string): Promise<boolean> {
  const r = await db
    .deleteFrom('access_list_entries')
    .where('owner_kind', '=', owner.kind)
    .where('owner_id', '=', owner.id)
    .where('cidr_block', '=', cidrBlock)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function deleteAccessListOf(db: Executor, owner: AccessListOwner): Promise<void> {
  await db
    .deleteFrom('access_list_entries')
    .where('owner_kind', '=', owner.kind)
    .where('owner_id', '=', owner.id)
    .execute();
}

export async function recordAccessListUse(db: Executor, entryId: string, address: string, at: Date): Promise<void> {
  await db
    .updateTable('access_list_entries')
    .set((eb) => ({
      last_used_at: instant.encode(at),
      last_used_address: address,
      request_count: eb('request_count', '+', 1),
    }))
    .where('id', '=', entryId)
    .execute();
}
