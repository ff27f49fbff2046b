import { atlasError } from '../../errors/atlas-error.ts';
import { wholeSeconds } from '../../lib/dates.ts';
import * as repo from '../../storage/repositories/invitations.repository.ts';
import { lockOrg } from '../../storage/repositories/org-directory.repository.ts';
import { findOrgMembership } from '../../storage/repositories/memberships.repository.ts';
import { findProject } from '../../storage/repositories/projects.repository.ts';
import { ensureUser, findUserByUsername } from '../../storage/repositories/users.repository.ts';
import type { Actor } from '../actor.ts';
import { type DomainContext, type TxContext, withTx } from '../context.ts';
import { recordEvent } from '../events/event.service.ts';
import { queueInvitationMail } from '../mail/invitation-mail.ts';
import { getOrgFor } from '../orgs/org.service.ts';
import type { Org } from '../orgs/org.ts';
import type { Principal } from '../principal.ts';
import { orgRolesFor, projectRolesFor, type RoleCatalogue } from '../roles/roles.ts';
import type { User } from '../users/user.ts';
import { type GroupRoleAssignment, INVITATION_LIFETIME_MS, isExpired, type OrgInvitation } from './invitation.ts';
import { validateUsername } from './invitation.rules.ts';
import { newInvitationToken } from './invitation-tokens.ts';

/** What an org invitation carries besides the invitee. */
export interface OrgInviteInput {
  roles?: readonly string[];
  teamIds?: readonly string[];
  groupRoleAssignments?: readonly GroupRoleAssignment[];
}

const asOrg = (inv: unknown): OrgInvitation | undefined => {
  const i = inv as OrgInvitation | undefined;
  return i && i.kind === 'org' && i.status === 'PENDING' ? i : undefined;
};

/**
 * Org roles (the surface's catalogue: Atlas's seven, Cloud Manager's six; non-empty, unique), teams
 * (none exist here) and per-project roles (a project of this org at most once, its roles non-empty
 * and unique).
 */
export async function validateOrgInviteInput(
  ctx: DomainContext,
  orgId: string,
  input: OrgInviteInput,
  rolesRequired: boolean,
  catalogue: RoleCatalogue = 'atlas',
): Promise<void> {
  if (input.roles !== undefined || rolesRequired) {
    const roles = input.roles ?? [];
    if (roles.length === 0) throw atlasError('VALIDATION_ERROR', 'roles must contain at least one role');
    const allowedOrgRoles = orgRolesFor(catalogue);
    for (const role of roles)
      if (!allowedOrgRoles.includes(role)) throw atlasError('INVALID_ROLE_FOR_ORG', role, orgId);
    if (new Set(roles).size !== roles.length) throw atlasError('VALIDATION_ERROR', 'roles must not contain duplicates');
  }
  for (const teamId of input.teamIds ?? []) throw atlasError('RESOURCE_NOT_FOUND', `team ${teamId}`);
  const allowed = projectRolesFor(catalogue);
  const seen = new Set<string>();
  for (const a of input.groupRoleAssignments ?? []) {
    const project = await findProject(ctx.db, a.groupId);
    if (!project || project.orgId !== orgId) throw atlasError('GROUP_NOT_FOUND', a.groupId);
    if (seen.has(a.groupId))
      throw atlasError('VALIDATION_ERROR', `groupRoleAssignments must not name project ${a.groupId} twice`);
    seen.add(a.groupId);
    if (a.roles.length === 0)
      throw atlasError('VALIDATION_ERROR', 'groupRoleAssignments roles must contain at least one role');
    for (const role of a.roles)
      if (!allowed.includes(role)) throw atlasError('INVALID_ROLE_FOR_GROUP', role, a.groupId);
    if (new Set(a.roles).size !== a.roles.length)
      throw atlasError('VALIDATION_ERROR', 'groupRoleAssignments roles must not contain duplicates');
  }
}

/**
 * A project invitation for someone outside the organization also invites them to the organization
 * (recorded live: INVITED_TO_ORG at the same second). Nothing happens when they have one already.
 */
export async function ensureOrgInvitation(
  ctx: TxContext,
  actor: Actor,
  a: { orgId: string; user: User; now: Date },
): Promise<void> {
  const current = asOrg(await repo.findInvitationByUsername(ctx.db, 'org', a.orgId, a.user.username));
  // An expired one counts as none: it is renewed as ORG_MEMBER, never revived with its old roles.
  if (current && !isExpired(current, a.now)) return;
  await repo.upsertInvitation(
    ctx.db,
    {
      id: ctx.ids.next(),
      kind: 'org',
      orgId: a.orgId,
      orgName: '',
      projectId: null,
      projectName: null,
      username: a.user.username,
      roles: ['ORG_MEMBER'],
      inviterUsername: actor.principal.username,
      createdAt: a.now,
      expiresAt: new Date(a.now.getTime() + INVITATION_LIFETIME_MS),
      userId: a.user.id,
      status: 'PENDING',
      source: 'project-invite',
      teamIds: [],
      groupRoleAssignments: [],
    },
    newInvitationToken(ctx.random).hash,
  );
  await recordEvent(ctx.db, ctx, { type: 'INVITED_TO_ORG', orgId: a.orgId, actor, targetUsername: a.user.username });
}

export async function listOrgInvites(
  ctx: DomainContext,
  principal: Principal,
  orgId: string,
  username?: string,
): Promise<OrgInvitation[]> {
  await getOrgFor(ctx, principal, orgId, 'ORG_OWNER');
  return (await repo.listInvitations(ctx.db, {
    kind: 'org',
    scopeId: orgId,
    username: username || undefined,
  })) as OrgInvitation[];
}

export async function getOrgInvite(
  ctx: DomainContext,
  principal: Principal,
  orgId: string,
  invitationId: string,
): Promise<OrgInvitation> {
  await getOrgFor(ctx, principal, orgId, 'ORG_OWNER');
  const inv = asOrg(await repo.findInvitation(ctx.db, invitationId));
  if (!inv || inv.orgId !== orgId) throw atlasError('INVALID_INVITATION_ID', invitationId);
  return inv;
}

/**
 * createOrgInvite (and the users API's createOrgUser, with `source: 'users'`): a pending org
 * invitation, re-sent when the username has one; 409 USER_ALREADY_EXISTS for a current member.
 */
export async function createOrgInvite(
  ctx: DomainContext,
  actor: Actor,
  orgId: string,
  input: OrgInviteInput & { username: string },
  source: 'invites' | 'users' = 'invites',
  catalogue: RoleCatalogue = 'atlas',
): Promise<OrgInvitation> {
  return withTx(ctx, async (ctx) => {
    const org = await getOrgFor(ctx, actor.principal, orgId, 'ORG_OWNER');
    return inviteToOrg(ctx, actor, org, input, source, catalogue);
  });
}

/**
 * createOrgInvite's work, inside the caller's transaction (`ctx.db`), for callers that have checked
 * the caller's rights themselves (the users API's addGroupUsers needs Project Owner, not
 * Organization Owner). With `source: 'users'` (createOrgUser, addGroupUsers) a PENDING user is a
 * conflict too (409 USER_ALREADY_EXISTS), and an expired or declined invitation is replaced.
 */
export async function inviteToOrg(
  ctx: TxContext,
  actor: Actor,
  org: Org,
  input: OrgInviteInput & { username: string },
  source: 'invites' | 'users' = 'invites',
  catalogue: RoleCatalogue = 'atlas',
): Promise<OrgInvitation> {
  const orgId = org.id;
  validateUsername(input.username);
  await validateOrgInviteInput(ctx, orgId, input, true, catalogue);
  // Serialises with accepts and the users API's writes on this org: the checks below stay true.
  await lockOrg(ctx.db, orgId);
  const now = wholeSeconds(ctx.clock.now());
  const existing = await findUserByUsername(ctx.db, input.username);
  if (existing && (await findOrgMembership(ctx.db, orgId, existing.id)))
    throw atlasError('USER_ALREADY_EXISTS', input.username);
  const user = existing ?? (await ensureUser(ctx.db, ctx.ids.next(), input.username, now));
  const before = asOrg(await repo.findInvitationByUsername(ctx.db, 'org', orgId, input.username));
  // The users API: an existing PENDING user is a conflict; an expired or declined invitation is replaced.
  if (source === 'users' && before && before.source !== 'project-invite' && !isExpired(before, now))
    throw atlasError('USER_ALREADY_EXISTS', input.username);
  const { token, hash } = newInvitationToken(ctx.random);
  const expiresAt = new Date(now.getTime() + INVITATION_LIFETIME_MS);
  await repo.upsertInvitation(
    ctx.db,
    {
      id: ctx.ids.next(),
      kind: 'org',
      orgId,
      orgName: org.name,
      projectId: null,
      projectName: null,
      username: input.username,
      roles: [...(input.roles ?? [])],
      inviterUsername: actor.principal.username,
      createdAt: now,
      expiresAt,
      userId: user.id,
      status: 'PENDING',
      source,
      teamIds: [...(input.teamIds ?? [])],
      groupRoleAssignments: [...(input.groupRoleAssignments ?? [])],
    },
    hash,
  );
  await recordEvent(ctx.db, ctx, { type: 'INVITED_TO_ORG', orgId, actor, targetUsername: input.username });
  await queueInvitationMail(ctx.db, ctx, {
    to: input.username,
    inviter: actor.principal.username,
    locale: actor.locale,
    target: org.name,
    targetKind: 'organization',
    expiresAt,
    token,
    resend: Boolean(before),
  });
  const stored = asOrg(await repo.findInvitationByUsername(ctx.db, 'org', orgId, input.username));
  if (!stored) throw new Error('invitation vanished inside its own transaction');
  return stored;
}

/** updateOrgInvites (by username) and updateOrgInviteById: replace what is given; dates do not move. */
export async function updateOrgInvite(
  ctx: DomainContext,
  principal: Principal,
  orgId: string,
  target: { invitationId: string } | { username: string },
  input: OrgInviteInput,
  catalogue: RoleCatalogue = 'atlas',
): Promise<OrgInvitation> {
  return withTx(ctx, async (ctx) => {
    await getOrgFor(ctx, principal, orgId, 'ORG_OWNER');
    if ('username' in target) validateUsername(target.username);
    await validateOrgInviteInput(ctx, orgId, input, 'username' in target, catalogue);
    const current =
      'username' in target
        ? asOrg(await repo.findInvitationByUsername(ctx.db, 'org', orgId, target.username))
        : asOrg(await repo.findInvitation(ctx.db, target.invitationId));
    if (!current || current.orgId !== orgId) {
      if ('username' in target) throw atlasError('RESOURCE_NOT_FOUND', `invitation for ${target.username}`);
      throw atlasError('INVALID_INVITATION_ID', target.invitationId);
    }
    if (!(await repo.updatePendingInvitation(ctx.db, current.id, input)))
      throw atlasError('INVALID_INVITATION_ID', current.id);
    return {
      ...current,
      roles: input.roles ? [...input.roles] : current.roles,
      teamIds: input.teamIds ? [...input.teamIds] : current.teamIds,
      groupRoleAssignments: input.groupRoleAssignments ? [...input.groupRoleAssignments] : current.groupRoleAssignments,
    };
  });
}

/** deleteOrgInvite: a project invitation's id → 400 CANNOT_DELETE_GROUP_INVITATION. */
export async function deleteOrgInvite(
  ctx: DomainContext,
  actor: Actor,
  orgId: string,
  invitationId: string,
): Promise<void> {
  await withTx(ctx, async (ctx) => {
    await getOrgFor(ctx, actor.principal, orgId, 'ORG_OWNER');
    const inv = await repo.findInvitation(ctx.db, invitationId);
    if (inv?.kind === 'project' && inv.orgId === orgId) throw atlasError('CANNOT_DELETE_GROUP_INVITATION');
    if (
      !inv ||
      inv.kind !== 'org' ||
      inv.orgId !== orgId ||
      !(await repo.deletePendingInvitation(ctx.db, invitationId))
    ) {
      throw atlasError('INVALID_INVITATION_ID_DELETE', invitationId);
    }
    await recordEvent(ctx.db, ctx, { type: 'ORG_INVITATION_DELETED', orgId, actor, targetUsername: inv.username });
  });
}
