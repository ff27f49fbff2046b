import type { FastifyRequest } from 'fastify';
import { atlasError } from '../errors/atlas-error.ts';
import { isObjectId } from '../lib/object-id.ts';

type IdKind = 'groupId' | 'orgId' | 'invitationId';
const INVALID = {
  groupId: 'INVALID_GROUP_ID',
  orgId: 'INVALID_ORG_ID',
  invitationId: 'INVALID_INVITATION_ID',
} as const;

/** Where a path parameter comes from: a route's call (or anything with the router's `params` and the request). */
export interface PathCall {
  readonly params: unknown;
  readonly request: { readonly url: string };
}

/** A path parameter as the router handed it over ('' when absent). */
export function pathParam(from: { readonly params: unknown }, name: string): string {
  return (from.params as Record<string, string>)[name] ?? '';
}

/** The request path without its query: what Atlas's PATH_PARAM_PARSE_ERROR names. */
export const requestPath = (from: PathCall): string => from.request.url.split('?')[0];

/** A 24-hex path id, or Atlas's 404 for a malformed one (`INVALID_GROUP_ID`, …). */
export function idParam(from: { readonly params: unknown }, name: IdKind): string {
  const value = pathParam(from, name);
  if (!isObjectId(value)) throw atlasError(INVALID[name], value);
  return value;
}

export function stringQuery(request: FastifyRequest, name: string): string | undefined {
  const v = (request.query as Record<string, unknown>)[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s : undefined;
}

function intQuery(request: FastifyRequest, name: string, fallback: number, min: number, max: number): number {
  const raw = stringQuery(request, name);
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw atlasError('INVALID_QUERY_PARAMETER', name);
  const n = Number(raw);
  if (n < min || n > max) throw atlasError('INVALID_QUERY_PARAMETER', name);
  return n;
}

export interface PageQuery {
  pageNum: number;
  itemsPerPage: number;
  includeCount: boolean;
}

/** pageNum ≥ 1 (default 1), itemsPerPage 1..500 (default 100), includeCount (default true). */
export function pageQuery(request: FastifyRequest): PageQuery {
  const include = stringQuery(request, 'includeCount');
  return {
    pageNum: intQuery(request, 'pageNum', 1, 1, Number.MAX_SAFE_INTEGER),
    itemsPerPage: intQuery(request, 'itemsPerPage', 100, 1, 500),
    // Absent means true; otherwise Java's Boolean.parseBoolean: only "true", in any case.
    includeCount: include === undefined || include.toLowerCase() === 'true',
  };
}
