import { listOrgs } from '../storage/repositories/orgs.repository.ts';
import { createApiKey } from './api-keys/api-key.service.ts';
import { type DomainContext, type TxContext, withTx } from './context.ts';
import { lockStore } from '../storage/repositories/store-locks.repository.ts';
import { createOrg } from './orgs/org.service.ts';
import { createProject } from './projects/project.service.ts';
import { generatePassword } from './console/passwords.ts';
import { addConsoleMember } from './console/console-members.ts';
import { createServiceAccount } from './service-accounts/service-account.service.ts';

export interface InitResult {
  orgId: string;
  groupId: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
  clientSecret: string;
  /** The console's first Organization Owner (when asked for): a person who signs in with a password. */
  consoleEmail?: string;
  consolePassword?: string;
}

/** The first console owner's address unless `--console-email` says otherwise. */
export const DEFAULT_CONSOLE_EMAIL = 'owner@cloud-invites.local';

/**
 * `cloud-invites init`: on an empty store, an organization, a project in it, an Organization Owner
 * API key and an Organization Owner service account (its secret valid for a year). Returns null
 * when the store already has an organization (nothing is changed). One transaction under a
 * store-wide lock: nodes starting together on an empty store bootstrap it once, and a process
 * killed midway leaves it empty, never half made.
 */
export async function initStore(ctx: DomainContext, names: BootstrapOptions = {}): Promise<InitResult | null> {
  return withTx(ctx, async (ctx) => {
    await lockStore(ctx.db, 'bootstrap');
    if ((await listOrgs(ctx.db)).length > 0) return null;
    return bootstrap(ctx, names);
  });
}

export interface BootstrapOptions {
  orgName?: string;
  projectName?: string;
  /** Also make a console account, Organization Owner of the new organization, with this address. */
  consoleEmail?: string;
}

async function bootstrap(ctx: TxContext, names: BootstrapOptions): Promise<InitResult> {
  const org = await createOrg(ctx, names.orgName ?? 'Cloud-Invites');
  const project = await createProject(ctx, null, { name: names.projectName ?? 'Project-0', orgId: org.id });
  const key = await createApiKey(ctx, {
    orgId: org.id,
    description: 'Created by cloud-invites init',
    orgRoles: ['ORG_OWNER'],
  });
  const sa = await createServiceAccount(ctx, {
    orgId: org.id,
    name: 'cloud-invites init',
    description: 'Created by cloud-invites init',
    orgRoles: ['ORG_OWNER'],
    secretExpiresAfterHours: 24 * 365,
  });
  const owner = names.consoleEmail ? await createConsoleOwner(ctx, org.id, names.consoleEmail) : {};
  return {
    orgId: org.id,
    groupId: project.id,
    publicKey: key.apiKey.publicKey,
    privateKey: key.privateKey,
    clientId: sa.serviceAccount.clientId,
    clientSecret: sa.secret.secret,
    ...owner,
  };
}

async function createConsoleOwner(
  ctx: DomainContext,
  orgId: string,
  email: string,
): Promise<{ consoleEmail: string; consolePassword: string }> {
  const consolePassword = generatePassword(ctx.random);
  await addConsoleMember(ctx, { orgId, email, password: consolePassword, orgRoles: ['ORG_OWNER'] });
  return { consoleEmail: email, consolePassword };
}
