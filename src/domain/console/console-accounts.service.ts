import { createHash } from 'node:crypto';
import { wholeSeconds } from '../../lib/dates.ts';
import * as repo from '../../storage/repositories/console.repository.ts';
import { ensureUser, findUser, findUserByUsername } from '../../storage/repositories/users.repository.ts';
import type { DomainContext } from '../context.ts';
import { isValidUsername } from '../invitations/invitation.rules.ts';
import type { User } from '../users/user.ts';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';

/** Lockout: this many failures in a row lock the account for LOCKOUT_MS (on the server's clock). */
const MAX_FAILED_ATTEMPTS = 5;
const LOCKOUT_MS = 15 * 60_000;
/** A session lasts this long from sign-in (on the server's clock). */
export const SESSION_TTL_MS = 12 * 60 * 60_000;

export type PasswordRefusal = 'invalid-email' | 'too-short' | 'too-long';

/** Sets a person's console password (creating the person if the address is new). */
export async function setConsolePassword(
  ctx: DomainContext,
  email: string,
  password: string,
): Promise<{ ok: true; user: User } | { ok: false; reason: PasswordRefusal }> {
  if (!isValidUsername(email)) return { ok: false, reason: 'invalid-email' };
  const problem = passwordProblem(password);
  if (problem) return { ok: false, reason: problem };
  const hash = await hashPassword(password);
  const now = wholeSeconds(ctx.clock.now());
  const user = await ensureUser(ctx.db, ctx.ids.next(), email, now);
  await repo.upsertConsoleAccount(ctx.db, user.id, hash, now);
  await repo.deleteSessionsOf(ctx.db, user.id);
  return { ok: true, user };
}

export async function hasConsoleAccount(ctx: DomainContext, userId: string): Promise<boolean> {
  return Boolean(await repo.findConsoleAccount(ctx.db, userId));
}

const hashSessionId = (id: string) => createHash('sha256').update(id).digest('hex');

export type SignIn =
  { ok: true; sessionId: string; user: User } | { ok: false; reason: 'invalid' | 'locked'; lockedUntil?: Date };

/**
 * Checks a password. Five failures in a row lock the account for 15 minutes (even the right
 * password is refused meanwhile); a success clears the count. An unknown address costs as much
 * time as a known one and says the same thing.
 */
export async function signIn(ctx: DomainContext, email: string, password: string): Promise<SignIn> {
  const user = isValidUsername(email) ? await findUserByUsername(ctx.db, email) : undefined;
  const account = user && (await repo.findConsoleAccount(ctx.db, user.id));
  if (!user || !account) {
    await verifyPassword(password, await decoyHash());
    return { ok: false, reason: 'invalid' };
  }
  const now = ctx.clock.now();
  if (account.lockedUntil && account.lockedUntil.getTime() > now.getTime())
    return { ok: false, reason: 'locked', lockedUntil: account.lockedUntil };
  if (!(await verifyPassword(password, account.passwordHash))) {
    const failures = (account.lockedUntil ? 0 : account.failedAttempts) + 1;
    const locked = failures >= MAX_FAILED_ATTEMPTS ? new Date(now.getTime() + LOCKOUT_MS) : null;
    await repo.setFailedAttempts(ctx.db, user.id, locked ? 0 : failures, locked);
    return locked ? { ok: false, reason: 'locked', lockedUntil: locked } : { ok: false, reason: 'invalid' };
  }
  if (account.failedAttempts > 0 || account.lockedUntil) await repo.setFailedAttempts(ctx.db, user.id, 0, null);
  return { ok: true, sessionId: await startSession(ctx, user.id), user };
}

/** A new session for a person who just proved who they are (a password, or setting one on the accept page). */
export async function startSession(ctx: DomainContext, userId: string): Promise<string> {
  const sessionId = ctx.random.bytes(32).toString('base64url');
  const now = ctx.clock.now();
  await repo.insertSession(ctx.db, {
    idHash: hashSessionId(sessionId),
    userId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
  });
  return sessionId;
}

/** The person a session cookie names, while the session lasts. */
export async function sessionUser(ctx: DomainContext, sessionId: string): Promise<User | undefined> {
  const session = await repo.findSession(ctx.db, hashSessionId(sessionId));
  if (!session || session.expiresAt.getTime() <= ctx.clock.now().getTime()) return undefined;
  return findUser(ctx.db, session.userId);
}

/** Moving the virtual clock from the console carries the mover's session along (it would expire at once otherwise). */
export async function renewSession(ctx: DomainContext, sessionId: string): Promise<void> {
  await repo.setSessionExpiry(ctx.db, hashSessionId(sessionId), new Date(ctx.clock.now().getTime() + SESSION_TTL_MS));
}

export async function signOut(ctx: DomainContext, sessionId: string): Promise<void> {
  await repo.deleteSession(ctx.db, hashSessionId(sessionId));
}
