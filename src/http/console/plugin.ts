import type { FastifyInstance } from 'fastify';
import { registerAssetRoutes } from './assets.ts';
import { registerCredentialRoutes } from './credential-routes.ts';
import { registerEventRoutes } from './event-routes.ts';
import { registerMailboxRoutes } from './mailbox-routes.ts';
import { registerInviteeRoutes } from './invitee-routes.ts';
import { registerOrgAccessRoutes } from './org-access-routes.ts';
import { registerProjectAccessRoutes } from './project-access-routes.ts';
import { registerProjectCredentialRoutes } from './project-credential-routes.ts';
import { registerAuthRoutes } from './auth-routes.ts';
import type { ConsoleDeps } from './deps.ts';
import { consoleErrorHandler, FormRefused } from './errors-page.ts';
import { html } from './html.ts';
import { render } from './respond.ts';
import { formIsOurs, loadState } from './state.ts';

/** Every console answer: nothing from elsewhere, no inline script, no framing, no sniffing, no referrer leaks. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
const PERMISSIONS = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()';
const FORM_LIMIT = 64 * 1024;

/**
 * The web console under `/console` (issue 11, docs/adr/0013), an encapsulated plugin: its own form
 * parser, hooks, security headers and HTML error pages; the API's parsers and JSON errors are
 * untouched. Every action goes through the same domain services as the API, as the signed-in person.
 */
export function consolePlugin(deps: ConsoleDeps) {
  return async (scope: FastifyInstance) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_LIMIT },
      (_request, body, done) => {
        const form: Record<string, string | string[]> = Object.create(null);
        for (const [k, v] of new URLSearchParams(String(body))) {
          const current = form[k];
          form[k] = current === undefined ? v : Array.isArray(current) ? [...current, v] : [current, v];
        }
        done(null, form);
      },
    );
    scope.decorateRequest('console', null as never);
    scope.addHook('onRequest', async (request, reply) => {
      request.console = await loadState(deps.ctx, request, reply, deps.publicUrl);
    });
    // onSend, after the app-wide hook: these replace its API-oriented values.
    scope.addHook('onSend', async (_request, reply, payload) => {
      reply.header('content-security-policy', CSP);
      reply.header('permissions-policy', PERMISSIONS);
      reply.header('referrer-policy', 'same-origin');
      reply.header('x-content-type-options', 'nosniff');
      reply.header('x-frame-options', 'DENY');
      reply.header('cross-origin-opener-policy', 'same-origin');
      return payload;
    });
    // Every state-changing request: the form token of this session (or anonymous browser) and our own origin.
    scope.addHook('preHandler', async (request) => {
      if (request.method === 'GET' || request.method === 'HEAD') return;
      if (!formIsOurs(request, request.console, deps.publicUrl)) throw new FormRefused();
    });
    scope.setErrorHandler(consoleErrorHandler(deps));
    scope.setNotFoundHandler(async (request, reply) => {
      const s = request.console;
      if (!s) return reply.code(404).send();
      return render(
        deps,
        request,
        reply,
        { title: s.t('error.title'), body: html`<p class="error">${s.t('error.notFound')}</p>` },
        404,
      );
    });
    registerAssetRoutes(scope);
    registerAuthRoutes(scope, deps);
    registerOrgAccessRoutes(scope, deps);
    registerProjectAccessRoutes(scope, deps);
    registerInviteeRoutes(scope, deps);
    registerMailboxRoutes(scope, deps);
    registerEventRoutes(scope, deps);
    registerCredentialRoutes(scope, deps);
    registerProjectCredentialRoutes(scope, deps);
  };
}
