export interface ApiKeyProjectAssignment {
  readonly projectId: string;
  readonly roles: readonly string[];
}

export interface ApiKey {
  readonly id: string;
  readonly orgId: string;
  readonly publicKey: string;
  /** Last 12 hex digits of the private key: Atlas shows `********-****-****-<tail>` after creation. */
  readonly privateKeyTail: string;
  readonly description: string;
  readonly orgRoles: readonly string[];
  readonly projectAssignments: readonly ApiKeyProjectAssignment[];
  readonly createdAt: Date;
}

export function redactedPrivateKey(key: ApiKey): string {
  return `********-****-****-${key.privateKeyTail}`;
}
