// The one object handlers receive: config, storage, the owner's Spotify client and the services built on it.
// Built once in src/index.ts (and by tests); no global singletons.
import { AccountService } from './account.js';
import type { Config } from './config.js';
import { GrantHealth } from './grant-health.js';
import { ListeningService } from './listening.js';
import type { Logger } from './logger.js';
import { SpotifyClient } from './spotify/client.js';
import { TokenManager } from './spotify/tokens.js';
import type { Storage } from './storage.js';
import { TopItemsService } from './top-items.js';
import type { BotServices } from './services.js';

/** The account key of the bot owner's Spotify grant. */
export const OWNER_ACCOUNT = 'owner';

export interface App {
  config: Config;
  logger: Logger;
  storage: Storage;
  tokens: TokenManager;
  spotify: SpotifyClient;
  listening: ListeningService;
  top: TopItemsService;
  now: () => number;
  /** Wait this long for data before deferring an interaction (Discord's deadline is 3 s). */
  deferAfterMs: number;
  /** Expiry warnings and dead-grant notices for the owner's Spotify grant. */
  health: GrantHealth;
  /** DM the bot owner; the Discord bot installs the real one when it connects. Resolves false if nothing was sent. */
  notifyOwner: (text: string) => Promise<boolean>;
  account: AccountService;
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
}

export function createApp(config: Config, logger: Logger, storage: Storage, tuning: AppTuning = {}): App {
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
  tokens.setEnvRefreshToken(OWNER_ACCOUNT, config.spotify.refreshToken, config.spotify.refreshTokenGrantedAt);
  const spotify = new SpotifyClient({ ...common, apiUrl: config.spotify.apiUrl, tokens, account: OWNER_ACCOUNT });
  const listening = new ListeningService({
    spotify,
    now,
    ...(tuning.listeningFreshnessMs !== undefined ? { freshnessMs: tuning.listeningFreshnessMs } : {}),
  });
  const top = new TopItemsService({
    spotify,
    storage,
    now,
    ...(tuning.topTtlMs !== undefined ? { ttlMs: tuning.topTtlMs } : {}),
  });
  const health = new GrantHealth({
    tokens,
    storage,
    logger: logger.child('spotify'),
    account: OWNER_ACCOUNT,
    notifyOwner: (text) => app.notifyOwner(text),
    now,
  });
  const app: App = {
    config,
    logger,
    storage,
    tokens,
    spotify,
    listening,
    top,
    now,
    deferAfterMs: tuning.deferAfterMs ?? 1_500,
    notifyOwner: async () => false,
    health,
    account: new AccountService({
      account: OWNER_ACCOUNT,
      spotifyApp: config.spotify,
      tokens,
      spotify,
      health,
      storage,
      logger: logger.child('spotify'),
      now,
    }),
  };
  return app;
}

/** The services commands and presence use, backed by this process's App. */
export function servicesOf(app: App): BotServices {
  return {
    config: app.config,
    logger: app.logger,
    now: app.now,
    deferAfterMs: app.deferAfterMs,
    listening: app.listening,
    top: app.top,
    account: app.account,
  };
}
