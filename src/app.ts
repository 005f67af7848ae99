// The bot's parts, built once in src/index.ts (and by tests); no global singletons, no DI container.
// Spotify state is per listener (src/listeners/): the owner is the first, pinned in the registry.
import type { Config } from './config.js';
import { DEFAULT_DEFER_AFTER_MS } from './discord/respond.js';
import { CallbackServer } from './features/account/callback-server.js';
import type { GrantHealth } from './features/account/grant-health.js';
import { createMemberNotifier } from './features/account/member-notifier.js';
import type { ListeningService } from './features/nowplaying/service.js';
import type { TopItemsService } from './features/top/service.js';
import { OWNER, type Listener } from './listeners/listener.js';
import { linkedMembersOver } from './listeners/members.js';
import { ListenerRegistry } from './listeners/registry.js';
import { createMemberSources, type MemberSources } from './listeners/resolve.js';
import type { Logger } from './logger.js';
import { Pictures, type PicturesOptions } from './render/pictures.js';
import { createOwnerNotifier, type OwnerNotifier } from './owner-notifier.js';
import type { NoticeText } from './i18n/notice.js';
import type { CommandContext } from './service-types.js';
import { createServices, type LocalServices } from './services.js';
import type { SpotifyClient } from './spotify/client.js';
import { RateGate } from './spotify/rate-gate.js';
import { TokenManager } from './spotify/tokens.js';
import type { Storage } from './storage.js';
import type { HistoryStore } from './history/store.js';
import { HistoryJobs } from './history/jobs.js';
import { StatusRecorder } from './history/recorders/status-recorder.js';

export interface App {
  config: Config;
  logger: Logger;
  storage: Storage;
  tokens: TokenManager;
  listeners: ListenerRegistry;
  /** The feature services; commands reach them through `contextOf(app).services`. */
  services: LocalServices;
  /** Members' Discord status (DISCORD_PRESENCES) and linked members, for the bot in this process. */
  members: MemberSources;
  /** Cards and charts, with the process's one cover-art cache (canvas loads on the first picture). */
  pictures: Pictures;
  now: () => number;
  /** Wait this long for data before deferring an interaction (Discord's deadline is 3 s). */
  deferAfterMs: number;
  /** The owner's Spotify client, listening state, top lists and grant health (the owner's scope is pinned). */
  readonly spotify: SpotifyClient;
  readonly listening: ListeningService;
  readonly top: TopItemsService;
  /** The owner's grant health; `start`/`stop` also run the linked members' daily expiry checks. */
  readonly health: Pick<GrantHealth, 'start' | 'stop' | 'check' | 'status'>;
  /** The app-wide Spotify rate gate (every account's client shares it). */
  readonly gate: RateGate;
  /** Serves Spotify's redirect when SPOTIFY_REDIRECT_URI is https (not listening until `start()`); null otherwise. */
  readonly callbackServer: CallbackServer | null;
  /** DM the bot owner (over REST, src/owner-notifier.ts; given to createApp). Resolves false if nothing was sent. */
  readonly notifyOwner: OwnerNotifier;
  /** Listening history's store (null when HISTORY=off) and its jobs: recently-played sync, retention. */
  readonly history: HistoryStore | null;
  readonly historyJobs: HistoryJobs;
  /** Members' Discord-status plays seen by this process's client (DISCORD_PRESENCES=on, history on), else null. */
  readonly statusPlays: StatusRecorder | null;
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
  /** Spotify requests a linked member may send per 30 s (the owner is exempt); default 20. */
  memberRequestBudget?: number;
  /** How old a server-membership answer may be (default 60 s), and how long to wait for Discord's (default 2 s). */
  membershipTtlMs?: number;
  memberLookupTimeoutMs?: number;
  /** Picture settings (deadline, cover-art limits, drawers); the logger and SPOTIFY_IMAGES_URL come from the app. */
  pictures?: Omit<PicturesOptions, 'logger' | 'imagesUrl'>;
}

export function createApp(
  config: Config,
  logger: Logger,
  storage: Storage,
  tuning: AppTuning = {},
  notifyOwner: OwnerNotifier = createOwnerNotifier({ ...config.discord, logger: logger.child('discord'), locale: config.botLocale }),
  history: HistoryStore | null = null,
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
  // One gate for every account: Spotify's rate limit and quota are the app's (src/spotify/rate-gate.ts).
  const gate = new RateGate({ now, ...(tuning.memberRequestBudget !== undefined ? { memberBudget: tuning.memberRequestBudget } : {}) });
  const notifyMember = createMemberNotifier({ apiUrl: config.discord.apiUrl, token: config.discord.token, logger: logger.child('discord'), locale: config.botLocale });
  const listeners = new ListenerRegistry({
    tokens,
    spotify: { ...common, apiUrl: config.spotify.apiUrl, gate },
    logger: logger.child('listeners'),
    ...(tuning.maxListeners !== undefined ? { maxScopes: tuning.maxListeners } : {}),
  });
  tokens.setEnvRefreshToken(listeners.owner.account, config.spotify.refreshToken, config.spotify.refreshTokenGrantedAt);

  const services = createServices({
    config,
    logger,
    storage,
    history,
    now,
    tokens,
    listeners,
    // The owner through the owner notifier; a linked member by DM (false when their DMs are closed to the bot).
    notify: (listener: Listener, text: NoticeText) =>
      listener.kind === 'owner'
        ? app.notifyOwner(text)
        : listener.kind === 'linked'
          ? notifyMember(listener.userId, text)
          : Promise.resolve(false),
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
    // Discord status from #11's sources; linked members from storage (through the services, as a shard does).
    members: {
      ...createMemberSources(config, now, {
        logger: logger.child('membership'),
        ...(tuning.membershipTtlMs !== undefined ? { ttlMs: tuning.membershipTtlMs } : {}),
        ...(tuning.memberLookupTimeoutMs !== undefined ? { lookupTimeoutMs: tuning.memberLookupTimeoutMs } : {}),
      }),
      linked: linkedMembersOver(services.members, config.discord.ownerId),
    },
    gate,
    pictures: new Pictures({ ...tuning.pictures, logger: logger.child('pictures'), imagesUrl: config.spotify.imagesUrl }),
    callbackServer: config.spotify.callbackServer
      ? new CallbackServer({ ...config.spotify.callbackServer, account: services.account, logger: logger.child('callback') })
      : null,
    now,
    deferAfterMs: tuning.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS,
    notifyOwner,
    history,
    statusPlays:
      config.discordPresences && history !== null
        ? new StatusRecorder({ history: services.history, logger: logger.child('history'), now })
        : null,
    historyJobs: new HistoryJobs({
      store: history,
      config,
      logger: logger.child('history'),
      now,
      accounts: () => services.history.recordedAccounts(),
      spotify: (listener) => listeners.scope(listener).spotify,
    }),
    get spotify() {
      return listeners.owner.spotify;
    },
    get listening() {
      return listeners.part(OWNER, services.listening.part);
    },
    get top() {
      return listeners.part(OWNER, services.top.part);
    },
    health: {
      start: () => {
        services.account.health(OWNER).start();
        services.members.startReminders();
      },
      stop: () => {
        services.account.health(OWNER).stop();
        services.members.stopReminders();
      },
      check: () => services.account.health(OWNER).check(),
      status: () => services.account.health(OWNER).status(),
    },
  };
  return app;
}

/** What command handlers receive in this process: the settings and the services, backed by this App. */
export function contextOf(app: App): CommandContext {
  return {
    config: app.config,
    logger: app.logger,
    now: app.now,
    deferAfterMs: app.deferAfterMs,
    services: app.services,
    members: app.members,
    pictures: app.pictures,
    statusPlays: app.statusPlays,
  };
}
