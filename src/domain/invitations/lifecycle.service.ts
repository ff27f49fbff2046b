import type { Kysely } from 'kysely';
import { atlasError } from '../../errors/atlas-error.ts';
import { atlasDate, wholeSeconds } from '../../lib/dates.ts';
import * as repo from '../../storage/repositories/invitations.repository.ts';
import { lockOrg } from '../../storage/repositories/org-directory.repository.ts';
import { addOrgMembership, upsertProjectMembership } from '../../storage/repositories/memberships.repository.ts';
import { findProject } from '../../storage/repositories/projects.repository.ts';
import { ensureUser } from '../../storage/repositories/users.repository.ts';
import type { Database } from '../../storage/schema.ts';
import { type DomainContext, withTx } from '../context.ts';
import { recordEvent } from '../events/event.service.ts';
import { queueAcceptedMail } from '../mail/invitation-mail.ts';
import type { User } from '../users/user.ts';
import { type Invitation, isExpired } from './invitation.ts';
import { hashInvitationToken } from './invitation-tokens.ts';

/** How an invitee's answer names the invitation: the secret from the mail's link, or (automation) its id. */
export type InvitationRef = { token: string } | { invitationId: string };

async function lookup(db: Kysely<Database>, ref: InvitationRef): Promise<Invitation | undefined> {
  return 'token' in ref
    ? repo.findInvitationByTokenHash(db, hashInvitationToken(ref.token))
    : repo.findInvitation(db, ref.invitationId);
}

const label = (ref: InvitationRef) => ('token' in ref ? 'from this link' : ref.invitationId);

/** The pending, unexpired invitation a link or id names; otherwise the error the invitee sees. */
export async function pendingInvitation(ctx: DomainContext, ref: InvitationRef): Promise<Invitation> {
  const inv = await lookup(ctx.db, ref);
  if (!inv || inv.status !== 'PENDING') throw atlasError('INVALID_INVITATION_ID', label(ref));
  if (isExpired(inv, ctx.clock.now()))
    throw atlasError('INVITATION_EXPIRED', `invitation ${inv.id} expired at ${atlasDate(inv.expiresAt)}`);
  return inv;
}

export interface Accepted {
  readonly invitation: Invitation;
  readonly user: User;
}

/**
 * Accepting: the invitation is deleted (as Atlas does; GET by id is then 404) and the invitee joins
 * the organization and the project(s) with the invited roles, with JOINED_ORG / JOINED_GROUP events
 * and a welcome mail, all in one transaction. The delete is the claim: of two racing accepts, or an
 * accept racing a delete, exactly one deletes the row; the other fails and changes nothing. The
 * roles granted are those the row held when it was deleted (see claimPendingInvitation).
 */
export async function acceptInvitation(ctx: DomainContext, ref: InvitationRef): Promise<Accepted> {
  return withTx(ctx, async (ctx) => {
    const found = await pendingInvitation(ctx, ref);
    // Serialises with the users API and new invitations on this org, so they see a consistent picture.
    await lockOrg(ctx.db, found.orgId);
    const claimed = await repo.claimPendingInvitation(ctx.db, found.id);
    if (!claimed) throw atlasError('INVALID_INVITATION_ID', label(ref));
    // What the row said when we deleted it, not when we first read it (a PATCH may have committed between).
    const inv = { ...found, ...claimed };
    const now = wholeSeconds(ctx.clock.now());
    const user = await ensureUser(ctx.db, inv.userId ?? ctx.ids.next(), inv.username, now);
    const who = { userId: user.id, username: user.username, targetUsername: user.username };
    let orgRoles = inv.roles;
    let teamIds = inv.teamIds;
    let projects = inv.groupRoleAssignments;
    if (inv.kind === 'project') {
      // The organization invitation made alongside is accepted with it (its roles only if unexpired).
      const companion = await repo.findInvitationByUsername(ctx.db, 'org', inv.orgId, inv.username);
      const companionClaim =
        companion?.status === 'PENDING' ? await repo.claimPendingInvitation(ctx.db, companion.id) : undefined;
      const usable = companion && companionClaim && !isExpired(companion, now) ? companionClaim : undefined;
      orgRoles = usable ? usable.roles : ['ORG_MEMBER'];
      teamIds = usable ? usable.teamIds : [];
      projects = [...(usable ? usable.groupRoleAssignments : [])];
    }
    // Joining the organization settles every other pending project invitation the address has in
    // it: unexpired ones are accepted with it (their roles added), expired ones just go; no old link
    // can later change the member's roles or bring a removed member back.
    for (const other of await repo.listPendingProjectInvitationsInOrg(ctx.db, inv.orgId, inv.username)) {
      const otherClaim = await repo.claimPendingInvitation(ctx.db, other.id);
      if (otherClaim && !isExpired(other, now))
        projects = [...projects, { groupId: other.projectId as string, roles: otherClaim.roles }];
    }
    if (inv.kind === 'project') projects = [...projects, { groupId: inv.projectId as string, roles: inv.roles }];
    projects = mergeAssignments(projects);
    if (
      await addOrgMembership(ctx.db, {
        orgId: inv.orgId,
        userId: user.id,
        roles: [...orgRoles],
        teamIds: [...teamIds],
        joinedAt: now,
      })
    ) {
      await recordEvent(ctx.db, ctx, { type: 'JOINED_ORG', orgId: inv.orgId, ...who });
    }
    for (const p of projects) {
      // A project named by an org invitation may have been deleted since: nothing to join there.
      if (!(await findProject(ctx.db, p.groupId))) continue;
      const joined = await upsertProjectMembership(ctx.db, {
        projectId: p.groupId,
        userId: user.id,
        roles: [...p.roles],
        joinedAt: now,
      });
      await recordEvent(ctx.db, ctx, {
        type: joined ? 'JOINED_GROUP' : 'USER_ROLES_CHANGED_AUDIT',
        orgId: inv.orgId,
        projectId: p.groupId,
        ...who,
      });
    }
    const target = inv.kind === 'project' ? (inv.projectName as string) : inv.orgName;
    await queueAcceptedMail(ctx.db, ctx, {
      to: inv.username,
      target,
      targetKind: inv.kind === 'project' ? 'project' : 'organization',
    });
    return { invitation: inv, user };
  });
}

/**
 * Declining keeps the invitation as REJECTED (the users API shows INVITATION_REJECTED); declining a
 * project invitation declines the organization invitation made alongside it too.
 */
export async function declineInvitation(ctx: DomainContext, ref: InvitationRef): Promise<Invitation> {
  return withTx(ctx, async (ctx) => {
    const inv = await pendingInvitation(ctx, ref);
    await lockOrg(ctx.db, inv.orgId);
    if (!(await repo.rejectInvitation(ctx.db, inv.id))) throw atlasError('INVALID_INVITATION_ID', label(ref));
    if (inv.kind === 'project') {
      const companion = await repo.findInvitationByUsername(ctx.db, 'org', inv.orgId, inv.username);
      if (companion?.status === 'PENDING' && companion.source === 'project-invite')
        await repo.rejectInvitation(ctx.db, companion.id);
    }
    return inv;
  });
}

/** One assignment per project; roles from several invitations to the same project are combined. */
function mergeAssignments(
  assignments: ReadonlyArray<{ groupId: string; roles: readonly string[] }>,
): Array<{ groupId: string; roles: string[] }> {
  const byProject = new Map<string, string[]>();
  for (const a of assignments)
    byProject.set(a.groupId, [...new Set([...(byProject.get(a.groupId) ?? []), ...a.roles])]);
  return [...byProject].map(([groupId, roles]) => ({ groupId, roles }));
}
