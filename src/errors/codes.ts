/**
 * The one registry of Atlas error codes this server can answer with. Every entry is from Atlas's
 * published catalogue (docs "API errors") or a recording; see docs/error-codes.md for the sources.
 * `detail` renders the catalogue's template with the parameters, in order.
 */
export interface ErrorDefinition<C extends string = string, P extends ReadonlyArray<string | number> = never> {
  readonly errorCode: C;
  readonly status: number;
  readonly detail: (...params: P) => string;
  /** Set when the registry key is not the code sent (the same code with another status or text). */
  readonly alias?: true;
}

/** An entry whose key is the code it sends (checked below). */
const def = <const C extends string, const P extends ReadonlyArray<string | number>>(
  errorCode: C,
  status: number,
  detail: (...params: P) => string,
): ErrorDefinition<C, P> => ({ errorCode, status, detail });

/** An entry sending another entry's code with its own status or detail. */
const alias = <const C extends string, const P extends ReadonlyArray<string | number>>(
  errorCode: C,
  status: number,
  detail: (...params: P) => string,
): ErrorDefinition<C, P> & { alias: true } => ({ errorCode, status, detail, alias: true });

export const ERRORS = {
  GROUP_NOT_FOUND: def('GROUP_NOT_FOUND', 404, (id: string) => `No group with ID ${id} exists.`),
  INVALID_GROUP_ID: def('INVALID_GROUP_ID', 404, (id: string) => `An invalid group ID ${id} was specified.`),
  ORG_NOT_FOUND: def('ORG_NOT_FOUND', 404, (id: string) => `No organization with ID ${id} exists.`),
  INVALID_ORG_ID: def('INVALID_ORG_ID', 404, (id: string) => `An invalid organization ID ${id} was specified.`),
  RESOURCE_NOT_FOUND: def('RESOURCE_NOT_FOUND', 404, (what: string) => `Cannot find resource ${what}.`),
  /** GET/PATCH of an invitation that does not exist (observed on Cloud Manager, TF provider #633). */
  INVALID_INVITATION_ID: def(
    'INVALID_INVITATION_ID',
    404,
    (id: string) => `An invalid invitation ID ${id} was specified.`,
  ),
  /** DELETE of an invitation that does not exist or was accepted (catalogue: 400). */
  INVALID_INVITATION_ID_DELETE: alias(
    'INVALID_INVITATION_ID',
    400,
    (_id: string) => 'The invitation you tried to delete does not exist or has already been accepted.',
  ),
  CANNOT_DELETE_GROUP_INVITATION: def(
    'CANNOT_DELETE_GROUP_INVITATION',
    400,
    () =>
      "You can't use the Cancel One Organization Invitation endpoint to delete an invitation to a group. Use Cancel One Project Invitation instead.",
  ),
  CANNOT_DELETE_ORG_INVITATION: def(
    'CANNOT_DELETE_ORG_INVITATION',
    400,
    () =>
      "You can't use the Cancel One Project Invitation endpoint to delete an invitation to an organization. Use Cancel One Organization Invitation instead.",
  ),
  USER_ALREADY_EXISTS: def(
    'USER_ALREADY_EXISTS',
    409,
    (username: string) => `A user with username ${username} already exists.`,
  ),
  /** Accepting or declining an invitation whose 30 days are over (control plane and console). */
  INVITATION_EXPIRED: alias(
    'VALIDATION_ERROR',
    400,
    (msg: string) => `The request content produced the validation error: ${msg}.`,
  ),
  INVALID_USERNAME: def('INVALID_USERNAME', 400, () => 'The specified username is not a valid email address.'),
  INVALID_ROLE_FOR_GROUP: def(
    'INVALID_ROLE_FOR_GROUP',
    400,
    (role: string, id: string) => `Role ${role} is invalid for group ${id}.`,
  ),
  INVALID_ROLE_FOR_ORG: def(
    'INVALID_ROLE_FOR_ORG',
    400,
    (role: string, id: string) => `Role ${role} invalid for organization ${id}.`,
  ),
  INVALID_ATTRIBUTE: def('INVALID_ATTRIBUTE', 400, (name: string) => `Invalid attribute ${name} specified.`),
  MISSING_ATTRIBUTE: def(
    'MISSING_ATTRIBUTE',
    400,
    (name: string) => `The required attribute ${name} was not specified.`,
  ),
  INVALID_JSON: def('INVALID_JSON', 400, () => 'Received JSON does not match expected format.'),
  MALFORMED_JSON: def('MALFORMED_JSON', 400, () => 'Received JSON is malformed.'),
  INVALID_JSON_ATTRIBUTE: def(
    'INVALID_JSON_ATTRIBUTE',
    400,
    (name: string) => `Received JSON for the ${name} attribute does not match expected format.`,
  ),
  VALIDATION_ERROR: def(
    'VALIDATION_ERROR',
    400,
    (msg: string) => `The request content produced the validation error: ${msg}.`,
  ),
  INVALID_QUERY_PARAMETER: def(
    'INVALID_QUERY_PARAMETER',
    400,
    (name: string) => `Invalid query parameter ${name} specified.`,
  ),
  INVALID_PATH_PARAMETER: def(
    'INVALID_PATH_PARAMETER',
    400,
    (name: string) => `Invalid path parameter ${name} specified.`,
  ),
  /** Observed: TF provider #707, CFN resources #847. */
  /** Not in api-facts; observed live (terraform-provider-mongodbatlas #707, cloudformation-resources #847). */
  GROUP_ALREADY_EXISTS: def(
    'GROUP_ALREADY_EXISTS',
    409,
    (name: string) => `A group with name "${name}" already exists.`,
  ),
  INVALID_VERSION_DATE: def('INVALID_VERSION_DATE', 406, () => 'Invalid accept header or version date.'),
  IP_ADDRESS_NOT_ON_ACCESS_LIST: def(
    'IP_ADDRESS_NOT_ON_ACCESS_LIST',
    403,
    (ip: string) => `IP address ${ip} is not allowed to access this resource.`,
  ),
  ORG_REQUIRES_ACCESS_LIST: def(
    'ORG_REQUIRES_ACCESS_LIST',
    403,
    // The caller's address goes out in `parameters` although the text does not name it.
    (_ip: string) => 'This organization requires access through an access list of ip ranges.',
  ),
  RATE_LIMITED_TOKEN_BUCKET: def(
    'RATE_LIMITED_TOKEN_BUCKET',
    429,
    (resource: string, retryAfter: number, capacity: number, refill: number, period: number) =>
      `Rate limit exceeded for ${resource}. Please retry after ${retryAfter} seconds. Request capacity: ${capacity}. Refill rate: ${refill} per ${period} seconds.`,
  ),
  RATE_LIMITED: def(
    'RATE_LIMITED',
    429,
    (resource: string, limit: number, minutes: number) =>
      `Resource ${resource} is limited to ${limit} requests every ${minutes} minutes.`,
  ),
  /**
   * Invitation throttling: note the 400. The catalogue calls it RATE_LIMITED_IP; the live answer
   * (terraform-provider-mongodbatlas #1589) says INVITATIONS_RATE_LIMITED_IP, which is what we send.
   */
  INVITATIONS_RATE_LIMITED_IP: def(
    'INVITATIONS_RATE_LIMITED_IP',
    400,
    (count: number, minutes: number) => `Rate limit of ${count} invitations per ${minutes} minutes exceeded.`,
  ),
  USER_UNAUTHORIZED: def('USER_UNAUTHORIZED', 401, () => 'Current user is not authorized to perform this action.'),
  /** Programmatic API keys (catalogue; note the 400 for an unknown key, which Terraform treats as "gone"). */
  API_KEY_NOT_FOUND: def('API_KEY_NOT_FOUND', 400, (id: string) => `No API key with ID ${id} exists.`),
  API_KEY_REQUIRES_DESCRIPTION: def(
    'API_KEY_REQUIRES_DESCRIPTION',
    400,
    () => 'All API keys require a non-empty description.',
  ),
  INVALID_API_KEY_DESC: def(
    'INVALID_API_KEY_DESC',
    400,
    (max: number) => `API key descriptions are required and must be less than ${max} characters.`,
  ),
  MISSING_API_KEY_ROLES: def('MISSING_API_KEY_ROLES', 400, () => 'API keys must have at least one role.'),
  MISSING_ONE_OF_ATTRIBUTES: def(
    'MISSING_ONE_OF_ATTRIBUTES',
    400,
    (a: string, b: string) => `Either the ${a} attribute or the ${b} attribute must be specified.`,
  ),
  /** Observed on Atlas v2 for a malformed `apiUserId` (terraform-provider-mongodbatlas #2317). */
  PATH_PARAM_PARSE_ERROR: def(
    'PATH_PARAM_PARSE_ERROR',
    400,
    (uri: string) => `One or more path parameter in the request URI ${uri} is malformed.`,
  ),
  /** Observed on the project access list (Atlas Kubernetes operator docs). */
  INVALID_IP_ADDRESS_OR_CIDR_NOTATION: def(
    'INVALID_IP_ADDRESS_OR_CIDR_NOTATION',
    400,
    (address: string) => `The address ${address} must be in valid IP address or CIDR notation.`,
  ),
  /** Observed (mongodb-atlas-cli e2e): a key removing the address it is calling from. */
  CANNOT_REMOVE_CALLER_FROM_ACCESS_LIST: def(
    'CANNOT_REMOVE_CALLER_FROM_ACCESS_LIST',
    400,
    (ip: string) => `Cannot remove caller's IP address ${ip} from access list.`,
  ),
  /** Observed (terraform-provider-mongodbatlas #3657): `parameters: []`. */
  API_KEY_ACCESS_LIST_ACCESS_DENIED: def(
    'API_KEY_ACCESS_LIST_ACCESS_DENIED',
    401,
    () => 'API key access lists are only accessible by the API key or by a user administrator.',
  ),
  USER_NOT_IN_GROUP: def(
    'USER_NOT_IN_GROUP',
    404,
    (user: string, group: string) => `User ${user} is not in group ${group}.`,
  ),
  /** The users API (D-ERR). */
  USER_NOT_IN_ORG: def(
    'USER_NOT_IN_ORG',
    404,
    (user: string, org: string) => `User ${user} is not in organization ${org}.`,
  ),
  USER_NOT_FOUND: def('USER_NOT_FOUND', 404, (id: string) => `No user with ID ${id} exists.`),
  INVALID_USER_ID: def('INVALID_USER_ID', 404, (id: string) => `An invalid user ID ${id} was specified.`),
  CANNOT_DELETE_LAST_ADMIN: def(
    'CANNOT_DELETE_LAST_ADMIN',
    403,
    () => 'An organization needs to have at least one owner. You cannot demote or remove the last owner.',
  ),
  CANNOT_DEMOTE_LAST_ORG_OWNER: def(
    'CANNOT_DEMOTE_LAST_ORG_OWNER',
    403,
    () => 'Cannot demote the last owner of the organization.',
  ),
  CANNOT_REMOVE_ALL_USER_ROLES: def(
    'CANNOT_REMOVE_ALL_USER_ROLES',
    403,
    () => 'You cannot remove all roles from a user. Specify at least one role.',
  ),
  UNEXPECTED_ERROR: def('UNEXPECTED_ERROR', 500, () => 'Unexpected error.'),
} as const;

/** Each key is the code it sends, unless the entry is declared an alias. */
export type KeysAreCodes<T> = {
  [K in keyof T]: T[K] extends { readonly alias: true } ? T[K] : T[K] & { readonly errorCode: K };
};
ERRORS satisfies KeysAreCodes<typeof ERRORS>;

export type ErrorName = keyof typeof ERRORS;
/** The detail parameters an error takes, in order. */
export type ErrorParams<K extends ErrorName> = Parameters<(typeof ERRORS)[K]['detail']>;
