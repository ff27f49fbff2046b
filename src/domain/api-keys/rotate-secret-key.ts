import type { SecretBox } from '../../lib/secret-box.ts';
import { listApiKeys, updateSealedPrivateKey } from '../../storage/repositories/api-keys.repository.ts';
import type { DomainContext } from '../context.ts';

/**
 * Re-seals every stored API private key under a new secret key, all or nothing. The caller switches
 * the configuration to the new key once this has committed. Returns how many keys were re-sealed.
 */
export async function rotateSecretKey(ctx: DomainContext, next: SecretBox): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const keys = await listApiKeys(trx);
    for (const key of keys) await updateSealedPrivateKey(trx, key.id, next.seal(ctx.secrets.open(key.privateKeySealed)));
    return keys.length;
  });
}
