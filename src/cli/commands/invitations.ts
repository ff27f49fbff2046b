import type { Command } from 'commander';
import { type Invitation, isExpired } from '../../domain/invitations/invitation.ts';
import { acceptInvitation, declineInvitation } from '../../domain/invitations/lifecycle.service.ts';
import { atlasError } from '../../errors/atlas-error.ts';
import { atlasDate } from '../../lib/dates.ts';
import { isObjectId } from '../../lib/object-id.ts';
import { listPendingInvitations } from '../../storage/repositories/invitations.repository.ts';
import { printResult, storeOptions } from '../options.ts';
import { type StoreFlags, withDeps } from '../with-deps.ts';

function row(inv: Invitation, now: Date) {
  return {
    id: inv.id,
    kind: inv.kind === 'project' ? 'PROJECT' : 'ORG',
    orgId: inv.orgId,
    orgName: inv.orgName,
    groupId: inv.projectId,
    groupName: inv.projectName,
    username: inv.username,
    roles: inv.roles,
    inviterUsername: inv.inviterUsername,
    createdAt: atlasDate(inv.createdAt),
    expiresAt: atlasDate(inv.expiresAt),
    status: isExpired(inv, now) ? 'EXPIRED' : 'PENDING',
  };
}

function checkedId(id: string): string {
  if (!isObjectId(id)) throw atlasError('INVALID_INVITATION_ID', id);
  return id;
}

/**
 * `invitations list | accept | decline`: straight on the store, through the same race-safe
 * lifecycle the invitee's page uses. Expiry is judged on this machine's clock (a server's
 * control-plane clock lives in the server; use `POST /_cloud-invites/invitations/{id}/accept` there).
 */
export function registerInvitations(program: Command): void {
  const invitations = program.command('invitations').description('pending project and organization invitations');

  storeOptions(invitations.command('list'))
    .description('pending project and organization invitations, with status PENDING or EXPIRED')
    .option('--org <orgId>', 'only this organization')
    .action(async (flags: StoreFlags & { org?: string }) => {
      const rows = await withDeps(flags, async (deps) => {
        const now = deps.clock.now();
        return (await listPendingInvitations(deps.ctx.db, { orgId: flags.org })).map((inv) => row(inv, now));
      });
      printResult(Boolean(flags.json), rows, () =>
        rows.length === 0
          ? 'No pending invitations.'
          : rows
              .map((r) => {
                const target =
                  r.kind === 'PROJECT' ? `project ${r.groupName} (${r.groupId})` : `org ${r.orgName} (${r.orgId})`;
                return `${r.id}  ${r.status.padEnd(7)}  ${r.username}  ${target}  ${r.roles.join(',')}  expires ${r.expiresAt}`;
              })
              .join('\n'),
      );
    });

  storeOptions(invitations.command('accept'))
    .description('accept an invitation as its invitee would (joins the org and project(s), mails a welcome)')
    .requiredOption('--id <invitationId>', 'invitation id')
    .action(async (flags: StoreFlags & { id: string }) => {
      const id = checkedId(flags.id);
      const { invitation, user } = await withDeps(flags, (deps) => acceptInvitation(deps.ctx, { invitationId: id }));
      const target =
        invitation.kind === 'project' ? `project ${invitation.projectName}` : `organization ${invitation.orgName}`;
      printResult(
        Boolean(flags.json),
        { invitationId: invitation.id, status: 'ACCEPTED', userId: user.id, username: user.username },
        () => `Accepted: ${user.username} is now a member of the ${target}.`,
      );
    });

  storeOptions(invitations.command('decline'))
    .description('decline an invitation as its invitee would')
    .requiredOption('--id <invitationId>', 'invitation id')
    .action(async (flags: StoreFlags & { id: string }) => {
      const id = checkedId(flags.id);
      const invitation = await withDeps(flags, (deps) => declineInvitation(deps.ctx, { invitationId: id }));
      printResult(
        Boolean(flags.json),
        { invitationId: invitation.id, status: 'DECLINED', username: invitation.username },
        () => `Declined: ${invitation.username} will not join.`,
      );
    });
}
