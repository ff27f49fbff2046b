export interface Org {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
  /** Organization setting `apiAccessListRequired`: API credentials must have an access list. */
  readonly apiAccessListRequired: boolean;
  /**
   * Lift Atlas's blind spot: the users API also shows invitees of the deprecated project-invitation
   * endpoint (off by default, as on Atlas).
   */
  readonly usersApiShowsProjectInvitees?: boolean;
}
