export interface Org {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
  /** Organization setting `apiAccessListRequired`: API credentials must have an access list. */
  readonly apiAccessListRequired: boolean;
}
