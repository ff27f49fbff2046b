import type { Kysely, Selectable } from 'kysely';
import type { User } from '../../domain/users/user.ts';
import { chunksOf } from '../batch.ts';
import { instant } from '../codec.ts';
import type { Database, UsersTable } from '../schema.ts';

type Executor = Kysely<Database>;

/** A users row as the domain's User (shared by the directory reads). */
export const toUser = (row: Selectable<UsersTable>): User => ({
  id: row.id,
  username: row.username,
  firstName: row.first_name,
  lastName: row.last_name,
  createdAt: instant.decode(row.created_at),
});

export async function findUserByUsername(db: Executor, username: string): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('username_key', '=', username.toLowerCase())
    .executeTakeFirst();
  return row && toUser(row);
}

export async function findUser(db: Executor, id: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toUser(row);
}

/** The user with this address, created (with `id`) if there is none; concurrent callers converge. */
export async function ensureUser(db: Executor, id: string, username: string, at: Date): Promise<User> {
  await db
    .insertInto('users')
    .values({
      id,
      username,
      username_key: username.toLowerCase(),
      first_name: null,
      last_name: null,
      created_at: instant.encode(at),
    })
    .onConflict((oc) => oc.column('username_key').doNothing())
    .execute();
  const user = await findUserByUsername(db, username);
  if (!user) throw new Error('user vanished after upsert');
  return user;
}

/** New users, many at a time (bulk loads); addresses must be new. */
export async function insertUsersBatch(db: Executor, users: readonly User[]): Promise<void> {
  for (const chunk of chunksOf(users, 6)) {
    await db
      .insertInto('users')
      .values(
        chunk.map((u) => ({
          id: u.id,
          username: u.username,
          username_key: u.username.toLowerCase(),
          first_name: u.firstName,
          last_name: u.lastName,
          created_at: instant.encode(u.createdAt),
        })),
      )
      .execute();
  }
}
