// The running bot: Discord client + command dispatch + command sync on ready + presence job.
import { Events, type Client } from 'discord.js';
import type { App } from './app.js';
import type { SlashCommand } from './discord/command.js';
import { attachDispatcher, createDiscordClient } from './discord/client.js';
import { syncCommands, type CommandScope } from './discord/command-sync.js';
import { PresenceJob } from './discord/presence.js';

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
  shards?: number[];
  shardCount?: number;
}

export function commandScope(app: App): CommandScope {
  const guildId = app.config.discord.guildId;
  return guildId ? { kind: 'guild', guildId } : { kind: 'global' };
}

export async function startBot(app: App, options: StartBotOptions): Promise<Bot> {
  const logger = app.logger.child('discord');
  const client = createDiscordClient(app.config.discord.apiUrl, {
    ...(options.shards ? { shards: options.shards } : {}),
    ...(options.shardCount ? { shardCount: options.shardCount } : {}),
  });
  attachDispatcher(client, options.commands, app);
  client.on(Events.Error, (error) => logger.error('discord client error', { error }));
  client.on(Events.Warn, (message) => logger.warn(message));
  client.on(Events.ShardDisconnect, (event, shardId) => logger.warn('gateway disconnected', { shardId, code: event.code }));
  client.on(Events.ShardResume, (shardId) => logger.info('gateway session resumed', { shardId }));

  const presence = new PresenceJob({
    client,
    read: () => app.listening.current(),
    cron: app.config.presenceCron,
    logger: app.logger.child('presence'),
  });

  const ready = new Promise<void>((resolve) => {
    client.once(Events.ClientReady, (readyClient) => {
      logger.info('connected to Discord', { user: readyClient.user.tag, guilds: readyClient.guilds.cache.size });
      const sync =
        options.syncCommands === false
          ? Promise.resolve()
          : syncCommands({
              rest: client.rest,
              applicationId: app.config.discord.clientId,
              scope: commandScope(app),
              definitions: options.commands.map((c) => c.data),
            }).then(
              (result) =>
                logger.info(result.changed ? 'registered slash commands' : 'slash commands already up to date', {
                  scope: result.scope.kind,
                  count: result.count,
                }),
              (error: unknown) => logger.error('could not register slash commands', { error }),
            );
      app.notifyOwner = async (text) => {
        const ownerId = app.config.discord.ownerId;
        if (!ownerId) return false;
        try {
          await readyClient.users.send(ownerId, { content: text });
          return true;
        } catch (error) {
          logger.warn('could not DM the bot owner', { error });
          return false;
        }
      };
      app.health.start();
      presence.start();
      if (app.config.presenceCron) void presence.tick();
      void sync.then(resolve);
    });
  });

  await client.login(app.config.discord.token);

  return {
    client,
    presence,
    ready,
    async stop(): Promise<void> {
      app.health.stop();
      await presence.stop();
      await client.destroy();
    },
  };
}
