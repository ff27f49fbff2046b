export interface OutgoingMail {
  readonly id: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly createdAt: Date;
  readonly attempts: number;
  readonly sentAt: Date | null;
  readonly lastError: string | null;
  /** The invitee's link secret, sealed; the bodies hold `LINK_TOKEN_MARKER` in its place. Null once delivered. */
  readonly linkTokenSealed: string | null;
}
