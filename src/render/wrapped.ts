// The /wrapped picture: one tall story-shaped JPEG (1080×1920, what phones show full screen) — the year and whose,
// the top artist's cover (a placeholder without one), minutes listened, the top 5 songs and artists, and three tiles:
// the month and the day listened most, and the server's biggest fan of the top artist. Sizes are for a phone: the
// picture is shown ~380 px wide there, so no text is under 26 px here (≈ 9 pt on the phone). Any script.

import { ENGLISH, type Translator } from '../i18n/translator.js';
import { loadCanvas } from './canvas.js';
import type { CanvasModule, Context } from './canvas.js';
import type { CoverFailure } from './cover-art.js';
import { drawCover, drawPlaceholder, hueOf, JPEG_QUALITY, roundedRect, type RenderDeps, type RenderedImage } from './draw-kit.js';
import { withSurface } from './surfaces.js';
import { drawLine } from './text-layout.js';

export interface WrappedRow {
  name: string;
  /** "1,234 plays". */
  plays: string;
}

export interface WrappedTile {
  /** "Top month". */
  label: string;
  /** "March". */
  value: string;
  /** "41 h 12 min". */
  detail: string;
}

export interface WrappedPictureInput {
  /** "2026". */
  year: string;
  /** "Mia's year in music". */
  subtitle: string;
  /** "12,345". */
  minutes: string;
  /** "minutes listened · 3,456 plays". */
  minutesLabel: string;
  topArtist: { name: string; detail: string; imageUrl: string | null } | null;
  topTracks: readonly WrappedRow[];
  topArtists: readonly WrappedRow[];
  /** Three tiles at the bottom (month, day, fan); fewer leave their place empty. */
  tiles: readonly WrappedTile[];
}

export const WRAPPED_WIDTH = 1080;
export const WRAPPED_HEIGHT = 1920;

const MARGIN = 60;
const INNER = WRAPPED_WIDTH - 2 * MARGIN;

/** Where things are drawn (exported for the tests, which check pixels there). */
export const WRAPPED_LAYOUT = {
  cover: { x: (WRAPPED_WIDTH - 400) / 2, y: 200, size: 400, radius: 28 },
  lists: { tracksY: 1030, artistsY: 1380, rowHeight: 50 },
  tiles: { y: 1720, h: 150, gap: 24 },
  background: '#0f0d17',
} as const;

const TEXT = '#f5f5f7';
const MUTED = '#b3b0c2';
const GREEN = '#1ed760';
// Wide enough for "12,345 plays" in the longer languages ("812 Wiedergaben").
const PLAYS_COLUMN = 260;

function background(ctx: Context): void {
  const bg = ctx.createLinearGradient(0, 0, 0, WRAPPED_HEIGHT);
  bg.addColorStop(0, '#2a1650');
  bg.addColorStop(0.45, '#161228');
  bg.addColorStop(1, WRAPPED_LAYOUT.background);
  ctx.fillStyle = bg;
  ctx.fillRect(0, 0, WRAPPED_WIDTH, WRAPPED_HEIGHT);
  // A soft green glow behind the cover.
  const { cover } = WRAPPED_LAYOUT;
  const cx = cover.x + cover.size / 2;
  const cy = cover.y + cover.size / 2;
  const glow = ctx.createRadialGradient(cx, cy, cover.size * 0.3, cx, cy, cover.size * 0.95);
  glow.addColorStop(0, 'rgba(30, 215, 96, 0.28)');
  glow.addColorStop(1, 'rgba(30, 215, 96, 0)');
  ctx.fillStyle = glow;
  ctx.fillRect(0, cover.y - 250, WRAPPED_WIDTH, cover.size + 500);
}

function list(canvas: CanvasModule, ctx: Context, title: string, rows: readonly WrappedRow[], y: number): void {
  const { rowHeight } = WRAPPED_LAYOUT.lists;
  drawLine(canvas, ctx, title, { x: MARGIN, y, maxWidth: INNER, size: 40, weight: 700, color: TEXT });
  rows.slice(0, 5).forEach((row, i) => {
    const ry = y + 60 + i * rowHeight;
    drawLine(canvas, ctx, `${i + 1}`, { x: MARGIN, y: ry, maxWidth: 36, size: 32, weight: 700, color: GREEN });
    // A fixed column for the counts, so names in either direction end at the same place.
    drawLine(canvas, ctx, row.plays, { x: MARGIN + INNER, y: ry, maxWidth: PLAYS_COLUMN, size: 28, color: MUTED, align: 'right' });
    drawLine(canvas, ctx, row.name, { x: MARGIN + 48, y: ry, maxWidth: INNER - 48 - PLAYS_COLUMN - 20, size: 34, color: TEXT, align: 'start' });
  });
}

function tiles(canvas: CanvasModule, ctx: Context, items: readonly WrappedTile[]): void {
  const { y, h, gap } = WRAPPED_LAYOUT.tiles;
  const w = (INNER - 2 * gap) / 3;
  items.slice(0, 3).forEach((tile, i) => {
    const x = MARGIN + i * (w + gap);
    ctx.fillStyle = 'rgba(255, 255, 255, 0.08)';
    roundedRect(ctx, x, y, w, h, 20);
    ctx.fill();
    const pad = 22;
    drawLine(canvas, ctx, tile.label, { x: x + pad, y: y + 42, maxWidth: w - 2 * pad, size: 26, color: MUTED });
    drawLine(canvas, ctx, tile.value, { x: x + pad, y: y + 92, maxWidth: w - 2 * pad, size: 36, weight: 700, color: TEXT, align: 'start' });
    drawLine(canvas, ctx, tile.detail, { x: x + pad, y: y + 132, maxWidth: w - 2 * pad, size: 28, color: GREEN });
  });
}

/** `tr`: the words the picture itself writes (its heading and labels); the input's texts come already in the language. */
export async function renderWrapped(input: WrappedPictureInput, deps: RenderDeps, tr: Translator = ENGLISH): Promise<RenderedImage> {
  const canvas = await loadCanvas();
  const width = WRAPPED_WIDTH;
  const height = WRAPPED_HEIGHT;
  const L = WRAPPED_LAYOUT;
  const coverFailures: RenderedImage['coverFailures'] = [];
  // Covers handed out stay valid until the picture is encoded, even if the cache lets them go meanwhile.
  const release = deps.covers.hold();
  let data: Buffer;
  try {
    let cover = null;
    const url = input.topArtist?.imageUrl ?? null;
    if (url) {
      const result = await deps.covers.get(url, L.cover.size);
      if (result.ok) cover = result.image;
      else coverFailures.push({ url, reason: result.reason satisfies CoverFailure });
    }
    data = await withSurface(canvas, width, height, (out) => {
      const ctx = out.getContext('2d');
      background(ctx);
      drawLine(canvas, ctx, tr.t('wrapped.picture.heading', { year: input.year }), { x: MARGIN, y: 100, maxWidth: INNER, size: 68, weight: 700, color: GREEN });
      drawLine(canvas, ctx, input.subtitle, { x: MARGIN, y: 160, maxWidth: INNER, size: 38, color: TEXT, align: 'start' });

      const artistName = input.topArtist?.name ?? '—';
      if (cover) drawCover(ctx, cover, L.cover.x, L.cover.y, L.cover.size, L.cover.radius);
      else drawPlaceholder(ctx, L.cover.x, L.cover.y, L.cover.size, L.cover.radius, 'person', hueOf(artistName));
      const below = L.cover.y + L.cover.size;
      const center = width / 2;
      drawLine(canvas, ctx, tr.t('wrapped.picture.topArtist'), { x: center, y: below + 56, maxWidth: INNER, size: 30, color: MUTED, align: 'center' });
      drawLine(canvas, ctx, artistName, { x: center, y: below + 122, maxWidth: INNER, size: 60, weight: 700, color: TEXT, align: 'center' });
      if (input.topArtist) drawLine(canvas, ctx, input.topArtist.detail, { x: center, y: below + 172, maxWidth: INNER, size: 32, color: MUTED, align: 'center' });

      drawLine(canvas, ctx, input.minutes, { x: center, y: below + 292, maxWidth: INNER, size: 110, weight: 700, color: GREEN, align: 'center' });
      drawLine(canvas, ctx, input.minutesLabel, { x: center, y: below + 344, maxWidth: INNER, size: 36, color: TEXT, align: 'center' });

      list(canvas, ctx, tr.t('wrapped.topSongs'), input.topTracks, L.lists.tracksY);
      list(canvas, ctx, tr.t('wrapped.topArtists'), input.topArtists, L.lists.artistsY);
      tiles(canvas, ctx, input.tiles);
      return out.encode('jpeg', JPEG_QUALITY);
    });
  } finally {
    release();
  }
  return { data, name: 'wrapped.jpg', contentType: 'image/jpeg', width, height, coverFailures };
}
