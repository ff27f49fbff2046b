import type { FastifyInstance } from 'fastify';
import type { DomainContext } from '../../domain/context.ts';
import type { Fixtures } from '../../domain/fixtures/fixtures.ts';
import {
  deleteSnapshot,
  listSnapshots,
  resetStore,
  restoreSnapshot,
  saveSnapshot,
  type SnapshotInfo,
} from '../../domain/store/store-state.service.ts';
import type { Clock } from '../../lib/clock.ts';
import { atlasDate } from '../../lib/dates.ts';
import { jsonReply } from '../json-reply.ts';

const view = (s: SnapshotInfo) => ({ id: s.id, createdAt: atlasDate(s.createdAt) });

/**
 * `/_cloud-invites/reset` and `/_cloud-invites/snapshots…` for test suites (ADR 0011). Registered
 * beside the other control routes, behind the same control-token hook (src/http/control/routes.ts).
 */
export function registerStoreRoutes(
  app: FastifyInstance,
  deps: { ctx: DomainContext; controlToken: string; fixtures: Fixtures | null },
): void {
  app.register(async (scope) => {
    scope.post('/_cloud-invites/reset', async (_request, reply) => {
      const { created, fixtures } = await resetStore(deps.ctx, deps.fixtures);
      // Without fixtures: what `init --json` prints after a first start.
      return jsonReply(reply, 200, created ? { ...created, controlToken: deps.controlToken } : { fixtures });
    });
    scope.post('/_cloud-invites/snapshots', async (_request, reply) =>
      jsonReply(reply, 201, view(await saveSnapshot(deps.ctx))),
    );
    scope.get('/_cloud-invites/snapshots', async (_request, reply) =>
      jsonReply(reply, 200, (await listSnapshots(deps.ctx)).map(view)),
    );
    scope.post('/_cloud-invites/snapshots/:snapshotId/restore', async (request, reply) => {
      const { snapshotId } = request.params as { snapshotId: string };
      return jsonReply(reply, 200, view(await restoreSnapshot(deps.ctx, snapshotId)));
    });
    scope.delete('/_cloud-invites/snapshots/:snapshotId', async (request, reply) => {
      await deleteSnapshot(deps.ctx, (request.params as { snapshotId: string }).snapshotId);
      return reply.code(204).send();
    });
  });
}

/**
 * With `--id-seed`: the `Date` header from the server's clock (the control plane's, standing still
 * until moved) instead of the wall clock, so two runs answer byte for byte alike.
 */
export function registerClockDate(app: FastifyInstance, clock: Clock): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('date', clock.now().toUTCString());
    return payload;
  });
}
