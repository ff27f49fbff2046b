import { atlasError } from '../../errors/atlas-error.ts';

const VERSIONED = /^application\/vnd\.atlas\.(\d{4})-(\d{2})-(\d{2})\+json$/i;

function isCalendarDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * Resolves `Accept: application/vnd.atlas.YYYY-MM-DD+json` to the newest version of the resource
 * that is not after the requested date. No versioned media type, an impossible date, or a date
 * before the resource's first version → 406 INVALID_VERSION_DATE.
 */
export function resolveVersion(accept: string | undefined, versions: readonly string[]): string {
  let best: string | null = null;
  for (const range of (accept ?? '').split(',')) {
    const type = range.split(';')[0].trim();
    const m = VERSIONED.exec(type);
    if (!m) continue;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!isCalendarDate(y, mo, d)) continue;
    const requested = `${m[1]}-${m[2]}-${m[3]}`;
    const served = versions.filter((v) => v <= requested).at(-1);
    if (served && (best === null || served > best)) best = served;
  }
  if (best === null) throw atlasError('INVALID_VERSION_DATE');
  return best;
}
