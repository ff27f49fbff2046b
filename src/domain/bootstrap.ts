import { listOrgs } from '../storage/repositories/orgs.repository.ts';
import { createApiKey } from './api-keys/api-key.service.ts';
import type { DomainContext } from './context.ts';
import { createOrg } from './orgs/org.service.ts';
import { createProject } from './projects/project.service.ts';

export interface InitResult {
  orgId: string;
  groupId: string;
  publicKey: string;
  privateKey: string;
}

/**
 * `cloud-invites init`: on an empty store, an organization, a project in it, and an Organization
 * Owner API key. Returns null when the store already has an organization (nothing is changed).
 */
export async function initStore(
  ctx: DomainContext,
  names: { orgName?: string; projectName?: string } = {},
): Promise<InitResult | null> {
  if ((await listOrgs(ctx.db)).length > 0) return null;
  const org = await createOrg(ctx, names.orgName ?? 'Cloud-Invites');
  const project = await createProject(ctx, null, { name: names.projectName ?? 'Project-0', orgId: org.id });
  const key = await createApiKey(ctx, { orgId: org.id, description: 'Created by cloud-invites init', orgRoles: ['ORG_OWNER'] });
  return { orgId: org.id, groupId: project.id, publicKey: key.apiKey.publicKey, privateKey: key.privateKey };
}
