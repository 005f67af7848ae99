// Which week a recap is for: the latest firing of RECAP_CRON at or before now, in the bot's time zone (plain Date
// local time, as node-cron uses). A week is owed to a server when that firing is after the server turned the recap
// on and newer than the last week posted there — so a Monday missed while the bot was down is posted once at start,
// and a restart (or a second shard) finds the week already claimed. The firings are found here, minute by minute,
// instead of scheduling with node-cron: its scheduler keeps ICU time-zone data in memory (see cron-schedule.ts).
import { parse as parseCron } from 'node-cron';

const MINUTE_MS = 60_000;
/** How far back a firing is looked for: a weekly schedule always has one within 8 days. */
const LOOK_BACK_MINUTES = 8 * 24 * 60;

/** A cron expression as sets, with classic cron's day rule. */
function matcher(cron: string): { minuteMatches(d: Date): boolean; seconds: number[] } {
  const fields = parseCron(cron);
  const minutes = new Set(fields.minute);
  const hours = new Set(fields.hour);
  const days = new Set(fields.dayOfMonth);
  const months = new Set(fields.month);
  // node-cron lists Sunday as 0 (and may also list 7).
  const weekdays = new Set(fields.dayOfWeek.map((d) => Number(d) % 7));
  const anyDay = days.size >= 31;
  const anyWeekday = weekdays.size >= 7;
  const dayMatches = (d: Date): boolean => {
    const byDay = days.has(d.getDate());
    const byWeekday = weekdays.has(d.getDay());
    if (anyDay) return byWeekday;
    if (anyWeekday) return byDay;
    return byDay || byWeekday;
  };
  return {
    minuteMatches: (d) => minutes.has(d.getMinutes()) && hours.has(d.getHours()) && months.has(d.getMonth() + 1) && dayMatches(d),
    seconds: [...new Set(fields.second)].sort((a, b) => a - b),
  };
}

/**
 * The latest instant at or before `now` that `cron` fires at (looked for within the last 8 days), or null. Day of
 * month and day of week combine as in classic cron: when both are restricted, either one matching is enough.
 */
export function lastFiring(cron: string, now: number): number | null {
  const { minuteMatches, seconds } = matcher(cron);
  const start = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  for (let i = 0; i <= LOOK_BACK_MINUTES; i++) {
    const minuteStart = start - i * MINUTE_MS;
    if (!minuteMatches(new Date(minuteStart))) continue;
    for (let s = seconds.length - 1; s >= 0; s--) {
      const at = minuteStart + seconds[s]! * 1000;
      if (at <= now) return at;
    }
  }
  return null;
}

/** The first instant after `now` that `cron` fires at (within the next 8 days), or null. */
export function nextFiring(cron: string, now: number): number | null {
  const { minuteMatches, seconds } = matcher(cron);
  const start = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  for (let i = 0; i <= LOOK_BACK_MINUTES; i++) {
    const minuteStart = start + i * MINUTE_MS;
    if (!minuteMatches(new Date(minuteStart))) continue;
    for (const second of seconds) {
      const at = minuteStart + second * 1000;
      if (at > now) return at;
    }
  }
  return null;
}
