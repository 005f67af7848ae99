// The /stats picture: listening time per day over the period (per week or month when the period is long) and by hour
// of day, with labelled axes sized to read on a phone, and the top artists and tracks (any script). No covers.

import { loadCanvas, loadedCanvas } from './canvas.js';
import type { CanvasModule, Context } from './canvas.js';
import { JPEG_QUALITY, type RenderedImage } from './draw-kit.js';
import { withSurface } from './surfaces.js';
import { drawLine, measureLine } from './text-layout.js';
import { ENGLISH, type Translator } from '../i18n/translator.js';
import { SOURCE_LANGUAGE } from '../i18n/locales.js';

export interface StatsPictureInput {
  /** The language of the picture's words, dates and numbers (default English). */
  tr?: Translator;
  /** "Mia · Last 30 days". */
  heading: string;
  /** "1,234 plays · 41 h 12 min". */
  summary: string;
  /** Every local day of the period, oldest first ("2026-11-30"), with its listening time. */
  days: ReadonlyArray<{ day: string; ms: number }>;
  /** Listening time by hour of day, 24 entries. */
  hours: readonly number[];
  timeZone: string;
  topArtists: ReadonlyArray<{ name: string; plays: string }>;
  topTracks: ReadonlyArray<{ name: string; plays: string }>;
}

export const STATS_WIDTH = 960;
export const STATS_HEIGHT = 1140;

/** Where things are drawn (exported for the tests, which check pixels there). */
export const STATS_LAYOUT = {
  days: { x: 110, y: 170, w: 820, h: 300 },
  hours: { x: 110, y: 580, w: 820, h: 220 },
  lists: { y: 900, rowHeight: 38 },
  bar: '#1db954',
  background: '#121316',
} as const;

const TEXT = '#f1f1f1';
const MUTED = '#a3a8b0';
const GRID = '#2c2f36';

export interface Bucket {
  label: string;
  ms: number;
}

/** Day and month labels from Intl in the picture's language: "6 Dec" / "Dec 26" in English, "6. Dez." / "Dez. 26", "12月6日" / "26年12月". */
function dateLabels(tr: Translator): { day(day: string): string; month(month: string): string } {
  const utc = (iso: string): Date => new Date(`${iso}T00:00:00Z`);
  if (tr.language === SOURCE_LANGUAGE) {
    // The bot's English style: day before month, month names as en-US abbreviates them.
    const name = new Intl.DateTimeFormat('en-US', { month: 'short', timeZone: 'UTC' });
    return {
      day: (day) => `${Number(day.slice(8, 10))} ${name.format(utc(day))}`,
      month: (month) => `${name.format(utc(`${month}-01`))} ${month.slice(2, 4)}`,
    };
  }
  const dayFormat = new Intl.DateTimeFormat(tr.language, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const monthFormat = new Intl.DateTimeFormat(tr.language, { month: 'short', year: '2-digit', timeZone: 'UTC' });
  return { day: (day) => dayFormat.format(utc(day)), month: (month) => monthFormat.format(utc(`${month}-01`)) };
}

/** Days as bars: one per day up to a month, one per 7 days up to a year, else one per month. */
export function dayBuckets(days: StatsPictureInput['days'], tr: Translator = ENGLISH): { unit: 'day' | 'week' | 'month'; buckets: Bucket[] } {
  const labels = dateLabels(tr);
  const dayLabel = labels.day;
  if (days.length <= 31) return { unit: 'day', buckets: days.map((d) => ({ label: dayLabel(d.day), ms: d.ms })) };
  if (days.length <= 366) {
    const buckets: Bucket[] = [];
    for (let i = 0; i < days.length; i += 7) {
      const chunk = days.slice(i, i + 7);
      buckets.push({ label: dayLabel(chunk[0]!.day), ms: chunk.reduce((s, d) => s + d.ms, 0) });
    }
    return { unit: 'week', buckets };
  }
  const months = new Map<string, Bucket>();
  for (const d of days) {
    const key = d.day.slice(0, 7);
    const bucket = months.get(key) ?? { label: labels.month(key), ms: 0 };
    bucket.ms += d.ms;
    months.set(key, bucket);
  }
  return { unit: 'month', buckets: [...months.values()] };
}

const STEPS_MIN = [1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 600, 1200, 1800, 3000, 6000, 12000, 30000];

/** A step in minutes giving 3–5 gridlines up to `maxMs`, and the axis top. */
export function axisScale(maxMs: number): { stepMin: number; topMin: number } {
  const maxMin = Math.max(1, maxMs / 60_000);
  const stepMin = STEPS_MIN.find((s) => maxMin / s <= 4) ?? STEPS_MIN.at(-1)!;
  return { stepMin, topMin: Math.max(stepMin, Math.ceil(maxMin / stepMin) * stepMin) };
}

/** "20 min", "2 h", "1 h 20". */
const minutesLabel = (tr: Translator, min: number): string =>
  min < 60
    ? tr.t('stats.picture.minutes', { m: min })
    : min % 60 === 0
      ? tr.t('stats.picture.hours', { h: min / 60 })
      : tr.t('stats.picture.hoursMinutes', { h: Math.floor(min / 60), m: min % 60 });

function barChart(
  tr: Translator,
  canvas: CanvasModule,
  ctx: Context,
  rect: { x: number; y: number; w: number; h: number },
  buckets: readonly Bucket[],
  labelEvery: number,
  empty: string,
): void {
  const { x, y, w, h } = rect;
  const max = Math.max(0, ...buckets.map((b) => b.ms));
  const { stepMin, topMin } = axisScale(max);
  ctx.lineWidth = 2;
  for (let m = 0; m <= topMin; m += stepMin) {
    const gy = Math.round(y + h - (m / topMin) * h) + 0.5;
    ctx.strokeStyle = m === 0 ? '#565b66' : GRID;
    ctx.beginPath();
    ctx.moveTo(x, gy);
    ctx.lineTo(x + w, gy);
    ctx.stroke();
    drawLine(canvas, ctx, minutesLabel(tr, m), { x: x - 14, y: gy + 7, maxWidth: x - 20, size: 20, color: MUTED, align: 'right' });
  }
  const slot = w / Math.max(1, buckets.length);
  const barW = Math.max(2, Math.min(48, slot * 0.72));
  ctx.fillStyle = STATS_LAYOUT.bar;
  buckets.forEach((b, i) => {
    if (b.ms <= 0) return;
    const bh = Math.max(3, (b.ms / 60_000 / topMin) * h);
    ctx.beginPath();
    ctx.roundRect(x + i * slot + (slot - barW) / 2, y + h - bh, barW, bh, [Math.min(6, barW / 3), Math.min(6, barW / 3), 0, 0]);
    ctx.fill();
  });
  buckets.forEach((b, i) => {
    if (i % labelEvery !== 0) return;
    drawLine(canvas, ctx, b.label, { x: x + i * slot + slot / 2, y: y + h + 34, maxWidth: slot * labelEvery, size: 20, color: MUTED, align: 'center' });
  });
  if (max === 0) drawLine(canvas, ctx, empty, { x: x + w / 2, y: y + h / 2, maxWidth: w, size: 26, color: MUTED, align: 'center' });
}

const PLAYS_COLUMN = 110;
const PLAYS_STYLE = { size: 20, weight: 400 as const };

function list(canvas: CanvasModule, ctx: Context, title: string, rows: StatsPictureInput['topArtists'], x: number, width: number): void {
  const { y, rowHeight } = STATS_LAYOUT.lists;
  drawLine(canvas, ctx, title, { x, y, maxWidth: width, size: 26, weight: 700, color: TEXT });
  // The counts' column fits its widest count ("1.234 Wiedergaben" is longer than "1,234 plays"), up to 45 % of the list.
  const shown = rows.slice(0, 5);
  const widest = Math.max(0, ...shown.map((row) => measureLine(canvas, ctx, row.plays, PLAYS_STYLE)));
  const column = Math.min(width * 0.45, Math.max(PLAYS_COLUMN, Math.ceil(widest) + 2));
  shown.forEach((row, i) => {
    const ry = y + 46 + i * rowHeight;
    drawLine(canvas, ctx, `${i + 1}`, { x, y: ry, maxWidth: 28, size: 22, weight: 700, color: MUTED });
    // A fixed column for the counts, so names in either direction end at the same place.
    drawLine(canvas, ctx, row.plays, { x: x + width, y: ry, maxWidth: column, ...PLAYS_STYLE, color: MUTED, align: 'right' });
    drawLine(canvas, ctx, row.name, { x: x + 34, y: ry, maxWidth: width - 34 - column - 16, size: 22, color: TEXT, align: 'start' });
  });
}

/** Draws at once when the canvas module is loaded (the caller builds its text while the picture encodes). */
export async function renderStats(input: StatsPictureInput): Promise<RenderedImage> {
  const canvas = loadedCanvas() ?? (await loadCanvas());
  const width = STATS_WIDTH;
  const height = STATS_HEIGHT;
  const data = await withSurface(canvas, width, height, (out) => {
    const ctx = out.getContext('2d');
    const tr = input.tr ?? ENGLISH;
    ctx.fillStyle = STATS_LAYOUT.background;
    ctx.fillRect(0, 0, width, height);
    drawLine(canvas, ctx, input.heading, { x: 32, y: 56, maxWidth: width - 64, size: 34, weight: 700, color: TEXT });
    drawLine(canvas, ctx, input.summary, { x: 32, y: 96, maxWidth: width - 64, size: 24, color: MUTED });

    const { unit, buckets } = dayBuckets(input.days, tr);
    const perWhat = unit === 'day' ? tr.t('stats.picture.perDay') : unit === 'week' ? tr.t('stats.picture.perWeek') : tr.t('stats.picture.perMonth');
    drawLine(canvas, ctx, perWhat, { x: 32, y: STATS_LAYOUT.days.y - 22, maxWidth: width - 64, size: 26, weight: 700, color: TEXT });
    // About seven labels fit across, whatever the number of bars.
    barChart(tr, canvas, ctx, STATS_LAYOUT.days, buckets, Math.max(1, Math.ceil(buckets.length / 7)), tr.t('stats.picture.empty'));

    const hours = input.hours.map((ms, hour) => ({ label: String(hour).padStart(2, '0'), ms }));
    drawLine(canvas, ctx, tr.t('stats.picture.byHour', { timeZone: input.timeZone }), { x: 32, y: STATS_LAYOUT.hours.y - 22, maxWidth: width - 64, size: 26, weight: 700, color: TEXT });
    barChart(tr, canvas, ctx, STATS_LAYOUT.hours, hours, 3, tr.t('stats.picture.empty'));

    const column = (width - 64 - 40) / 2;
    list(canvas, ctx, tr.t('stats.topArtists'), input.topArtists, 32, column);
    list(canvas, ctx, tr.t('stats.topTracks'), input.topTracks, 32 + column + 40, column);
    return out.encode('jpeg', JPEG_QUALITY);
  });
  return { data, name: 'stats.jpg', contentType: 'image/jpeg', width, height, coverFailures: [] };
}
