import { CompiledQuery, type DatabaseConnection, PostgresDriver, type TransactionSettings } from 'kysely';

/**
 * The store gate on PostgreSQL (ADR 0011): every transaction begins by taking a shared advisory
 * lock on one key, in the same round trip as its BEGIN; a reset or restore takes it exclusively.
 * So a whole-store replacement waits for the transactions in flight to end, the ones that begin
 * meanwhile wait for it to commit, and no transaction ever has part of its work before a
 * replacement and part after. Statements outside a transaction need no gate: each sees one
 * committed state. Writers queue behind a waiting exclusive request, so a restore is not starved.
 */
const STORE_GATE_KEY = 7_364_025_001;

export class GatedPostgresDriver extends PostgresDriver {
  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let begin = 'begin';
    if (settings.isolationLevel || settings.accessMode) {
      begin = `start transaction${settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : ''}${settings.accessMode ? ` ${settings.accessMode}` : ''}`;
    }
    // Simple-query protocol (no parameters): both statements in one round trip.
    await connection.executeQuery(
      CompiledQuery.raw(`${begin}; select pg_advisory_xact_lock_shared(${STORE_GATE_KEY})`),
    );
  }
}

/** Inside a transaction: wait until no other transaction is in flight, and hold them off until commit. */
export const CLOSE_STORE_GATE = CompiledQuery.raw(`select pg_advisory_xact_lock(${STORE_GATE_KEY})`);
