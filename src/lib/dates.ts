const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Atlas dates: RFC 3339 UTC to the second with a Z ("2026-08-10T03:04:53Z"). */
export function atlasDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Truncates to whole seconds, as Atlas stores and reports them. */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** HTTP date as Atlas writes Deprecation/Sunset: the day is not zero-padded ("Wed, 4 Oct 2023 00:00:00 GMT"). */
export function atlasHttpDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} GMT`;
}
