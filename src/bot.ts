// The running bot in one process: Discord client + command dispatch + command sync on ready + presence.
// `startBot` needs only a CommandContext (so a shard can run it with RPC-backed services, its presence pushed in by
// the manager); `startAppBot` is the single-process bot that also polls Spotify and watches the grant's health.
import { Events, type Client } from 'discord.js';
import { contextOf, type App } from './app.js';
import type { ShardAssignment } from './config.js';
import type { SlashCommand } from './discord/command.js';
import { attachDispatcher, createDiscordClient } from './discord/client.js';
import { syncCommandsAndLog, type CommandScope } from './discord/command-sync.js';
import { closeCodeFailure, DEFAULT_CONNECT_TUNING, hostOf, loginUntilReady, type ConnectTuning, type StartupError } from './discord/connect.js';
import { PresenceJob } from './discord/presence.js';
import { Announcer } from './features/announce/announcer.js';
import { Recapper } from './features/recap/recapper.js';
import { attachStatusFeed } from './listeners/discord-status-feed.js';
import type { ListeningState } from './listening-state.js';
import { OWNER } from './listeners/listener.js';
import { Poller, type PollBackoff } from './presence/poller.js';
import type { CommandContext } from './service-types.js';

export interface Bot {
  client: Client;
  presence: PresenceJob;
  /** Posts the owner's new tracks to the servers' now-playing channels (/announce). */
  announcer: Announcer;
  /** Posts each server's weekly recap (/recap) for the guilds this client holds; null when HISTORY=off. */
  recap: Recapper | null;
  /** Resolves once the commands are in sync (the client is ready when startBot resolves). */
  ready: Promise<void>;
  /**
   * Resolves if Discord later closes the gateway for good (token reset: 4004, intents revoked: 4014, …): discord.js
   * does not reconnect then, so the process should end and say why. Never rejects.
   */
  failed: Promise<StartupError>;
  stop(): Promise<void>;
}

export interface StartBotOptions {
  commands: readonly SlashCommand[];
  /** Check and register commands when ready (default true). */
  syncCommands?: boolean;
  /** Where the presence comes from in this process; null when it is pushed in (a shard). */
  poller?: Poller<ListeningState> | null;
  /** Connection deadline (the retries are the caller's: see withStartupRetries). */
  connect?: ConnectTuning;
  /** Runs once the client is ready, before commands are synced. */
  onReady?: (client: Client<true>) => void;
  /** In a shard process: its shards, from the ShardingManager (default: shard 0 of 1). */
  shard?: ShardAssignment;
}

export function commandScope(guildId: string | null): CommandScope {
  return guildId ? { kind: 'guild', guildId } : { kind: 'global' };
}

/**
 * Connect one client and wait until it is ready. Throws a StartupError (with the client destroyed) when Discord
 * refuses or can't be reached within the connect timeout.
 */
export async function startBot(context: CommandContext, options: StartBotOptions): Promise<Bot> {
  const { config } = context;
  const logger = context.logger.child('discord');
  const client = createDiscordClient(config.discord.apiUrl, {
    presences: config.discordPresences,
    ...(options.shard ? { shard: options.shard } : {}),
  });
  attachDispatcher(client, options.commands, context);
  const recorder = context.statusPlays;
  const detachStatuses = config.discordPresences
    ? attachStatusFeed(client, context.members.statuses, recorder ?? undefined)
    : null;
  // Membership is asked through this client (the guild's shard); a member found gone leaves every server view.
  const { membership, statuses } = context.members;
  const detachMembership = membership.attach(client);
  const stopPruning = membership.onLeft((guildId, userId) => {
    statuses.remove(guildId, userId);
    void context.services.members
      .leftGuild(userId, guildId)
      .catch((error: unknown) => logger.warn('could not forget a server a linked member left', { error }));
  });
  client.on(Events.Error, (error) => logger.error('discord client error', { error }));
  client.on(Events.Warn, (message) => logger.warn(message));
  client.on(Events.ShardDisconnect, (event, shardId) => logger.warn('gateway disconnected', { shardId, closeCode: event.code }));
  const failed = new Promise<StartupError>((resolve) => {
    client.on(Events.ShardDisconnect, (event) => {
      const fatal = closeCodeFailure(event.code, hostOf(config.discord.apiUrl));
      if (fatal) resolve(fatal);
    });
  });
  client.on(Events.ShardResume, (shardId) => logger.info('gateway session resumed', { shardId }));

  const poller = options.poller ?? null;
  const presence = new PresenceJob({ client, poller, logger: context.logger.child('presence') });
  const announcer = new Announcer({
    client,
    services: context.services,
    ownerId: config.discord.ownerId,
    logger: context.logger.child('announce'),
    now: context.now,
    botLocale: config.botLocale,
  });
  presence.follow((outcome) => announcer.onOutcome(outcome));
  const recap = config.history.enabled
    ? new Recapper({
        client,
        services: context.services,
        membership,
        pictures: context.pictures,
        cron: config.recapCron,
        ownerId: config.discord.ownerId,
        logger: context.logger.child('recap'),
        botLocale: config.botLocale,
        now: context.now,
      })
    : null;

  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });
  client.once(Events.ClientReady, (readyClient) => {
    logger.info('connected to Discord', { user: readyClient.user.tag, guilds: readyClient.guilds.cache.size });
    options.onReady?.(readyClient);
    const sync =
      options.syncCommands === false
        ? Promise.resolve()
        : syncCommandsAndLog(
            {
              rest: client.rest,
              applicationId: config.discord.clientId,
              scope: commandScope(config.discord.guildId),
              definitions: options.commands.map((c) => c.data),
            },
            logger,
          );
    presence.start();
    // Checked once now (a week missed while the bot was down is posted), then at RECAP_CRON's firings.
    recap?.start();
    if (poller && config.presenceCron) void poller.tick();
    void sync.then(resolveReady);
  });

  // Who records their Discord status is known before the first presences (GUILD_CREATE) arrive.
  await recorder?.start();
  const tuning = options.connect ?? DEFAULT_CONNECT_TUNING;
  logger.info('connecting to Discord…', { api: hostOf(config.discord.apiUrl) });
  await loginUntilReady(client, config.discord.token, { apiUrl: config.discord.apiUrl, timeoutMs: tuning.timeoutMs });

  return {
    client,
    presence,
    announcer,
    recap,
    ready,
    failed,
    async stop(): Promise<void> {
      await presence.stop();
      await announcer.stop();
      await recap?.stop();
      detachStatuses?.();
      // What members already listened to enough of is written before the store closes.
      await recorder?.stop().catch((error: unknown) => logger.warn('history: could not write the last Discord-status plays', { error }));
      stopPruning();
      detachMembership();
      await client.destroy();
    },
  };
}

/** The whole bot in this process: Discord + Spotify + the presence poll + grant health. */
export async function startAppBot(
  app: App,
  options: Omit<StartBotOptions, 'onReady' | 'poller'> & { presenceBackoff?: PollBackoff },
): Promise<Bot> {
  const poller = new Poller<ListeningState>({
    read: () => app.services.listening.current(OWNER),
    cron: app.config.presenceCron,
    logger: app.logger.child('presence'),
    ...(options.presenceBackoff ? { backoff: options.presenceBackoff } : {}),
  });
  const bot = await startBot(contextOf(app), {
    ...options,
    poller,
    onReady: () => {
      app.health.start();
      app.historyJobs.start();
    },
  });
  return {
    ...bot,
    async stop(): Promise<void> {
      app.health.stop();
      app.historyJobs.stop();
      await bot.stop();
    },
  };
}
