// Plays of the owner and linked members from Spotify's own list, `GET /me/player/recently-played?after=<cursor>`:
// authoritative (Spotify already applied its 30 s rule), the last 50 plays only, so it is read at start and then
// about every 20 minutes (50 plays never pass in 20 minutes). One cursor per account, kept with the history. Runs in
// the one process that talks to Spotify (the manager under SHARDS), through the same rate gate and backoff as every
// other call: a failing account is skipped until the next round, with one log line per outage.
import type { HistoryUser, PlayInput } from '../play.js';
import type { Listener } from '../../listeners/listener.js';
import type { Logger } from '../../logger.js';
import type { SpotifyClient } from '../../spotify/client.js';
import { SPOTIFY_MAX_LIMIT, type PlayHistory } from '../../spotify/types.js';

export const RECENT_SYNC_INTERVAL_MS = 20 * 60_000;

const IMAGE_URL = /^https:\/\/i\.scdn\.co\/image\/([0-9A-Za-z]{1,128})$/;

/** One recently-played item as a play: it started a track's length before `played_at` (which is near its end). */
export function playFromRecent(item: PlayHistory): PlayInput | null {
  const endedAt = Date.parse(item.played_at);
  const { track } = item;
  const artist = track.artists[0]?.name;
  if (!Number.isFinite(endedAt) || !track.name || !artist) return null;
  const cover = track.album.images.find((image) => IMAGE_URL.test(image.url));
  return {
    title: track.name,
    artist,
    album: track.album.name || null,
    trackId: track.is_local ? null : track.id,
    imageId: cover ? IMAGE_URL.exec(cover.url)![1]! : null,
    startedAt: endedAt - track.duration_ms,
    endedAt,
    msPlayed: null,
    durationMs: track.duration_ms,
    source: 'spotify-recent',
  };
}

/** An account whose plays are recorded now. `since`: record nothing older (linking time); null: all Spotify has. */
export interface RecordedAccount {
  user: HistoryUser;
  listener: Listener;
  since: number | null;
}

export interface RecentSyncDeps {
  accounts(): Promise<RecordedAccount[]>;
  spotify(listener: Listener): Pick<SpotifyClient, 'getRecentlyPlayed'>;
  history: {
    recentCursor(user: HistoryUser): Promise<number | null>;
    setRecentCursor(user: HistoryUser, playedAt: number): Promise<void>;
    addPlays(user: HistoryUser, plays: PlayInput[]): Promise<{ added: number; duplicates: number }>;
  };
  logger: Logger;
}

export class RecentlyPlayedSync {
  private readonly failing = new Set<string>();
  private running: Promise<number> | null = null;

  constructor(private readonly deps: RecentSyncDeps) {}

  /** One round over every recorded account; resolves with the plays added. Concurrent calls share a round. */
  syncAll(): Promise<number> {
    this.running ??= this.round().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** One account now (e.g. right after linking). */
  async syncOne(account: RecordedAccount): Promise<number> {
    const { history, logger } = this.deps;
    try {
      const cursor = (await history.recentCursor(account.user)) ?? account.since;
      const page = await this.deps.spotify(account.listener).getRecentlyPlayed({
        limit: SPOTIFY_MAX_LIMIT,
        ...(cursor !== null ? { after: cursor } : {}),
      });
      const plays: PlayInput[] = [];
      let newest = cursor ?? 0;
      for (const item of page.items) {
        const play = playFromRecent(item);
        if (play === null || (account.since !== null && play.endedAt <= account.since)) continue;
        plays.push(play);
        newest = Math.max(newest, play.endedAt);
      }
      const { added } = plays.length > 0 ? await history.addPlays(account.user, plays) : { added: 0 };
      if (newest > (cursor ?? 0)) await history.setRecentCursor(account.user, newest);
      if (this.failing.delete(account.user)) logger.info('history: recently-played works again', { account: account.user });
      return added;
    } catch (error) {
      if (!this.failing.has(account.user)) {
        this.failing.add(account.user);
        logger.warn('history: could not read recently-played; retrying next round', {
          account: account.user,
          error: error instanceof Error ? error.message : String(error),
        });
      }
      return 0;
    }
  }

  private async round(): Promise<number> {
    let added = 0;
    for (const account of await this.deps.accounts()) added += await this.syncOne(account);
    return added;
  }
}
