import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';

/** AES-256-GCM sealing for secrets the server must keep readable (API private keys for Digest). */
/** A sealed value that this key cannot open (another key sealed it, or it was altered). */
export class SealError extends Error {}

export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

export function createSecretBox(key: Uint8Array): SecretBox {
  if (key.length !== 32) throw new Error('The secret key must be 32 bytes');
  const keyObject = createSecretKey(Buffer.from(key));
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keyObject, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    open(sealed) {
      if (!sealed.startsWith('v1:')) throw new SealError('Unknown sealed-secret format');
      try {
        const raw = Buffer.from(sealed.slice(3), 'base64');
        const decipher = createDecipheriv('aes-256-gcm', keyObject, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        throw new SealError('This secret key cannot open the sealed value');
      }
    },
  };
}
