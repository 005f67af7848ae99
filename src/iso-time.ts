// Date#toISOString's text without calling it (the logger's timestamps; the history worker's dates). Its own module
// with no imports, so the history worker can use it without loading the logger's text kit and languages.
/** V8's own, kept before anything replaces it (the history worker does, with isoTimestamp). */
const nativeToISOString = Date.prototype.toISOString;

/**
 * `Date#toISOString`'s text, written from the UTC fields: V8's toISOString looks up the local time zone's display name
 * on its first call (ICU's zone names, ~0.9 MB RSS for good), though the ISO form never shows it.
 */
export function isoTimestamp(date: Date): string {
  const year = date.getUTCFullYear();
  // Outside four-digit years (and for an invalid date, which it throws for) toISOString knows best.
  if (!(year >= 0 && year <= 9999)) return nativeToISOString.call(date);
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    `${String(year).padStart(4, '0')}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}T` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}.${String(date.getUTCMilliseconds()).padStart(3, '0')}Z`
  );
}
