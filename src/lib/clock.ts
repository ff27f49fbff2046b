/** The only source of "now" in the server: injected so tests and the control plane can move time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until moved; used by tests (and later by the control plane). */
export interface MovableClock extends Clock {
  set(at: Date): void;
  advance(ms: number): void;
}

export function movableClock(start: Date = new Date('2026-08-10T03:04:53Z')): MovableClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (at) => {
      current = at.getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

/**
 * The server's clock under `--control-plane`: real time plus an offset that the control plane can
 * move (`POST /_cloud-invites/clock`), so invitations can be made to expire without waiting.
 */
export function offsetClock(base: Clock = systemClock): MovableClock {
  let offset = 0;
  return {
    now: () => new Date(base.now().getTime() + offset),
    set: (at) => {
      offset = at.getTime() - base.now().getTime();
    },
    advance: (ms) => {
      offset += ms;
    },
  };
}
