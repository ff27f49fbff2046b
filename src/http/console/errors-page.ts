import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AtlasError } from '../../errors/atlas-error.ts';
import type { ConsoleDeps } from './deps.ts';
import { html } from './html.ts';
import { errorText } from './i18n/index.ts';
import { SignInRequired } from './person.ts';
import { redirect, render } from './respond.ts';

/** Refused by the console itself (a form that is not ours): 403 with the reason in the reader's language. */
export class FormRefused extends Error {}

/**
 * The console's own error rendering: an HTML page with the reader's-language text for Atlas's
 * errorCode, Atlas's own detail and the code itself, and the status Atlas would have answered.
 * The API's JSON errors are untouched (this handler belongs to the console's plugin only).
 */
export function consoleErrorHandler(deps: ConsoleDeps) {
  return (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const s = request.console;
    if (error instanceof SignInRequired) return redirect(reply, '/console/sign-in', undefined, { next: error.next });
    if (!s) {
      request.log.error({ err: error }, 'console failed before its state was read');
      return reply.code(500).header('content-type', 'text/plain; charset=utf-8').send('Internal error');
    }
    const back = html`<p><a class="button" href="${request.method === 'GET' ? '/console/' : (request.headers.referer ?? '/console/')}">${s.t('error.back')}</a></p>`;
    if (error instanceof FormRefused) {
      return render(
        deps,
        request,
        reply,
        { title: s.t('error.title'), body: html`<p class="error" role="alert">${s.t('error.csrf')}</p>${back}` },
        403,
      );
    }
    if (error instanceof AtlasError) {
      const human = errorText(s.locale, error.errorCode) ?? s.t('error.title');
      const body = html`<div class="error" role="alert"><p><strong>${human}</strong></p>
<dl class="facts"><dt>${s.t('error.detail')}</dt><dd>${error.detail}</dd><dt>${s.t('error.code')}</dt><dd><code>${error.errorCode}</code> (${error.status})</dd></dl></div>${back}`;
      return render(deps, request, reply, { title: s.t('error.title'), body }, error.status);
    }
    const code = (error as FastifyError).code ?? '';
    if (code.startsWith('FST_ERR_CTP_')) {
      const status = (error as FastifyError).statusCode ?? 400;
      return render(
        deps,
        request,
        reply,
        {
          title: s.t('error.title'),
          body: html`<p class="error" role="alert">${s.t('errors.VALIDATION_ERROR')}</p>${back}`,
        },
        status,
      );
    }
    request.log.error({ err: error }, 'console page failed');
    return render(
      deps,
      request,
      reply,
      { title: s.t('error.title'), body: html`<p class="error" role="alert">${s.t('error.unexpected')}</p>${back}` },
      500,
    );
  };
}
