import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AuthFailureKind } from '../../auth/authenticate.ts';
import { operationIdOf } from './operation-id.ts';

export interface Metrics {
  readonly registry: Registry;
  /** onResponse: one counter inc and one histogram observe, with label objects made once per route, method and status. */
  observe(request: FastifyRequest, reply: FastifyReply): void;
  authFailure(kind: AuthFailureKind): void;
  rateLimited(bucket: string): void;
  outboxAttempt(outcome: 'sent' | 'failed'): void;
  faultApplied(kind: 'latency' | 'error' | 'drop'): void;
}

/** Seconds: from a fast cached read (sub-millisecond) to an injected latency. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Labels = { request: { operationId: string; method: string; status: string }; latency: { operationId: string } };

/**
 * Prometheus metrics on a registry of this app's own (several apps in one test process do not
 * share one). Counted per request: nothing but what `observe` does; the outbox depth is read
 * from the store when scraped.
 */
export function createMetrics(deps: { outboxDepth: () => Promise<number> }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'cloud_invites_' });
  const requests = new Counter({
    name: 'cloud_invites_http_requests_total',
    help: 'HTTP requests answered, by operationId, method and status',
    labelNames: ['operationId', 'method', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'cloud_invites_http_request_duration_seconds',
    help: 'Time from the request arriving to the answer being sent, by operationId',
    labelNames: ['operationId'],
    buckets: BUCKETS,
    registers: [registry],
  });
  const authFailures = new Counter({
    name: 'cloud_invites_auth_failures_total',
    help: 'API requests answered with the Digest challenge, by why',
    labelNames: ['kind'],
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'cloud_invites_rate_limit_refusals_total',
    help: 'Calls refused by a rate-limit bucket, by bucket',
    labelNames: ['bucket'],
    registers: [registry],
  });
  const outbox = new Counter({
    name: 'cloud_invites_outbox_deliveries_total',
    help: 'Mail delivery attempts, by outcome (sent or failed)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const faults = new Counter({
    name: 'cloud_invites_faults_applied_total',
    help: 'Injected faults applied, by kind',
    labelNames: ['kind'],
    registers: [registry],
  });
  new Gauge({
    name: 'cloud_invites_outbox_depth',
    help: 'Mail not yet delivered (queued, waiting to retry, or being sent)',
    registers: [registry],
    async collect() {
      this.set(await deps.outboxDepth());
    },
  });
  // Failures start at zero, so a rate() over them works before the first failure.
  outbox.inc({ outcome: 'failed' }, 0);
  outbox.inc({ outcome: 'sent' }, 0);

  const labelsByRoute = new WeakMap<object, Record<string, Record<number, Labels>>>();
  function labelsFor(request: FastifyRequest, status: number): Labels {
    const config = request.routeOptions.config ?? labelsByRoute;
    let byMethod = labelsByRoute.get(config);
    if (!byMethod) {
      byMethod = {};
      labelsByRoute.set(config, byMethod);
    }
    let byStatus = byMethod[request.method];
    if (!byStatus) {
      byStatus = {};
      byMethod[request.method] = byStatus;
    }
    let labels = byStatus[status];
    if (!labels) {
      const operationId = operationIdOf(request);
      labels = { request: { operationId, method: request.method, status: String(status) }, latency: { operationId } };
      byStatus[status] = labels;
    }
    return labels;
  }

  return {
    registry,
    observe(request, reply) {
      const labels = labelsFor(request, reply.statusCode);
      requests.inc(labels.request);
      latency.observe(labels.latency, reply.elapsedTime / 1000);
    },
    authFailure: (kind) => authFailures.inc({ kind }),
    rateLimited: (bucket) => refusals.inc({ bucket }),
    outboxAttempt: (outcome) => outbox.inc({ outcome }),
    faultApplied: (kind) => faults.inc({ kind }),
  };
}
