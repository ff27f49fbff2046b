import type { FastifyRequest } from 'fastify';
import type { PageQuery } from './params.ts';

export interface Link {
  href: string;
  rel: string;
}

/** Absolute links are built from the address the client used, as Atlas's are. */
export function baseUrl(request: FastifyRequest, configured?: string): string {
  if (configured) return configured.replace(/\/$/, '');
  return `${request.protocol}://${request.host}`;
}

export interface PageLinksInput {
  base: string;
  path: string;
  /** Extra query parameters placed before the paging ones (e.g. `name=` on /orgs). */
  extra?: string;
  pageNum: number;
  itemsPerPage: number;
  /** Echoed in the links as asked (default true). */
  includeCount?: boolean;
  total: number;
}

/**
 * self, plus previous/next where they exist. Atlas writes self as
 * `?includeCount=true&pageNum=N&itemsPerPage=M` and next/previous as `?includeCount=true&itemsPerPage=M&pageNum=N`.
 */
export function pageLinks(p: PageLinksInput): Link[] {
  const extra = p.extra ? `${p.extra}&` : '';
  const url = `${p.base}${p.path}`;
  const count = p.includeCount === false ? 'false' : 'true';
  const at = (n: number) => `${url}?includeCount=${count}&${extra}itemsPerPage=${p.itemsPerPage}&pageNum=${n}`;
  const links: Link[] = [];
  if (p.pageNum > 1) links.push({ href: at(p.pageNum - 1), rel: 'previous' });
  links.push({
    href: `${url}?includeCount=${count}&${extra}pageNum=${p.pageNum}&itemsPerPage=${p.itemsPerPage}`,
    rel: 'self',
  });
  if (p.pageNum * p.itemsPerPage < p.total) links.push({ href: at(p.pageNum + 1), rel: 'next' });
  return links;
}

/** A paginated list as Atlas answers it: `{links, results, totalCount}` (0 when includeCount=false, as observed). */
export function pageBody<T, R>(
  request: FastifyRequest,
  publicUrl: string | undefined,
  path: string,
  page: PageQuery,
  result: { items: readonly T[]; total: number },
  map: (item: T) => R,
) {
  return {
    links: pageLinks({ base: baseUrl(request, publicUrl), path, ...page, total: result.total }),
    results: result.items.map(map),
    totalCount: page.includeCount ? result.total : 0,
  };
}
