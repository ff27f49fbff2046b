import type { Principal } from './principal.ts';

/** Who acts, and from where: what the events feed records (`publicKey`, `remoteAddress`). */
export interface Actor {
  readonly principal: Principal;
  readonly remoteAddress: string;
  /** The language the person acting reads (the console's choice): mail they cause is written in it. */
  readonly locale?: string;
}
