import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditEvent } from '../../../domain/events/event.ts';
import type { DomainContext } from '../../../domain/context.ts';
import * as events from '../../../domain/events/event-query.service.ts';
import { baseUrl } from '../../links.ts';
import { idParam, type PageQuery, pageQuery } from '../../params.ts';
import { GROUP_EVENTS_V2, ORG_EVENTS_V2 } from '../../resources.ts';
import { route, type Surface } from '../../route.ts';
import { queryFlag, sendEntity } from '../../wire.ts';
import { eventPageLinks, toEvent } from './mapper.ts';
import { clusterNamesQuery, dateQuery, echoDate, eventIdParam, listQuery } from './params.ts';

/** The filters of a list request, and how the self link echoes them (alphabetical, then the page). */
function readFilter(
  request: FastifyRequest,
  page: PageQuery,
  project: boolean,
): { filter: events.EventFilter; query: string } {
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
export function registerEventRoutes(api: Surface, ctx: DomainContext, publicUrl?: string): void {
  /** One page of a project's or an organization's feed: the next link only while more remain. */
  const sendEventPage = (
    call: { request: FastifyRequest },
    reply: FastifyReply,
    path: string,
    page: PageQuery,
    query: string,
    result: { items: readonly AuditEvent[]; total: number },
  ) => {
    const base = baseUrl(call.request, publicUrl);
    return sendEntity(call.request, reply, 200, {
      links: eventPageLinks({ base, path, query, ...page, more: page.pageNum * page.itemsPerPage < result.total }),
      results: result.items.map((e) => toEvent(e, base)),
      totalCount: page.includeCount ? result.total : 0,
    });
  };

  const group = { resource: GROUP_EVENTS_V2, permission: 'Project Read Only' } as const;
  const org = { resource: ORG_EVENTS_V2, permission: 'Organization Member' } as const;

  route(
    api,
    { operationId: 'listGroupEvents', method: 'GET', path: '/groups/:groupId/events', ...group },
    async function listGroupEvents(call, reply) {
      const { request } = call;
      const groupId = idParam(call, 'groupId');
      const page = pageQuery(request);
      const { filter, query } = readFilter(request, page, true);
      const result = await events.listGroupEvents(ctx, call.principal, groupId, filter, page);
      return sendEventPage(call, reply, `/api/atlas/v2/groups/${groupId}/events`, page, query, result);
    },
  );

  route(
    api,
    { operationId: 'getGroupEvent', method: 'GET', path: '/groups/:groupId/events/:eventId', ...group },
    async function getGroupEvent(call, reply) {
      const groupId = idParam(call, 'groupId');
      const event = await events.getGroupEvent(ctx, call.principal, groupId, eventIdParam(call));
      return sendEntity(call.request, reply, 200, toEvent(event, baseUrl(call.request, publicUrl)));
    },
  );

  route(
    api,
    { operationId: 'listOrgEvents', method: 'GET', path: '/orgs/:orgId/events', ...org },
    async function listOrgEvents(call, reply) {
      const { request } = call;
      const orgId = idParam(call, 'orgId');
      const page = pageQuery(request);
      const { filter, query } = readFilter(request, page, false);
      const result = await events.listOrgEvents(ctx, call.principal, orgId, filter, page);
      return sendEventPage(call, reply, `/api/atlas/v2/orgs/${orgId}/events`, page, query, result);
    },
  );

  route(
    api,
    { operationId: 'getOrgEvent', method: 'GET', path: '/orgs/:orgId/events/:eventId', ...org },
    async function getOrgEvent(call, reply) {
      const orgId = idParam(call, 'orgId');
      const event = await events.getOrgEvent(ctx, call.principal, orgId, eventIdParam(call));
      return sendEntity(call.request, reply, 200, toEvent(event, baseUrl(call.request, publicUrl)));
    },
  );
}
