// A listener's top tracks and artists: normalized for display, cached in storage per (account, kind, range).
import type { FeatureDeps } from '../../feature-deps.js';
import type { Link } from '../../listening-state.js';
import { coverImage } from '../../listening-state.js';
import type { AccountKey, Listener } from '../../listeners/listener.js';
import type { ListenerPart, ListenerRegistry } from '../../listeners/registry.js';
import { SingleFlight } from '../../single-flight.js';
import type { SpotifyClient } from '../../spotify/client.js';
import { SPOTIFY_MAX_LIMIT, TIME_RANGES, type Artist, type TimeRange, type Track } from '../../spotify/types.js';
import type { Storage } from '../../storage.js';

export type TopKind = 'tracks' | 'artists';

export interface TopTrack {
  title: string;
  url: string | null;
  artists: Link[];
  album: string;
  imageUrl: string | null;
}

export interface TopArtist {
  name: string;
  url: string | null;
  imageUrl: string | null;
}

export interface TopList<T> {
  range: TimeRange;
  /** Items in rank order; item i has rank i + 1. */
  items: T[];
  /** Epoch ms when Spotify was asked. */
  fetchedAt: number;
}

export const RANGE_LABELS: Record<TimeRange, string> = {
  short_term: 'Last 4 weeks',
  medium_term: 'Last 6 months',
  long_term: 'Last year',
};

export function toTopTrack(track: Track): TopTrack {
  const local = track.is_local === true;
  return {
    title: track.name,
    url: local ? null : (track.external_urls?.spotify ?? (track.id ? `https://open.spotify.com/track/${track.id}` : null)),
    artists: track.artists.map((a) => ({
      name: a.name,
      url: local ? null : (a.external_urls?.spotify ?? (a.id ? `https://open.spotify.com/artist/${a.id}` : null)),
    })),
    album: track.album.name,
    imageUrl: coverImage(track.album.images),
  };
}

export function toTopArtist(artist: Artist): TopArtist {
  return {
    name: artist.name,
    url: artist.external_urls?.spotify ?? `https://open.spotify.com/artist/${artist.id}`,
    imageUrl: coverImage(artist.images),
  };
}

export interface TopItemsServiceOptions {
  spotify: Pick<SpotifyClient, 'getTopTracks' | 'getTopArtists' | 'account'>;
  storage: Storage;
  /** How long a fetched list is reused; Spotify recomputes top items about daily. */
  ttlMs?: number;
  now?: () => number;
}

export const TOP_KINDS: readonly TopKind[] = ['tracks', 'artists'];

/** Storage key of one cached list. The owner's keys (`spotify:top:owner:…`) are unchanged from before listeners. */
const cacheKey = (account: string, kind: TopKind, range: TimeRange): string => `spotify:top:${account}:${kind}:${range}`;

/**
 * One listener's top lists, cached in storage for a few minutes; concurrent misses share one call. One request
 * of Spotify's maximum page fills every page and limit a command can ask for.
 */
export class TopItemsService {
  private readonly trackLoads = new SingleFlight<TimeRange, TopList<TopTrack>>();
  private readonly artistLoads = new SingleFlight<TimeRange, TopList<TopArtist>>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: TopItemsServiceOptions) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
  }

  tracks(range: TimeRange): Promise<TopList<TopTrack>> {
    return this.trackLoads.run(range, () =>
      this.load('tracks', range, async (query) => (await this.options.spotify.getTopTracks(query)).items.map(toTopTrack)),
    );
  }

  artists(range: TimeRange): Promise<TopList<TopArtist>> {
    return this.artistLoads.run(range, () =>
      this.load('artists', range, async (query) => (await this.options.spotify.getTopArtists(query)).items.map(toTopArtist)),
    );
  }

  private async load<T>(
    kind: TopKind,
    range: TimeRange,
    fetchItems: (query: { range: TimeRange; limit: number; offset: number }) => Promise<T[]>,
  ): Promise<TopList<T>> {
    const key = cacheKey(this.options.spotify.account, kind, range);
    const cached = await this.options.storage.get<TopList<T>>(key);
    if (cached && this.now() - cached.fetchedAt < this.ttlMs) return cached;
    const fetchedAt = this.now();
    const list: TopList<T> = { range, fetchedAt, items: await fetchItems({ range, limit: SPOTIFY_MAX_LIMIT, offset: 0 }) };
    await this.options.storage.set(key, list, this.ttlMs);
    return list;
  }
}

/** `Services['top']`. */
export interface TopNamespace {
  tracks(listener: Listener, range: TimeRange): Promise<TopList<TopTrack>>;
  artists(listener: Listener, range: TimeRange): Promise<TopList<TopArtist>>;
}

/** `Services['top']`: any listener's top lists, through their scope. */
export class TopFeature implements TopNamespace {
  readonly part: ListenerPart<TopItemsService>;

  private readonly listeners: ListenerRegistry;

  constructor({ listeners, storage, now, tuning }: FeatureDeps) {
    this.listeners = listeners;
    this.part = listeners.register({
      name: 'top',
      create: (scope) =>
        new TopItemsService({
          spotify: scope.spotify,
          storage,
          now,
          ...(tuning.topTtlMs !== undefined ? { ttlMs: tuning.topTtlMs } : {}),
        }),
      erase: async (account: AccountKey) => {
        await Promise.all(TOP_KINDS.flatMap((kind) => TIME_RANGES.map((range) => storage.delete(cacheKey(account, kind, range)))));
      },
    });
  }

  tracks(listener: Listener, range: TimeRange): Promise<TopList<TopTrack>> {
    return this.listeners.part(listener, this.part).tracks(range);
  }

  artists(listener: Listener, range: TimeRange): Promise<TopList<TopArtist>> {
    return this.listeners.part(listener, this.part).artists(range);
  }
}
