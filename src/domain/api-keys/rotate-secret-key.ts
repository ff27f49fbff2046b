import type { SecretBox } from '../../lib/secret-box.ts';
import { listApiKeys, updateSealedPrivateKey } from '../../storage/repositories/api-keys.repository.ts';
import { listSecrets, replaceSecret } from '../../storage/repositories/server-secrets.repository.ts';
import { type DomainContext, withTx } from '../context.ts';

/**
 * Re-seals every stored API private key, and the shared server secrets (nonce and token signing
 * keys, control token), under a new secret key, all or nothing. Running servers still hold the old
 * key: restart every node with the new one. Returns how many private keys were re-sealed.
 */
export async function rotateSecretKey(ctx: DomainContext, next: SecretBox): Promise<number> {
  return withTx(ctx, async (ctx) => {
    const keys = await listApiKeys(ctx.db);
    for (const key of keys)
      await updateSealedPrivateKey(ctx.db, key.id, next.seal(ctx.secrets.open(key.privateKeySealed)));
    for (const secret of await listSecrets(ctx.db)) {
      if (secret.value.startsWith('v1:'))
        await replaceSecret(ctx.db, secret.name, secret.value, next.seal(ctx.secrets.open(secret.value)));
    }
    return keys.length;
  });
}
