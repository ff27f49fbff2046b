import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { countUnsentMail } from '../../storage/repositories/outbox.repository.ts';
import type { RateLimiter } from '../rate-limiter.ts';
import { createFaultBook, type FaultBook } from './faults/fault-book.ts';
import { registerFaultHook } from './faults/apply-fault.ts';
import { faultRoutes } from './faults/fault-routes.ts';
import { healthRoutes, metricsRoute } from './health-routes.ts';
import type { AuthFailureKind } from '../../auth/authenticate.ts';
import { createMetrics, type Metrics } from './metrics.ts';

/** What operators and test suites get besides the API: fault rules (control plane) and metrics (`--metrics`). */
export interface Ops {
  readonly faults: FaultBook | null;
  readonly metrics: Metrics | null;
  /** The limiter, counting its refusals when metrics are on. */
  observeLimiter(limiter: RateLimiter | null): RateLimiter | null;
  readonly authFailure: ((kind: AuthFailureKind) => void) | undefined;
}

export function createOps(deps: Deps): Ops {
  const metrics = deps.config.metrics ? createMetrics({ outboxDepth: () => countUnsentMail(deps.ctx.db) }) : null;
  if (metrics) deps.outbox.observe(metrics.outboxAttempt);
  return {
    // Only where the control plane's token guard is registered (app.ts: control plane and a movable clock).
    faults: deps.config.controlPlane && deps.movableClock ? createFaultBook({ now: () => deps.clock.now() }) : null,
    metrics,
    authFailure: metrics?.authFailure,
    observeLimiter(limiter) {
      if (!limiter || !metrics) return limiter;
      return {
        ...limiter,
        async take(bucket, scope) {
          const r = await limiter.take(bucket, scope);
          if (!r.allowed) metrics.rateLimited(bucket);
          return r;
        },
      };
    },
  };
}

/**
 * Health and readiness (always, no credentials), metrics (with `--metrics`), fault rules and their
 * hook (with `--control-plane`). The hooks are the app's own (they see every route); the routes are
 * an encapsulated plugin.
 */
export function registerOps(
  app: FastifyInstance,
  deps: Deps,
  ops: Ops,
  options: { sleep?: (ms: number) => Promise<unknown> } = {},
): void {
  const { metrics, faults } = ops;
  if (metrics) {
    app.addHook('onResponse', (request, reply, done) => {
      metrics.observe(request, reply);
      done();
    });
  }
  if (faults) registerFaultHook(app, { book: faults, sleep: options.sleep, onApplied: metrics?.faultApplied });
  app.register(async (scope) => {
    await healthRoutes(scope, deps.ctx.db);
    if (metrics) await metricsRoute(scope, { metrics, token: deps.config.metricsToken });
    if (faults) await faultRoutes(scope, faults);
  });
}
