import { listOrgs } from '../storage/repositories/orgs.repository.ts';
import { createApiKey } from './api-keys/api-key.service.ts';
import { type DomainContext, type TxContext, withTx } from './context.ts';
import { lockStore } from '../storage/repositories/store-locks.repository.ts';
import { createOrg } from './orgs/org.service.ts';
import { createProject } from './projects/project.service.ts';
import { createServiceAccount } from './service-accounts/service-account.service.ts';

export interface InitResult {
  orgId: string;
  groupId: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
  clientSecret: string;
}

/**
 * `cloud-invites init`: on an empty store, an organization, a project in it, an Organization Owner
 * API key and an Organization Owner service account (its secret valid for a year). Returns null
 * when the store already has an organization (nothing is changed). One transaction under a
 * store-wide lock: nodes starting together on an empty store bootstrap it once, and a process
 * killed midway leaves it empty, never half made.
 */
export async function initStore(
  ctx: DomainContext,
  names: { orgName?: string; projectName?: string } = {},
): Promise<InitResult | null> {
  return withTx(ctx, async (ctx) => {
    await lockStore(ctx.db, 'bootstrap');
    if ((await listOrgs(ctx.db)).length > 0) return null;
    return bootstrap(ctx, names);
  });
}

async function bootstrap(ctx: TxContext, names: { orgName?: string; projectName?: string }): Promise<InitResult> {
  const org = await createOrg(ctx, names.orgName ?? 'Cloud-Invites');
  const project = await createProject(ctx, null, { name: names.projectName ?? 'Project-0', orgId: org.id });
  const key = await createApiKey(ctx, { orgId: org.id, description: 'Created by cloud-invites init', orgRoles: ['ORG_OWNER'] });
  const sa = await createServiceAccount(ctx, {
    orgId: org.id,
    name: 'cloud-invites init',
    description: 'Created by cloud-invites init',
    orgRoles: ['ORG_OWNER'],
    secretExpiresAfterHours: 24 * 365,
  });
  return {
    orgId: org.id,
    groupId: project.id,
    publicKey: key.apiKey.publicKey,
    privateKey: key.privateKey,
    clientId: sa.serviceAccount.clientId,
    clientSecret: sa.secret.secret,
  };
}
