import type { Kysely } from 'kysely';
import { wholeSeconds } from '../../lib/dates.ts';
import { insertEvent } from '../../storage/repositories/events.repository.ts';
import type { Database } from '../../storage/schema.ts';
import type { Actor } from '../actor.ts';
import type { DomainContext } from '../context.ts';
import type { EventType } from './event.ts';

/**
 * Writes one audit event with the executor it is given: pass the transaction that makes the change,
 * so the event exists exactly when the change does.
 */
export async function recordEvent(
  db: Kysely<Database>,
  ctx: DomainContext,
  e: {
    type: EventType;
    orgId: string;
    projectId?: string | null;
    actor?: Actor | null;
    targetUsername?: string | null;
    userId?: string | null;
    username?: string | null;
  },
): Promise<void> {
  const p = e.actor?.principal;
  await insertEvent(db, {
    id: ctx.ids.next(),
    orgId: e.orgId,
    projectId: e.projectId ?? null,
    eventType: e.type,
    createdAt: wholeSeconds(ctx.clock.now()),
    apiKeyId: p && p.kind !== 'user' ? p.id : null,
    publicKey: p?.kind === 'apiKey' ? p.username : null,
    // A person acting in the console is the user who triggered the event (the target stays in targetUsername).
    userId: p?.kind === 'user' ? p.id : (e.userId ?? null),
    username: p?.kind === 'user' ? p.username : (e.username ?? (p?.kind === 'serviceAccount' ? p.username : null)),
    targetUsername: e.targetUsername ?? null,
    remoteAddress: e.actor?.remoteAddress ?? null,
  });
}
