// A listener's recently played tracks (Spotify keeps the last 50), newest first, for /recent.
// Per listener: one request of Spotify's maximum page fills every page; concurrent calls share it, and the
// answer is reused for a short while so paging through it costs nothing.
import type { FeatureDeps } from '../../feature-deps.js';
import { coverImage, type Link } from '../../listening-state.js';
import type { Listener } from '../../listeners/listener.js';
import type { ListenerPart, ListenerRegistry } from '../../listeners/registry.js';
import { SingleFlight } from '../../single-flight.js';
import type { SpotifyClient } from '../../spotify/client.js';
import { SPOTIFY_MAX_LIMIT, type PlayHistory } from '../../spotify/types.js';

export interface RecentPlay {
  title: string;
  /** open.spotify.com URL; null for a local file. */
  url: string | null;
  artists: Link[];
  album: string;
  imageUrl: string | null;
  isLocal: boolean;
  /** Epoch ms when the play happened (Spotify's `played_at`). */
  playedAt: number;
}

export interface RecentPlays {
  /** Newest first. */
  items: RecentPlay[];
  /** Epoch ms when Spotify was asked. */
  fetchedAt: number;
}

/** How long an answer is reused (paging, repeated commands). */
export const RECENT_TTL_MS = 30_000;

const OPEN_SPOTIFY = 'https://open.spotify.com';

export function toRecentPlay(play: PlayHistory): RecentPlay | null {
  const playedAt = Date.parse(play.played_at);
  if (!Number.isFinite(playedAt)) return null;
  const { track } = play;
  const isLocal = track.is_local === true;
  const link = (type: string, id: string | null, external?: string): string | null =>
    isLocal ? null : (external ?? (id ? `${OPEN_SPOTIFY}/${type}/${id}` : null));
  return {
    title: track.name,
    url: link('track', track.id, track.external_urls?.spotify),
    artists: track.artists.map((a) => ({ name: a.name, url: link('artist', a.id, a.external_urls?.spotify) })),
    album: track.album.name,
    imageUrl: coverImage(track.album.images),
    isLocal,
    playedAt,
  };
}

class RecentPlaysCache {
  private last: RecentPlays | null = null;
  private readonly loads = new SingleFlight<'recent', RecentPlays>();

  constructor(
    private readonly spotify: Pick<SpotifyClient, 'getRecentlyPlayed'>,
    private readonly now: () => number,
  ) {}

  get(): Promise<RecentPlays> {
    const last = this.last;
    if (last && this.now() - last.fetchedAt < RECENT_TTL_MS) return Promise.resolve(last);
    return this.loads.run('recent', async () => {
      const fetchedAt = this.now();
      const page = await this.spotify.getRecentlyPlayed({ limit: SPOTIFY_MAX_LIMIT });
      const items = page.items.flatMap((play) => toRecentPlay(play) ?? []).sort((a, b) => b.playedAt - a.playedAt);
      this.last = { items, fetchedAt };
      return this.last;
    });
  }
}

/** `Services['recent']`. */
export interface RecentNamespace {
  plays(listener: Listener): Promise<RecentPlays>;
}

export class RecentFeature implements RecentNamespace {
  private readonly listeners: ListenerRegistry;
  private readonly part: ListenerPart<RecentPlaysCache>;

  constructor({ listeners, now }: FeatureDeps) {
    this.listeners = listeners;
    this.part = listeners.register({ name: 'recent', create: (scope) => new RecentPlaysCache(scope.spotify, now) });
  }

  plays(listener: Listener): Promise<RecentPlays> {
    return this.listeners.part(listener, this.part).get();
  }
}
