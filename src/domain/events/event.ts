/** Atlas user-event types this server writes (SPEC UserEventTypeViewForNdsGroup / ForOrg). */
export const EVENT_TYPES = [
  'INVITED_TO_GROUP',
  'GROUP_INVITATION_DELETED',
  'JOINED_GROUP',
  'REMOVED_FROM_GROUP',
  'INVITED_TO_ORG',
  'ORG_INVITATION_DELETED',
  'JOINED_ORG',
  'REMOVED_FROM_ORG',
  'USER_ROLES_CHANGED_AUDIT',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface AuditEvent {
  readonly id: string;
  readonly orgId: string | null;
  /** Set for project events, which are listed under the project; null for org events. */
  readonly projectId: string | null;
  readonly eventType: string;
  readonly createdAt: Date;
  readonly apiKeyId: string | null;
  readonly publicKey: string | null;
  readonly userId: string | null;
  readonly username: string | null;
  readonly targetUsername: string | null;
  readonly remoteAddress: string | null;
}

export interface EventQuery {
  orgId?: string;
  projectId?: string;
  eventTypes?: readonly string[];
  /** listGroupEvents `excludedEventType`. */
  excludedEventTypes?: readonly string[];
  minDate?: Date;
  maxDate?: Date;
  offset: number;
  limit: number;
}
