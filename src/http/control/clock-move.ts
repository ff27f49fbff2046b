import { atlasError } from '../../errors/atlas-error.ts';
import type { MovableClock } from '../../lib/clock.ts';

/** The clock stays where dates still print as RFC 3339 (years 1970 to 9999). */
const MIN_TIME = Date.UTC(1970, 0, 1);
const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59);
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Moves the virtual clock: exactly one of `advanceSeconds` and `set` (RFC 3339). The rules of
 * `POST /_cloud-invites/clock`, shared with the console's clock banner. Checked before moving: a
 * clock past what dates can print would break every later request.
 */
export function moveClock(clock: MovableClock, body: { advanceSeconds?: number; set?: string }): void {
  if ((body.advanceSeconds === undefined) === (body.set === undefined)) {
    throw atlasError('VALIDATION_ERROR', 'give exactly one of advanceSeconds and set');
  }
  if (body.set !== undefined) {
    const at = new Date(body.set);
    if (!RFC3339.test(body.set) || Number.isNaN(at.getTime())) throw atlasError('INVALID_JSON_ATTRIBUTE', 'set');
    if (at.getTime() < MIN_TIME || at.getTime() > MAX_TIME)
      throw atlasError('VALIDATION_ERROR', 'set must be between 1970 and 9999');
    clock.set(at);
    return;
  }
  const seconds = body.advanceSeconds as number;
  const target = clock.now().getTime() + seconds * 1000;
  if (!(target >= MIN_TIME && target <= MAX_TIME))
    throw atlasError('VALIDATION_ERROR', 'advanceSeconds takes the clock outside 1970 to 9999');
  clock.advance(seconds * 1000);
}
