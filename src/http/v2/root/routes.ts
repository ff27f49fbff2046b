import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../../../domain/principal.ts';
import { ROOT_V2 } from '../../resources.ts';
import { sendEntity } from '../../wire.ts';

/** getSystemStatus: the health probe clients call first; it also echoes the caller's key and roles. */
export function registerRootRoutes(app: FastifyInstance, build: string): void {
  app.get('/api/atlas/v2', { config: { resource: ROOT_V2 } }, async function getSystemStatus(request: FastifyRequest, reply) {
    const p = request.principal as Principal;
    const roles = [
      ...[...p.orgRoles].map((roleName) => ({ orgId: p.orgId, roleName })),
      ...[...p.projectRoles].flatMap(([groupId, rs]) => [...rs].map((roleName) => ({ groupId, roleName }))),
    ];
    return sendEntity(request, reply, 200, {
      apiKey: { accessList: [], id: p.id, publicKey: p.username, roles },
      appName: 'MongoDB Atlas',
      build,
      throttling: false,
    });
  });
}
