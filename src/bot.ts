// The running bot: Discord client + command dispatch + command sync on ready + presence job.
// `startBot` needs only BotServices (so a shard can run it with IPC-backed services); `startAppBot` is the
// single-process bot that also owns the Spotify grant's health checks and DMs the owner through its client.
import { Events, type Client } from 'discord.js';
import { contextOf, type App } from './app.js';
import { OWNER } from './listeners/listener.js';
import type { SlashCommand } from './discord/command.js';
import { attachDispatcher, createDiscordClient } from './discord/client.js';
import { syncCommandsAndLog, type CommandScope } from './discord/command-sync.js';
import { PresenceJob } from './discord/presence.js';
import type { CommandContext } from './services.js';

export interface Bot {
  client: Client;
  presence: PresenceJob;
  /** Resolves once the client is ready and the commands are in sync. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export interface StartBotOptions {
  commands: readonly SlashCommand[];
  /** Check and register commands when ready (default true). */
  syncCommands?: boolean;
  /** Poll on PRESENCE_CRON (default true); false when the state is pushed in with `presence.apply`. */
  pollPresence?: boolean;
  shards?: number[];
  shardCount?: number;
  /** Runs once the client is ready, before commands are synced. */
  onReady?: (client: Client<true>) => void;
}

export function commandScope(guildId: string | null): CommandScope {
  return guildId ? { kind: 'guild', guildId } : { kind: 'global' };
}

export async function startBot(services: CommandContext, options: StartBotOptions): Promise<Bot> {
  const { config } = services;
  const logger = services.logger.child('discord');
  const client = createDiscordClient(config.discord.apiUrl, {
    ...(options.shards ? { shards: options.shards } : {}),
    ...(options.shardCount ? { shardCount: options.shardCount } : {}),
  });
  attachDispatcher(client, options.commands, services);
  client.on(Events.Error, (error) => logger.error('discord client error', { error }));
  client.on(Events.Warn, (message) => logger.warn(message));
  client.on(Events.ShardDisconnect, (event, shardId) => logger.warn('gateway disconnected', { shardId, code: event.code }));
  client.on(Events.ShardResume, (shardId) => logger.info('gateway session resumed', { shardId }));

  const polling = options.pollPresence !== false;
  const presence = new PresenceJob({
    client,
    read: () => services.services.listening.current(OWNER),
    cron: polling ? config.presenceCron : null,
    logger: services.logger.child('presence'),
  });

  const ready = new Promise<void>((resolve) => {
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
      if (polling && config.presenceCron) void presence.tick();
      void sync.then(resolve);
    });
  });

  await client.login(config.discord.token);

  return {
    client,
    presence,
    ready,
    async stop(): Promise<void> {
      await presence.stop();
      await client.destroy();
    },
  };
}

/** DM the owner through a connected client; false when no owner is set or Discord refused. */
export function ownerNotifier(client: Client<true>, ownerId: string | null, logger: App['logger']) {
  return async (text: string): Promise<boolean> => {
    if (!ownerId) return false;
    try {
      await client.users.send(ownerId, { content: text });
      return true;
    } catch (error) {
      logger.warn('could not DM the bot owner', { error });
      return false;
    }
  };
}

/** The whole bot in this process: Discord + Spotify + grant health. */
export async function startAppBot(app: App, options: Omit<StartBotOptions, 'onReady'>): Promise<Bot> {
  const bot = await startBot(contextOf(app), {
    ...options,
    onReady: (client) => {
      app.notifyOwner = ownerNotifier(client, app.config.discord.ownerId, app.logger.child('discord'));
      app.health.start();
    },
  });
  return {
    ...bot,
    async stop(): Promise<void> {
      app.health.stop();
      await bot.stop();
    },
  };
}
