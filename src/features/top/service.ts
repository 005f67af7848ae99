// Top tracks and artists, normalized for display. Pure part.
import type { Link } from './listening-state.js';
import { largestImage } from './listening-state.js';
import type { SpotifyClient } from './spotify/client.js';
import type { Artist, TimeRange, Track } from './spotify/types.js';
import { SingleFlight } from './single-flight.js';
import type { Storage } from './storage.js';

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
    imageUrl: largestImage(track.album.images),
  };
}

export function toTopArtist(artist: Artist): TopArtist {
  return {
    name: artist.name,
    url: artist.external_urls?.spotify ?? `https://open.spotify.com/artist/${artist.id}`,
    imageUrl: largestImage(artist.images),
  };
}

export interface TopItemsServiceOptions {
  spotify: Pick<SpotifyClient, 'getTopTracks' | 'getTopArtists' | 'account'>;
  storage: Storage;
  /** How long a fetched list is reused; Spotify recomputes top items about daily. */
  ttlMs?: number;
  now?: () => number;
}

/** Spotify's maximum page: one request fills every page and limit a command can ask for. */
export const TOP_FETCH_LIMIT = 50;

/** Top tracks/artists per (account, kind, range), cached in storage for a few minutes; concurrent misses share one call. */
export class TopItemsService {
  private readonly loads = new SingleFlight<string, TopList<TopTrack> | TopList<TopArtist>>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: TopItemsServiceOptions) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
  }

  tracks(range: TimeRange): Promise<TopList<TopTrack>> {
    return this.get('tracks', range) as Promise<TopList<TopTrack>>;
  }

  artists(range: TimeRange): Promise<TopList<TopArtist>> {
    return this.get('artists', range) as Promise<TopList<TopArtist>>;
  }

  private async get(kind: TopKind, range: TimeRange): Promise<TopList<TopTrack> | TopList<TopArtist>> {
    const key = `spotify:top:${this.options.spotify.account}:${kind}:${range}`;
    return this.loads.run(key, () => this.load(key, kind, range));
  }

  private async load(key: string, kind: TopKind, range: TimeRange): Promise<TopList<TopTrack> | TopList<TopArtist>> {
    const cached = await this.options.storage.get<TopList<TopTrack> | TopList<TopArtist>>(key);
    if (cached && this.now() - cached.fetchedAt < this.ttlMs) return cached;
    const fetchedAt = this.now();
    const query = { range, limit: TOP_FETCH_LIMIT, offset: 0 };
    const list =
      kind === 'tracks'
        ? { range, fetchedAt, items: (await this.options.spotify.getTopTracks(query)).items.map(toTopTrack) }
        : { range, fetchedAt, items: (await this.options.spotify.getTopArtists(query)).items.map(toTopArtist) };
    await this.options.storage.set(key, list, this.ttlMs);
    return list;
  }
}
