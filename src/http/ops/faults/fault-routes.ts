import type { FastifyInstance } from 'fastify';
import { atlasError } from '../../../errors/atlas-error.ts';
import { ERRORS } from '../../../errors/codes.ts';
import type { FaultBook, FaultRule } from './fault-book.ts';
import { noStoreReply } from '../../json-reply.ts';
import { parseFaultSpec } from './fault-rule.ts';

/** A rule as the control plane shows it: what it does, and how many more calls it will take. */
function ruleView(rule: FaultRule): Record<string, unknown> {
  return {
    id: rule.id,
    operationId: rule.operationId,
    path: rule.path,
    method: rule.method,
    latencyMs: rule.latencyMs,
    error: rule.error && {
      errorCode: ERRORS[rule.error.name].errorCode,
      status: rule.error.status,
      parameters: rule.error.parameters,
      retryAfterSeconds: rule.error.retryAfterSeconds,
    },
    drop: rule.drop,
    probability: rule.probability,
    seed: rule.seed,
    times: rule.times,
    remaining: rule.remaining,
    matched: rule.matched,
    applied: rule.applied,
    createdAt: rule.createdAt,
  };
}

/** `/_cloud-invites/faults`: add, list, remove and clear this node's fault rules (behind the control token). */
export async function faultRoutes(scope: FastifyInstance, book: FaultBook): Promise<void> {
  scope.post('/_cloud-invites/faults', async (request, reply) =>
    noStoreReply(reply, 201, ruleView(book.add(parseFaultSpec(request.body)))),
  );
  scope.get('/_cloud-invites/faults', async (_request, reply) => {
    const results = book.list().map(ruleView);
    return noStoreReply(reply, 200, { results, totalCount: results.length });
  });
  scope.delete('/_cloud-invites/faults', async (_request, reply) =>
    noStoreReply(reply, 200, { removed: book.clear() }),
  );
  scope.delete('/_cloud-invites/faults/:faultId', async (request, reply) => {
    const { faultId } = request.params as { faultId: string };
    if (!book.remove(faultId)) throw atlasError('RESOURCE_NOT_FOUND', `/_cloud-invites/faults/${faultId}`);
    return reply.code(204).send();
  });
}
