import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Kysely } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';
import { migrateToLatest, openDatabase, type OpenedDatabase } from '../../src/storage/database.ts';
import { migrationProvider } from '../../src/storage/migrations/index.ts';
import { freshPgSchema, TEST_DATABASE_URL } from '../helpers/database.ts';

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** An empty store on a SQLite file or in a fresh PostgreSQL schema. */
async function emptyStore(dialect: 'sqlite' | 'postgres'): Promise<{ opened: OpenedDatabase; schema?: string }> {
  if (dialect === 'postgres') {
    const pg = await freshPgSchema();
    cleanups.push(pg.drop);
    const opened = openDatabase({ databaseUrl: TEST_DATABASE_URL, pgSchema: pg.schema });
    cleanups.push(() => opened.close());
    return { opened, schema: pg.schema };
  }
  const dir = mkdtempSync(join(tmpdir(), 'cloud-invites-migrate-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const opened = openDatabase({ dataDir: dir });
  cleanups.push(() => opened.close());
  return { opened };
}

async function tableNames(db: Kysely<any>): Promise<string[]> {
  return (await db.introspection.getTables()).map((t) => t.name).sort();
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  test(`a migration run that dies midway leaves the store as it was, and the next start completes it (${dialect})`, async () => {
    const { opened, schema } = await emptyStore(dialect);
    const real = await migrationProvider.getMigrations();
    const names = Object.keys(real).sort();
    for (const dieIn of names) {
      // The migration `dieIn` does all its work, then the process "dies" before the run commits.
      const dying: Record<string, Migration> = {
        ...real,
        [dieIn]: { up: async (db) => (await real[dieIn].up(db), Promise.reject(new Error(`killed in ${dieIn}`))) },
      };
      const migrator = new Migrator({
        db: opened.db,
        provider: { getMigrations: async () => dying },
        ...(schema ? { migrationTableSchema: schema } : {}),
      });
      const { error } = await migrator.migrateToLatest();
      assert.match(String(error), new RegExp(`killed in ${dieIn}`));
      const left = (await tableNames(opened.db)).filter((t) => !t.startsWith('kysely_'));
      assert.deepEqual(left, [], `after dying in ${dieIn}, nothing of the run is left`);
    }
    assert.deepEqual(await migrateToLatest(opened.db, schema), names);
    assert.ok((await tableNames(opened.db)).includes('store_locks'));
    assert.deepEqual(await migrateToLatest(opened.db, schema), [], 'and it is up to date');
  });
}

test('0005 takes the link secrets out of mail an older version delivered, and leaves queued mail to be sent', async () => {
  const { opened } = await emptyStore('sqlite');
  const migrator = new Migrator({ db: opened.db, provider: migrationProvider });
  assert.equal((await migrator.migrateTo('0004-org-settings')).error, undefined);
  const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';
  const link = `http://127.0.0.1:8080/console/invitations/${token}`;
  const row = (id: string, sent: string | null) => ({
    id,
    recipient: 'old@example.com',
    subject: 'You are invited',
    text_body: `Accept:  ${link}/accept\nDecline: ${link}/decline`,
    html_body: `<a href="${link}/accept">Accept</a>`,
    created_at: '2026-11-01T00:00:00.000Z',
    next_attempt_at: '2026-11-01T00:00:00.000Z',
    sent_at: sent,
    last_error: null,
  });
  await (opened.db as Kysely<any>)
    .insertInto('mail_outbox')
    .values([row('sent', '2026-11-01T00:00:01.000Z'), row('queued', null)])
    .execute();
  await migrateToLatest(opened.db);
  const rows = await opened.db.selectFrom('mail_outbox').selectAll().orderBy('id').execute();
  const queued = rows.find((r) => r.id === 'queued');
  const sent = rows.find((r) => r.id === 'sent');
  assert.ok(queued?.text_body.includes(token), 'queued mail still carries its link until delivered');
  assert.ok(!sent?.text_body.includes(token) && !sent?.html_body.includes(token), String(sent?.text_body));
  assert.equal(
    sent?.text_body,
    'Accept:  http://127.0.0.1:8080/console/invitations/{link-token}/accept\nDecline: http://127.0.0.1:8080/console/invitations/{link-token}/decline',
  );
});
