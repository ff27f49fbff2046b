export interface ResourceTag {
  readonly key: string;
  readonly value: string;
}

export interface Project {
  readonly id: string;
  readonly orgId: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly withDefaultAlertsSettings: boolean;
  readonly tags: readonly ResourceTag[];
}
