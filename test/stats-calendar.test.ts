// Days and hours of /stats and /serverstats in the bot's time zone: counted with a Date per day, not per quarter hour,
// so they are checked here against a Date per instant, a year of quarter hours in zones with daylight saving
// (including Lord Howe's half hour), a half-hour offset and none.
import { afterEach, describe, expect, it } from 'vitest';
import { daySeries, hourSeries, localDay } from '../src/features/stats/service.js';

const QUARTER_MS = 15 * 60_000;
const original = process.env.TZ;

afterEach(() => {
  if (original === undefined) delete process.env.TZ;
  else process.env.TZ = original;
});

/** The plain way: a Date for every instant. */
function expectedDays(moments: Array<{ startedAt: number; ms: number }>, from: number, to: number): Array<{ day: string; ms: number; plays: number }> {
  const days = new Map<string, { day: string; ms: number; plays: number }>();
  for (let t = from; t < to; t += QUARTER_MS) days.set(localDay(t), { day: localDay(t), ms: 0, plays: 0 });
  for (const m of moments) {
    const entry = days.get(localDay(m.startedAt));
    if (entry) {
      entry.ms += m.ms;
      entry.plays += 1;
    }
  }
  return [...days.values()];
}

function expectedHours(moments: Array<{ startedAt: number; ms: number }>): number[] {
  const hours = Array.from({ length: 24 }, () => 0);
  for (const m of moments) hours[new Date(m.startedAt).getHours()]! += m.ms;
  return hours;
}

describe('local days and hours', () => {
  for (const zone of ['America/New_York', 'Australia/Lord_Howe', 'Europe/London', 'Asia/Kolkata', 'UTC']) {
    it(`in ${zone}, a year of quarter hours falls in the days and hours a Date gives each`, () => {
      process.env.TZ = zone;
      const from = Date.UTC(2026, 0, 1, 5);
      const to = Date.UTC(2027, 0, 1, 5);
      const moments: Array<{ startedAt: number; ms: number; plays: number }> = [];
      // A different time in each quarter hour, so a quarter hour put in the wrong hour or day changes a sum.
      for (let t = from; t < to; t += QUARTER_MS) moments.push({ startedAt: t, ms: 1 + ((t / QUARTER_MS) % 97), plays: 1 });
      expect(daySeries(moments, from, to)).toEqual(expectedDays(moments, from, to));
      expect(hourSeries(moments)).toEqual(expectedHours(moments));
      // Out of order too (the calendar keeps one day; any instant outside it is looked up again).
      const shuffled = moments.filter((_, i) => i % 3 === 0).reverse().concat(moments.filter((_, i) => i % 3 !== 0));
      expect(hourSeries(shuffled)).toEqual(expectedHours(shuffled));
    });
  }
});
