import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type AuditEvent, EVENT_TYPES as ALL_EVENT_TYPES } from '../../domain/events/event.ts';
import { type EventFilter, listGroupEvents, listOrgEvents } from '../../domain/events/event-query.service.ts';
import { getOrgFor } from '../../domain/orgs/org.service.ts';
import { getProjectFor } from '../../domain/projects/project.service.ts';
import { orgTabs, projectTabs } from './access-views.ts';
import type { ConsoleDeps } from './deps.ts';
import { type Html, html } from './html.ts';
import { personIn } from './person.ts';
import { render } from './respond.ts';
import type { ConsoleState } from './state.ts';
import { PAGE_SIZE, pageParam, pager, table, when } from './widgets.ts';

const EVENT_TYPES: readonly string[] = ALL_EVENT_TYPES;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

interface EventQuery {
  eventType: string;
  from: string;
  to: string;
}

/** The filter form's values, kept only when well formed (a bad date is ignored, as if not given). */
function queryOf(request: FastifyRequest): EventQuery {
  const q = request.query as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    eventType: EVENT_TYPES.includes(str(q.eventType)) ? str(q.eventType) : '',
    from: DAY.test(str(q.from)) && !Number.isNaN(Date.parse(str(q.from))) ? str(q.from) : '',
    to: DAY.test(str(q.to)) && !Number.isNaN(Date.parse(str(q.to))) ? str(q.to) : '',
  };
}

function filterOf(q: EventQuery): EventFilter {
  return {
    eventTypes: q.eventType ? [q.eventType] : undefined,
    minDate: q.from ? new Date(`${q.from}T00:00:00Z`) : undefined,
    maxDate: q.to ? new Date(`${q.to}T23:59:59Z`) : undefined,
  };
}

function eventsBody(
  s: ConsoleState,
  action: string,
  q: EventQuery,
  page: { items: AuditEvent[]; total: number },
): Html {
  const form = html`<form method="get" action="${action}" class="filters" role="search">
<label for="ev-type">${s.t('events.type')}<select id="ev-type" name="eventType"><option value="">${s.t('events.anyType')}</option>${EVENT_TYPES.map((t) => html`<option value="${t}"${t === q.eventType ? html` selected` : ''}>${t}</option>`)}</select></label>
<label for="ev-from">${s.t('events.from')}<input id="ev-from" name="from" type="date" value="${q.from}"></label>
<label for="ev-to">${s.t('events.to')}<input id="ev-to" name="to" type="date" value="${q.to}"></label>
<button type="submit">${s.t('events.filter')}</button></form>`;
  const rows = page.items.map(
    (e) =>
      html`<tr data-event="${e.eventType}"><td data-label="${s.t('events.when')}">${when(e.createdAt)}</td><td data-label="${s.t('events.type')}"><code>${e.eventType}</code></td><td data-label="${s.t('events.by')}">${e.username ?? e.publicKey ?? ''}</td><td data-label="${s.t('events.target')}">${e.targetUsername ?? ''}</td><td data-label="${s.t('events.address')}">${e.remoteAddress ?? ''}</td></tr>`,
  );
  const headers = [
    s.t('events.when'),
    s.t('events.type'),
    s.t('events.by'),
    s.t('events.target'),
    s.t('events.address'),
  ];
  return html`${form}<p class="muted" role="status">${s.t('events.total', { n: page.total })}</p>${table(s.t('events.title'), headers, rows, s.t('events.none'), 'events')}`;
}

/** The activity feeds of an organization and a project, newest first, filtered by type and dates. */
export function registerEventRoutes(scope: FastifyInstance, deps: ConsoleDeps): void {
  const { ctx } = deps;
  const pageOf = (request: FastifyRequest) => ({
    pageNum: pageParam(request.query, 'page'),
    itemsPerPage: PAGE_SIZE * 2,
  });

  scope.get('/orgs/:orgId/events', async (request, reply) => {
    const s = request.console;
    const { orgId } = request.params as { orgId: string };
    const me = await personIn(ctx, request, { orgId });
    const org = await getOrgFor(ctx, me.principal, orgId, 'ORG_MEMBER');
    const q = queryOf(request);
    const page = await listOrgEvents(ctx, me.principal, orgId, filterOf(q), pageOf(request));
    return render(deps, request, reply, {
      title: `${org.name} · ${s.t('events.title')}`,
      context: html`${s.t('org.kind')}`,
      tabs: orgTabs(s, orgId, 'events'),
      body: html`${eventsBody(s, `/console/orgs/${orgId}/events`, q, page)}${pager(s, request.url, 'page', pageParam(request.query, 'page'), page.total, PAGE_SIZE * 2)}`,
    });
  });

  scope.get('/projects/:projectId/events', async (request, reply) => {
    const s = request.console;
    const { projectId } = request.params as { projectId: string };
    const me = await personIn(ctx, request, { projectId });
    const project = await getProjectFor(ctx, me.principal, projectId, 'GROUP_READ_ONLY');
    const q = queryOf(request);
    const page = await listGroupEvents(ctx, me.principal, projectId, filterOf(q), pageOf(request));
    return render(deps, request, reply, {
      title: `${project.name} · ${s.t('events.title')}`,
      context: html`${s.t('project.kind')}`,
      tabs: projectTabs(s, projectId, 'events'),
      body: html`${eventsBody(s, `/console/projects/${projectId}/events`, q, page)}${pager(s, request.url, 'page', pageParam(request.query, 'page'), page.total, PAGE_SIZE * 2)}`,
    });
  });
}
