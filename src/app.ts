import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import { atlasError } from './errors/atlas-error.ts';
import { sendError } from './http/wire.ts';
import { readFileSync } from 'node:fs';
import { createAuthenticator } from './auth/authenticate.ts';
import { createMemoryNonceCountStore, createNonceService } from './auth/digest/index.ts';
import { createTokenService } from './auth/oauth/tokens.ts';
import type { Deps } from './deps.ts';
import { enforceAccessList } from './domain/access-lists/access-list.service.ts';
import { consolePlugin } from './http/console/plugin.ts';
import { registerControlRoutes } from './http/control/routes.ts';
import { createOps, registerOps } from './http/ops/register.ts';
import { registerClockDate, registerStoreRoutes } from './http/control/store-routes.ts';
import { registerOAuthRoutes } from './http/oauth/routes.ts';
import {
  answerClientError,
  answerConnect,
  answerHalfClosedRequests,
  answerUnknownExpectation,
  missingHost,
} from './http/raw-answers.ts';
import { createRateLimiter } from './http/rate-limiter.ts';
import type { Surface } from './http/route.ts';
import { recordRoutes } from './http/route-table.ts';
import { registerApiHooks } from './http/plugins/api-hooks.ts';
import { registerBodyParsers } from './http/plugins/body.ts';
import { AccessLog } from './http/plugins/access-log.ts';
import { atlasErrorHandler, registerErrorHandlers } from './http/plugins/errors.ts';
import { registerRequestDrain } from './http/plugins/request-drain.ts';
import { registerSecurityHeaders } from './http/plugins/security-headers.ts';
import { GROUP_INVITES_V1, GROUP_INVITES_V2, ORG_INVITES_V1, ORG_INVITES_V2 } from './http/resources.ts';
import { registerEventRoutes } from './http/v2/events/routes.ts';
import { registerOrgInviteRoutes } from './http/v2/org-invites/routes.ts';
import { registerApiKeyRoutes } from './http/v2/api-keys/routes.ts';
import { registerGroupInviteRoutes } from './http/v2/group-invites/routes.ts';
import { registerGroupRoutes } from './http/v2/groups/routes.ts';
import { registerOrgRoutes } from './http/v2/orgs/routes.ts';
import { registerRateLimitRoutes } from './http/v2/rate-limits/routes.ts';
import { registerRootRoutes } from './http/v2/root/routes.ts';
import { registerGroupServiceAccountRoutes } from './http/v2/service-accounts/group-routes.ts';
import { registerOrgServiceAccountRoutes } from './http/v2/service-accounts/org-routes.ts';
import { registerGroupUserRoutes } from './http/v2/users/group-routes.ts';
import { registerOrgUserRoutes } from './http/v2/users/org-routes.ts';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
/** Stands in for Atlas's git hash in `X-MongoDB-Service-Version` and getSystemStatus `build`. */
const BUILD = '0000000000000000000000000000000000000000';

export interface AppOptions {
  logger?: FastifyServerOptions['logger'];
  https?: { cert: string; key: string };
  /** Tests: the timer injected latency waits on. */
  ops?: { sleep?: (ms: number) => Promise<unknown> };
}

export function buildApp(deps: Deps, options: AppOptions = {}): FastifyInstance {
  // HTTPS offers HTTP/2 by ALPN and falls back to HTTP/1.1 for clients that do not ask for it.
  const serverOptions = options.https ? { http2: true, https: { ...options.https, allowHTTP1: true } } : {};
  const app = (Fastify as unknown as (o: object) => FastifyInstance)({
    logger: options.logger ?? false,
    logController: new AccessLog(),
    bodyLimit: deps.config.bodyLimit,
    // Long path ids must reach our own validation (INVALID_GROUP_ID …), not Fastify's 414. Like
    // Atlas's JAX-RS routing, a trailing slash or a doubled slash names the same resource.
    routerOptions: { maxParamLength: 2048, ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    // A request line Node cannot parse still gets an Atlas error body.
    clientErrorHandler: answerClientError,
    http: { requireHostHeader: false },
    // Routing failures (a path that does not decode, an id past maxParamLength) get Atlas's 404,
    // not Fastify's own error body.
    frameworkErrors: (_error: unknown, request: FastifyRequest, reply: FastifyReply) =>
      sendError(request, reply, atlasError('RESOURCE_NOT_FOUND', request.url.split('?')[0])),
    trustProxy: deps.config.trustProxy,
    // While shutting down, a request on a kept-alive connection is still answered (Atlas-style, with
    // Connection: close), not with Fastify's own 503 body.
    return503OnClosing: false,
    ...serverOptions,
  });
  const routes = recordRoutes(app);
  const now = () => deps.clock.now().getTime();
  const { ctx } = deps;
  const tokens = createTokenService(ctx, deps.tokenKey);
  const ops = createOps(deps);
  const limiter = ops.observeLimiter(createRateLimiter(ctx, deps.clock, deps.config));
  const authenticate = createAuthenticator({
    ctx,
    tokens,
    nonces: createNonceService({ secret: deps.nonceKey, now, random: deps.random.fork('digest-nonce') }),
    counts: createMemoryNonceCountStore({ now }),
    onFailure: ops.authFailure,
    onSealError: (publicKey, err) =>
      app.log.error(
        { publicKey, err: String(err) },
        'cannot open a stored private key: restart this node with the current secret key',
      ),
  });
  if (deps.config.idSeed !== undefined) registerClockDate(app, deps.clock);
  answerConnect(app);
  answerHalfClosedRequests(app);
  app.server.on('checkExpectation', answerUnknownExpectation);
  app.addHook('onRequest', async (request) => {
    if (missingHost(request.raw)) throw atlasError('VALIDATION_ERROR', 'the Host header is missing');
  });
  // Early answers wait for up to 8 MiB past the body limit, or 10 s, of the body still arriving.
  registerRequestDrain(app, { maxBytes: deps.config.bodyLimit + 8 * 1024 * 1024, maxMs: 10_000 });
  // JSON bodies for the control plane; the API registers its own in its scope, OAuth and the console theirs.
  registerBodyParsers(app);
  registerErrorHandlers(app, deps.config.bodyLimit);
  registerSecurityHeaders(app, `gitHash=${BUILD}; versionString=${pkg.version}`);
  registerApiHooks(app, {
    authenticate,
    enforceAccessList: (principal, address) => enforceAccessList(ctx, principal, address),
    limiter,
  });
  registerOps(app, deps, ops, options.ops);
  registerOAuthRoutes(app, { ctx, tokens, limiter }, atlasErrorHandler(deps.config.bodyLimit));
  app.register(
    consolePlugin({
      ctx,
      publicUrl: deps.config.publicUrl,
      clock: deps.config.controlPlane ? deps.movableClock : null,
      outbox: deps.outbox,
      mailCaptured: !deps.config.smtpUrl,
    }),
    { prefix: '/console' },
  );
  if (deps.config.controlPlane && deps.movableClock) {
    registerControlRoutes(app, { ctx, clock: deps.movableClock, token: deps.controlToken, outbox: deps.outbox });
    registerStoreRoutes(app, { ctx, controlToken: deps.controlToken, fixtures: deps.fixtures });
  }
  app.register((api, _opts, done) => {
    registerApiRoutes(api, deps, { limiter, routes });
    done();
  });
  return app;
}

/**
 * The Atlas v2 and Cloud Manager v1.0 operations, in their own scope with the API's JSON body
 * parser; errors are rendered by the app's Atlas error handler, which the scope inherits.
 */
function registerApiRoutes(
  api: FastifyInstance,
  deps: Deps,
  shared: { limiter: ReturnType<typeof createRateLimiter> | null; routes: ReturnType<typeof recordRoutes> },
): void {
  const { ctx } = deps;
  registerBodyParsers(api);
  const v2: Surface = { app: api, prefix: '/api/atlas/v2' };
  const v1: Surface = { app: api, prefix: '/api/public/v1.0' };
  registerRateLimitRoutes(v2, {
    ctx,
    limiter: shared.limiter,
    publicUrl: deps.config.publicUrl,
    routes: shared.routes,
  });
  const publicUrl = deps.config.publicUrl;
  registerRootRoutes(v2, ctx, BUILD);
  registerGroupRoutes(v2, ctx, publicUrl);
  registerOrgRoutes(v2, ctx, publicUrl);
  registerApiKeyRoutes(v2, ctx, publicUrl);
  registerOrgServiceAccountRoutes(v2, ctx, publicUrl);
  registerGroupServiceAccountRoutes(v2, ctx, publicUrl);
  registerGroupInviteRoutes(v2, ctx, {
    resource: GROUP_INVITES_V2,
    surface: { required: 'GROUP_OWNER', catalogue: 'atlas' },
  });
  registerGroupInviteRoutes(v1, ctx, {
    resource: GROUP_INVITES_V1,
    surface: { required: 'GROUP_USER_ADMIN', catalogue: 'cloud-manager' },
  });
  registerOrgInviteRoutes(v2, ctx, { resource: ORG_INVITES_V2, catalogue: 'atlas' });
  registerOrgInviteRoutes(v1, ctx, { resource: ORG_INVITES_V1, catalogue: 'cloud-manager' });
  registerEventRoutes(v2, ctx, publicUrl);
  registerOrgUserRoutes(v2, ctx, publicUrl);
  registerGroupUserRoutes(v2, ctx, publicUrl);
}

export function tlsOptions(deps: Deps): AppOptions['https'] {
  const { tlsCert, tlsKey } = deps.config;
  return tlsCert && tlsKey ? { cert: readFileSync(tlsCert, 'utf8'), key: readFileSync(tlsKey, 'utf8') } : undefined;
}
