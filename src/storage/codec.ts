/**
 * How domain values are kept in columns: the one place that knows the stored formats, so no
 * repository writes `JSON.stringify` or `toISOString` of its own (docs/adr/0014).
 *
 * Both dialects keep the same bytes: the migrations use portable DDL only (`text`, `integer`,
 * `bigint`, `double precision`), so lists and objects are JSON text, instants are ISO-8601 UTC
 * text with milliseconds (`2026-08-10T03:04:53.000Z`, which sorts and compares as text), flags
 * are integers 0/1, and PostgreSQL answers `bigint` (counts, epoch milliseconds) as strings. One
 * codec therefore serves SQLite and PostgreSQL; a dialect that stored `jsonb` or `timestamptz`
 * would get its own codec here, chosen with the dialect, and a migration.
 */
export interface Codec<T, S, In = T> {
  encode(value: In): S;
  decode(stored: S): T;
}

/** `T` with every list and field read-only: what a JSON column accepts to encode. */
export type Frozen<T> = T extends readonly (infer U)[]
  ? ReadonlyArray<Frozen<U>>
  : T extends object
    ? { readonly [K in keyof T]: Frozen<T[K]> }
    : T;

/** A JSON column (text): lists of role names, team ids, project assignments, tags. */
export function json<T>(): Codec<T, string, Frozen<T>> {
  return { encode: (value) => JSON.stringify(value), decode: (stored) => JSON.parse(stored) as T };
}

/** The commonest JSON column: a list of names (roles, team ids). */
export const names = json<string[]>();

/** A LIKE pattern matching a JSON list of names that holds `name` (as `names` encodes it). */
export const namesContaining = (name: string): string => `%${JSON.stringify(name)}%`;

/** An instant: ISO-8601 UTC text, millisecond precision. */
export const instant: Codec<Date, string> = {
  encode: (date) => date.toISOString(),
  decode: (stored) => new Date(stored),
};

/** An instant that may be missing (never used, not sent yet). */
export const optionalInstant: Codec<Date | null, string | null> = {
  encode: (date) => (date === null ? null : date.toISOString()),
  decode: (stored) => (stored ? new Date(stored) : null),
};

/** A yes/no column: integer 0 or 1. */
export const flag: Codec<boolean, number> = {
  encode: (value) => (value ? 1 : 0),
  decode: (stored) => Number(stored) !== 0,
};

/** A count or an epoch-milliseconds column: `bigint` comes back from PostgreSQL as a string. */
export const integer: Codec<number, number | string | bigint> = {
  encode: (value) => value,
  decode: (stored) => Number(stored),
};
