/**
 * A Fastify route URL as Atlas writes the path (`/orgs/{orgId}/users/{userId}:addRole`): parameters
 * in braces, a parameter's regexp dropped, and `::` (find-my-way's literal colon, used by the
 * `:addRole` / `:removeRole` custom methods) back to one colon.
 */
export function atlasPath(routeUrl: string): string {
  return routeUrl
    .replace(/(:\w+)\([^)]*\)/g, '$1')
    .split('::')
    .map((part) => part.replace(/:(\w+)/g, '{$1}'))
    .join(':');
}
