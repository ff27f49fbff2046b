import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { cryptoRandom, type RandomSource } from '../../lib/random.ts';

/**
 * Console passwords, hashed with scrypt (memory-hard): N = 2^15, r = 8, p = 3 (32 MiB, OWASP's
 * equivalent of N = 2^17, p = 1), a 16-byte random salt, a 32-byte key. The parameters travel in
 * the stored string (`scrypt$N$r$p$salt$key`), so they can be raised without breaking old hashes.
 * Runs on libuv's thread pool: a sign-in never blocks the event loop (docs/adr/0013).
 */
export const SCRYPT = { N: 2 ** 15, r: 8, p: 3, keyLength: 32, saltLength: 16 } as const;
const MAX_MEM = 64 * 1024 * 1024;
const MIN_PASSWORD_LENGTH = 8;
const MAX_PASSWORD_LENGTH = 256;

function derive(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyLength, { ...options, maxmem: MAX_MEM }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SCRYPT.saltLength);
  const key = await derive(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}

/** A stand-in hash to check against when the address has no account, so the answer takes as long. */
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}

/** A password `init` and `console-user add` print once: 20 characters from a 64-letter alphabet (120 bits). */
export function generatePassword(random: RandomSource = cryptoRandom): string {
  return random.bytes(15).toString('base64url');
}

export function passwordProblem(password: string): 'too-short' | 'too-long' | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'too-short';
  if (password.length > MAX_PASSWORD_LENGTH) return 'too-long';
  return null;
}
