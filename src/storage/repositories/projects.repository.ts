import { type Kysely, sql } from 'kysely';
import type { Project } from '../../domain/projects/project.ts';
import { chunksOf } from '../batch.ts';
import { flag, instant, json } from '../codec.ts';
import type { Database, ProjectsTable } from '../schema.ts';

type Executor = Kysely<Database>;

const tagsColumn = json<Project['tags'][number][]>();

const toProject = (row: ProjectsTable): Project => ({
  id: row.id,
  orgId: row.org_id,
  name: row.name,
  createdAt: instant.decode(row.created_at),
  withDefaultAlertsSettings: flag.decode(row.with_default_alerts_settings),
  tags: tagsColumn.decode(row.tags),
});

const toRow = (p: Project): ProjectsTable => ({
  id: p.id,
  org_id: p.orgId,
  name: p.name,
  name_key: p.name.toLowerCase(),
  created_at: instant.encode(p.createdAt),
  with_default_alerts_settings: flag.encode(p.withDefaultAlertsSettings),
  tags: tagsColumn.encode(p.tags),
});

export async function insertProject(db: Executor, project: Project): Promise<void> {
  await db.insertInto('projects').values(toRow(project)).execute();
}

/** New projects, many at a time (bulk loads); names must be new in their organization. */
export async function insertProjectsBatch(db: Executor, projects: readonly Project[]): Promise<void> {
  for (const chunk of chunksOf(projects, 7)) await db.insertInto('projects').values(chunk.map(toRow)).execute();
}

export async function updateProject(db: Executor, project: Project): Promise<void> {
  const { id, ...rest } = toRow(project);
  await db.updateTable('projects').set(rest).where('id', '=', id).execute();
}

export async function deleteProject(db: Executor, id: string): Promise<boolean> {
  await db.deleteFrom('invitations').where('project_id', '=', id).execute();
  await db.deleteFrom('api_key_project_roles').where('project_id', '=', id).execute();
  const r = await db.deleteFrom('projects').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function findProject(db: Executor, id: string): Promise<Project | undefined> {
  const row = await db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toProject(row);
}

export async function findProjectByName(db: Executor, orgId: string, name: string): Promise<Project | undefined> {
  const row = await db
    .selectFrom('projects')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('name_key', '=', name.toLowerCase())
    .executeTakeFirst();
  return row && toProject(row);
}

export interface ProjectQuery {
  orgId: string;
  /** Only these ids (explicit assignments); undefined = every project of the org. */
  ids?: readonly string[];
  /** Case-insensitive name prefix. */
  namePrefix?: string;
  offset: number;
  limit: number;
}

export async function listProjects(db: Executor, q: ProjectQuery): Promise<{ items: Project[]; total: number }> {
  let base = db.selectFrom('projects').where('org_id', '=', q.orgId);
  if (q.ids) {
    if (q.ids.length === 0) return { items: [], total: 0 };
    base = base.where('id', 'in', [...q.ids]);
  }
  if (q.namePrefix) {
    const escaped = q.namePrefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    // An explicit ESCAPE: PostgreSQL defaults to backslash, SQLite has no default.
    base = base.where(sql<boolean>`name_key like ${`${escaped}%`} escape '\\'`);
  }
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await base.selectAll().orderBy('created_at').orderBy('id').offset(q.offset).limit(q.limit).execute();
  return { items: rows.map(toProject), total: Number(total) };
}

export async function listAllProjects(db: Executor, orgId?: string): Promise<Project[]> {
  let q = db.selectFrom('projects').selectAll();
  if (orgId) q = q.where('org_id', '=', orgId);
  return (await q.orderBy('created_at').orderBy('id').execute()).map(toProject);
}
