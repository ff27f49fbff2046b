import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sessionUser } from '../../domain/console/console-accounts.service.ts';
import type { DomainContext } from '../../domain/context.ts';
import type { User } from '../../domain/users/user.ts';
import { readCookies, setCookie } from './cookies.ts';
import { isLocale, type Locale, localeFromAcceptLanguage, type Translate, translator } from './i18n/index.ts';

export const SESSION_COOKIE = 'ci_session';
const CSRF_COOKIE = 'ci_csrf';
export const LANG_COOKIE = 'ci_lang';

/** What every console handler knows about the request: language, the signed-in person, the form token. */
export interface ConsoleState {
  readonly locale: Locale;
  readonly t: Translate;
  readonly user: User | null;
  readonly sessionId: string | null;
  /** The synchronizer token forms carry (`_csrf`): bound to the session, or to the anonymous form cookie. */
  readonly csrf: string;
  readonly secure: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    console: ConsoleState;
  }
}

/** The signed-in token: derived one-way from the session id, so it names the session without revealing it. */
const csrfForSession = (sessionId: string) => createHash('sha256').update(`csrf\u0000${sessionId}`).digest('base64url');

function isSecure(request: FastifyRequest, publicUrl: string | undefined): boolean {
  return request.protocol === 'https' || Boolean(publicUrl?.startsWith('https:'));
}

/** Reads the language, the session and the form token; sets the anonymous form cookie when missing. */
export async function loadState(
  ctx: DomainContext,
  request: FastifyRequest,
  reply: FastifyReply,
  publicUrl: string | undefined,
): Promise<ConsoleState> {
  // Static files (publicly cacheable) never carry a cookie.
  const page = !request.url.startsWith('/console/assets/');
  const cookies = readCookies(request);
  const chosen = cookies.get(LANG_COOKIE);
  const locale = isLocale(chosen) ? chosen : localeFromAcceptLanguage(request.headers['accept-language']);
  const secure = isSecure(request, publicUrl);
  const sessionId = cookies.get(SESSION_COOKIE) ?? null;
  const user =
    sessionId && /^[A-Za-z0-9_-]{43}$/.test(sessionId) ? ((await sessionUser(ctx, sessionId)) ?? null) : null;
  let csrf: string;
  if (user && sessionId) csrf = csrfForSession(sessionId);
  else {
    const anonymous = cookies.get(CSRF_COOKIE);
    csrf = anonymous && /^[A-Za-z0-9_-]{43}$/.test(anonymous) ? anonymous : randomBytes(32).toString('base64url');
    if (csrf !== anonymous && page) setCookie(reply, CSRF_COOKIE, csrf, { sameSite: 'Strict', secure });
  }
  return { locale, t: translator(locale), user, sessionId: user ? sessionId : null, csrf, secure };
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * A state-changing request is ours when it carries the form token of this session (or of this
 * browser's anonymous cookie) and comes from our own origin (Origin, else Referer; neither → refused).
 */
export function formIsOurs(request: FastifyRequest, state: ConsoleState, publicUrl: string | undefined): boolean {
  const token = (request.body as Record<string, string> | undefined)?._csrf;
  if (typeof token !== 'string' || !same(token, state.csrf)) return false;
  const origin = request.headers.origin ?? refererOrigin(request.headers.referer);
  if (!origin) return false;
  const allowed = new Set([`${request.protocol}://${request.headers.host ?? ''}`]);
  if (publicUrl) allowed.add(new URL(publicUrl).origin);
  return allowed.has(origin);
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}
