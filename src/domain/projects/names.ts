import { atlasError } from '../../errors/atlas-error.ts';

/**
 * Project and organization names: the spec's `^[\p{L}\p{N}\-_.(),:&@+']{1,64}$` plus inner spaces,
 * which live Atlas accepts (its recordings show an organization named "Atlas CLI E2E").
 */
export const NAME_PATTERN = /^(?! )[\p{L}\p{N}\-_.(),:&@+' ]{1,64}(?<! )$/u;

export function validateName(name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw atlasError(
      'VALIDATION_ERROR',
      `name must be 1 to 64 letters, digits, inner spaces or -_.(),:&@+' characters, got "${name}"`,
    );
  }
}
