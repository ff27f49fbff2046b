import { createHash } from 'node:crypto';
import type { RandomSource } from '../../lib/random.ts';
import { atlasError } from '../../errors/atlas-error.ts';
import { wholeSeconds } from '../../lib/dates.ts';
import { findOrg } from '../../storage/repositories/orgs.repository.ts';
import { findProject } from '../../storage/repositories/projects.repository.ts';
import * as repo from '../../storage/repositories/service-accounts.repository.ts';
import { cached, type DomainContext, withTx } from '../context.ts';
import type { Principal } from '../principal.ts';
import { isOrgRole, isProjectRole } from '../roles/roles.ts';
import type { ServiceAccount } from './service-account.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_';
/** Names and descriptions: `^[\p{L}\p{N}\-_.,' ]*$` (spec), 1..64 and 1..250 characters. */
export const SERVICE_ACCOUNT_TEXT = /^[\p{L}\p{N}\-_.,' ]*$/u;

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

function newSecret(random: RandomSource): string {
  let s = 'mdb_sa_sk_';
  for (let i = 0; i < 40; i++) s += ALPHABET[random.int(ALPHABET.length)];
  return s;
}

export interface CreatedSecret {
  readonly id: string;
  /** Shown once, at creation. */
  readonly secret: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export function validateServiceAccountText(field: 'name' | 'description', value: string): void {
  const max = field === 'name' ? 64 : 250;
  if (value.length < 1 || value.length > max || !SERVICE_ACCOUNT_TEXT.test(value)) {
    throw atlasError('VALIDATION_ERROR', `${field} must be 1 to ${max} letters, digits, spaces or -_.,' characters`);
  }
}

export function validateSecretLifetime(hours: unknown): number {
  if (typeof hours !== 'number' || !Number.isInteger(hours) || hours <= 0 || hours > 2 ** 31 - 1) {
    throw atlasError('INVALID_JSON_ATTRIBUTE', 'secretExpiresAfterHours');
  }
  return hours;
}

/** Adds a secret; the caller gets the only copy of its value. Stored as a SHA-256 hash. */
export async function addSecret(
  ctx: DomainContext,
  sa: { id: string },
  expiresAfterHours: number,
): Promise<CreatedSecret> {
  const secret = newSecret(ctx.random);
  const createdAt = wholeSeconds(ctx.clock.now());
  const created = {
    id: ctx.ids.next(),
    secret,
    createdAt,
    expiresAt: new Date(createdAt.getTime() + expiresAfterHours * 3_600_000),
  };
  await repo.insertSecret(ctx.db, {
    id: created.id,
    serviceAccountId: sa.id,
    secretHash: hashSecret(secret),
    maskedValue: `mdb_sa_sk_...${secret.slice(-4)}`,
    createdAt,
    expiresAt: created.expiresAt,
  });
  return created;
}

export async function createServiceAccount(
  ctx: DomainContext,
  input: {
    orgId: string;
    name: string;
    description: string;
    orgRoles: string[];
    secretExpiresAfterHours: number;
    projectAssignments?: Array<{ projectId: string; roles: string[] }>;
  },
): Promise<{ serviceAccount: ServiceAccount; secret: CreatedSecret }> {
  if (!(await findOrg(ctx.db, input.orgId))) throw atlasError('ORG_NOT_FOUND', input.orgId);
  validateServiceAccountText('name', input.name);
  validateServiceAccountText('description', input.description);
  if (input.orgRoles.length === 0) throw atlasError('VALIDATION_ERROR', 'roles must contain at least one role');
  for (const role of input.orgRoles) if (!isOrgRole(role)) throw atlasError('INVALID_ROLE_FOR_ORG', role, input.orgId);
  for (const a of input.projectAssignments ?? []) {
    const project = await findProject(ctx.db, a.projectId);
    if (!project || project.orgId !== input.orgId) throw atlasError('GROUP_NOT_FOUND', a.projectId);
    for (const role of a.roles) if (!isProjectRole(role)) throw atlasError('INVALID_ROLE_FOR_GROUP', role, a.projectId);
  }
  validateSecretLifetime(input.secretExpiresAfterHours);
  const id = ctx.ids.next();
  const secret = await withTx(ctx, async (ctx) => {
    await repo.insertServiceAccount(ctx.db, {
      id,
      clientId: `mdb_sa_id_${id}`,
      orgId: input.orgId,
      name: input.name,
      description: input.description,
      orgRoles: [...new Set(input.orgRoles)],
      createdAt: wholeSeconds(ctx.clock.now()),
    });
    for (const a of input.projectAssignments ?? [])
      await repo.setServiceAccountProjectRoles(ctx.db, id, a.projectId, a.roles);
    return addSecret(ctx, { id }, input.secretExpiresAfterHours);
  });
  const serviceAccount = await repo.findServiceAccountByClientId(ctx.db, `mdb_sa_id_${id}`);
  if (!serviceAccount) throw new Error('service account vanished after creation');
  return { serviceAccount, secret };
}

/** OAuth client authentication: the account when the secret is one of its unexpired secrets. */
export async function verifyClientSecret(
  ctx: DomainContext,
  clientId: string,
  secret: string,
): Promise<ServiceAccount | null> {
  const found = await repo.findSecretByHash(ctx.db, clientId, hashSecret(secret));
  if (!found || found.expiresAt.getTime() <= ctx.clock.now().getTime()) return null;
  await repo.touchSecret(ctx.db, found.secretId, wholeSeconds(ctx.clock.now()));
  return (await repo.findServiceAccountByClientId(ctx.db, clientId)) ?? null;
}

export function principalForServiceAccount(sa: ServiceAccount): Principal {
  return {
    kind: 'serviceAccount',
    id: sa.id,
    username: sa.clientId,
    orgId: sa.orgId,
    orgRoles: new Set(sa.orgRoles),
    projectRoles: new Map(sa.projectAssignments.map((a) => [a.projectId, new Set(a.roles)])),
  };
}

export async function findServiceAccount(ctx: DomainContext, clientId: string): Promise<ServiceAccount | null> {
  return cached(
    ctx,
    `service-account:${clientId}`,
    async () => (await repo.findServiceAccountByClientId(ctx.db, clientId)) ?? null,
  );
}
