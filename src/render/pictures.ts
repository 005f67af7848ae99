// The bot's pictures, one instance per process (built in createApp, or in a shard process): the one CoverArt
// cache, and drawing that never takes a reply down with it. A picture that can't be drawn (or isn't drawn within
// `deadlineMs`) resolves null and the caller sends its text reply; each cause is logged once per process, not once
// per command. Covers that fail get a placeholder in the picture and are logged once per reason.
//
// Nothing here loads @napi-rs/canvas or a font: the drawing modules are imported on the first picture.

import type { Logger } from '../logger.js';
import type { CardInput } from './card.js';
import type { ChartInput } from './chart.js';
import { CoverArt, type CoverArtOptions } from './cover-art.js';
import type { RenderDeps, RenderedImage } from './draw-kit.js';
import type { StatsPictureInput } from './stats.js';
import type { WrappedPictureInput } from './wrapped.js';
import type { Translator } from '../i18n/translator.js';

export interface Drawers {
  card(input: CardInput, deps: RenderDeps): Promise<RenderedImage>;
  chart(input: ChartInput, deps: RenderDeps): Promise<RenderedImage>;
  stats(input: StatsPictureInput, deps: RenderDeps): Promise<RenderedImage>;
  wrapped(input: WrappedPictureInput, deps: RenderDeps, tr?: Translator): Promise<RenderedImage>;
}

export interface PicturesOptions {
  logger: Logger;
  /**
   * SPOTIFY_IMAGES_URL: fetch Spotify's images from this origin (the image CDN emulator) instead. Only the path of a URL
   * already on an allowed Spotify host is used.
   */
  imagesUrl?: string | null;
  covers?: Omit<CoverArtOptions, 'fetchOverride'>;
  /** Give a picture up after this long and send the text reply. Default 10 s (a deferred reply can wait that long). */
  deadlineMs?: number;
  /** The drawing functions; default src/render's (loaded on first use). Tests replace one to make drawing fail. */
  drawers?: Partial<Drawers>;
}

export type PictureKind = keyof Drawers;

/** Causes remembered for "log once"; past this many, new causes are still logged but not remembered. */
const MAX_CAUSES = 64;

/** The stats drawer once imported: /stats and /serverstats start drawing at once (see startStatsPicture). */
let statsModule: typeof import('./stats.js') | undefined;

const defaultDrawers: Drawers = {
  card: async (input, deps) => (await import('./card.js')).renderNowPlayingCard(input, deps),
  chart: async (input, deps) => (await import('./chart.js')).renderChart(input, deps),
  stats: async (input) => (statsModule ??= await import('./stats.js')).renderStats(input),
  wrapped: async (input, deps, tr) => (await import('./wrapped.js')).renderWrapped(input, deps, tr),
};

class DeadlineError extends Error {
  override name = 'DeadlineError';
}

export class Pictures {
  readonly covers: CoverArt;
  private readonly logger: Logger;
  private readonly deadlineMs: number;
  private readonly drawers: Drawers;
  private readonly logged = new Set<string>();

  constructor(options: PicturesOptions) {
    this.logger = options.logger;
    this.deadlineMs = options.deadlineMs ?? 10_000;
    this.drawers = { ...defaultDrawers, ...options.drawers };
    const origin = options.imagesUrl?.replace(/\/+$/, '');
    this.covers = new CoverArt({
      ...options.covers,
      ...(origin ? { fetchOverride: (url: URL) => `${origin}${url.pathname}${url.search}` } : {}),
    });
  }

  /** The now-playing card, or null (logged once per cause): send the text reply. */
  card(input: CardInput): Promise<RenderedImage | null> {
    return this.draw('card', (deps) => this.drawers.card(input, deps));
  }

  /** The cover chart, or null (logged once per cause): send the text reply. */
  chart(input: ChartInput): Promise<RenderedImage | null> {
    return this.draw('chart', (deps) => this.drawers.chart(input, deps));
  }

  /** The /stats picture (time per day and hour, top lists), or null (logged once per cause): send the text reply. */
  stats(input: StatsPictureInput): Promise<RenderedImage | null> {
    return this.draw('stats', (deps) => this.drawers.stats(input, deps));
  }

  /** The /wrapped picture (a year, tall), or null (logged once per cause): send the text reply. */
  wrapped(input: WrappedPictureInput, tr?: Translator): Promise<RenderedImage | null> {
    return this.draw('wrapped', (deps) => this.drawers.wrapped(input, deps, tr));
  }

  private async draw(kind: PictureKind, run: (deps: RenderDeps) => Promise<RenderedImage>): Promise<RenderedImage | null> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DeadlineError(`not drawn within ${this.deadlineMs} ms`)), this.deadlineMs);
    });
    try {
      const image = await Promise.race([run({ covers: this.covers }), deadline]);
      for (const failure of image.coverFailures) {
        this.once(`cover:${failure.reason}`, () =>
          this.logger.warn('cover art could not be drawn; a placeholder was drawn instead (logged once per reason)', {
            reason: failure.reason,
            picture: kind,
          }),
        );
      }
      return image;
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      this.once(`${kind}:${name}:${message.slice(0, 120)}`, () =>
        this.logger.error(`could not draw the ${kind}; sent the text reply instead (logged once per cause)`, {
          error: `${name}: ${message}`,
        }),
      );
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  private once(cause: string, log: () => void): void {
    if (this.logged.has(cause)) return;
    if (this.logged.size < MAX_CAUSES) this.logged.add(cause);
    log();
  }
}
