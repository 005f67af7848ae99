// What commands and the presence job need from the rest of the bot, split in two:
// - `Services`: the remote part. Namespaces of async methods whose arguments and results are plain JSON (a
//   Listener is data). In one process they are the feature services themselves (createServices); under the
//   ShardingManager each shard gets an RPC copy derived from this interface, so only the manager talks to
//   Spotify. A method added here is available to shards with no edit under src/sharding/.
// - `CommandContext`: what a handler receives: the local settings plus `services`.
// `createServices` (below) builds the local implementation: one feature service per namespace.
import type { Config } from './config.js';
import { AccountFeature, type AccountStatus, type LoginResult } from './features/account/service.js';
import { ListeningFeature } from './features/nowplaying/service.js';
import { RecentFeature, type RecentPlays } from './features/recent/service.js';
import { TopFeature, type TopArtist, type TopList, type TopTrack } from './features/top/service.js';
import type { ListeningState } from './listening-state.js';
import type { Listener } from './listeners/listener.js';
import type { ListenerRegistry } from './listeners/registry.js';
import type { Logger } from './logger.js';
import type { TokenManager } from './spotify/tokens.js';
import type { TimeRange } from './spotify/types.js';
import type { Storage } from './storage.js';

export type { AccountStatus, LoginResult } from './features/account/service.js';

export interface Services {
  listening: { current(listener: Listener): Promise<ListeningState> };
  top: {
    tracks(listener: Listener, range: TimeRange): Promise<TopList<TopTrack>>;
    artists(listener: Listener, range: TimeRange): Promise<TopList<TopArtist>>;
  };
  account: {
    status(listener: Listener): Promise<AccountStatus>;
    /** Start a `/spotify login` by this Discord user for the listener's account: the authorize URL to open. */
    beginLogin(listener: Listener, userId: string): Promise<{ authorizeUrl: string; redirectUri: string }>;
    /** Finish it with what the user pasted (the redirected URL, or the code). */
    finishLogin(listener: Listener, userId: string, pasted: string): Promise<LoginResult>;
  };
  recent: { plays(listener: Listener): Promise<RecentPlays> };
}

/** One namespace of `Services`, for the classes that implement it. */
export type ServiceNamespace<K extends keyof Services> = Services[K];

export interface CommandContext {
  config: Config;
  logger: Logger;
  now: () => number;
  /** Wait this long for data before deferring an interaction (Discord's deadline is 3 s). */
  deferAfterMs: number;
  services: Services;
}

/** What the feature services are built from (once, in createApp). */
export interface FeatureDeps {
  config: Config;
  logger: Logger;
  storage: Storage;
  now: () => number;
  tokens: TokenManager;
  listeners: ListenerRegistry;
  /** Tell a listener something about their Spotify link (a DM); resolves false when nothing was sent. */
  notify: (listener: Listener, text: string) => Promise<boolean>;
  tuning: { listeningFreshnessMs?: number; topTtlMs?: number };
}

/** The services of this process, backed by Spotify. A feature added to `Services` is a compile error here until built. */
export function createServices(deps: FeatureDeps) {
  return {
    listening: new ListeningFeature(deps),
    top: new TopFeature(deps),
    account: new AccountFeature(deps),
    recent: new RecentFeature(deps),
  } satisfies Services;
}

export type LocalServices = ReturnType<typeof createServices>;
