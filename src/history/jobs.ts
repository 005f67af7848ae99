// The history's timed work, in the one process that talks to Spotify (the single process, or the manager):
// recently-played sync at start and every 20 minutes, and the daily retention prune (HISTORY_RETENTION_DAYS).
import type { Config } from '../config.js';
import type { Listener } from '../listeners/listener.js';
import type { Logger } from '../logger.js';
import type { SpotifyClient } from '../spotify/client.js';
import { RECENT_SYNC_INTERVAL_MS, RecentlyPlayedSync, type RecordedAccount } from './recorders/recently-played.js';
import type { HistoryStore } from './store.js';

const DAY_MS = 86_400_000;
/** The first sync waits a little after start, so the bot's own start-up requests go first. */
const FIRST_SYNC_DELAY_MS = 5_000;

export interface HistoryJobsDeps {
  store: HistoryStore | null;
  config: Pick<Config, 'history'>;
  logger: Logger;
  now: () => number;
  accounts(): Promise<RecordedAccount[]>;
  spotify(listener: Listener): Pick<SpotifyClient, 'getRecentlyPlayed'>;
}

export class HistoryJobs {
  readonly sync: RecentlyPlayedSync | null;
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly deps: HistoryJobsDeps) {
    const store = deps.store;
    this.sync =
      store === null
        ? null
        : new RecentlyPlayedSync({
            accounts: deps.accounts,
            spotify: deps.spotify,
            history: {
              recentCursor: (user) => store.recentCursor(user),
              setRecentCursor: (user, at) => store.setRecentCursor(user, at),
              addPlays: (user, plays) => store.addPlays(user, plays),
            },
            logger: deps.logger,
          });
  }

  start(): void {
    if (this.sync === null || this.timers.length > 0) return;
    const sync = this.sync;
    const run = (): void => void sync.syncAll().catch((error: unknown) => this.deps.logger.warn('history: sync failed', { error }));
    this.timers.push(setTimeout(run, FIRST_SYNC_DELAY_MS), setInterval(run, RECENT_SYNC_INTERVAL_MS));
    const days = this.deps.config.history.retentionDays;
    if (days !== null) {
      const prune = (): void => void this.prune(days);
      this.timers.push(setTimeout(prune, FIRST_SYNC_DELAY_MS), setInterval(prune, DAY_MS));
    }
    for (const timer of this.timers) timer.unref();
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
  }

  /** Delete plays older than the retention; logs what it removed. */
  async prune(days: number): Promise<number> {
    if (this.deps.store === null) return 0;
    try {
      const removed = await this.deps.store.prune(this.deps.now() - days * DAY_MS);
      if (removed > 0) this.deps.logger.info('history: deleted plays past the retention', { plays: removed, days });
      return removed;
    } catch (error) {
      this.deps.logger.warn('history: retention prune failed; retrying tomorrow', { error });
      return 0;
    }
  }
}
