import { atlasError } from '../../errors/atlas-error.ts';

/** Project and organization names: `^[\p{L}\p{N}\-_.(),:&@+']{1,64}$` (spec). */
const NAME_PATTERN = /^[\p{L}\p{N}\-_.(),:&@+']{1,64}$/u;

export function validateName(name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw atlasError(
      'VALIDATION_ERROR',
      `name must be 1 to 64 letters, digits or -_.(),:&@+' characters, got "${name}"`,
    );
  }
}
