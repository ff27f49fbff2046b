/** One rate-limited endpoint set: a bucket name and scope, with the routes that draw from it. */
export type EndpointSetScope = 'GROUP' | 'ORGANIZATION' | 'USER' | 'IP';

export interface EndpointSetLimits {
  readonly capacity: number;
  readonly refill: number;
  readonly periodMs: number;
}

export interface EndpointSet {
  readonly id: string;
  readonly name: string;
  readonly scope: EndpointSetScope;
  readonly endpoints: ReadonlyArray<{ readonly method: string; readonly path: string }>;
  /** What is enforced (after `--rate-limit-overrides`). */
  readonly applied: EndpointSetLimits;
  /** Atlas's values, before overrides. */
  readonly defaults: EndpointSetLimits;
}

/** Our bucket names → Atlas's endpoint-set ids (`<set>_<scope>`, as the spec's `rateLimitsInspection_group`) and names. */
const KNOWN: Record<string, { id: string; name: string }> = {
  'projects-group': { id: 'projects_group', name: 'Projects' },
  'projects-user': { id: 'projects_user', name: 'Projects' },
  'orgs-organization': { id: 'organizations_organization', name: 'Organizations' },
  'orgs-user': { id: 'organizations_user', name: 'Organizations' },
  'invitations-ip': { id: 'invitations_ip', name: 'Invitations' },
};

/** A bucket added later without an entry above: `service-accounts-org` → `serviceAccounts_organization`, "Service Accounts". */
export function endpointSetNaming(bucket: string, scope: EndpointSetScope): { id: string; name: string } {
  const known = KNOWN[bucket];
  if (known) return known;
  const words = bucket.split('-');
  const suffix = ['group', 'org', 'organization', 'user', 'ip'];
  if (words.length > 1 && suffix.includes(words[words.length - 1])) words.pop();
  const camel = words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
  const title = words.map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');
  return { id: `${camel}_${scope.toLowerCase()}`, name: title };
}

/** `defaultValue` only when an override changed the value (the spec: "Returned if there is … an override"). */
function limitValue(applied: number, def: number): { defaultValue?: number; value: number } {
  return applied === def ? { value: applied } : { defaultValue: def, value: applied };
}

/** RateLimitEndpointSetResponse, keys in Atlas's (alphabetical) order. */
export function toRateLimitEndpointSet(set: EndpointSet) {
  return {
    capacity: limitValue(set.applied.capacity, set.defaults.capacity),
    endpointSetId: set.id,
    endpointSetName: set.name,
    endpoints: set.endpoints.map((e) => ({ method: e.method, path: e.path })),
    refillDurationSeconds: limitValue(set.applied.periodMs / 1000, set.defaults.periodMs / 1000),
    refillRate: limitValue(set.applied.refill, set.defaults.refill),
    scope: set.scope,
  };
}
