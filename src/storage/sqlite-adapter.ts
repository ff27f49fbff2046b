import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** node:sqlite speaks a slightly different dialect of the better-sqlite3 API Kysely expects. */
function toSqlite(values: ReadonlyArray<unknown>): SQLInputValue[] {
  return values.map((v) => {
    if (v === undefined) return null;
    if (typeof v === 'boolean') return v ? 1 : 0;
    return v as SQLInputValue;
  });
}

function wrapStatement(stmt: StatementSync): SqliteStatement {
  return {
    reader: stmt.columns().length > 0,
    all: (params) => stmt.all(...toSqlite(params)),
    run: (params) => {
      const r = stmt.run(...toSqlite(params));
      return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
    },
    iterate: (params) => stmt.iterate(...toSqlite(params)) as IterableIterator<unknown>,
  };
}

/** Opens a SQLite file (or ':memory:') durably: WAL, synchronous=FULL, foreign keys, busy timeout. */
export function openSqlite(path: string): SqliteDatabase & { raw: DatabaseSync } {
  const raw = new DatabaseSync(path, { timeout: 5000 });
  if (path !== ':memory:') raw.exec('PRAGMA journal_mode = WAL');
  raw.exec('PRAGMA synchronous = FULL');
  raw.exec('PRAGMA foreign_keys = ON');
  return {
    raw,
    close: () => raw.close(),
    prepare: (sql) => wrapStatement(raw.prepare(sql)),
  };
}
