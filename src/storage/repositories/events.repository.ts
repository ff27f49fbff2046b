import type { Kysely, Selectable } from 'kysely';
import type { AuditEvent, EventQuery } from '../../domain/events/event.ts';
import { chunksOf } from '../batch.ts';
import { instant } from '../codec.ts';
import type { Database, EventsTable } from '../schema.ts';

type Executor = Kysely<Database>;

const toEvent = (row: Selectable<EventsTable>): AuditEvent => ({
  id: row.id,
  orgId: row.org_id,
  projectId: row.project_id,
  eventType: row.event_type,
  createdAt: instant.decode(row.created_at),
  apiKeyId: row.api_key_id,
  publicKey: row.public_key,
  userId: row.user_id,
  username: row.username,
  targetUsername: row.target_username,
  remoteAddress: row.remote_address,
});

const toRow = (e: AuditEvent) => ({
  id: e.id,
  org_id: e.orgId,
  project_id: e.projectId,
  event_type: e.eventType,
  created_at: instant.encode(e.createdAt),
  api_key_id: e.apiKeyId,
  public_key: e.publicKey,
  user_id: e.userId,
  username: e.username,
  target_username: e.targetUsername,
  remote_address: e.remoteAddress,
});

export async function insertEvent(db: Executor, e: AuditEvent): Promise<void> {
  await db.insertInto('events').values(toRow(e)).execute();
}

/** Events, many at a time (bulk loads): multi-row inserts. */
export async function insertEventsBatch(db: Executor, events: readonly AuditEvent[]): Promise<void> {
  for (const chunk of chunksOf(events, 11)) await db.insertInto('events').values(chunk.map(toRow)).execute();
}

/** Newest first, as Atlas lists events. */
export async function listEvents(db: Executor, q: EventQuery): Promise<{ items: AuditEvent[]; total: number }> {
  let base = db.selectFrom('events');
  base = q.projectId
    ? base.where('project_id', '=', q.projectId)
    : base.where('org_id', '=', q.orgId ?? '').where('project_id', 'is', null);
  if (q.eventTypes && q.eventTypes.length > 0) base = base.where('event_type', 'in', [...q.eventTypes]);
  if (q.excludedEventTypes && q.excludedEventTypes.length > 0)
    base = base.where('event_type', 'not in', [...q.excludedEventTypes]);
  if (q.minDate) base = base.where('created_at', '>=', instant.encode(q.minDate));
  if (q.maxDate) base = base.where('created_at', '<=', instant.encode(q.maxDate));
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .offset(q.offset)
    .limit(q.limit)
    .execute();
  return { items: rows.map(toEvent), total: Number(total) };
}

export async function findEvent(db: Executor, id: string): Promise<AuditEvent | undefined> {
  const row = await db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toEvent(row);
}
