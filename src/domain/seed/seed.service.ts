import { randomBytes } from 'node:crypto';
import { atlasError } from '../../errors/atlas-error.ts';
import { wholeSeconds } from '../../lib/dates.ts';
import { bulkTransaction } from '../../storage/database.ts';
import { insertEventsBatch } from '../../storage/repositories/events.repository.ts';
import { insertInvitationsBatch } from '../../storage/repositories/invitations.repository.ts';
import { insertOrgMembershipsBatch } from '../../storage/repositories/memberships.repository.ts';
import { findOrg, insertOrgsBatch } from '../../storage/repositories/orgs.repository.ts';
import { insertProjectsBatch } from '../../storage/repositories/projects.repository.ts';
import { insertUsersBatch } from '../../storage/repositories/users.repository.ts';
import { type DomainContext, withTx } from '../context.ts';
import type { AuditEvent } from '../events/event.ts';
import { INVITATION_LIFETIME_MS, type Invitation } from '../invitations/invitation.ts';
import type { Org } from '../orgs/org.ts';
import type { Project } from '../projects/project.ts';
import type { User } from '../users/user.ts';

/**
 * Bulk loads for scale tests (`cloud-invites seed`): what the API would have written, many rows per
 * statement and thousands per transaction. Each invitation is what createGroupInvite makes for a
 * newcomer: a pending user, a project invitation, the organization invitation made alongside
 * (source `project-invite`), and the events INVITED_TO_GROUP and INVITED_TO_ORG. Members are
 * users with an Organization Member membership. Addresses are `seed-<run>-…@example.com`, `run`
 * new each time, so seeds add up. Dates go back one second per row from now, all still pending.
 */
export interface SeedOptions {
  invitations: number;
  /** Projects the invitations are spread over (round robin); default one per 100 invitations. */
  projects?: number;
  /** Organizations the projects are spread over; default one per 10 projects. */
  orgs?: number;
  members: number;
  /** The organization that gets the members; default a new one. */
  membersOrgId?: string;
  /** Invitations (or members) per transaction. */
  perTransaction?: number;
}

export interface SeedResult {
  run: string;
  orgs: number;
  projects: number;
  invitations: number;
  members: number;
  firstOrgId: string | null;
  firstProjectId: string | null;
  membersOrgId: string | null;
}

export type SeedProgress = (done: number, total: number) => void;

const INVITER = 'seed@example.com';

export function seedPlan(o: SeedOptions): { projects: number; orgs: number } {
  const projects = o.invitations === 0 ? 0 : Math.max(1, o.projects ?? Math.ceil(o.invitations / 100));
  const orgs = projects === 0 ? 0 : Math.max(1, Math.min(projects, o.orgs ?? Math.ceil(projects / 10)));
  return { projects, orgs };
}

export async function seed(
  ctx: DomainContext,
  o: SeedOptions,
  progress: SeedProgress = () => undefined,
): Promise<SeedResult> {
  for (const [name, n] of [
    ['invitations', o.invitations],
    ['members', o.members],
    ['projects', o.projects ?? 0],
    ['orgs', o.orgs ?? 0],
  ] as const) {
    if (!Number.isSafeInteger(n) || n < 0) throw atlasError('VALIDATION_ERROR', `${name} must be a whole number ≥ 0`);
  }
  if (o.membersOrgId !== undefined && !(await findOrg(ctx.db, o.membersOrgId)))
    throw atlasError('ORG_NOT_FOUND', o.membersOrgId);
  const run = randomBytes(4).toString('hex');
  const per = o.perTransaction ?? 2000;
  const now = wholeSeconds(ctx.clock.now()).getTime();
  const total = o.invitations + o.members;
  let done = 0;
  const { projects: projectCount, orgs: orgCount } = seedPlan(o);

  const orgs: Org[] = Array.from({ length: orgCount }, (_, i) => ({
    id: ctx.ids.next(),
    name: `seed ${run} org ${i}`,
    createdAt: new Date(now),
    apiAccessListRequired: false,
  }));
  const projects: Project[] = Array.from({ length: projectCount }, (_, i) => ({
    id: ctx.ids.next(),
    orgId: orgs[Math.floor((i * orgCount) / projectCount)].id,
    name: `seed ${run} project ${i}`,
    createdAt: new Date(now),
    withDefaultAlertsSettings: true,
    tags: [],
  }));
  await withTx(ctx, async ({ db }) => {
    await insertOrgsBatch(db, orgs);
    await insertProjectsBatch(db, projects);
  });

  for (let start = 0; start < o.invitations; start += per) {
    const users: User[] = [];
    const rows: Array<{ invitation: Invitation; tokenHash: string }> = [];
    const events: AuditEvent[] = [];
    const hashes = randomBytes(64 * Math.min(per, o.invitations - start)).toString('hex');
    for (let i = start; i < Math.min(o.invitations, start + per); i++) {
      const project = projects[i % projectCount];
      const createdAt = new Date(now - (o.invitations - i) * 1000);
      const expiresAt = new Date(createdAt.getTime() + INVITATION_LIFETIME_MS);
      const user: User = {
        id: ctx.ids.next(),
        username: `seed-${run}-${i}@example.com`,
        firstName: null,
        lastName: null,
        createdAt,
      };
      users.push(user);
      const common = {
        orgId: project.orgId,
        orgName: '',
        username: user.username,
        inviterUsername: INVITER,
        createdAt,
        expiresAt,
        userId: user.id,
      };
      const more = { status: 'PENDING', teamIds: [], groupRoleAssignments: [] } as const;
      const h = (i - start) * 128;
      rows.push({
        invitation: {
          ...common,
          ...more,
          id: ctx.ids.next(),
          kind: 'project',
          projectId: project.id,
          projectName: project.name,
          roles: ['GROUP_READ_ONLY'],
          source: 'invites',
        },
        tokenHash: hashes.slice(h, h + 64),
      });
      rows.push({
        invitation: {
          ...common,
          ...more,
          id: ctx.ids.next(),
          kind: 'org',
          projectId: null,
          projectName: null,
          roles: ['ORG_MEMBER'],
          source: 'project-invite',
        },
        tokenHash: hashes.slice(h + 64, h + 128),
      });
      const event = {
        orgId: project.orgId,
        createdAt,
        apiKeyId: null,
        publicKey: null,
        userId: null,
        username: INVITER,
        targetUsername: user.username,
        remoteAddress: null,
      };
      events.push({ ...event, id: ctx.ids.next(), projectId: project.id, eventType: 'INVITED_TO_GROUP' });
      events.push({ ...event, id: ctx.ids.next(), projectId: null, eventType: 'INVITED_TO_ORG' });
    }
    await withTx(ctx, async ({ db }) => {
      await bulkTransaction(db);
      await insertUsersBatch(db, users);
      await insertInvitationsBatch(db, rows);
      await insertEventsBatch(db, events);
    });
    done += users.length;
    progress(done, total);
  }

  let membersOrgId: string | null = null;
  if (o.members > 0) {
    membersOrgId = o.membersOrgId ?? ctx.ids.next();
    if (o.membersOrgId === undefined) {
      await insertOrgsBatch(ctx.db, [
        { id: membersOrgId, name: `seed ${run} members`, createdAt: new Date(now), apiAccessListRequired: false },
      ]);
    }
    for (let start = 0; start < o.members; start += per) {
      const users: User[] = [];
      for (let i = start; i < Math.min(o.members, start + per); i++) {
        users.push({
          id: ctx.ids.next(),
          username: `seed-${run}-m${i}@example.com`,
          firstName: null,
          lastName: null,
          createdAt: new Date(now - (o.members - i) * 1000),
        });
      }
      const orgId = membersOrgId;
      await withTx(ctx, async ({ db }) => {
        await bulkTransaction(db);
        await insertUsersBatch(db, users);
        await insertOrgMembershipsBatch(
          db,
          users.map((u) => ({
            orgId,
            userId: u.id,
            username: u.username,
            roles: ['ORG_MEMBER'],
            teamIds: [],
            joinedAt: u.createdAt,
          })),
        );
      });
      done += users.length;
      progress(done, total);
    }
  }
  return {
    run,
    orgs: orgCount,
    projects: projectCount,
    invitations: o.invitations,
    members: o.members,
    firstOrgId: orgs[0]?.id ?? null,
    firstProjectId: projects[0]?.id ?? null,
    membersOrgId,
  };
}
