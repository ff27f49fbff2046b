import { createHash } from 'node:crypto';
import type { RandomSource } from '../../lib/random.ts';

/** The secret in an invitee's accept/decline link; only its SHA-256 is stored. */
export function newInvitationToken(random: RandomSource): { token: string; hash: string } {
  const token = random.bytes(32).toString('base64url');
  return { token, hash: hashInvitationToken(token) };
}

export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
