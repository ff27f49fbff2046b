import type { Kysely } from 'kysely';
import { instant } from '../codec.ts';
import type { Database } from '../schema.ts';

export async function revokeToken(db: Kysely<Database>, jti: string, expiresAt: Date): Promise<void> {
  await db
    .insertInto('revoked_tokens')
    .values({ jti, expires_at: instant.encode(expiresAt) })
    .onConflict((oc) => oc.column('jti').doNothing())
    .execute();
}

export async function isTokenRevoked(db: Kysely<Database>, jti: string): Promise<boolean> {
  return (await db.selectFrom('revoked_tokens').select('jti').where('jti', '=', jti).executeTakeFirst()) !== undefined;
}

/** Revocations of tokens that have expired anyway are dead weight. */
export async function pruneRevokedTokens(db: Kysely<Database>, now: Date): Promise<void> {
  await db.deleteFrom('revoked_tokens').where('expires_at', '<', instant.encode(now)).execute();
}
