/**
 * Who is acting. Built by the auth layer from a verified credential (a Digest API key or a service
 * account's Bearer token), or by the console for a signed-in person (`user`); the rules only ever look at this, never at how the caller authenticated.
 */
export interface Principal {
  readonly kind: 'apiKey' | 'serviceAccount' | 'user';
  /** The API key's or service account's 24-hex id. */
  readonly id: string;
  /** What Atlas writes as `inviterUsername`: the public key, or the service account's client id. */
  readonly username: string;
  readonly orgId: string;
  readonly orgRoles: ReadonlySet<string>;
  /** Explicit project assignments: project id → roles. */
  readonly projectRoles: ReadonlyMap<string, ReadonlySet<string>>;
}
