import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasConsoleAccount, setConsolePassword, startSession } from '../../domain/console/console-accounts.service.ts';
import { spentLinkOutcome } from '../../domain/console/invitation-state.ts';
import { passwordProblem } from '../../domain/console/passwords.ts';
import type { Invitation } from '../../domain/invitations/invitation.ts';
import { acceptInvitation, declineInvitation, pendingInvitation } from '../../domain/invitations/lifecycle.service.ts';
import { AtlasError } from '../../errors/atlas-error.ts';
import { findUserByUsername } from '../../storage/repositories/users.repository.ts';
import { startSessionCookie } from './auth-routes.ts';
import type { ConsoleDeps } from './deps.ts';
import { html } from './html.ts';
import { type Ask, invitationBody, targetText, wrongAccountBody } from './invitee-views.ts';
import { render } from './respond.ts';
import { field } from './widgets.ts';

const tokenOf = (request: FastifyRequest) => (request.params as { token: string }).token;

/**
 * The invitee's side: `/console/invitations/{token}` shows the invitation (the mail's accept and
 * decline links open the same page asking for that one answer); answers are POSTs, so a mail
 * scanner that follows links changes nothing. Clear states: valid, expired, already accepted,
 * declined, cancelled, and "signed in as someone else". An invitee without a console account
 * chooses a password when accepting, and is signed in.
 */
export function registerInviteeRoutes(scope: FastifyInstance, deps: ConsoleDeps): void {
  const { ctx } = deps;

  const samePerson = (request: FastifyRequest, inv: Invitation) =>
    !request.console.user || request.console.user.username.toLowerCase() === inv.username.toLowerCase();

  const needsPassword = async (inv: Invitation) => {
    const user = await findUserByUsername(ctx.db, inv.username);
    return !(user && (await hasConsoleAccount(ctx, user.id)));
  };

  /** A link that opens no pending invitation: expired (410), or what became of it (404). */
  async function unavailable(request: FastifyRequest, reply: FastifyReply, err: unknown) {
    if (!(err instanceof AtlasError)) throw err;
    const s = request.console;
    const page = (title: string, text: string, status: number) =>
      render(deps, request, reply, { title, body: html`<p class="muted">${text}</p>`, narrow: true }, status);
    if (err.errorCode === 'VALIDATION_ERROR' && err.detail.includes(' expired at '))
      return page(s.t('invitation.expiredTitle'), s.t('invitation.expiredText'), 410);
    const spent = await spentLinkOutcome(ctx, tokenOf(request));
    if (spent?.outcome === 'accepted') {
      return render(
        deps,
        request,
        reply,
        {
          title: s.t('invitation.alreadyTitle'),
          body: html`<p class="muted">${s.t('invitation.alreadyText', { user: spent.username })}</p><p><a class="button" href="/console/">${s.t('invitation.openConsole')}</a></p>`,
          narrow: true,
        },
        404,
      );
    }
    if (spent?.outcome === 'cancelled')
      return page(s.t('invitation.cancelledTitle'), s.t('invitation.cancelledText'), 404);
    if (spent?.outcome === 'declined')
      return page(s.t('invitation.declinedTitle'), s.t('invitation.declinedLink'), 404);
    return page(s.t('invitation.goneTitle'), s.t('invitation.goneText'), 404);
  }

  const showInvitation = async (
    request: FastifyRequest,
    reply: FastifyReply,
    inv: Invitation,
    ask: Ask,
    error: string | null,
    status: number,
  ) => {
    const s = request.console;
    const base = `/console/invitations/${encodeURIComponent(tokenOf(request))}`;
    if (!samePerson(request, inv))
      return render(
        deps,
        request,
        reply,
        { title: s.t('invitation.wrongTitle'), body: wrongAccountBody(s, inv), narrow: true },
        409,
      );
    const body = invitationBody(s, inv, base, ask, await needsPassword(inv), error);
    return render(deps, request, reply, { title: s.t('invitation.title'), body, narrow: true }, status);
  };

  for (const ask of ['both', 'accept', 'decline'] as const) {
    scope.get(`/invitations/:token${ask === 'both' ? '' : `/${ask}`}`, async (request, reply) => {
      try {
        return await showInvitation(
          request,
          reply,
          await pendingInvitation(ctx, { token: tokenOf(request) }),
          ask,
          null,
          200,
        );
      } catch (err) {
        return unavailable(request, reply, err);
      }
    });
  }

  scope.post('/invitations/:token/accept', async (request, reply) => {
    const s = request.console;
    const token = tokenOf(request);
    let inv: Invitation;
    try {
      inv = await pendingInvitation(ctx, { token });
    } catch (err) {
      return unavailable(request, reply, err);
    }
    if (!samePerson(request, inv)) return showInvitation(request, reply, inv, 'accept', null, 409);
    // The page asks a newcomer for a password (the field is required there); a client that sends
    // no password field at all (automation, curl) accepts without making a console account.
    const given = typeof (request.body as Record<string, unknown> | undefined)?.password === 'string';
    const password = given && (await needsPassword(inv)) ? field(request.body, 'password') : null;
    if (password !== null) {
      if (passwordProblem(password))
        return showInvitation(request, reply, inv, 'accept', s.t('invitation.passwordShort'), 400);
      if (password !== field(request.body, 'confirm'))
        return showInvitation(request, reply, inv, 'accept', s.t('invitation.passwordMismatch'), 400);
    }
    let accepted: Invitation;
    try {
      accepted = (await acceptInvitation(ctx, { token })).invitation;
    } catch (err) {
      return unavailable(request, reply, err);
    }
    if (password !== null) {
      const set = await setConsolePassword(ctx, accepted.username, password);
      if (set.ok) startSessionCookie(reply, s, await startSession(ctx, set.user.id));
    }
    const where =
      accepted.kind === 'project' ? `/console/projects/${accepted.projectId}` : `/console/orgs/${accepted.orgId}`;
    const next = s.user || password !== null ? where : `/console/sign-in?next=${encodeURIComponent(where)}`;
    return render(deps, request, reply, {
      title: s.t('invitation.accepted'),
      body: html`<p class="muted">${s.t('invitation.acceptedText', { target: targetText(s, accepted), user: accepted.username })}</p><p><a class="button" href="${next}">${s.t('invitation.openConsole')}</a></p>`,
      narrow: true,
    });
  });

  scope.post('/invitations/:token/decline', async (request, reply) => {
    const s = request.console;
    try {
      const inv = await pendingInvitation(ctx, { token: tokenOf(request) });
      if (!samePerson(request, inv)) return showInvitation(request, reply, inv, 'decline', null, 409);
      const declined = await declineInvitation(ctx, { token: tokenOf(request) });
      return render(deps, request, reply, {
        title: s.t('invitation.declined'),
        body: html`<p class="muted">${s.t('invitation.declinedText', { user: declined.username })}</p>`,
        narrow: true,
      });
    } catch (err) {
      return unavailable(request, reply, err);
    }
  });
}
