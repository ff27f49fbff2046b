import type { AuditEvent } from '../../../domain/events/event.ts';
import { atlasDate } from '../../../lib/dates.ts';
import type { Link } from '../../links.ts';

/**
 * A user event as Atlas sends it: alphabetical keys, absent fields left out, `isGlobalAdmin:false`.
 * Project events carry `groupId` and no `orgId`; organization events carry `orgId` and a self link
 * under `groups/null` (both as recorded live, `generic/events` snapshots).
 */
export function toEvent(e: AuditEvent, base: string) {
  const out: Record<string, unknown> = {};
  if (e.apiKeyId) out.apiKeyId = e.apiKeyId;
  out.created = atlasDate(e.createdAt);
  out.eventTypeName = e.eventType;
  if (e.projectId) out.groupId = e.projectId;
  out.id = e.id;
  out.isGlobalAdmin = false;
  out.links = [
    { href: `${base}/api/atlas/v2/groups/${e.projectId ?? 'null'}/events/${e.id}`, rel: 'self' },
  ] satisfies Link[];
  if (!e.projectId && e.orgId) out.orgId = e.orgId;
  if (e.publicKey) out.publicKey = e.publicKey;
  if (e.remoteAddress) out.remoteAddress = e.remoteAddress;
  if (e.targetUsername) out.targetUsername = e.targetUsername;
  if (e.userId) out.userId = e.userId;
  if (e.username) out.username = e.username;
  return out;
}

export interface EventPageLinksInput {
  base: string;
  path: string;
  /** The filters as Atlas echoes them, already encoded (`includeCount=false&includeRaw=false&minDate=…`). */
  query: string;
  pageNum: number;
  itemsPerPage: number;
  /** Whether a page follows this one. */
  more: boolean;
}

/**
 * The events list's links. Recorded self link: `…/events?includeCount=false&includeRaw=false&
 * minDate=2026-05-31T03%3A32%3A03Z&pageNum=1&itemsPerPage=100`: the request's filters, then the
 * page. previous/next put `itemsPerPage` before `pageNum`, as Atlas's other lists do.
 */
export function eventPageLinks(p: EventPageLinksInput): Link[] {
  const url = `${p.base}${p.path}?${p.query}&`;
  const at = (n: number) => `${url}itemsPerPage=${p.itemsPerPage}&pageNum=${n}`;
  const links: Link[] = [];
  if (p.pageNum > 1) links.push({ href: at(p.pageNum - 1), rel: 'previous' });
  links.push({ href: `${url}pageNum=${p.pageNum}&itemsPerPage=${p.itemsPerPage}`, rel: 'self' });
  if (p.more) links.push({ href: at(p.pageNum + 1), rel: 'next' });
  return links;
}
