import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleDeps } from './deps.ts';
import { layout, noticeFrom, type PageParts } from './layout.ts';

/** A console page: HTML, never cached (it shows who is signed in and their data). */
function sendPage(reply: FastifyReply, status: number, body: string) {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(body);
}

/** The POST-redirect-GET answer after an action (`done` names the notice the next page shows). */
export function redirect(reply: FastifyReply, to: string, done?: string, extra: Record<string, string> = {}) {
  const q = new URLSearchParams({ ...(done ? { done } : {}), ...extra }).toString();
  return reply
    .code(303)
    .header('location', q ? `${to}${to.includes('?') ? '&' : '?'}${q}` : to)
    .header('cache-control', 'no-store')
    .send();
}

/** Renders a full page in the layout for this request (its notice, clock banner and language switch). */
export function render(
  deps: ConsoleDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  parts: Omit<PageParts, 'path' | 'clock' | 'notice'>,
  status = 200,
) {
  const page = layout(request.console, {
    ...parts,
    path: request.url,
    notice: noticeFrom(request.console, request.query),
    clock: deps.clock && request.console.user ? deps.clock.now() : null,
  });
  return sendPage(reply, status, page);
}
