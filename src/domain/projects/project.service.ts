import { atlasError } from '../../errors/atlas-error.ts';
import { wholeSeconds } from '../../lib/dates.ts';
import { findOrg } from '../../storage/repositories/orgs.repository.ts';
import * as repo from '../../storage/repositories/projects.repository.ts';
import { cached, type DomainContext, withTx } from '../context.ts';
import type { Principal } from '../principal.ts';
import { hasOrgRole, type ProjectRequirement, requireOrgRole, requireProjectRole } from '../roles/permissions.ts';
import { validateName } from './names.ts';
import type { Project, ResourceTag } from './project.ts';

export interface Page<T> {
  items: T[];
  total: number;
}

export interface PageRequest {
  pageNum: number;
  itemsPerPage: number;
}

/** Finds a project and checks the caller's role on it: unknown → 404 GROUP_NOT_FOUND, no role → 401. */
export async function getProjectFor(
  ctx: DomainContext,
  principal: Principal,
  projectId: string,
  required: ProjectRequirement,
): Promise<Project> {
  const project = await cached(
    ctx,
    `project:${projectId}`,
    async () => (await repo.findProject(ctx.db, projectId)) ?? null,
  );
  if (!project) throw atlasError('GROUP_NOT_FOUND', projectId);
  requireProjectRole(principal, project, required);
  return project;
}

/** listGroups: every project the caller can see in its organization. */
export async function listProjectsFor(
  ctx: DomainContext,
  principal: Principal,
  page: PageRequest,
  namePrefix?: string,
): Promise<Page<Project>> {
  const seesAll =
    hasOrgRole(principal, principal.orgId, 'ORG_OWNER') || hasOrgRole(principal, principal.orgId, 'ORG_READ_ONLY');
  return repo.listProjects(ctx.db, {
    orgId: principal.orgId,
    ids: seesAll ? undefined : [...principal.projectRoles.keys()],
    namePrefix,
    offset: (page.pageNum - 1) * page.itemsPerPage,
    limit: page.itemsPerPage,
  });
}

/** getOrgGroups: the org's projects, for any member of the org. */
export async function listOrgProjects(
  ctx: DomainContext,
  principal: Principal,
  orgId: string,
  page: PageRequest,
  namePrefix?: string,
): Promise<Page<Project>> {
  if (!(await findOrg(ctx.db, orgId))) throw atlasError('ORG_NOT_FOUND', orgId);
  requireOrgRole(principal, orgId, 'ORG_MEMBER');
  return repo.listProjects(ctx.db, {
    orgId,
    namePrefix,
    offset: (page.pageNum - 1) * page.itemsPerPage,
    limit: page.itemsPerPage,
  });
}

export interface NewProject {
  name: string;
  orgId: string;
  withDefaultAlertsSettings?: boolean;
  tags?: ResourceTag[];
}

/** createGroup: needs Organization Owner or Organization Project Creator in the target org. */
export async function createProject(
  ctx: DomainContext,
  principal: Principal | null,
  input: NewProject,
): Promise<Project> {
  if (!(await findOrg(ctx.db, input.orgId))) throw atlasError('ORG_NOT_FOUND', input.orgId);
  if (principal) requireOrgRole(principal, input.orgId, 'ORG_GROUP_CREATOR');
  validateName(input.name);
  const project: Project = {
    id: ctx.ids.next(),
    orgId: input.orgId,
    name: input.name,
    createdAt: wholeSeconds(ctx.clock.now()),
    withDefaultAlertsSettings: input.withDefaultAlertsSettings ?? true,
    tags: input.tags ?? [],
  };
  await withTx(ctx, async ({ db }) => {
    if (await repo.findProjectByName(db, project.orgId, project.name)) {
      throw atlasError('GROUP_ALREADY_EXISTS', project.name);
    }
    await repo.insertProject(db, project);
  });
  return project;
}

export interface ProjectChanges {
  name?: string;
  tags?: ResourceTag[];
  withDefaultAlertsSettings?: boolean;
}

export async function updateProject(
  ctx: DomainContext,
  principal: Principal,
  projectId: string,
  changes: ProjectChanges,
): Promise<Project> {
  return withTx(ctx, async (ctx) => {
    const current = await getProjectFor(ctx, principal, projectId, 'GROUP_OWNER');
    if (changes.name !== undefined) {
      validateName(changes.name);
      const clash = await repo.findProjectByName(ctx.db, current.orgId, changes.name);
      if (clash && clash.id !== current.id) throw atlasError('GROUP_ALREADY_EXISTS', changes.name);
    }
    const next: Project = { ...current, ...stripUndefined(changes) };
    await repo.updateProject(ctx.db, next);
    return next;
  });
}

export async function deleteProject(ctx: DomainContext, principal: Principal, projectId: string): Promise<void> {
  await withTx(ctx, async (ctx) => {
    await getProjectFor(ctx, principal, projectId, 'GROUP_OWNER');
    await repo.deleteProject(ctx.db, projectId);
  });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Every project (of one org), for the operator's CLI. */
export function listAllProjects(ctx: DomainContext, orgId?: string): Promise<Project[]> {
  return repo.listAllProjects(ctx.db, orgId);
}
