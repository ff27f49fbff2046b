import type { Generated } from 'kysely';

/**
 * Table shapes. Dates are stored as ISO-8601 text and lists as JSON text in both dialects, so the
 * repositories never know which dialect they run on.
 */
export interface OrgsTable {
  id: string;
  name: string;
  created_at: string;
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
}

export interface ServerSecretsTable {
  name: string;
  value: string;
  created_at: string;
}

export interface MigrationMarker {
  seq: Generated<number>;
}

export interface Database {
  orgs: OrgsTable;
  projects: ProjectsTable;
  api_keys: ApiKeysTable;
  api_key_project_roles: ApiKeyProjectRolesTable;
  invitations: InvitationsTable;
  server_secrets: ServerSecretsTable;
}
