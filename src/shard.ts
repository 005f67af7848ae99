// Entry point of one shard process under the sharding manager (SHARDS=N). It connects its shard to Discord and
// answers interactions; everything Spotify comes from the manager over IPC (see src/sharding/). A shard that can't
// connect tells the manager why (the manager decides between retrying and giving up) and exits 1.
import { commands } from '../commands/index.js';
import { startBot, type Bot } from './bot.js';
import { loadConfig, loadShardAssignment, readEnv } from './config.js';
import { classifyStartupError, connectTuning, hostOf } from './discord/connect.js';
import type { ListeningState } from './listening-state.js';
import { linkedMembersOver } from './listeners/members.js';
import { createMemberSources } from './listeners/resolve.js';
import { createLogger } from './logger.js';
import { Pictures } from './render/pictures.js';
import { StatusRecorder } from './history/recorders/status-recorder.js';
import { DEFAULT_DEFER_AFTER_MS } from './discord/respond.js';
import type { PollOutcome } from './presence/poller.js';
import { TAG, type StartupFailedReport } from './sharding/protocol.js';
import { createRemoteServices, processChannel } from './sharding/remote-services.js';

const SHUTDOWN_DEADLINE_MS = 3_000;

async function main(): Promise<void> {
  const env = readEnv();
  // The manager sets SHARDS to this process's shard ids; it is not the SHARDS=N setting here.
  const config = loadConfig({ ...env, SHARDS: undefined });
  const shard = loadShardAssignment(env);
  const tuning = connectTuning(config.discord);
  const logger = createLogger({
    level: config.logLevel,
    secrets: [config.discord.token, config.spotify.clientSecret, config.spotify.refreshToken ?? undefined],
  }).child(`shard${shard.ids.join(',')}`);
  const remote = createRemoteServices({ channel: processChannel() });

  let bot: Bot | null = null;
  let stopping = false;
  const shutdown = (why: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('shard stopping', { why });
    setTimeout(() => process.exit(0), SHUTDOWN_DEADLINE_MS).unref();
    void (bot?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
  };
  // The manager stops its shards with SIGTERM. Ctrl-C in a terminal reaches every process of the group, shards
  // included: the manager is stopping them anyway, so a shard leaves SIGINT to it (and a repeated signal must not
  // kill it mid-stop).
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => logger.debug('SIGINT ignored: the manager stops the shards'));
  // The manager went away (crashed or was killed): don't linger as an orphan.
  process.once('disconnect', () => shutdown('manager disconnected'));
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', { error: reason }));

  // Pushes can arrive as soon as the client is ready, before startBot returns: keep the latest until then.
  let latest: PollOutcome<ListeningState> | null = null;
  remote.onPresence((outcome) => {
    if (bot) bot.presence.apply(outcome);
    else latest = outcome;
  });

  const context = {
    config,
    logger,
    now: Date.now,
    deferAfterMs: DEFAULT_DEFER_AFTER_MS,
    services: remote.services,
    // Members' Discord status arrives at the shard holding their guild: kept and read here, never over RPC.
    // Linked members (#10) come from the manager's storage over the same RPC.
    members: { ...createMemberSources(config, Date.now, { logger: logger.child('membership') }), linked: linkedMembersOver(remote.services.members, config.discord.ownerId) },
    // Pictures are drawn in the shard that answers (only their data comes over RPC): one cover cache per shard process.
    pictures: new Pictures({ logger: logger.child('pictures'), imagesUrl: config.spotify.imagesUrl }),
    // Members' Discord-status plays arrive here with their presences; the manager's store keeps them.
    statusPlays:
      config.discordPresences && config.history.enabled
        ? new StatusRecorder({ history: remote.services.history, logger: logger.child('history'), now: Date.now })
        : null,
  };
  /** Tell the manager why this shard can't go on (it decides what happens next), then exit 1. */
  const reportAndExit = (raw: unknown): void => {
    const error = classifyStartupError(raw, hostOf(config.discord.apiUrl), tuning.timeoutMs / 1000);
    logger.info('shard could not connect; the manager decides what happens next', { kind: error.kind });
    const report: StartupFailedReport = { [TAG]: 'startup-failed', kind: error.kind, detail: error.detail };
    if (process.send) process.send(report, () => process.exit(1));
    else process.exit(1);
  };
  try {
    bot = await startBot(context, { commands, syncCommands: false, poller: null, connect: tuning, shard });
  } catch (raw) {
    reportAndExit(raw);
    return;
  }
  // Discord can also close for good later (the token was reset): the same report.
  void bot.failed.then((error) => {
    if (!stopping) reportAndExit(error);
  });
  if (latest) bot.presence.apply(latest);
}

void main().catch((error: unknown) => {
  process.stderr.write(`shard failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
