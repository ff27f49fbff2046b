import { atlasError } from '../../errors/atlas-error.ts';
import { findEvent, listEvents } from '../../storage/repositories/events.repository.ts';
import type { DomainContext } from '../context.ts';
import { getOrgFor } from '../orgs/org.service.ts';
import type { Principal } from '../principal.ts';
import { getProjectFor, type Page, type PageRequest } from '../projects/project.service.ts';
import type { AuditEvent } from './event.ts';

/** The Events API's filters (listGroupEvents / listOrgEvents query parameters). */
export interface EventFilter {
  readonly eventTypes?: readonly string[];
  /** listGroupEvents only. */
  readonly excludedEventTypes?: readonly string[];
  /** listGroupEvents only: no event written here names a cluster, so any name matches nothing. */
  readonly clusterNames?: readonly string[];
  readonly minDate?: Date;
  readonly maxDate?: Date;
}

const notFound = (eventId: string) => atlasError('RESOURCE_NOT_FOUND', `event ${eventId}`);

/** listGroupEvents: the project's events, newest first; Project Read Only. */
export async function listGroupEvents(
  ctx: DomainContext,
  principal: Principal,
  projectId: string,
  filter: EventFilter,
  page: PageRequest,
): Promise<Page<AuditEvent>> {
  await getProjectFor(ctx, principal, projectId, 'GROUP_READ_ONLY');
  if (filter.clusterNames && filter.clusterNames.length > 0) return { items: [], total: 0 };
  return listEvents(ctx.db, {
    projectId,
    eventTypes: filter.eventTypes,
    excludedEventTypes: filter.excludedEventTypes,
    minDate: filter.minDate,
    maxDate: filter.maxDate,
    offset: (page.pageNum - 1) * page.itemsPerPage,
    limit: page.itemsPerPage,
  });
}

/** getGroupEvent: one event of this project; anything else (another project's, an org event) is not found. */
export async function getGroupEvent(
  ctx: DomainContext,
  principal: Principal,
  projectId: string,
  eventId: string,
): Promise<AuditEvent> {
  await getProjectFor(ctx, principal, projectId, 'GROUP_READ_ONLY');
  const event = await findEvent(ctx.db, eventId);
  if (!event || event.projectId !== projectId) throw notFound(eventId);
  return event;
}

/** listOrgEvents: the organization's own events (not its projects'), newest first; Organization Member. */
export async function listOrgEvents(
  ctx: DomainContext,
  principal: Principal,
  orgId: string,
  filter: EventFilter,
  page: PageRequest,
): Promise<Page<AuditEvent>> {
  await getOrgFor(ctx, principal, orgId, 'ORG_MEMBER');
  return listEvents(ctx.db, {
    orgId,
    eventTypes: filter.eventTypes,
    minDate: filter.minDate,
    maxDate: filter.maxDate,
    offset: (page.pageNum - 1) * page.itemsPerPage,
    limit: page.itemsPerPage,
  });
}

/** getOrgEvent: one organization-level event of this org. */
export async function getOrgEvent(
  ctx: DomainContext,
  principal: Principal,
  orgId: string,
  eventId: string,
): Promise<AuditEvent> {
  await getOrgFor(ctx, principal, orgId, 'ORG_MEMBER');
  const event = await findEvent(ctx.db, eventId);
  if (!event || event.orgId !== orgId || event.projectId !== null) throw notFound(eventId);
  return event;
}
