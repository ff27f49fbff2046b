import type { Org } from '../../../domain/orgs/org.ts';
import type { Link } from '../../links.ts';

/** AtlasOrganization. A single org carries groups/teams/users links; list items only `self`. */
export function toOrganization(org: Org, base: string, withSubResources: boolean) {
  const self = `${base}/api/atlas/v2/orgs/${org.id}`;
  const links: Link[] = [{ href: self, rel: 'self' }];
  if (withSubResources) {
    for (const sub of ['groups', 'teams', 'users'])
      links.push({ href: `${self}/${sub}`, rel: `https://cloud.mongodb.com/${sub}` });
  }
  return { id: org.id, isDeleted: false, links, name: org.name, skipDefaultAlertsSettings: false };
}
