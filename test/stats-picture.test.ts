// The /stats picture on its own, decoded: bars only where there is listening (an empty week draws none, one short
// play still shows), long periods grouped by week or month, axes that step in whole minutes or hours. Names go
// through the card's text pipeline (fonts and scripts are checked in render.test.ts).
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { axisScale, dayBuckets, renderStats, STATS_HEIGHT, STATS_LAYOUT, STATS_WIDTH, type StatsPictureInput } from '../src/render/stats.js';

const days = (n: number, ms: (i: number) => number) =>
  Array.from({ length: n }, (_, i) => ({ day: new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString().slice(0, 10), ms: ms(i) }));

const input = (over: Partial<StatsPictureInput> = {}): StatsPictureInput => ({
  heading: 'Mia · Last 7 days',
  summary: '0 plays · 0 min',
  days: days(7, () => 0),
  hours: Array.from({ length: 24 }, () => 0),
  timeZone: 'UTC',
  topArtists: [],
  topTracks: [],
  ...over,
});

async function greenIn(data: Buffer, rect: { x: number; y: number; w: number; h: number }): Promise<number> {
  const image = await loadImage(data);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const px = ctx.getImageData(rect.x, rect.y, rect.w, rect.h).data;
  let n = 0;
  for (let i = 0; i < px.length; i += 4) if (px[i + 1]! > 150 && px[i]! < 90 && px[i + 2]! < 140) n++;
  return n;
}

describe('the /stats picture', () => {
  it('an empty week: a JPEG of the right size with no bars at all', async () => {
    const image = await renderStats(input());
    expect(image.contentType).toBe('image/jpeg');
    expect([image.width, image.height]).toEqual([STATS_WIDTH, STATS_HEIGHT]);
    expect(await greenIn(image.data, STATS_LAYOUT.days)).toBe(0);
    expect(await greenIn(image.data, STATS_LAYOUT.hours)).toBe(0);
  });

  it('one play of a few minutes still shows as a bar, in its day and its hour', async () => {
    const hours = Array.from({ length: 24 }, (_, h) => (h === 21 ? 150_000 : 0));
    const image = await renderStats(
      input({ days: days(7, (i) => (i === 3 ? 150_000 : 0)), hours, topArtists: [{ name: 'عمرو دياب', plays: '1 play' }], topTracks: [{ name: '初恋 — 宇多田ヒカル', plays: '1 play' }] }),
    );
    const slot = STATS_LAYOUT.days.w / 7;
    expect(await greenIn(image.data, { ...STATS_LAYOUT.days, x: STATS_LAYOUT.days.x + Math.round(3 * slot), w: Math.round(slot) })).toBeGreaterThan(100);
    expect(await greenIn(image.data, { ...STATS_LAYOUT.days, w: Math.round(3 * slot) - 2 })).toBe(0);
    const hourSlot = STATS_LAYOUT.hours.w / 24;
    expect(await greenIn(image.data, { ...STATS_LAYOUT.hours, x: STATS_LAYOUT.hours.x + Math.round(21 * hourSlot), w: Math.round(hourSlot) })).toBeGreaterThan(50);
    expect(await greenIn(image.data, { ...STATS_LAYOUT.hours, w: Math.round(21 * hourSlot) - 2 })).toBe(0);
  });

  it('groups a year by week and years by month', () => {
    expect(dayBuckets(days(30, () => 1)).unit).toBe('day');
    const year = dayBuckets(days(366, () => 60_000));
    expect(year.unit).toBe('week');
    expect(year.buckets).toHaveLength(53);
    expect(year.buckets[0]!.ms).toBe(7 * 60_000);
    const all = dayBuckets(days(800, () => 60_000));
    expect(all.unit).toBe('month');
    expect(all.buckets[0]).toEqual({ label: 'Jan 25', ms: 31 * 60_000 });
  });

  it('the time axis steps in round minutes or hours, with the top above the tallest bar', () => {
    expect(axisScale(0)).toEqual({ stepMin: 1, topMin: 1 });
    expect(axisScale(200_000)).toEqual({ stepMin: 1, topMin: 4 });
    expect(axisScale(2.5 * 3_600_000)).toEqual({ stepMin: 60, topMin: 180 });
    expect(axisScale(80 * 3_600_000)).toEqual({ stepMin: 1200, topMin: 4800 });
  });
});
