// The bot's parts, built once in src/index.ts (and by tests); no global singletons, no DI container.
// Spotify state is per listener (src/listeners/): the owner is the first, pinned in the registry.
import type { Config } from './config.js';
import { DEFAULT_DEFER_AFTER_MS } from './discord/respond.js';
import type { GrantHealth } from './features/account/grant-health.js';
import type { ListeningService } from './features/nowplaying/service.js';
import type { TopItemsService } from './features/top/service.js';
import { OWNER, type Listener } from './listeners/listener.js';
import { ListenerRegistry } from './listeners/registry.js';
import type { Logger } from './logger.js';
import { createOwnerNotifier, type OwnerNotifier } from './owner-notifier.js';
import { createServices, type CommandContext, type LocalServices } from './services.js';
import type { SpotifyClient } from './spotify/client.js';
import { TokenManager } from './spotify/tokens.js';
import type { Storage } from './storage.js';

export interface App {
  config: Config;
  logger: Logger;
  storage: Storage;
  tokens: TokenManager;
  listeners: ListenerRegistry;
  /** The feature services; commands reach them through `contextOf(app).services`. */
  services: LocalServices;
  now: () => number;
  /** Wait this long for data before deferring an interaction (Discord's deadline is 3 s). */
  deferAfterMs: number;
  /** The owner's Spotify client, listening state, top lists and grant health (the owner's scope is pinned). */
  readonly spotify: SpotifyClient;
  readonly listening: ListeningService;
  readonly top: TopItemsService;
  readonly health: GrantHealth;
  /** DM the bot owner (over REST, src/owner-notifier.ts; given to createApp). Resolves false if nothing was sent. */
  readonly notifyOwner: OwnerNotifier;
}

export interface AppTuning {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Spotify request timeout (ms). */
  spotifyTimeoutMs?: number;
  spotifyRetryDelaysMs?: readonly number[];
  listeningFreshnessMs?: number;
  topTtlMs?: number;
  deferAfterMs?: number;
  /** Listeners whose Spotify state is held in memory at once, the owner's included. */
  maxListeners?: number;
}

export function createApp(
  config: Config,
  logger: Logger,
  storage: Storage,
  tuning: AppTuning = {},
  notifyOwner: OwnerNotifier = createOwnerNotifier({ ...config.discord, logger: logger.child('discord') }),
): App {
  const now = tuning.now ?? Date.now;
  const common = {
    logger: logger.child('spotify'),
    now,
    ...(tuning.sleep ? { sleep: tuning.sleep } : {}),
    ...(tuning.spotifyTimeoutMs ? { timeoutMs: tuning.spotifyTimeoutMs } : {}),
    ...(tuning.spotifyRetryDelaysMs ? { retryDelaysMs: tuning.spotifyRetryDelaysMs } : {}),
  };
  const tokens = new TokenManager({
    ...common,
    accountsUrl: config.spotify.accountsUrl,
    clientId: config.spotify.clientId,
    clientSecret: config.spotify.clientSecret,
    storage,
  });
  const listeners = new ListenerRegistry({
    tokens,
    spotify: { ...common, apiUrl: config.spotify.apiUrl },
    logger: logger.child('listeners'),
    ...(tuning.maxListeners !== undefined ? { maxScopes: tuning.maxListeners } : {}),
  });
  tokens.setEnvRefreshToken(listeners.owner.account, config.spotify.refreshToken, config.spotify.refreshTokenGrantedAt);

  const services = createServices({
    config,
    logger,
    storage,
    now,
    tokens,
    listeners,
    // Only the owner can be reached today; a linked member's notices come with #8.
    notify: (listener: Listener, text: string) => (listener.kind === 'owner' ? app.notifyOwner(text) : Promise.resolve(false)),
    tuning: {
      ...(tuning.listeningFreshnessMs !== undefined ? { listeningFreshnessMs: tuning.listeningFreshnessMs } : {}),
      ...(tuning.topTtlMs !== undefined ? { topTtlMs: tuning.topTtlMs } : {}),
    },
  });

  const app: App = {
    config,
    logger,
    storage,
    tokens,
    listeners,
    services,
    now,
    deferAfterMs: tuning.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS,
    notifyOwner,
    get spotify() {
      return listeners.owner.spotify;
    },
    get listening() {
      return listeners.part(OWNER, services.listening.part);
    },
    get top() {
      return listeners.part(OWNER, services.top.part);
    },
    get health() {
      return services.account.health(OWNER);
    },
  };
  return app;
}

/** What command handlers receive in this process: the settings and the services, backed by this App. */
export function contextOf(app: App): CommandContext {
  return { config: app.config, logger: app.logger, now: app.now, deferAfterMs: app.deferAfterMs, services: app.services };
}
