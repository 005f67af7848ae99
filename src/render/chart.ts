// The cover chart: a size×size grid of covers (albums derived from top tracks, tracks, or artists' images), each tile
// with its rank and name over the art; missing art gets a clean placeholder tile.

import { loadCanvas } from './canvas.js';
import { drawCover, drawPlaceholder, hueOf, JPEG_QUALITY, roundedRect, type RenderDeps, type RenderedImage } from './draw-kit.js';
import type { CanvasModule, Context } from './canvas.js';
import { withSurface } from './surfaces.js';
import { drawLine, measureLine } from './text-layout.js';

export type ChartKind = 'albums' | 'tracks' | 'artists';
export type ChartSize = 3 | 4 | 5;
export const CHART_SIZES: readonly ChartSize[] = [3, 4, 5];

export interface ChartTile {
  /** Album, track or artist name. */
  title: string;
  /** Artists of an album or track; nothing for an artist. */
  subtitle?: string;
  imageUrl: string | null;
}

export interface ChartInput {
  kind: ChartKind;
  /** Tiles per side; default 3. */
  size?: ChartSize;
  /** In rank order; tile i has rank i + 1. Only the first size² are drawn. */
  tiles: readonly ChartTile[];
  /** A line above the grid, e.g. "Ana's top albums · Last 4 weeks". */
  heading?: string;
}

/** What the chart needs of a top track (structurally a TopTrack from top-items.ts). */
export interface ChartTrack {
  title: string;
  artists: ReadonlyArray<{ name: string }>;
  album: string;
  imageUrl: string | null;
}

export interface ChartArtist {
  name: string;
  imageUrl: string | null;
}

export interface TopAlbum {
  name: string;
  /** The artists of its best-ranked track. */
  artists: string;
  imageUrl: string | null;
  /** How many of the top tracks are on it. */
  trackCount: number;
  /** The rank (1-based) of its best track. */
  bestRank: number;
  /** Sum over its tracks of (tracks.length + 1 − rank): many tracks and high ranks both count. */
  score: number;
}

/**
 * Top albums from top tracks (Spotify has no top-albums endpoint). Each track gives its album
 * (tracks.length + 1 − rank) points, so an album with several well-ranked tracks leads, and one top-ranked track
 * outweighs a couple near the bottom. Ties: more tracks, then the better best rank, then the first seen.
 * An album is recognised by its cover URL (unique per album on Spotify), or by name and first artist without one.
 */
export function deriveTopAlbums(tracks: readonly ChartTrack[]): TopAlbum[] {
  const albums = new Map<string, TopAlbum & { order: number }>();
  tracks.forEach((track, index) => {
    const rank = index + 1;
    const firstArtist = track.artists[0]?.name ?? '';
    const key = track.imageUrl ?? `${track.album}\u0000${firstArtist}`;
    const points = tracks.length + 1 - rank;
    const album = albums.get(key);
    if (album) {
      album.trackCount++;
      album.score += points;
    } else {
      albums.set(key, {
        name: track.album,
        artists: track.artists.map((a) => a.name).join(', '),
        imageUrl: track.imageUrl,
        trackCount: 1,
        bestRank: rank,
        score: points,
        order: albums.size,
      });
    }
  });
  return [...albums.values()]
    .sort((a, b) => b.score - a.score || b.trackCount - a.trackCount || a.bestRank - b.bestRank || a.order - b.order)
    .map(({ order: _order, ...album }) => album);
}

export function albumTiles(tracks: readonly ChartTrack[]): ChartTile[] {
  return deriveTopAlbums(tracks).map((a) => ({ title: a.name, subtitle: a.artists, imageUrl: a.imageUrl }));
}

export function trackTiles(tracks: readonly ChartTrack[]): ChartTile[] {
  return tracks.map((t) => ({ title: t.title, subtitle: t.artists.map((a) => a.name).join(', '), imageUrl: t.imageUrl }));
}

export function artistTiles(artists: readonly ChartArtist[]): ChartTile[] {
  return artists.map((a) => ({ title: a.name, imageUrl: a.imageUrl }));
}

/** Width of the grid in px, whatever the size: 320/240/192 px tiles. */
export const CHART_GRID = 960;
export const CHART_HEADING_HEIGHT = 64;

/** The rectangle of tile `index` (0-based) in a chart of `size`, with or without a heading. */
export function chartTileRect(size: ChartSize, index: number, heading: boolean): { x: number; y: number; side: number } {
  const side = CHART_GRID / size;
  return {
    x: (index % size) * side,
    y: (heading ? CHART_HEADING_HEIGHT : 0) + Math.floor(index / size) * side,
    side,
  };
}

export async function renderChart(input: ChartInput, deps: RenderDeps): Promise<RenderedImage> {
  const canvas = await loadCanvas();
  const size = input.size ?? 3;
  const count = size * size;
  const tiles = input.tiles.slice(0, count);
  const heading = input.heading?.trim() ? input.heading : undefined;
  const width = CHART_GRID;
  const height = CHART_GRID + (heading ? CHART_HEADING_HEIGHT : 0);
  const coverFailures: RenderedImage['coverFailures'] = [];

  // Covers handed out stay valid until the picture is encoded, even if the cache lets them go meanwhile.
  const release = deps.covers.hold();
  let data: Buffer;
  try {
    // All covers at once, at the tile size; CoverArt caps the parallel fetches and shares repeated URLs.
    const tileSide = CHART_GRID / size;
    const covers = await Promise.all(
      tiles.map(async (tile) => {
        if (!tile.imageUrl) return null;
        const result = await deps.covers.get(tile.imageUrl, tileSide);
        if (result.ok) return result.image;
        coverFailures.push({ url: tile.imageUrl, reason: result.reason });
        return null;
      }),
    );

    data = await withSurface(canvas, width, height, (out) => {
      const ctx = out.getContext('2d');
      ctx.fillStyle = '#121316';
      ctx.fillRect(0, 0, width, height);

      if (heading) {
        drawLine(canvas, ctx, heading, { x: 24, y: 42, maxWidth: width - 48, size: 28, weight: 700, color: '#ffffff' });
      }

      for (let i = 0; i < count; i++) {
        const { x, y, side } = chartTileRect(size, i, heading !== undefined);
        const tile = tiles[i];
        if (!tile) {
          ctx.fillStyle = i % 2 === (Math.floor(i / size) % 2) ? '#17181c' : '#1b1c21';
          ctx.fillRect(x, y, side, side);
          continue;
        }
        const cover = covers[i];
        if (cover) drawCover(ctx, cover, x, y, side);
        else drawPlaceholder(ctx, x, y, side, 0, input.kind === 'artists' ? 'person' : 'note', hueOf(tile.title));
        drawTileText(canvas, ctx, tile, i + 1, x, y, side);
      }
      return out.encode('jpeg', JPEG_QUALITY);
    });
  } finally {
    release();
  }
  return { data, name: 'chart.jpg', contentType: 'image/jpeg', width, height, coverFailures };
}

function drawTileText(
  canvas: CanvasModule,
  ctx: Context,
  tile: ChartTile,
  rank: number,
  x: number,
  y: number,
  side: number,
): void {
  const pad = Math.round(side * 0.055);
  const titleSize = Math.round(Math.max(15, Math.min(24, side * 0.075)));
  const subSize = Math.round(titleSize * 0.8);
  const hasSub = Boolean(tile.subtitle?.trim());

  // A scrim under the text so it reads on any cover, light or dark.
  const scrimTop = y + side * (hasSub ? 0.5 : 0.62);
  const scrim = ctx.createLinearGradient(0, scrimTop, 0, y + side);
  scrim.addColorStop(0, 'rgba(0, 0, 0, 0)');
  scrim.addColorStop(0.45, 'rgba(0, 0, 0, 0.55)');
  scrim.addColorStop(1, 'rgba(0, 0, 0, 0.85)');
  ctx.fillStyle = scrim;
  ctx.fillRect(x, scrimTop, side, y + side - scrimTop);

  // Rank badge, top left.
  const rankText = String(rank);
  const badgeH = Math.round(titleSize * 1.45);
  const rankWidth = measureLine(canvas, ctx, rankText, { size: titleSize, weight: 700 });
  const badgeW = Math.max(badgeH, Math.round(rankWidth + titleSize * 0.9));
  roundedRect(ctx, x + pad, y + pad, badgeW, badgeH, badgeH / 2);
  ctx.fillStyle = 'rgba(0, 0, 0, 0.68)';
  ctx.fill();
  drawLine(canvas, ctx, rankText, {
    x: x + pad + badgeW / 2,
    y: y + pad + badgeH / 2 + titleSize * 0.36,
    maxWidth: badgeW,
    size: titleSize,
    weight: 700,
    color: '#ffffff',
    align: 'center',
  });

  const textWidth = side - 2 * pad;
  const bottom = y + side - pad;
  if (hasSub) {
    drawLine(canvas, ctx, tile.subtitle!, { x: x + pad, y: bottom, maxWidth: textWidth, size: subSize, weight: 400, color: '#d6d6d6' });
    drawLine(canvas, ctx, tile.title, {
      x: x + pad,
      y: bottom - subSize * 1.35,
      maxWidth: textWidth,
      size: titleSize,
      weight: 700,
      color: '#ffffff',
    });
  } else {
    drawLine(canvas, ctx, tile.title, { x: x + pad, y: bottom, maxWidth: textWidth, size: titleSize, weight: 700, color: '#ffffff' });
  }
}
