import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DomainContext } from '../../domain/context.ts';
import { acceptInvitation, declineInvitation } from '../../domain/invitations/lifecycle.service.ts';
import { linksInMail, openMail } from '../../domain/mail/invitation-mail.ts';
import { atlasError } from '../../errors/atlas-error.ts';
import { decodedPath } from '../route-path.ts';
import { atlasDate } from '../../lib/dates.ts';
import type { MovableClock } from '../../lib/clock.ts';
import { isObjectId } from '../../lib/object-id.ts';
import type { OutboxWorker } from '../../mail/outbox-worker.ts';
import { listSentMail } from '../../storage/repositories/outbox.repository.ts';
import { readBody } from '../body-shape.ts';
import { OPEN_PATHS } from '../ops/health-routes.ts';
import { stringQuery } from '../params.ts';
import { jsonReply } from '../json-reply.ts';
import { moveClock } from './clock-move.ts';

const PREFIX = '/_cloud-invites';

/**
 * `/_cloud-invites/…`, for test suites and operators: the clock, the captured mailbox, and the
 * invitee's answers for automation. Only with `--control-plane`; every call needs
 * `Authorization: Bearer <control token>`.
 */
export function registerControlRoutes(
  app: FastifyInstance,
  deps: { ctx: DomainContext; clock: MovableClock; token: string; outbox: OutboxWorker },
): void {
  const expected = Buffer.from(deps.token);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const guarded =
      // Decoded as the router decodes, so `/%5Fcloud-invites/…` cannot slip past the token check.
      request.routeOptions.url?.startsWith(`${PREFIX}/`) || decodedPath(request.url).toLowerCase().startsWith(PREFIX);
    if (!guarded || OPEN_PATHS.has(request.routeOptions.url ?? '')) return;
    const given = Buffer.from(/^Bearer +(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      reply.header('www-authenticate', 'Bearer realm="cloud-invites control plane"');
      throw atlasError('USER_UNAUTHORIZED');
    }
  });

  const clockBody = () => ({ now: atlasDate(deps.clock.now()) });
  app.get('/_cloud-invites/clock', async (_request, reply) => jsonReply(reply, 200, clockBody()));
  app.post('/_cloud-invites/clock', async (request, reply) => {
    const body = readBody(request.body, { fields: { advanceSeconds: 'number', set: 'string' } });
    moveClock(deps.clock, body);
    return jsonReply(reply, 200, clockBody());
  });

  app.get('/_cloud-invites/mailbox', async (request, reply) => {
    await deps.outbox.drain();
    const mails = (await listSentMail(deps.ctx.db, { to: stringQuery(request, 'to') || undefined })).map((m) =>
      openMail(m, deps.ctx.secrets),
    );
    return jsonReply(
      reply,
      200,
      mails.map((m) => ({
        id: m.id,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        sentAt: m.sentAt && atlasDate(m.sentAt),
        ...linksInMail(m.text),
      })),
    );
  });

  for (const answer of ['accept', 'decline'] as const) {
    app.post(`/_cloud-invites/invitations/:invitationId/${answer}`, async (request, reply) => {
      const invitationId = (request.params as { invitationId: string }).invitationId;
      if (!isObjectId(invitationId)) throw atlasError('INVALID_INVITATION_ID', invitationId);
      if (answer === 'accept') {
        const { invitation, user } = await acceptInvitation(deps.ctx, { invitationId });
        return jsonReply(reply, 200, {
          invitationId: invitation.id,
          status: 'ACCEPTED',
          userId: user.id,
          username: user.username,
        });
      }
      const invitation = await declineInvitation(deps.ctx, { invitationId });
      return jsonReply(reply, 200, { invitationId: invitation.id, status: 'DECLINED', username: invitation.username });
    });
  }
}
