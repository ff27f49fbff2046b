import type { Principal } from './principal.ts';

/** Who acts, and from where: what the events feed records (`publicKey`, `remoteAddress`). */
export interface Actor {
  readonly principal: Principal;
  readonly remoteAddress: string;
}
