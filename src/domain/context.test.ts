import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { migrateToLatest, type OpenedDatabase, openDatabase } from '../storage/database.ts';
import { removeOrgMembership, upsertProjectMembership } from '../storage/repositories/memberships.repository.ts';
import { lockOrg } from '../storage/repositories/org-directory.repository.ts';
import { findOrg, insertOrg } from '../storage/repositories/orgs.repository.ts';
import { lockStore } from '../storage/repositories/store-locks.repository.ts';
import { type DomainContext, type TxContext, withTx } from './context.ts';

/**
 * Compile-time contract (checked by `tsc --noEmit`, never called): a step that needs a transaction
 * refuses the outer handle. Each `@ts-expect-error` fails the type check if the line compiles.
 */
export function transactionTypes(ctx: DomainContext): void {
  // @ts-expect-error a plain Kysely is not a transaction
  void lockOrg(ctx.db, 'o');
  // @ts-expect-error a plain Kysely is not a transaction
  void lockStore(ctx.db, 'bootstrap');
  // @ts-expect-error a plain Kysely is not a transaction
  void upsertProjectMembership(ctx.db, { projectId: 'p', userId: 'u', roles: [], joinedAt: new Date() });
  // @ts-expect-error a plain Kysely is not a transaction
  void removeOrgMembership(ctx.db, 'o', 'u');
  // @ts-expect-error the outer context is not a transaction's context
  const outer: TxContext = ctx;
  void outer;
  void withTx(ctx, async (ctx) => {
    await lockOrg(ctx.db, 'o');
    await lockStore(ctx.db, 'bootstrap');
    const joined: DomainContext = ctx; // a transaction's context serves any service
    void joined;
  });
}

describe('withTx', () => {
  let opened: OpenedDatabase;
  let ctx: DomainContext;
  before(async () => {
    opened = openDatabase({ dataDir: ':memory:' });
    await migrateToLatest(opened.db);
    ctx = { db: opened.db } as DomainContext;
  });
  after(() => opened.close());

  const org = (id: string) => ({
    id,
    name: id,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    apiAccessListRequired: false,
  });

  test('opens a transaction, and a nested withTx joins it', async () => {
    await withTx(ctx, async (outer) => {
      assert.equal(outer.db.isTransaction, true);
      assert.notEqual(outer.db, ctx.db);
      await withTx(outer, async (inner) => assert.equal(inner.db, outer.db));
    });
  });

  test('commits what the callback wrote and rolls it all back when the callback throws', async () => {
    await withTx(ctx, (tx) => insertOrg(tx.db, org('a'.repeat(24))));
    await assert.rejects(
      withTx(ctx, async (tx) => {
        await insertOrg(tx.db, org('b'.repeat(24)));
        await withTx(tx, (joined) => insertOrg(joined.db, org('c'.repeat(24))));
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.ok(await findOrg(ctx.db, 'a'.repeat(24)));
    assert.equal(await findOrg(ctx.db, 'b'.repeat(24)), undefined);
    assert.equal(await findOrg(ctx.db, 'c'.repeat(24)), undefined);
  });
});
