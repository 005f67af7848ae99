// The now-playing card: cover art, title, artists, album (show for an episode), progress with times, paused state,
// and whose listening it is. One dark design: it reads on Discord's dark and light themes alike (like Spotify's own
// share cards), and its background is tinted from the cover. It is an opaque JPEG: Discord rounds an embed image's
// corners itself, and JPEG costs a fifth of the CPU time of WebP with alpha (see `encodeCard`).
// Ads, nothing playing and unknown items get no card (`hasCard` is false): the caller sends the text reply.
// A local file (or any cover that cannot be fetched) gets a placeholder cover: never a broken image.
// Title, artists and album each sit at the edge their own direction starts from, as Discord aligns a line: an
// Arabic or Hebrew line on the right of the text column, a Latin or CJK one on the left.

import { loadCanvas } from './canvas.js';
import type { CoverFailure } from './cover-art.js';
import {
  averageColor,
  drawCover,
  drawPlaceholder,
  formatTime,
  hueOf,
  JPEG_QUALITY,
  rgbToHsl,
  roundedRect,
  type RenderDeps,
  type RenderedImage,
} from './draw-kit.js';
import type { Context } from './canvas.js';
import { ENGLISH, type Translator } from '../i18n/translator.js';
import { withSurface } from './surfaces.js';
import { drawLine, measureLine } from './text-layout.js';

interface CardPlayback {
  isPlaying: boolean;
  /** Progress at the moment to draw (the caller moves it on with atTime). */
  progressMs: number;
  /** 0 when unknown: no progress bar. */
  durationMs: number;
  imageUrl: string | null;
}

/** A track (structurally a TrackState from listening-state.ts). */
export interface CardTrack extends CardPlayback {
  kind: 'track';
  title: string;
  artists: ReadonlyArray<{ name: string }>;
  album: { name: string };
  isLocal?: boolean;
}

/** A podcast episode (structurally an EpisodeState). */
export interface CardEpisode extends CardPlayback {
  kind: 'episode';
  title: string;
  show: { name: string };
  publisher: string | null;
}

export type CardState = CardTrack | CardEpisode;

export interface CardInput {
  state: CardState;
  /** The language of the card's words (default English). */
  tr?: Translator;
  listener: {
    /** Whose listening it is, as shown in the server. */
    displayName: string;
    /** 'discord-status': read from their Discord presence, not from Spotify. */
    source?: 'spotify' | 'discord-status';
  };
}

/** Whether a listening state gets a card. Ads, nothing playing and unknown items get the text reply. */
export function hasCard<S extends { kind: string }>(state: S): state is S & CardState {
  return state.kind === 'track' || state.kind === 'episode';
}

export const CARD_WIDTH = 800;
export const CARD_HEIGHT = 280;

/** Where things are drawn (exported for the tests, which check pixels there). */
export const CARD_LAYOUT = {
  cover: { x: 20, y: 20, size: 240, radius: 12 },
  textX: 288,
  textRight: 772,
  headerY: 50,
  titleY: 110,
  line2Y: 152,
  line3Y: 188,
  bar: { y: 224, height: 6 },
  timesY: 258,
} as const;

const WHITE = '#ffffff';
const SOFT = '#d6d6d6';
const MUTED = '#a7a7a7';
const GREEN = '#1ed760';

export async function renderNowPlayingCard(input: CardInput, deps: RenderDeps): Promise<RenderedImage> {
  const canvas = await loadCanvas();
  const { state, listener } = input;
  const tr = input.tr ?? ENGLISH;
  const L = CARD_LAYOUT;
  const coverFailures: RenderedImage['coverFailures'] = [];

  // Covers handed out stay valid until the picture is encoded, even if the cache lets them go meanwhile.
  const release = deps.covers.hold();
  let data: Buffer;
  try {
    let cover = null;
    if (state.imageUrl) {
      const result = await deps.covers.get(state.imageUrl, CARD_LAYOUT.cover.size);
      if (result.ok) cover = result.image;
      else coverFailures.push({ url: state.imageUrl, reason: result.reason satisfies CoverFailure });
    }

    data = await withSurface(canvas, CARD_WIDTH, CARD_HEIGHT, (out) => {
      const ctx = out.getContext('2d');

      // Background: the cover's colour, darkened, fading into near-black.
      const [h, s] = cover ? rgbToHsl(...averageColor(canvas, cover)) : [hueOf(state.title), 0.15, 0];
      const bg = ctx.createLinearGradient(0, 0, CARD_WIDTH, CARD_HEIGHT);
      bg.addColorStop(0, `hsl(${h.toFixed(0)}, ${Math.round(Math.min(s, 0.5) * 100)}%, 19%)`);
      bg.addColorStop(1, '#121316');
      ctx.fillStyle = bg;
      ctx.fillRect(0, 0, CARD_WIDTH, CARD_HEIGHT);

      if (cover) drawCover(ctx, cover, L.cover.x, L.cover.y, L.cover.size, L.cover.radius);
      else drawPlaceholder(ctx, L.cover.x, L.cover.y, L.cover.size, L.cover.radius, 'note', hueOf(state.title));

      const width = L.textRight - L.textX;
      const paused = !state.isPlaying;

      // Header: a playing/paused mark, whose listening it is, and where it comes from.
      drawStatusIcon(ctx, L.textX, L.headerY - 15, paused);
      const headerX = L.textX + 26;
      const suffix = [paused ? tr.t('card.paused') : tr.t('card.listeningNow'), listener.source === 'discord-status' ? tr.t('card.fromStatus') : null]
        .filter(Boolean)
        .join(' · ');
      const suffixStyle = { size: 19, weight: 400 as const, color: MUTED };
      // Reserve the suffix's room first so a long name is the part that gets shortened.
      const gap = 6;
      const measured = measureLine(canvas, ctx, `· ${suffix}`, suffixStyle) + gap;
      const name = drawLine(canvas, ctx, listener.displayName, {
        x: headerX,
        y: L.headerY,
        maxWidth: Math.max(60, width - 26 - measured),
        size: 19,
        weight: 700,
        color: SOFT,
      });
      const suffixX = name.text ? headerX + name.width + gap : headerX;
      drawLine(canvas, ctx, name.text ? `· ${suffix}` : suffix, {
        x: suffixX,
        y: L.headerY,
        maxWidth: L.textRight - suffixX,
        ...suffixStyle,
      });

      drawLine(canvas, ctx, state.title || tr.t('card.untitled'), { x: L.textX, align: 'start', y: L.titleY, maxWidth: width, size: 38, weight: 700, color: WHITE });

      let line2: string;
      let line3: string;
      if (state.kind === 'episode') {
        line2 = state.show.name;
        line3 = state.publisher && state.publisher !== state.show.name ? tr.t('card.podcastBy', { publisher: state.publisher }) : tr.t('card.podcast');
      } else {
        line2 = state.artists.map((a) => a.name).join(', ');
        line3 = state.isLocal ? (state.album.name ? tr.t('card.albumLocal', { album: state.album.name }) : tr.t('card.localFile')) : state.album.name;
      }
      drawLine(canvas, ctx, line2, { x: L.textX, align: 'start', y: L.line2Y, maxWidth: width, size: 26, weight: 400, color: SOFT });
      drawLine(canvas, ctx, line3, { x: L.textX, align: 'start', y: L.line3Y, maxWidth: width, size: 21, weight: 400, color: MUTED });

      if (state.durationMs > 0) {
        const fraction = Math.min(1, Math.max(0, state.progressMs / state.durationMs));
        const barY = L.bar.y;
        roundedRect(ctx, L.textX, barY, width, L.bar.height, L.bar.height / 2);
        ctx.fillStyle = 'rgba(255, 255, 255, 0.22)';
        ctx.fill();
        const filled = width * fraction;
        if (filled > 0) {
          roundedRect(ctx, L.textX, barY, filled, L.bar.height, L.bar.height / 2);
          ctx.fillStyle = paused ? MUTED : WHITE;
          ctx.fill();
        }
        const timeStyle = { y: L.timesY, maxWidth: 140, size: 18, weight: 400 as const, color: MUTED };
        drawLine(canvas, ctx, formatTime(state.progressMs), { x: L.textX, ...timeStyle });
        drawLine(canvas, ctx, formatTime(state.durationMs), { x: L.textRight, align: 'right', ...timeStyle });
      }
      return out.encode('jpeg', JPEG_QUALITY);
    });
  } finally {
    release();
  }
  return { data, name: 'nowplaying.jpg', contentType: 'image/jpeg', width: CARD_WIDTH, height: CARD_HEIGHT, coverFailures };
}

/** Three equaliser bars while playing; a pause mark when paused. Vector, so no font can turn it into a box. */
function drawStatusIcon(ctx: Context, x: number, y: number, paused: boolean): void {
  ctx.save();
  if (paused) {
    ctx.fillStyle = MUTED;
    ctx.fillRect(x + 2, y, 5, 17);
    ctx.fillRect(x + 11, y, 5, 17);
  } else {
    ctx.fillStyle = GREEN;
    const heights = [10, 17, 13];
    heights.forEach((bh, i) => ctx.fillRect(x + i * 6.5, y + 17 - bh, 4.5, bh));
  }
  ctx.restore();
}
