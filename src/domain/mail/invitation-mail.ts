import type { Kysely } from 'kysely';
import { enqueueMail } from '../../storage/repositories/outbox.repository.ts';
import type { Database } from '../../storage/schema.ts';
import type { SecretBox } from '../../lib/secret-box.ts';
import type { DomainContext } from '../context.ts';

export interface InvitationLinks {
  page: string;
  accept: string;
  decline: string;
}

/**
 * Stands in a queued mail's bodies for the invitee's link secret, which is kept sealed beside them
 * (`link_token_sealed`) until delivery and then forgotten: a copy of the database never holds a
 * working link. Not a base64url character sequence, so it cannot be mistaken for a token.
 */
const LINK_TOKEN_MARKER = '{link-token}';
/** What a delivered mail shows where its link secret was. */
const FORGOTTEN_TOKEN = '{removed}';
const RAW_LINK_TOKEN = /\/console\/invitations\/[A-Za-z0-9_-]{20,}/g;

/** The bodies as the invitee gets them: the link secret opened in place of the marker (or shown as removed). */
export function openMail<M extends { text: string; html: string; linkTokenSealed: string | null }>(
  mail: M,
  box: SecretBox,
): M {
  const token = mail.linkTokenSealed ? box.open(mail.linkTokenSealed) : FORGOTTEN_TOKEN;
  return {
    ...mail,
    text: mail.text.replaceAll(LINK_TOKEN_MARKER, token),
    html: mail.html.replaceAll(LINK_TOKEN_MARKER, token),
  };
}

/** The bodies to keep once delivered: no link secret, whether held as a marker or (older rows) in the clear. */
export function forgetLinks(mail: { text: string; html: string }): { text: string; html: string } {
  const scrub = (s: string) => s.replace(RAW_LINK_TOKEN, `/console/invitations/${LINK_TOKEN_MARKER}`);
  return { text: scrub(mail.text), html: scrub(mail.html) };
}

/** The invitee's links: a page that asks, and the two answers (POST, so mail scanners change nothing). */
function invitationLinks(ctx: DomainContext, token: string): InvitationLinks {
  const page = `${ctx.baseUrl()}/console/invitations/${token}`;
  return { page, accept: `${page}/accept`, decline: `${page}/decline` };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** The accept and decline URLs an invitation mail carries, read back out of its text (what an invitee clicks). */
export function linksInMail(text: string): { acceptUrl: string | null; declineUrl: string | null } {
  return {
    acceptUrl: /https?:\/\/\S+?\/console\/invitations\/[A-Za-z0-9_-]+\/accept\b/.exec(text)?.[0] ?? null,
    declineUrl: /https?:\/\/\S+?\/console\/invitations\/[A-Za-z0-9_-]+\/decline\b/.exec(text)?.[0] ?? null,
  };
}

/** The languages invitation mail is written in; anything else gets English. */
export type MailLocale = 'en' | 'zh-CN';

interface InvitationMailText {
  to: string;
  inviter: string;
  target: string;
  targetKind: 'project' | 'organization';
  expiresAt: Date;
  resend?: boolean;
}

/** English (the bytes every earlier version sent). */
function englishInvitation(
  m: InvitationMailText,
  links: InvitationLinks,
): { subject: string; text: string; html: string } {
  const subject = `${m.resend ? 'Reminder: ' : ''}You are invited to join the ${m.targetKind} ${m.target}`;
  const text = [
    `${m.inviter} invited you to join the MongoDB Cloud ${m.targetKind} "${m.target}".`,
    '',
    `Accept:  ${links.accept}`,
    `Decline: ${links.decline}`,
    '',
    `Or review the invitation at ${links.page}`,
    `The invitation expires on ${m.expiresAt.toISOString().slice(0, 10)}.`,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<p>${escapeHtml(m.inviter)} invited you to join the MongoDB Cloud ${m.targetKind} <strong>${escapeHtml(m.target)}</strong>.</p>
<p><a href="${escapeHtml(links.accept)}">Accept the invitation</a> &middot; <a href="${escapeHtml(links.decline)}">Decline</a></p>
<p>Or <a href="${escapeHtml(links.page)}">review it</a>. It expires on ${m.expiresAt.toISOString().slice(0, 10)}.</p>
</body></html>`;
  return { subject, text, html };
}

/** Simplified Chinese: when the inviter reads the console in Chinese. */
function chineseInvitation(
  m: InvitationMailText,
  links: InvitationLinks,
): { subject: string; text: string; html: string } {
  const kind = m.targetKind === 'project' ? '项目' : '组织';
  const date = m.expiresAt.toISOString().slice(0, 10);
  const subject = `${m.resend ? '提醒：' : ''}邀请您加入${kind} ${m.target}`;
  const text = [
    `${m.inviter} 邀请您加入 MongoDB Cloud ${kind}“${m.target}”。`,
    '',
    `接受：${links.accept}`,
    `拒绝：${links.decline}`,
    '',
    `或在此查看邀请：${links.page}`,
    `邀请将于 ${date}（UTC）过期。`,
  ].join('\n');
  const html = `<!doctype html><html lang="zh-CN"><body style="font-family:sans-serif">
<p>${escapeHtml(m.inviter)} 邀请您加入 MongoDB Cloud ${kind} <strong>${escapeHtml(m.target)}</strong>。</p>
<p><a href="${escapeHtml(links.accept)}">接受邀请</a> &middot; <a href="${escapeHtml(links.decline)}">拒绝</a></p>
<p>或<a href="${escapeHtml(links.page)}">查看邀请</a>。邀请将于 ${date}（UTC）过期。</p>
</body></html>`;
  return { subject, text, html };
}

/**
 * Queues the invitation mail in the same transaction as the invitation (the outbox delivers it),
 * in the inviter's language (`locale`: the console's choice; the API's callers get English).
 */
export async function queueInvitationMail(
  db: Kysely<Database>,
  ctx: DomainContext,
  m: InvitationMailText & { token: string; locale?: string },
): Promise<void> {
  const links = invitationLinks(ctx, LINK_TOKEN_MARKER);
  const { subject, text, html } = m.locale === 'zh-CN' ? chineseInvitation(m, links) : englishInvitation(m, links);
  await enqueueMail(db, {
    id: ctx.ids.next(),
    to: m.to,
    subject,
    text,
    html,
    at: ctx.clock.now(),
    linkTokenSealed: ctx.secrets.seal(m.token),
  });
}

export async function queueAcceptedMail(
  db: Kysely<Database>,
  ctx: DomainContext,
  m: { to: string; target: string; targetKind: 'project' | 'organization' },
): Promise<void> {
  const subject = `Welcome to the ${m.targetKind} ${m.target}`;
  const text = `You accepted the invitation and are now a member of the MongoDB Cloud ${m.targetKind} "${m.target}".`;
  const html = `<!doctype html><html><body style="font-family:sans-serif"><p>You are now a member of the ${m.targetKind} <strong>${escapeHtml(m.target)}</strong>.</p></body></html>`;
  await enqueueMail(db, { id: ctx.ids.next(), to: m.to, subject, text, html, at: ctx.clock.now() });
}
