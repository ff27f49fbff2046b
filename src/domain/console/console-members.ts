import { atlasError } from '../../errors/atlas-error.ts';
import { wholeSeconds } from '../../lib/dates.ts';
import { recordEvent } from '../events/event.service.ts';
import { addOrgMembership } from '../../storage/repositories/memberships.repository.ts';
import { findOrg } from '../../storage/repositories/orgs.repository.ts';
import { findUserByUsername } from '../../storage/repositories/users.repository.ts';
import { type DomainContext, withTx } from '../context.ts';
import { validateOrgInviteInput } from '../invitations/org-invitation.service.ts';
import { setConsolePassword } from './console-accounts.service.ts';

const REFUSALS = {
  'invalid-email': () => atlasError('INVALID_USERNAME'),
  'too-short': () => atlasError('VALIDATION_ERROR', 'the password must have at least 8 characters'),
  'too-long': () => atlasError('VALIDATION_ERROR', 'the password must have at most 256 characters'),
} as const;

/**
 * The operator's way in (`init`, `console-user add`): a person with a console password who is a
 * member of the organization with `orgRoles` (already a member: their roles stay as they are).
 */
export async function addConsoleMember(
  ctx: DomainContext,
  m: { orgId: string; email: string; password: string; orgRoles: readonly string[] },
): Promise<{ userId: string; joined: boolean }> {
  return withTx(ctx, async (ctx) => {
    if (!(await findOrg(ctx.db, m.orgId))) throw atlasError('ORG_NOT_FOUND', m.orgId);
    await validateOrgInviteInput(ctx, m.orgId, { roles: m.orgRoles }, true);
    const set = await setConsolePassword(ctx, m.email, m.password);
    if (!set.ok) throw REFUSALS[set.reason]();
    const now = wholeSeconds(ctx.clock.now());
    const joined = await addOrgMembership(ctx.db, {
      orgId: m.orgId,
      userId: set.user.id,
      roles: [...m.orgRoles],
      teamIds: [],
      joinedAt: now,
    });
    if (joined)
      await recordEvent(ctx.db, ctx, {
        type: 'JOINED_ORG',
        orgId: m.orgId,
        userId: set.user.id,
        username: set.user.username,
        targetUsername: set.user.username,
      });
    return { userId: set.user.id, joined };
  });
}

/** `console-user reset-password`: a new password for an existing account (signs them out everywhere). */
export async function resetConsolePassword(ctx: DomainContext, email: string, password: string): Promise<void> {
  if (!(await findUserByUsername(ctx.db, email))) throw atlasError('USER_NOT_FOUND', email);
  const set = await setConsolePassword(ctx, email, password);
  if (!set.ok) throw REFUSALS[set.reason]();
}
