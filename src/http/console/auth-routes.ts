import type { FastifyInstance, FastifyReply } from 'fastify';
import { SESSION_TTL_MS, signIn, signOut } from '../../domain/console/console-accounts.service.ts';
import { organizationsOf, personInOrg } from '../../domain/console/console-principal.ts';
import { listOrgProjects } from '../../domain/projects/project.service.ts';
import { atlasDate } from '../../lib/dates.ts';
import { setCookie } from './cookies.ts';
import type { ConsoleDeps } from './deps.ts';
import { html } from './html.ts';
import { isLocale } from './i18n/index.ts';
import { csrfField } from './layout.ts';
import { userOf } from './person.ts';
import { redirect, render } from './respond.ts';
import { roleBadges } from './widgets.ts';
import { LANG_COOKIE, SESSION_COOKIE, type ConsoleState } from './state.ts';

/** Only our own pages: a path under /console, never another host (`//evil`, `/\evil`). */
export function localPath(value: unknown, fallback = '/console/'): string {
  return typeof value === 'string' && /^\/console(\/|$|\?)/.test(value) && !/[\\\s]/.test(value) ? value : fallback;
}

export function startSessionCookie(reply: FastifyReply, state: ConsoleState, sessionId: string): void {
  setCookie(reply, SESSION_COOKIE, sessionId, {
    sameSite: 'Lax',
    secure: state.secure,
    maxAgeSeconds: SESSION_TTL_MS / 1000,
  });
}

/** Sign-in, sign-out, the language switch and the home page (the person's organizations). */
export function registerAuthRoutes(scope: FastifyInstance, deps: ConsoleDeps): void {
  const { ctx } = deps;
  const signInPage = (
    request: Parameters<typeof render>[1],
    reply: FastifyReply,
    error: string | null,
    email = '',
    status = 200,
  ) => {
    const s = request.console;
    const next = localPath(
      (request.query as { next?: string }).next ?? (request.body as { next?: string } | undefined)?.next,
    );
    const body = html`<p class="lead">${s.t('signIn.lead')}</p>${error ? html`<p class="error" role="alert" id="sign-in-error">${error}</p>` : ''}
<form method="post" action="/console/sign-in" class="stack">${csrfField(s)}<input type="hidden" name="next" value="${next}">
<label for="email">${s.t('signIn.email')}</label><input id="email" name="email" type="email" autocomplete="username" required value="${email}"${error ? html` aria-describedby="sign-in-error"` : ''}>
<label for="password">${s.t('signIn.password')}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button class="primary" type="submit">${s.t('signIn.submit')}</button></form><p class="muted small">${s.t('signIn.hint')}</p>`;
    return render(deps, request, reply, { title: s.t('signIn.title'), body, narrow: true }, status);
  };

  scope.get('/sign-in', async (request, reply) => signInPage(request, reply, null));
  scope.post('/sign-in', async (request, reply) => {
    const s = request.console;
    const form = request.body as { email?: string; password?: string; next?: string };
    const email = typeof form.email === 'string' ? form.email.trim() : '';
    const result = await signIn(ctx, email, typeof form.password === 'string' ? form.password : '');
    if (!result.ok) {
      const text =
        result.reason === 'locked'
          ? s.t('signIn.locked', { until: atlasDate(result.lockedUntil as Date) })
          : s.t('signIn.invalid');
      return signInPage(request, reply, text, email, result.reason === 'locked' ? 429 : 401);
    }
    startSessionCookie(reply, s, result.sessionId);
    return redirect(reply, localPath(form.next));
  });

  scope.post('/sign-out', async (request, reply) => {
    if (request.console.sessionId) await signOut(ctx, request.console.sessionId);
    setCookie(reply, SESSION_COOKIE, '', { sameSite: 'Lax', secure: request.console.secure, maxAgeSeconds: 0 });
    return redirect(reply, '/console/sign-in', 'signedOut');
  });

  scope.get('/lang', async (request, reply) => {
    const q = request.query as { to?: string; back?: string };
    if (isLocale(q.to))
      setCookie(reply, LANG_COOKIE, q.to, {
        sameSite: 'Lax',
        secure: request.console.secure,
        maxAgeSeconds: 365 * 24 * 3600,
      });
    return redirect(reply, localPath(q.back));
  });

  scope.get('/', async (request, reply) => {
    const s = request.console;
    const user = userOf(request);
    const orgs = await organizationsOf(ctx, user);
    const cards = [];
    for (const org of orgs) {
      const projects = (
        await listOrgProjects(ctx, await personInOrg(ctx, user, org.orgId), org.orgId, {
          pageNum: 1,
          itemsPerPage: 500,
        })
      ).items;
      cards.push(html`<section class="card"><h2><a href="/console/orgs/${org.orgId}">${org.orgName}</a></h2>
<p><span class="muted">${s.t('home.roles')}:</span> ${roleBadges(s, org.roles)}</p>
<h3>${s.t('home.projects')}</h3>${projects.length ? html`<ul class="plain">${projects.map((p) => html`<li><a href="/console/projects/${p.id}">${p.name}</a></li>`)}</ul>` : html`<p class="muted">${s.t('projects.none')}</p>`}</section>`);
    }
    return render(deps, request, reply, {
      title: s.t('home.title'),
      body: cards.length ? html`<div class="cards">${cards}</div>` : html`<p>${s.t('home.none')}</p>`,
    });
  });
}
