const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** The invitee's small page: plain HTML, no scripts, readable without the full console. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · cloud-invites</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f5f7fa;color:#1c2d38;margin:0}
main{max-width:34rem;margin:4rem auto;background:#fff;border:1px solid #e1e5ea;border-radius:12px;padding:2rem 2.25rem;box-shadow:0 2px 8px rgba(0,0,0,.05)}
h1{font-size:1.4rem;margin:0 0 1rem}.muted{color:#5c6c75}dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem}dt{color:#5c6c75}
form{display:inline}button{font:inherit;border-radius:6px;padding:.6rem 1.2rem;margin:1.2rem .6rem 0 0;cursor:pointer;border:1px solid #889397;background:#fff}
button.primary{background:#00684a;border-color:#00684a;color:#fff}.logo{color:#00684a;font-weight:700;margin-bottom:1.5rem}
</style></head>
<body><main><div class="logo">cloud-invites</div>${body}</main></body></html>`;
}

export interface InvitationView {
  kind: 'project' | 'org';
  target: string;
  orgName: string;
  username: string;
  inviter: string;
  roles: readonly string[];
  expiresAt: string;
}

export function invitationPage(v: InvitationView, actions: { accept: string; decline: string }, ask: 'both' | 'accept' | 'decline'): string {
  const what = v.kind === 'project' ? `the project <strong>${escapeHtml(v.target)}</strong> in ${escapeHtml(v.orgName)}` : `the organization <strong>${escapeHtml(v.target)}</strong>`;
  const accept = `<form method="post" action="${actions.accept}"><button class="primary" type="submit">Accept invitation</button></form>`;
  const decline = `<form method="post" action="${actions.decline}"><button type="submit">Decline</button></form>`;
  return page(
    'Invitation',
    `<h1>You're invited</h1><p>${escapeHtml(v.inviter)} invited <strong>${escapeHtml(v.username)}</strong> to join ${what}.</p>
<dl><dt>Roles</dt><dd>${v.roles.map(escapeHtml).join(', ')}</dd><dt>Expires</dt><dd>${escapeHtml(v.expiresAt)}</dd></dl>
${ask !== 'decline' ? accept : ''}${ask !== 'accept' ? decline : ''}`,
  );
}

export function resultPage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p class="muted">${escapeHtml(message)}</p>`);
}
