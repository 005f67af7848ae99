// Sharded mode (SHARDS=N or auto): one process per shard, and this process — the manager — the only one that talks
// to Spotify. It composes single-purpose parts:
//   the Discord pre-flight (token check; SHARDS=auto asks /gateway/bot through DISCORD_API_URL for the count),
//   the RPC server (shards call the services over IPC; src/sharding/rpc.ts),
//   the presence Poller (one Spotify read per tick, pushed to every shard),
//   the ShardSupervisor (spawn, backoff, fatal causes),
//   and command sync + the grant's health checks (DMs through the owner notifier the App was built with).
import { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ShardingManager, type Shard } from 'discord.js';
import { contextOf, type App } from '../app.js';
import { commandScope } from '../bot.js';
import type { SlashCommand } from '../discord/command.js';
import { createRest, syncCommandsAndLog } from '../discord/command-sync.js';
import {
  DEFAULT_CONNECT_TUNING,
  fetchGatewayBot,
  hostOf,
  StartupError,
  withStartupRetries,
  type ConnectTuning,
} from '../discord/connect.js';
import type { ListeningState } from '../listening-state.js';
import { OWNER } from '../listeners/listener.js';
import { LEAN_NODE_FLAGS } from '../node-flags.js';
import { Poller, type PollBackoff, type PollOutcome } from '../presence/poller.js';
import { serializeError, TAG, type PresencePush } from './protocol.js';
import { createRpcServer } from './rpc.js';
import { ShardSupervisor } from './supervisor.js';

export interface ShardedBotOptions {
  totalShards: number | 'auto';
  commands: readonly SlashCommand[];
  /** Pause between shard spawns; Discord allows one IDENTIFY per 5 s per bucket. */
  spawnDelayMs?: number;
  /** The shard entry point and node flags; defaults to src/shard next to this build (tsx when run from .ts). */
  shardFile?: string;
  execArgv?: string[];
  connect?: ConnectTuning;
  presenceBackoff?: PollBackoff;
  /**
   * Each line a shard process prints (its log); default: straight to this process's stdout and stderr, as under
   * npm start, systemd and Docker. The tests collect it here instead of letting it through to the test runner.
   */
  shardOutput?: (line: string, shard: number) => void;
}

export interface ShardedBot {
  manager: ShardingManager;
  shardCount: number;
  /** Resolves once every shard is spawned and ready; rejects with a StartupError when that can't happen. */
  ready: Promise<void>;
  /** Resolves with the cause if the shards can't be kept running (at start or later); never rejects. */
  failed: Promise<StartupError>;
  /** One presence poll now, pushed to every shard. */
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

/** A shard's stdout and stderr, line by line (only when spawned silent: its output is piped to us). */
function forwardOutput(child: ChildProcess, shard: number, sink: (line: string, shard: number) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => sink(line, shard));
  }
}

function pushOf(outcome: PollOutcome<ListeningState>): PresencePush {
  return {
    [TAG]: 'presence',
    outcome: outcome.ok ? { ok: true, value: outcome.value } : { ok: false, error: serializeError(outcome.error) },
  };
}

/** Connects nothing itself: checks the token (and resolves SHARDS=auto) first, so a refused token ends here. */
export async function startShardedBot(app: App, options: ShardedBotOptions): Promise<ShardedBot> {
  const { config } = app;
  const logger = app.logger.child('manager');
  const tuning = options.connect ?? DEFAULT_CONNECT_TUNING;
  const host = hostOf(config.discord.apiUrl);

  logger.info('connecting to Discord…', { api: host });
  const gateway = await withStartupRetries(() => fetchGatewayBot(config.discord.apiUrl, config.discord.token, tuning.timeoutMs), {
    tuning,
    logger,
    host,
  });
  const shardCount = options.totalShards === 'auto' ? gateway.shards : options.totalShards;
  if (options.totalShards === 'auto') logger.info('Discord recommends shards', { shards: shardCount });

  const entry = defaultShardEntry();
  const manager = new ShardingManager(options.shardFile ?? entry.file, {
    totalShards: shardCount,
    token: config.discord.token,
    mode: 'process',
    respawn: false,
    execArgv: options.execArgv ?? entry.execArgv,
    silent: options.shardOutput !== undefined,
  });

  const send = (shard: Shard, message: unknown): void => {
    if (!shard.process) return;
    shard.send(message).catch((error: unknown) => logger.debug('could not reach a shard', { shard: shard.id, error }));
  };

  const poller = new Poller<ListeningState>({
    read: () => app.services.listening.current(OWNER),
    deliver: (outcome) => {
      for (const shard of manager.shards.values()) send(shard, pushOf(outcome));
    },
    cron: config.presenceCron,
    logger: app.logger.child('presence'),
    ...(options.presenceBackoff ? { backoff: options.presenceBackoff } : {}),
  });

  const rpc = createRpcServer(contextOf(app).services);
  manager.on('shardCreate', (shard) => {
    shard.on('spawn', (child) => {
      if (options.shardOutput && child instanceof ChildProcess) forwardOutput(child, shard.id, options.shardOutput);
      logger.info('shard spawned', { shard: shard.id });
    });
    shard.on('message', (message: unknown) => {
      rpc.handle(message, (result) => send(shard, result));
    });
    // A (re)started shard shows the current presence as soon as it is ready.
    shard.on('ready', () => {
      const last = poller.last;
      if (last) send(shard, pushOf(last));
    });
  });

  // Commands are registered once, here, not by every shard.
  const sync = syncCommandsAndLog(
    {
      rest: createRest(config.discord.apiUrl, config.discord.token),
      applicationId: config.discord.clientId,
      scope: commandScope(config.discord.guildId),
      definitions: options.commands.map((c) => c.data),
    },
    logger,
  );
  app.health.start();
  app.historyJobs.start();

  const supervisor = new ShardSupervisor({
    manager,
    shardCount,
    spawnDelayMs: options.spawnDelayMs ?? 5_500,
    tuning,
    logger,
    host,
  });
  const ready = supervisor.ready.then(async () => {
    await sync;
    logger.info('all shards ready', { shards: shardCount });
    poller.start();
    if (config.presenceCron) await poller.tick();
  });
  ready.catch(() => undefined); // the cause also arrives through `failed`

  return {
    manager,
    shardCount,
    ready,
    failed: supervisor.failed,
    poll: () => poller.tick(),
    async stop(): Promise<void> {
      await poller.stop();
      app.health.stop();
      app.historyJobs.stop();
      await supervisor.stop();
    },
  };
}
