/**
 * Multi-row INSERTs for bulk loads (`cloud-invites seed`): rows per statement at most
 * `MAX_ROWS_PER_STATEMENT`, and never more bind parameters than both dialects take (PostgreSQL
 * 65,535; SQLite 32,766 by default).
 */
const MAX_ROWS_PER_STATEMENT = 500;
const MAX_PARAMETERS = 32_000;

export function chunksOf<T>(rows: readonly T[], columns: number, maxRows = MAX_ROWS_PER_STATEMENT): T[][] {
  const size = Math.max(1, Math.min(maxRows, Math.floor(MAX_PARAMETERS / columns)));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
