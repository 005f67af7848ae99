// Sharded mode (SHARDS=N or auto): discord.js's ShardingManager runs one process per shard; this process — the
// manager — is the only one that talks to Spotify. It polls the listening state on PRESENCE_CRON and pushes it to
// every shard (each sets its own presence), answers the shards' Spotify calls over IPC (so concurrent commands on
// all shards share one request and one token refresh), registers the commands, and watches the grant's health.
import { fileURLToPath } from 'node:url';
import { Routes, ShardingManager, type Shard } from 'discord.js';
import { schedule, type ScheduledTask } from 'node-cron';
import { servicesOf, type App } from '../app.js';
import { LEAN_NODE_FLAGS } from '../node-flags.js';
import type { SlashCommand } from '../discord/command.js';
import { createRest, syncCommandsAndLog } from '../discord/command-sync.js';
import { commandScope } from '../bot.js';
import type { BotServices } from '../services.js';
import type { TimeRange } from '../spotify/types.js';
import { isOurs, serializeError, TAG, type ManagerToShard, type ShardToManager } from './protocol.js';

export interface ShardedBotOptions {
  totalShards: number | 'auto';
  commands: readonly SlashCommand[];
  /** Pause between shard spawns; Discord allows one IDENTIFY per 5 s per bucket. */
  spawnDelayMs?: number;
  /** The shard entry point and node flags; defaults to src/shard next to this build (tsx when run from .ts). */
  shardFile?: string;
  execArgv?: string[];
}

export interface ShardedBot {
  manager: ShardingManager;
  /** Resolves once every shard is spawned and ready. */
  ready: Promise<void>;
  /** One presence poll, pushed to every shard. */
  poll(): Promise<void>;
  stop(): Promise<void>;
}

function defaultShardEntry(): { file: string; execArgv: string[] } {
  const self = fileURLToPath(import.meta.url);
  const fromSource = self.endsWith('.ts');
  return {
    file: fileURLToPath(new URL(fromSource ? '../shard.ts' : '../shard.js', import.meta.url)),
    execArgv: fromSource ? ['--import', 'tsx'] : [...LEAN_NODE_FLAGS],
  };
}

async function answer(services: BotServices, message: ShardToManager): Promise<unknown> {
  const [a = '', b = ''] = message.args;
  switch (message.op) {
    case 'listening.current':
      return services.listening.current();
    case 'top.tracks':
      return services.top.tracks(a as TimeRange);
    case 'top.artists':
      return services.top.artists(a as TimeRange);
    case 'account.status':
      return services.account.status();
    case 'account.beginLogin':
      return services.account.beginLogin(a);
    case 'account.finishLogin':
      return services.account.finishLogin(a, b);
  }
}

export async function startShardedBot(app: App, options: ShardedBotOptions): Promise<ShardedBot> {
  const { config } = app;
  const logger = app.logger.child('manager');
  const services = servicesOf(app);
  const entry = defaultShardEntry();
  const manager = new ShardingManager(options.shardFile ?? entry.file, {
    totalShards: options.totalShards,
    token: config.discord.token,
    mode: 'process',
    respawn: true,
    execArgv: options.execArgv ?? entry.execArgv,
  });

  const send = (shard: Shard, message: ManagerToShard): void => {
    shard.send(message).catch((error: unknown) => logger.debug('could not reach a shard', { shard: shard.id, error }));
  };
  const broadcast = (message: ManagerToShard): void => {
    for (const shard of manager.shards.values()) send(shard, message);
  };

  let last: ManagerToShard | null = null;
  manager.on('shardCreate', (shard) => {
    logger.info('shard spawned', { shard: shard.id });
    shard.on('message', (message: unknown) => {
      if (!isOurs<ShardToManager>(message) || message[TAG] !== 'request') return;
      answer(services, message).then(
        (value) => send(shard, { [TAG]: 'response', id: message.id, ok: true, value }),
        (error: unknown) => send(shard, { [TAG]: 'response', id: message.id, ok: false, error: serializeError(error) }),
      );
    });
    // A (re)spawned shard shows the current presence as soon as it is ready.
    shard.on('ready', () => {
      if (last) send(shard, last);
    });
  });

  // Commands are registered once, here, not by every shard.
  const rest = createRest(config.discord.apiUrl, config.discord.token);
  const sync = syncCommandsAndLog(
    {
      rest,
      applicationId: config.discord.clientId,
      scope: commandScope(config.discord.guildId),
      definitions: options.commands.map((c) => c.data),
    },
    logger,
  );

  // The owner's DMs go through REST: the manager has no gateway connection of its own.
  app.notifyOwner = async (text) => {
    const ownerId = config.discord.ownerId;
    if (!ownerId) return false;
    try {
      const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: ownerId } })) as { id: string };
      await rest.post(Routes.channelMessages(channel.id), { body: { content: text } });
      return true;
    } catch (error) {
      logger.warn('could not DM the bot owner', { error });
      return false;
    }
  };
  app.health.start();

  let running: Promise<void> | null = null;
  const poll = (): Promise<void> => {
    running ??= app.listening
      .current()
      .then(
        (state) => {
          last = { [TAG]: 'listening', state };
        },
        (error: unknown) => {
          last = { [TAG]: 'listening-error', error: serializeError(error) };
        },
      )
      .then(() => {
        if (last) broadcast(last);
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  let task: ScheduledTask | null = null;
  if (config.presenceCron) task = schedule(config.presenceCron, () => poll(), { name: 'presence-poll', noOverlap: true });

  const ready = manager
    .spawn({ delay: options.spawnDelayMs ?? 5_500, timeout: 60_000 })
    .then(async () => {
      await sync;
      logger.info('all shards ready', { shards: manager.shards.size });
      if (config.presenceCron) await poll();
    });
  ready.catch((error: unknown) => logger.error('shards failed to start', { error }));

  return {
    manager,
    ready,
    poll,
    async stop(): Promise<void> {
      if (task) await task.destroy();
      app.health.stop();
      await running;
      await Promise.all(
        [...manager.shards.values()].map(async (shard) => {
          const child = shard.process;
          if (!child || child.exitCode !== null) return;
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          shard.kill(); // SIGTERM; the shard shuts down cleanly. kill() also stops the respawn.
          const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
          await exited;
          clearTimeout(timer);
        }),
      );
    },
  };
}
