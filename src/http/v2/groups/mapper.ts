import type { Project } from '../../../domain/projects/project.ts';
import { atlasDate } from '../../../lib/dates.ts';
import type { Link } from '../../links.ts';

const SUB_RESOURCES = ['containers', 'clusters', 'databaseUsers', 'peers', 'processes', 'whitelist'];

/** Group as Atlas sends it. A single project carries its sub-resource links; list items only `self`. */
export function toGroup(project: Project, base: string, withSubResources: boolean) {
  const self = `${base}/api/atlas/v2/groups/${project.id}`;
  const links: Link[] = [{ href: self, rel: 'self' }];
  if (withSubResources) {
    for (const sub of SUB_RESOURCES) links.push({ href: `${self}/${sub}`, rel: `https://cloud.mongodb.com/${sub}` });
  }
  return {
    clusterCount: 0,
    created: atlasDate(project.createdAt),
    id: project.id,
    links,
    name: project.name,
    orgId: project.orgId,
    ...(project.tags.length > 0 ? { tags: project.tags.map((t) => ({ key: t.key, value: t.value })) } : {}),
    withDefaultAlertsSettings: project.withDefaultAlertsSettings,
  };
}
