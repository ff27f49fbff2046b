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

/**
 * A request's path as the router sees it: no query, percent-decoded (as sent when it does not
 * decode), and with `collapseSlashes` a doubled slash as one (the router's ignoreDuplicateSlashes).
 */
export function decodedPath(url: string, collapseSlashes = false): string {
  const path = url.split('?')[0];
  const raw = collapseSlashes ? path.replace(/\/{2,}/g, '/') : path;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
