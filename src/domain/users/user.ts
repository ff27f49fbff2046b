/** A person: created (pending) when first invited, active once they accept something. */
export interface User {
  readonly id: string;
  readonly username: string;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly createdAt: Date;
}
