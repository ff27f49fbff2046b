import type { Answer, IdPools, Send } from './generator.ts';
import { digestSession } from './generator.ts';

const V2 = 'application/vnd.atlas.2023-01-01+json';
const SA = 'application/vnd.atlas.2024-08-05+json';
const USERS = 'application/vnd.atlas.2025-02-19+json';

export interface SeedInput {
  send: Send;
  owner: { publicKey: string; privateKey: string };
  orgId: string;
  groupId: string;
  /** The init service account (kept out of the pools: the fuzz signs in with it). */
  serviceAccountClientId?: string;
  controlToken?: string;
}

/**
 * Makes a few of each resource through the API itself (so it works in-process and against a
 * child process) and returns their ids for the generator to put into paths.
 */
export async function seedPools(s: SeedInput): Promise<IdPools> {
  const owner = digestSession(s.send, s.owner);
  const call = async (method: string, url: string, body?: unknown, accept = V2): Promise<any> => {
    const headers: Record<string, string> = { accept };
    if (body !== undefined) headers['content-type'] = accept;
    const res: Answer = await owner(
      method,
      url,
      headers,
      body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
    );
    if (res.status >= 300) throw new Error(`seeding: ${method} ${url} answered ${res.status}: ${res.body.toString()}`);
    return res.body.length ? JSON.parse(res.body.toString()) : null;
  };
  const { orgId, groupId } = s;
  const ids: IdPools = {
    orgId: [orgId],
    groupId: [groupId],
    invitationId: [],
    apiUserId: [],
    clientId: [],
    secretId: [],
    userId: [],
    eventId: [],
    endpointSetId: [],
    ipAddress: ['10.1.2.3', '10.0.0.0%2F8', '127.0.0.1'],
    token: [],
    protectedIds: new Set([groupId, orgId]),
  };
  for (let i = 0; i < 3; i++) {
    const g = await call('POST', '/api/atlas/v2/groups', { name: `fuzz-extra-${i}`, orgId });
    ids.groupId.push(g.id);
  }
  for (let i = 0; i < 4; i++) {
    const inv = await call('POST', `/api/atlas/v2/groups/${ids.groupId[i % ids.groupId.length]}/invites`, {
      username: `seed${i}@example.com`,
      roles: ['GROUP_READ_ONLY'],
    });
    ids.invitationId.push(inv.id);
    const org = await call('POST', `/api/atlas/v2/orgs/${orgId}/invites`, {
      username: `seed-org${i}@example.com`,
      roles: ['ORG_MEMBER'],
    });
    ids.invitationId.push(org.id);
  }
  for (let i = 0; i < 2; i++) {
    const key = await call('POST', `/api/atlas/v2/orgs/${orgId}/apiKeys`, {
      desc: `fuzz key ${i}`,
      roles: ['ORG_MEMBER'],
    });
    ids.apiUserId.push(key.id);
    await call('POST', `/api/atlas/v2/orgs/${orgId}/apiKeys/${key.id}/accessList`, [{ ipAddress: '10.1.2.3' }]);
  }
  for (let i = 0; i < 2; i++) {
    const sa = await call(
      'POST',
      `/api/atlas/v2/orgs/${orgId}/serviceAccounts`,
      { name: `fuzz-sa-${i}`, description: 'fuzz', roles: ['ORG_MEMBER'], secretExpiresAfterHours: 720 },
      SA,
    );
    ids.clientId.push(sa.clientId);
    for (const secret of sa.secrets ?? []) ids.secretId.push(secret.id);
  }
  for (let i = 0; i < 3; i++) {
    const user = await call(
      'POST',
      `/api/atlas/v2/orgs/${orgId}/users`,
      { username: `seed-user${i}@example.com`, roles: { orgRoles: ['ORG_MEMBER'] } },
      USERS,
    );
    ids.userId.push(user.id);
  }
  const events = await call('GET', `/api/atlas/v2/groups/${groupId}/events?itemsPerPage=5`);
  for (const e of events.results ?? []) ids.eventId.push(e.id);
  const orgEvents = await call('GET', `/api/atlas/v2/orgs/${orgId}/events?itemsPerPage=5`);
  for (const e of orgEvents.results ?? []) ids.eventId.push(e.id);
  const limits = await call('GET', '/api/atlas/v2/rateLimits', undefined, 'application/vnd.atlas.2025-03-12+json');
  for (const l of (limits.results ?? []).slice(0, 4)) if (typeof l.name === 'string') ids.endpointSetId.push(l.name);
  if (s.controlToken) {
    const mail = await s.send('GET', '/_cloud-invites/mailbox', { authorization: `Bearer ${s.controlToken}` });
    if (mail.status === 200) {
      for (const m of JSON.parse(mail.body.toString()) as { acceptUrl?: string }[]) {
        const token = /\/console\/invitations\/([^/?]+)/.exec(m.acceptUrl ?? '')?.[1];
        if (token) ids.token.push(token);
      }
    }
  }
  ids.token.push('x'.repeat(43));
  return ids;
}
