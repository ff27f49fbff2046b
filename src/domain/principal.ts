/**
 * Who is acting. Built by the auth layer from a verified credential; the rules below only ever
 * look at this, never at how the caller authenticated.
 */
export interface Principal {
  readonly kind: 'apiKey';
  readonly id: string;
  /** What Atlas writes as `inviterUsername` and `publicKey` for this caller. */
  readonly username: string;
  readonly orgId: string;
  readonly orgRoles: ReadonlySet<string>;
  /** Explicit project assignments: project id → roles. */
  readonly projectRoles: ReadonlyMap<string, ReadonlySet<string>>;
}
