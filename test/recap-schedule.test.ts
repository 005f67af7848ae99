// Which week a recap is for: RECAP_CRON's latest firing at or before now, and the next one, in local time.
import { describe, expect, it } from 'vitest';
import { lastFiring, nextFiring } from '../src/features/recap/schedule.js';

const at = (d: number, h: number, m = 0, s = 0): number => new Date(2026, 11, d, h, m, s).getTime();

describe('recap schedule', () => {
  it('finds the last Monday 10:00 at or before now, and the next one after', () => {
    // 2026-12-07 is a Monday.
    expect(lastFiring('0 10 * * 1', at(7, 10))).toBe(at(7, 10));
    expect(lastFiring('0 10 * * 1', at(7, 9, 59, 59))).toBe(new Date(2026, 10, 30, 10).getTime());
    expect(lastFiring('0 10 * * 1', at(9, 15))).toBe(at(7, 10));
    expect(nextFiring('0 10 * * 1', at(7, 10))).toBe(at(14, 10));
    expect(nextFiring('0 10 * * 1', at(6, 23))).toBe(at(7, 10));
  });

  it('takes seconds, Sunday as 0 or 7, and either day field when both are given', () => {
    expect(lastFiring('30 0 10 * * 1', at(7, 10, 0, 45))).toBe(at(7, 10, 0, 30));
    expect(lastFiring('0 8 * * 7', at(7, 10))).toBe(at(6, 8));
    expect(lastFiring('0 8 5 * 1', at(7, 10))).toBe(at(7, 8));
    expect(lastFiring('0 8 5 * 1', at(6, 10))).toBe(at(5, 8));
  });

  it('none within 8 days for a yearly schedule', () => {
    expect(lastFiring('0 0 1 1 *', at(7, 10))).toBeNull();
  });
});
