// Entry point of one shard process under the ShardingManager (SHARDS=N). It connects its shard(s) to Discord and
// answers interactions; everything Spotify comes from the manager over IPC (see src/sharding/).
import { commands } from '../commands/index.js';
import { startBot, type Bot } from './bot.js';
import { loadConfig, readEnv } from './config.js';
import { createLogger } from './logger.js';
import { reviveError, TAG } from './sharding/protocol.js';
import { processChannel, RemoteServices } from './sharding/remote-services.js';

const SHUTDOWN_DEADLINE_MS = 3_000;

async function main(): Promise<void> {
  // The manager sets SHARDS to this process's shard ids; it is not the SHARDS=N setting here.
  const config = loadConfig({ ...readEnv(), SHARDS: undefined });
  const shardIds = process.env.SHARDS ?? '?';
  const logger = createLogger({
    level: config.logLevel,
    secrets: [config.discord.token, config.spotify.clientSecret, config.spotify.refreshToken ?? undefined],
  }).child(`shard${shardIds}`);
  const services = new RemoteServices({ config, logger, channel: processChannel() });

  let bot: Bot | null = null;
  let stopping = false;
  const shutdown = (why: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('shard stopping', { why });
    setTimeout(() => process.exit(0), SHUTDOWN_DEADLINE_MS).unref();
    void (bot?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  // The manager went away (crashed or was killed): don't linger as an orphan.
  process.once('disconnect', () => shutdown('manager disconnected'));
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', { error: reason }));

  bot = await startBot(services, { commands, syncCommands: false, pollPresence: false });
  const presence = bot.presence;
  services.onPush((message) => {
    if (message[TAG] === 'listening') presence.applyState(message.state);
    else if (message[TAG] === 'listening-error') presence.applyError(reviveError(message.error));
  });
}

void main().catch((error: unknown) => {
  process.stderr.write(`shard failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
