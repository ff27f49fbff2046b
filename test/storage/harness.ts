import { sql, type Transaction } from 'kysely';
import { after, before, describe } from 'node:test';
import type { Invitation } from '../../src/domain/invitations/invitation.ts';
import type { Org } from '../../src/domain/orgs/org.ts';
import type { Project } from '../../src/domain/projects/project.ts';
import type { User } from '../../src/domain/users/user.ts';
import { type Db, migrateToLatest, openDatabase } from '../../src/storage/database.ts';
import { upsertInvitation } from '../../src/storage/repositories/invitations.repository.ts';
import { insertOrg } from '../../src/storage/repositories/orgs.repository.ts';
import { insertProject } from '../../src/storage/repositories/projects.repository.ts';
import { ensureUser } from '../../src/storage/repositories/users.repository.ts';
import type { Database } from '../../src/storage/schema.ts';
import { freshPgSchema, TEST_DATABASE_URL } from '../helpers/database.ts';

/**
 * The storage contract harness: `forEachDialect(name, (store) => …)` declares a suite once and runs
 * it twice, on a fresh in-memory SQLite store and on a fresh PostgreSQL schema (migrated to the
 * latest), so every repository is held to one contract on both dialects. `store.db` is set by the
 * time the suite's tests run.
 */
export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  readonly db: Db;
  readonly dialect: Dialect;
}

export function forEachDialect(name: string, body: (store: Store) => void): void {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    describe(`${name} on ${dialect}`, () => {
      const store = { dialect } as { db: Db; dialect: Dialect };
      let close = async () => {};
      before(async () => {
        if (dialect === 'sqlite') {
          const opened = openDatabase({ dataDir: ':memory:' });
          await migrateToLatest(opened.db);
          store.db = opened.db;
          close = opened.close;
          return;
        }
        const pg = await freshPgSchema('repo');
        const opened = openDatabase({ databaseUrl: TEST_DATABASE_URL, pgSchema: pg.schema });
        await migrateToLatest(opened.db, pg.schema);
        store.db = opened.db;
        close = async () => {
          await opened.close();
          await pg.drop();
        };
      });
      after(() => close());
      body(store);
    });
  }
}

let counter = 0;
/** A new ObjectId-shaped id (24 hex digits), unique in this process. */
export const newId = (): string => (++counter).toString(16).padStart(24, '0');

/** Instants with milliseconds (the stored precision), `seconds` after a fixed start. */
export const T0 = new Date('2026-03-01T10:20:30.456Z');
export const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

export async function anOrg(db: Db, over: Partial<Org> = {}): Promise<Org> {
  const id = newId();
  const org: Org = { id, name: `org ${id}`, createdAt: T0, apiAccessListRequired: false, ...over };
  await insertOrg(db, org);
  return org;
}

export async function aProject(db: Db, orgId: string, over: Partial<Project> = {}): Promise<Project> {
  const id = newId();
  const project: Project = {
    id,
    orgId,
    name: `project ${id}`,
    createdAt: T0,
    withDefaultAlertsSettings: true,
    tags: [],
    ...over,
  };
  await insertProject(db, project);
  return project;
}

export async function aUser(db: Db, username = `user-${newId()}@example.com`, createdAt = T0): Promise<User> {
  return ensureUser(db, newId(), username, createdAt);
}

/** A stored invitation (pending, project kind unless `over` says otherwise), as the repository hands it back. */
export async function anInvitation(
  db: Db,
  over: Partial<Invitation> & Pick<Invitation, 'orgId'>,
  tokenHash: string = newId(),
): Promise<Invitation> {
  const inv: Invitation = {
    id: newId(),
    kind: 'project',
    orgName: '',
    projectId: null,
    projectName: null,
    username: `invitee-${newId()}@example.com`,
    roles: ['GROUP_READ_ONLY'],
    inviterUsername: 'inviter@example.com',
    createdAt: T0,
    expiresAt: at(30 * 86400),
    userId: null,
    status: 'PENDING',
    source: 'invites',
    teamIds: [],
    groupRoleAssignments: [],
    ...over,
  };
  await upsertInvitation(db, inv, tokenHash);
  if (inv.status === 'REJECTED')
    await db
      .updateTable('invitations')
      .set({ status: 'REJECTED', token_hash: null })
      .where('id', '=', inv.id)
      .execute();
  return inv;
}

/**
 * Runs `first` and `second` in two transactions that both start with `lock(trx)`: `second` begins
 * once `first` holds its lock and (on PostgreSQL) is seen waiting for it before `first` commits.
 * Answers the order things happened in, which a working lock makes
 * `first locked, first committed, second locked`.
 */
export async function contend(store: Store, lock: (trx: Transaction<Database>) => Promise<void>): Promise<string[]> {
  const order: string[] = [];
  let firstLocked!: () => void;
  const locked = new Promise<void>((resolve) => (firstLocked = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let firstPid = 0;
  const first = store.db.transaction().execute(async (trx) => {
    await lock(trx);
    order.push('first locked');
    if (store.dialect === 'postgres')
      firstPid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0].pid;
    firstLocked();
    await released;
    order.push('first committed');
  });
  await locked;
  const second = store.db.transaction().execute(async (trx) => {
    await lock(trx);
    order.push('second locked');
  });
  if (store.dialect === 'postgres') {
    // Wait (no sleep) until the second transaction is blocked by the first one's lock; a lock that
    // blocks nothing ends the wait after a bounded number of looks, and the order then shows it.
    for (let look = 0; look < 2000; look++) {
      const { rows } = await sql<{
        n: number | string;
      }>`select count(*) as n from pg_stat_activity where ${firstPid} = any(pg_blocking_pids(pid))`.execute(store.db);
      if (Number(rows[0].n) > 0) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  release();
  await Promise.all([first, second]);
  return order;
}
