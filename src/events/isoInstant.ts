/**
 * `new Date(ms).toISOString()` for the timestamps the log tools write and
 * hash once per event. Consecutive events mostly fall in the same second, so
 * the text up to the second is kept and only the milliseconds are appended:
 * the Date and its formatting showed as a tenth of verify's own time.
 */
/** The largest instant a Date holds, either side of 1970. */
const MAX_INSTANT = 8.64e15;
let cachedSecond = Number.NaN;
let cachedPrefix = '';

export function isoInstant(ms: number): string {
  // Date truncates fractions and refuses NaN and instants out of its range: those take the plain path.
  if (!Number.isInteger(ms) || Math.abs(ms) > MAX_INSTANT) return new Date(ms).toISOString();
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    const iso = new Date(second * 1000).toISOString();
    cachedPrefix = iso.slice(0, iso.length - 4);
    cachedSecond = second;
  }
  const millis = ms - second * 1000;
  return `${cachedPrefix}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}
