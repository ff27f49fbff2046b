import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DomainContext } from '../../../domain/context.ts';
import * as events from '../../../domain/events/event-query.service.ts';
import type { Principal } from '../../../domain/principal.ts';
import { baseUrl } from '../../links.ts';
import { idParam, type PageQuery, pageQuery } from '../../params.ts';
import { GROUP_EVENTS_V2, ORG_EVENTS_V2 } from '../../resources.ts';
import { queryFlag, sendEntity } from '../../wire.ts';
import { eventPageLinks, toEvent } from './mapper.ts';
import { clusterNamesQuery, dateQuery, echoDate, eventIdParam, listQuery } from './params.ts';

const principalOf = (request: FastifyRequest): Principal => request.principal as Principal;

/** The filters of a list request, and how the self link echoes them (alphabetical, then the page). */
function readFilter(request: FastifyRequest, page: PageQuery, project: boolean): { filter: events.EventFilter; query: string } {
  const clusterNames = project ? clusterNamesQuery(request) : [];
  const eventTypes = listQuery(request, 'eventType');
  const excludedEventTypes = project ? listQuery(request, 'excludedEventType') : [];
  const maxDate = dateQuery(request, 'maxDate');
  const minDate = dateQuery(request, 'minDate');
  const q: string[] = [];
  const add = (name: string, value: string) => q.push(`${name}=${encodeURIComponent(value)}`);
  for (const c of clusterNames) add('clusterNames', c);
  for (const t of eventTypes) add('eventType', t);
  for (const t of excludedEventTypes) add('excludedEventType', t);
  add('includeCount', String(page.includeCount));
  add('includeRaw', String(queryFlag(request, 'includeRaw')));
  if (maxDate) add('maxDate', echoDate(maxDate));
  if (minDate) add('minDate', echoDate(minDate));
  return { filter: { clusterNames, eventTypes, excludedEventTypes, minDate, maxDate }, query: q.join('&') };
}

/**
 * The Events API for the events this server writes (invitations, joins, role changes):
 * listGroupEvents / getGroupEvent (Project Read Only) and listOrgEvents / getOrgEvent
 * (Organization Member), v2 only, 2023-01-01.
 */
export function registerEventRoutes(app: FastifyInstance, ctx: DomainContext, publicUrl?: string): void {
  app.get('/api/atlas/v2/groups/:groupId/events', { config: { resource: GROUP_EVENTS_V2 } }, async function listGroupEvents(request, reply) {
    const groupId = idParam(request, 'groupId');
    const page = pageQuery(request);
    const { filter, query } = readFilter(request, page, true);
    const result = await events.listGroupEvents(ctx, principalOf(request), groupId, filter, page);
    const base = baseUrl(request, publicUrl);
    return sendEntity(request, reply, 200, {
      links: eventPageLinks({ base, path: `/api/atlas/v2/groups/${groupId}/events`, query, ...page, more: page.pageNum * page.itemsPerPage < result.total }),
      results: result.items.map((e) => toEvent(e, base)),
      totalCount: page.includeCount ? result.total : 0,
    });
  });

  app.get('/api/atlas/v2/groups/:groupId/events/:eventId', { config: { resource: GROUP_EVENTS_V2 } }, async function getGroupEvent(request, reply) {
    const groupId = idParam(request, 'groupId');
    const event = await events.getGroupEvent(ctx, principalOf(request), groupId, eventIdParam(request));
    return sendEntity(request, reply, 200, toEvent(event, baseUrl(request, publicUrl)));
  });

  app.get('/api/atlas/v2/orgs/:orgId/events', { config: { resource: ORG_EVENTS_V2 } }, async function listOrgEvents(request, reply) {
    const orgId = idParam(request, 'orgId');
    const page = pageQuery(request);
    const { filter, query } = readFilter(request, page, false);
    const result = await events.listOrgEvents(ctx, principalOf(request), orgId, filter, page);
    const base = baseUrl(request, publicUrl);
    return sendEntity(request, reply, 200, {
      links: eventPageLinks({ base, path: `/api/atlas/v2/orgs/${orgId}/events`, query, ...page, more: page.pageNum * page.itemsPerPage < result.total }),
      results: result.items.map((e) => toEvent(e, base)),
      totalCount: page.includeCount ? result.total : 0,
    });
  });

  app.get('/api/atlas/v2/orgs/:orgId/events/:eventId', { config: { resource: ORG_EVENTS_V2 } }, async function getOrgEvent(request, reply) {
    const orgId = idParam(request, 'orgId');
    const event = await events.getOrgEvent(ctx, principalOf(request), orgId, eventIdParam(request));
    return sendEntity(request, reply, 200, toEvent(event, baseUrl(request, publicUrl)));
  });
}
