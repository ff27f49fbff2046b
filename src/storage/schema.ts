import type { Generated } from 'kysely';

/**
 * Table shapes. Dates are stored as ISO-8601 text and lists as JSON text in both dialects, so the
 * repositories never know which dialect they run on.
 */
export interface OrgsTable {
  id: string;
  name: string;
  created_at: string;
  api_access_list_required: Generated<number>;
  users_api_shows_project_invitees: Generated<number>;
}

export interface ProjectsTable {
  id: string;
  org_id: string;
  name: string;
  name_key: string;
  created_at: string;
  with_default_alerts_settings: number;
  tags: string;
}

export interface ApiKeysTable {
  id: string;
  org_id: string;
  public_key: string;
  private_key_sealed: string;
  private_key_tail: string;
  description: string;
  org_roles: string;
  created_at: string;
}

export interface ApiKeyProjectRolesTable {
  api_key_id: string;
  project_id: string;
  roles: string;
}

export interface InvitationsTable {
  id: string;
  kind: 'project' | 'org';
  org_id: string;
  project_id: string | null;
  scope_id: string;
  username: string;
  username_key: string;
  roles: string;
  inviter_username: string;
  created_at: string;
  expires_at: string;
  user_id: string | null;
  /** PENDING, or REJECTED once declined (accepted invitations are deleted, as in Atlas). */
  status: Generated<'PENDING' | 'REJECTED'>;
  /** `invites` (the deprecated invitation endpoints), `users` (the users API), `project-invite` (the org invitation a project invitation made). */
  source: Generated<'invites' | 'users' | 'project-invite'>;
  token_hash: string | null;
  team_ids: Generated<string>;
  group_role_assignments: Generated<string>;
}

export interface UsersTable {
  id: string;
  username: string;
  username_key: string;
  first_name: string | null;
  last_name: string | null;
  created_at: string;
}

export interface OrgMembershipsTable {
  org_id: string;
  user_id: string;
  roles: string;
  team_ids: string;
  joined_at: string;
  /** The member's address, lower case (users.username_key): members page by address (migration 0008). */
  username_key: string | null;
}

/** Each organization's member count, kept by triggers on org_memberships (migration 0008). */
export interface OrgMemberCountsTable {
  org_id: string;
  members: number | string;
}

export interface ProjectMembershipsTable {
  project_id: string;
  user_id: string;
  roles: string;
  joined_at: string;
}

export interface EventsTable {
  id: string;
  org_id: string | null;
  project_id: string | null;
  event_type: string;
  created_at: string;
  api_key_id: string | null;
  public_key: string | null;
  user_id: string | null;
  username: string | null;
  target_username: string | null;
  remote_address: string | null;
}

export interface MailOutboxTable {
  id: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  created_at: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  sent_at: string | null;
  last_error: string | null;
  link_token_sealed: string | null;
}

export interface StoreGenerationTable {
  id: number;
  generation: number | string;
}

export interface StoreLocksTable {
  name: string;
}

export interface ServiceAccountsTable {
  id: string;
  client_id: string;
  org_id: string;
  name: string;
  description: string;
  org_roles: string;
  created_at: string;
}

export interface ServiceAccountProjectRolesTable {
  service_account_id: string;
  project_id: string;
  roles: string;
}

export interface ServiceAccountSecretsTable {
  id: string;
  service_account_id: string;
  /** SHA-256 of the secret: secrets are 40 random characters, so a fast hash is enough. */
  secret_hash: string;
  masked_value: string;
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
}

export interface AccessListEntriesTable {
  id: string;
  owner_kind: 'apiKey' | 'serviceAccount';
  owner_id: string;
  cidr_block: string;
  created_at: string;
  last_used_at: string | null;
  last_used_address: string | null;
  request_count: Generated<number>;
}

export interface RevokedTokensTable {
  jti: string;
  expires_at: string;
}

export interface RateLimitBucketsTable {
  bucket_key: string;
  tokens: number;
  /** When the bucket's current refill period began (epoch ms). */
  period_start_ms: number | string;
  /** 1 when the last call was allowed a token. */
  allowed: number;
}

export interface ServerSecretsTable {
  name: string;
  value: string;
  created_at: string;
}

/** Copies of the data tables (migration 0009, src/storage/snapshot-tables.ts). */
export interface SnapshotsTable {
  id: string;
  created_at: string;
  /** JSON: `{ table: rows[] }` for every table in SNAPSHOT_TABLES. */
  data: string;
}

export interface Database extends ConsoleDatabase {
  orgs: OrgsTable;
  projects: ProjectsTable;
  api_keys: ApiKeysTable;
  api_key_project_roles: ApiKeyProjectRolesTable;
  invitations: InvitationsTable;
  server_secrets: ServerSecretsTable;
  service_accounts: ServiceAccountsTable;
  service_account_project_roles: ServiceAccountProjectRolesTable;
  service_account_secrets: ServiceAccountSecretsTable;
  access_list_entries: AccessListEntriesTable;
  revoked_tokens: RevokedTokensTable;
  rate_limit_buckets: RateLimitBucketsTable;
  users: UsersTable;
  org_memberships: OrgMembershipsTable;
  org_member_counts: OrgMemberCountsTable;
  project_memberships: ProjectMembershipsTable;
  events: EventsTable;
  mail_outbox: MailOutboxTable;
  store_locks: StoreLocksTable;
  store_generation: StoreGenerationTable;
  snapshots: SnapshotsTable;
}

/** A person who can sign in to the web console (migration 0010). */
export interface ConsoleAccountsTable {
  user_id: string;
  password_hash: string;
  failed_attempts: Generated<number>;
  locked_until: string | null;
  created_at: string;
}

export interface ConsoleSessionsTable {
  id_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

/** Filled by triggers on invitations (migration 0010): `gone` (accepted or cancelled) or `declined`. */
export interface SpentInvitationLinksTable {
  token_hash: string;
  kind: 'project' | 'org';
  org_id: string;
  project_id: string | null;
  username_key: string;
  outcome: 'gone' | 'declined';
}

export interface ConsoleDatabase {
  console_accounts: ConsoleAccountsTable;
  console_sessions: ConsoleSessionsTable;
  spent_invitation_links: SpentInvitationLinksTable;
}
