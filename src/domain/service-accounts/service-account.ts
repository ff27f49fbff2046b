export interface ServiceAccountSecretInfo {
  readonly id: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly lastUsedAt: Date | null;
  /** `mdb_sa_sk_...` and the last four characters: the secret itself is shown once. */
  readonly maskedSecretValue: string;
}

export interface ServiceAccountProjectAssignment {
  readonly projectId: string;
  readonly roles: readonly string[];
}

export interface ServiceAccount {
  readonly id: string;
  /** `mdb_sa_id_` + 24 hex digits (the spec's pattern). */
  readonly clientId: string;
  readonly orgId: string;
  readonly name: string;
  readonly description: string;
  readonly orgRoles: readonly string[];
  readonly projectAssignments: readonly ServiceAccountProjectAssignment[];
  readonly secrets: readonly ServiceAccountSecretInfo[];
  readonly createdAt: Date;
}

export const CLIENT_ID_PATTERN = /^mdb_sa_id_[a-fA-F\d]{24}$/;
