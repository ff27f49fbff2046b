/**
 * What request logs may say about a URL: the secret in an invitee's link
 * (`/console/invitations/<token>…`) is replaced, so logs never hold a working accept link.
 */
export function redactUrl(url: string): string {
  return url.replace(/(\/console\/invitations\/)[^/?#]+/, '$1[redacted]');
}

/** Pino serializer for Fastify's request log lines (no headers: Authorization never reaches logs). */
export function requestSerializer(req: { method: string; url: string; hostname?: string; ip?: string }) {
  return { method: req.method, url: redactUrl(req.url), hostname: req.hostname, remoteAddress: req.ip };
}
