import type { Kysely } from 'kysely';
import type { SecretBox } from '../lib/secret-box.ts';
import { getOrCreateSecret, replaceSecret } from '../storage/repositories/server-secrets.repository.ts';
import type { Database } from '../storage/schema.ts';

/** The configured secret key is not the one this store was sealed with. */
export class SecretKeyMismatchError extends Error {}

/**
 * A secret every node shares through the database (the Digest nonce key, the OAuth signing key, the
 * control token), stored sealed under the configured secret key so that a copy of the database
 * alone signs nothing. Values stored in the clear by earlier versions are sealed on first read.
 */
export async function sharedSecret(
  db: Kysely<Database>,
  box: SecretBox,
  name: string,
  make: () => string,
  now: Date,
): Promise<string> {
  const stored = await getOrCreateSecret(db, name, () => box.seal(make()), now);
  if (stored.startsWith('v1:')) {
    try {
      return box.open(stored);
    } catch {
      throw new SecretKeyMismatchError(
        `The secret key does not open this store's "${name}": start every node with the key the store was made (or last rotated) with.`,
      );
    }
  }
  await replaceSecret(db, name, stored, box.seal(stored));
  return stored;
}
