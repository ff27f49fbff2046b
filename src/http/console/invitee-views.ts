import type { Invitation } from '../../domain/invitations/invitation.ts';
import { type Html, html } from './html.ts';
import { csrfField } from './layout.ts';
import type { ConsoleState } from './state.ts';
import { roleBadges, when } from './widgets.ts';

export type Ask = 'both' | 'accept' | 'decline';

export function targetText(s: ConsoleState, inv: Invitation): string {
  return inv.kind === 'project'
    ? s.t('invitation.project', { name: inv.projectName ?? '', org: inv.orgName })
    : s.t('invitation.org', { name: inv.orgName });
}

/** The pending invitation: who invited whom to what, and the answer(s) the link asks for. */
export function invitationBody(
  s: ConsoleState,
  inv: Invitation,
  base: string,
  ask: Ask,
  needsPassword: boolean,
  error: string | null,
): Html {
  const password = needsPassword
    ? html`<fieldset class="stack"><legend>${s.t('invitation.setPassword')}</legend>
<label for="password">${s.t('invitation.password')}</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="8" required${error ? html` aria-describedby="accept-error"` : ''}>
<label for="confirm">${s.t('invitation.confirm')}</label><input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength="8" required></fieldset>`
    : html`<p class="muted small">${s.t('invitation.hasAccount')}</p>`;
  const accept = html`<form method="post" action="${base}/accept" class="grid-form">${csrfField(s)}${password}<div><button class="primary" type="submit">${s.t('invitation.accept')}</button></div></form>`;
  const decline = html`<form method="post" action="${base}/decline" class="inline">${csrfField(s)}<button type="submit">${s.t('invitation.decline')}</button></form>`;
  return html`${error ? html`<p class="error" role="alert" id="accept-error">${error}</p>` : ''}<p class="lead-text">${s.t('invitation.lead', { inviter: inv.inviterUsername, user: inv.username, target: targetText(s, inv) })}</p>
<dl class="facts"><dt>${s.t('invitation.roles')}</dt><dd>${roleBadges(s, inv.roles)}</dd><dt>${s.t('invitation.expires')}</dt><dd>${when(inv.expiresAt)}</dd></dl>
${ask !== 'decline' ? accept : ''}${ask !== 'accept' ? html`<p>${decline}</p>` : ''}`;
}

export function wrongAccountBody(s: ConsoleState, inv: Invitation): Html {
  return html`<p class="warning" role="alert">${s.t('invitation.wrongText', { me: s.user?.username ?? '', user: inv.username })}</p>
<form method="post" action="/console/sign-out" class="inline">${csrfField(s)}<button type="submit">${s.t('nav.signOut')}</button></form>`;
}
