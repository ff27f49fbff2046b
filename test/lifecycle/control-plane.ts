import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { listEvents } from '../../src/storage/repositories/events.repository.ts';
import type { TestWorld } from '../helpers/app.ts';

/** What `GET /_cloud-invites/mailbox` lists for one message. */
export interface MailboxEntry {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  sentAt: string | null;
  acceptUrl: string | null;
  declineUrl: string | null;
}

/** A control-plane call with the world's bearer token (JSON body when given). */
export function control(
  w: TestWorld,
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { authorization: `Bearer ${w.controlToken}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return w.app.inject({ method, url, headers, payload: body === undefined ? undefined : JSON.stringify(body) });
}

/** The mailbox for one address, read over HTTP as a test suite would. */
export async function mailbox(w: TestWorld, to: string): Promise<MailboxEntry[]> {
  const res = await control(w, 'GET', `/_cloud-invites/mailbox?to=${encodeURIComponent(to)}`);
  assert.equal(res.statusCode, 200, res.body);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  return JSON.parse(res.body) as MailboxEntry[];
}

/** The one invitation mail to `to` (the latest), with its links checked against the world's base URL. */
export async function invitationMail(
  w: TestWorld,
  to: string,
): Promise<MailboxEntry & { acceptUrl: string; declineUrl: string }> {
  const mail = (await mailbox(w, to)).filter((m) => m.acceptUrl).at(-1);
  assert.ok(mail, `no invitation mail to ${to}`);
  const base = w.deps.ctx.baseUrl();
  assert.ok(mail.acceptUrl?.startsWith(`${base}/console/invitations/`), mail.acceptUrl ?? '');
  assert.ok(mail.declineUrl?.startsWith(`${base}/console/invitations/`), mail.declineUrl ?? '');
  assert.match(mail.acceptUrl as string, /\/accept$/);
  assert.match(mail.declineUrl as string, /\/decline$/);
  assert.ok(mail.text.includes(mail.acceptUrl as string));
  assert.ok(mail.html.includes(`href="${mail.acceptUrl}"`), 'the HTML body links the same accept URL');
  assert.ok(mail.sentAt, 'listed mail has been delivered (captured)');
  return mail as MailboxEntry & { acceptUrl: string; declineUrl: string };
}

/** `app.inject` takes the path: what a browser would request of the server the URL names. */
export const pathOf = (url: string): string => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

/**
 * What the invitee's browser does: GET shows a page, POST (the form's button) answers, carrying what
 * the page gave it (the form token and its cookie) from the server's own origin, as a browser does.
 */
export async function browse(w: TestWorld, method: 'GET' | 'POST', url: string): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { accept: 'text/html' };
  if (method === 'GET') return w.app.inject({ method, url: pathOf(url), headers });
  const form = await w.app.inject({ method: 'GET', url: '/console/sign-in', headers });
  const cookie = String(form.headers['set-cookie'] ?? '').split(';')[0];
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
  headers['content-type'] = 'application/x-www-form-urlencoded';
  headers.cookie = cookie;
  headers.origin = 'http://localhost:80';
  return w.app.inject({ method, url: pathOf(url), headers, payload: new URLSearchParams({ _csrf: token }).toString() });
}

export function assertHtml(res: LightMyRequestResponse, status: number, ...texts: string[]): void {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^text\/html/);
  for (const t of texts) assert.ok(res.body.includes(t), `page lacks ${JSON.stringify(t)}:\n${res.body}`);
}

export function assertAtlasError(res: LightMyRequestResponse, status: number, errorCode: string): void {
  assert.equal(res.statusCode, status, res.body);
  assert.equal((JSON.parse(res.body) as { errorCode: string }).errorCode, errorCode);
}

/** The event types recorded for a project (project events) or an org (org-level events), about one invitee. */
export async function eventTypes(
  w: TestWorld,
  scope: { projectId: string } | { orgId: string },
  targetUsername: string,
): Promise<string[]> {
  const { items } = await listEvents(w.deps.ctx.db, { ...scope, offset: 0, limit: 500 });
  return items.filter((e) => e.targetUsername === targetUsername).map((e) => e.eventType);
}

export const THIRTY_DAYS_S = 30 * 24 * 3600;
