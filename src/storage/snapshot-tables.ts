import type { Database } from './schema.ts';

/**
 * The one list of what reset, snapshots and restore copy: every table holding the store's state,
 * parents before children (restore inserts in this order and deletes in the reverse). A table in the
 * schema that is in neither list fails test/storage/snapshot-tables.test.ts, so a new table cannot
 * be forgotten.
 */
export const SNAPSHOT_TABLES = [
  'orgs',
  'projects',
  'users',
  // Console sign-in (migration 0010): a reset signs everyone out; a restore brings back the
  // snapshot's accounts and sessions with the users they belong to.
  'console_accounts',
  'console_sessions',
  'api_keys',
  'api_key_project_roles',
  'service_accounts',
  'service_account_project_roles',
  'service_account_secrets',
  'access_list_entries',
  'invitations',
  // What became of each spent link (triggers on invitations, migration 0010): restoring deletes
  // invitations, which would record links as spent, so it is cleared again before its rows go in.
  'spent_invitation_links',
  'org_memberships',
  // Kept by triggers on org_memberships (migration 0008): restore clears it after the memberships
  // go in, then writes the copied counts, so the copy is exact.
  'org_member_counts',
  'project_memberships',
  'events',
  'mail_outbox',
  'revoked_tokens',
  // Not durable (UNLOGGED on PostgreSQL, SQLite's attached `counters` database), but state a test
  // suite means to reset: a reset empties the buckets, a restore brings back the snapshot's.
  'rate_limit_buckets',
] as const satisfies ReadonlyArray<keyof Database>;

export type SnapshotTable = (typeof SNAPSHOT_TABLES)[number];

/** Tables filled by triggers from another table in the list: cleared again before their own rows go in. */
export const DERIVED_TABLES: ReadonlySet<SnapshotTable> = new Set(['org_member_counts', 'spent_invitation_links']);

/** Tables left alone, and why. */
export const NOT_SNAPSHOTTED: Readonly<Record<string, string>> = {
  server_secrets:
    'the Digest nonce key, the OAuth signing key and the control token: clients of the running server keep them',
  store_locks: 'lock rows, no state',
  store_generation: 'the access cache counter: bumped by a restore, never set back',
  snapshots: 'the snapshots themselves survive a reset and a restore',
  kysely_migration: 'migration bookkeeping',
  kysely_migration_lock: 'migration bookkeeping',
};
