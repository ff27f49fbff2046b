import { findSpentLink } from '../../storage/repositories/console.repository.ts';
import { findOrgMembership, findProjectMembership } from '../../storage/repositories/memberships.repository.ts';
import { findUserByUsername } from '../../storage/repositories/users.repository.ts';
import type { DomainContext } from '../context.ts';
import { hashInvitationToken } from '../invitations/invitation-tokens.ts';

/**
 * What became of a link that no longer opens a pending invitation: declined; accepted (its row is
 * gone and the invitee is now a member there); cancelled (gone, and they are not a member); or
 * unknown (never valid, or replaced by a newer mail).
 */
export async function spentLinkOutcome(
  ctx: DomainContext,
  token: string,
): Promise<{ outcome: 'accepted' | 'cancelled' | 'declined'; username: string } | null> {
  const spent = await findSpentLink(ctx.db, hashInvitationToken(token));
  if (!spent) return null;
  if (spent.outcome === 'declined') return { outcome: 'declined', username: spent.usernameKey };
  const user = await findUserByUsername(ctx.db, spent.usernameKey);
  const member =
    user &&
    (spent.kind === 'project' && spent.projectId
      ? await findProjectMembership(ctx.db, spent.projectId, user.id)
      : await findOrgMembership(ctx.db, spent.orgId, user.id));
  return { outcome: member ? 'accepted' : 'cancelled', username: user?.username ?? spent.usernameKey };
}
