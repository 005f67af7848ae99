// What slash commands and the presence job need from the rest of the bot, as one interface. In one process it is
// backed by the App directly (servicesOf); under the ShardingManager each shard gets an IPC-backed copy, so only
// the manager process ever talks to Spotify.
import type { Config } from './config.js';
import type { ListeningState } from './listening-state.js';
import type { Logger } from './logger.js';
import type { TimeRange } from './spotify/types.js';
import type { GrantHealthStatus } from './grant-health.js';
import type { TopArtist, TopList, TopTrack } from './top-items.js';

export interface AccountStatus {
  health: GrantHealthStatus | null;
  /** "Display Name (id)" of the linked Spotify account, when Spotify could tell. */
  account: string | null;
  lastSuccessAt: number | null;
  rateLimit: { retryAfterSeconds: number; quotaExceeded: boolean };
}

export type LoginResult =
  | { ok: true; account: string | null; scope: string; expiresAt: number }
  | { ok: false; reason: 'expired' | 'state_mismatch' | 'denied' | 'no_code' | 'code_rejected'; detail?: string };

export interface BotServices {
  config: Config;
  logger: Logger;
  now: () => number;
  /** Wait this long for data before deferring an interaction (Discord's deadline is 3 s). */
  deferAfterMs: number;
  listening: { current(): Promise<ListeningState> };
  top: {
    tracks(range: TimeRange): Promise<TopList<TopTrack>>;
    artists(range: TimeRange): Promise<TopList<TopArtist>>;
  };
  account: {
    status(): Promise<AccountStatus>;
    /** Start a `/spotify login` for this Discord user: the authorize URL to open. */
    beginLogin(userId: string): Promise<{ authorizeUrl: string; redirectUri: string }>;
    /** Finish it with what the user pasted (the redirected URL, or the code). */
    finishLogin(userId: string, pasted: string): Promise<LoginResult>;
  };
}
