import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DomainContext } from '../../domain/context.ts';
import { acceptInvitation, declineInvitation, pendingInvitation } from '../../domain/invitations/lifecycle.service.ts';
import { AtlasError } from '../../errors/atlas-error.ts';
import { atlasDate } from '../../lib/dates.ts';
import { invitationPage, resultPage } from './page.ts';

const html = (reply: FastifyReply, status: number, body: string) =>
  reply.code(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(Buffer.from(body));

/**
 * What the invitee sees when a link is stale: accepted, declined, deleted, expired or never valid;
 * anything unexpected is logged and shown as a page too (the invitee is in a browser, not a client).
 */
function unavailable(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  if (!(err instanceof AtlasError)) {
    request.log.error({ err }, 'invitation page failed');
    return html(reply, 500, resultPage('Something went wrong', 'The invitation could not be answered. Try again later.'));
  }
  const expired = err.errorCode === 'VALIDATION_ERROR' && err.detail.includes(' expired at ');
  return html(
    reply,
    expired ? 410 : 404,
    resultPage(
      expired ? 'This invitation has expired' : 'This invitation is no longer available',
      expired
        ? 'Invitations are valid for 30 days. Ask the person who invited you to send a new one.'
        : 'It was already accepted, declined or cancelled, or the link is incomplete.',
    ),
  );
}

/**
 * The invitee's side: `GET /console/invitations/{token}` shows the invitation, and the mail's
 * accept/decline links open the same page asking for that one answer; answers are POSTs, so a mail
 * scanner that follows links changes nothing.
 */
export function registerConsoleRoutes(app: FastifyInstance, ctx: DomainContext): void {
  for (const ask of ['both', 'accept', 'decline'] as const) {
    const suffix = ask === 'both' ? '' : `/${ask}`;
    app.get(`/console/invitations/:token${suffix}`, async (request, reply) => {
      const { token } = request.params as { token: string };
      try {
        const inv = await pendingInvitation(ctx, { token });
        const base = `/console/invitations/${encodeURIComponent(token)}`;
        const view = {
          kind: inv.kind,
          target: inv.kind === 'project' ? (inv.projectName as string) : inv.orgName,
          orgName: inv.orgName,
          username: inv.username,
          inviter: inv.inviterUsername,
          roles: inv.roles,
          expiresAt: atlasDate(inv.expiresAt),
        };
        return html(reply, 200, invitationPage(view, { accept: `${base}/accept`, decline: `${base}/decline` }, ask));
      } catch (err) {
        return unavailable(request, reply, err);
      }
    });
  }

  app.post('/console/invitations/:token/accept', async (request, reply) => {
    const { token } = request.params as { token: string };
    try {
      const { invitation } = await acceptInvitation(ctx, { token });
      const target = invitation.kind === 'project' ? `project ${invitation.projectName}` : `organization ${invitation.orgName}`;
      return html(reply, 200, resultPage('Invitation accepted', `You are now a member of the ${target} as ${invitation.username}.`));
    } catch (err) {
      return unavailable(request, reply, err);
    }
  });

  app.post('/console/invitations/:token/decline', async (request, reply) => {
    const { token } = request.params as { token: string };
    try {
      const invitation = await declineInvitation(ctx, { token });
      return html(reply, 200, resultPage('Invitation declined', `${invitation.username} will not join. You can close this page.`));
    } catch (err) {
      return unavailable(request, reply, err);
    }
  });
}
