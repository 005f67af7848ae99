// Covers for charts drawn from history. Plays keep a cover when their source gives one (Discord status, recently
// played); imported plays have none, so a chart that needs one asks Spotify for one track of that album
// (`GET /tracks/{id}`: the batch lookup is gone for development-mode apps) and keeps the answer with every track of
// the album, for good: the next chart reads it from the database. Lookups go through the owner's client, so through
// the app-wide rate gate; a closed gate (429) stops them, and a chart never waits longer than its budget for them
// (unfinished lookups still finish and are kept). Runs where the store and the Spotify client are (the manager).
import type { CoverSource, HistoryStore, ItemKind } from '../../history/store.js';
import { coverImage } from '../../listening-state.js';
import type { Logger } from '../../logger.js';
import { SingleFlight } from '../../single-flight.js';
import type { SpotifyClient } from '../../spotify/client.js';
import { SpotifyApiError, SpotifyRateLimitError } from '../../spotify/errors.js';

/** Lookups one chart runs at a time: a 5×5 chart of imports needs up to 25, Spotify's window is per app. */
export const COVER_LOOKUP_CONCURRENCY = 4;
/** How long a chart waits for lookups before drawing what it has (placeholders for the rest). */
export const COVER_LOOKUP_BUDGET_MS = 2_500;
/** A track Spotify doesn't know (or whose album has no cover) is not asked about again for this long. */
const NOT_FOUND_TTL_MS = 24 * 3_600_000;
const NOT_FOUND_MAX = 2_000;

const IMAGE_URL = /^https:\/\/i\.scdn\.co\/image\/([0-9A-Za-z]{1,128})$/;

/** The URL a stored cover id is drawn from (the picture's cover fetcher maps it to SPOTIFY_IMAGES_URL). */
export function coverUrl(imageId: string | null): string | null {
  return imageId ? `https://i.scdn.co/image/${imageId}` : null;
}

export interface CoverLookupDeps {
  store: Pick<HistoryStore, 'coverSources' | 'saveCover'>;
  /** The client lookups go through (the owner's: any grant may read the catalogue). */
  spotify: () => Pick<SpotifyClient, 'getTrack'>;
  logger: Logger;
  now: () => number;
  budgetMs?: number;
}

export class CoverLookup {
  private readonly lookups = new SingleFlight<string, string | null>();
  /** Spotify track id → when it was found to give no cover. */
  private readonly notFound = new Map<string, number>();

  constructor(private readonly deps: CoverLookupDeps) {}

  /** Cover ids for these items (by key), stored or looked up now; items without one are left out. */
  async covers(kind: ItemKind, keys: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    let sources: CoverSource[];
    try {
      sources = await this.deps.store.coverSources(kind, keys);
    } catch (error) {
      // Covers are a nicety: the chart is drawn with placeholders rather than not at all.
      this.deps.logger.warn('chart: could not read the stored covers', { error });
      return found;
    }
    // One lookup per album (or per track when its album is unknown), whichever item of it asks.
    const groups = new Map<string, CoverSource[]>();
    for (const source of sources) {
      if (source.imageId !== null) {
        found.set(source.key, source.imageId);
        continue;
      }
      if (source.trackId === null || this.knownMissing(source.trackId)) continue;
      const group = source.albumKey !== null ? `album:${source.albumKey}` : `track:${source.trackId}`;
      groups.set(group, [...(groups.get(group) ?? []), source]);
    }
    if (groups.size === 0) return found;

    const queue = [...groups.values()];
    let stopped = false;
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next && !stopped; next = queue.shift()) {
        const imageId = await this.lookUp(next[0]!).catch((error: unknown) => {
          if (error instanceof SpotifyRateLimitError) stopped = true;
          else this.deps.logger.debug('chart: cover lookup failed', { error });
          return null;
        });
        if (imageId !== null) for (const source of next) found.set(source.key, imageId);
      }
    };
    const work = Promise.all(Array.from({ length: Math.min(COVER_LOOKUP_CONCURRENCY, queue.length) }, worker));
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.deps.budgetMs ?? COVER_LOOKUP_BUDGET_MS);
    });
    await Promise.race([work, budget]);
    clearTimeout(timer);
    // Past the budget: the lookups still running finish and keep their covers; none is started for this chart.
    stopped = true;
    return new Map(found);
  }

  private knownMissing(trackId: string): boolean {
    const at = this.notFound.get(trackId);
    if (at === undefined) return false;
    if (this.deps.now() - at < NOT_FOUND_TTL_MS) return true;
    this.notFound.delete(trackId);
    return false;
  }

  private missing(trackId: string): null {
    this.notFound.set(trackId, this.deps.now());
    if (this.notFound.size > NOT_FOUND_MAX) this.notFound.delete(this.notFound.keys().next().value as string);
    return null;
  }

  /** The cover of this source's album, from Spotify, kept in the store; null when Spotify has none. */
  private lookUp(source: CoverSource): Promise<string | null> {
    const trackId = source.trackId!;
    return this.lookups.run(trackId, async () => {
      let url: string | null;
      try {
        const track = await this.deps.spotify().getTrack(trackId);
        url = coverImage(track.album.images);
      } catch (error) {
        // 400 (not a Spotify id) and 404 (gone from the catalogue) won't change by asking again soon.
        if (error instanceof SpotifyApiError && (error.status === 400 || error.status === 404)) return this.missing(trackId);
        throw error;
      }
      const imageId = url === null ? null : (IMAGE_URL.exec(url)?.[1] ?? null);
      if (imageId === null) return this.missing(trackId);
      await this.deps.store.saveCover({ trackKey: source.trackKey, albumKey: source.albumKey }, imageId);
      return imageId;
    });
  }
}
