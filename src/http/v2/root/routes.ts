import { listAccessListEntries, ownerOf } from '../../../domain/access-lists/access-list.service.ts';
import { parseCidr } from '../../../domain/access-lists/access-list.ts';
import type { DomainContext } from '../../../domain/context.ts';
import { ROOT_V2 } from '../../resources.ts';
import { route, type Surface } from '../../route.ts';
import { sendEntity } from '../../wire.ts';

/** getSystemStatus: the health probe clients call first; it also echoes the caller's key and roles. */
export function registerRootRoutes(api: Surface, ctx: DomainContext, build: string): void {
  route(
    api,
    { operationId: 'getSystemStatus', method: 'GET', path: '', resource: ROOT_V2, permission: 'Any caller' },
    async function getSystemStatus(call, reply) {
      const p = call.principal;
      const roles = [
        ...[...p.orgRoles].map((roleName) => ({ orgId: p.orgId, roleName })),
        ...[...p.projectRoles].flatMap(([groupId, rs]) => [...rs].map((roleName) => ({ groupId, roleName }))),
      ];
      // AccessListItemView: cidrBlock always, ipAddress for a single address.
      const accessList = (await listAccessListEntries(ctx, ownerOf(p))).map((e) => {
        const c = parseCidr(e.cidrBlock);
        const single = c && c.prefix === (c.family === 'ipv4' ? 32 : 128);
        return single ? { cidrBlock: e.cidrBlock, ipAddress: c.address } : { cidrBlock: e.cidrBlock };
      });
      return sendEntity(call.request, reply, 200, {
        apiKey: { accessList, id: p.id, publicKey: p.username, roles },
        appName: 'MongoDB Atlas',
        build,
        throttling: false,
      });
    },
  );
}
