// Entry: config → storage → Spotify → bot → presence job; clean shutdown on SIGINT/SIGTERM.
import { commands } from '../commands/index.js';
import { createApp } from './app.js';
import { startAppBot } from './bot.js';
import { startShardedBot } from './sharding/manager.js';
import { ConfigError, loadConfig, readEnv } from './config.js';
import { createLogger } from './logger.js';
import { openStorage, StorageError, type Storage } from './storage.js';

const SHUTDOWN_DEADLINE_MS = 4_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(readEnv());
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({
    level: config.logLevel,
    secrets: [config.discord.token, config.spotify.clientSecret, config.spotify.refreshToken ?? undefined],
  });

  let storage: Storage;
  try {
    storage = await openStorage(config.storageUrl, { logger: logger.child('storage') });
  } catch (error) {
    if (error instanceof StorageError) {
      process.stderr.write(`The bot can't start: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  logger.info('storage ready', { storage: storage.description });

  const app = createApp(config, logger, storage);
  let bot: { stop(): Promise<void> } | null = null;
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    const deadline = setTimeout(() => {
      logger.warn('shutdown took too long; exiting');
      process.exit(0);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    void (async () => {
      await bot?.stop().catch((error: unknown) => logger.warn('error while stopping the bot', { error }));
      await storage.close();
      logger.info('stopped');
      process.exit(0);
    })();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', { error: reason }));

  try {
    if (config.shards === null) {
      bot = await startAppBot(app, { commands });
    } else {
      const sharded = await startShardedBot(app, { totalShards: config.shards, commands });
      bot = sharded;
      logger.info('sharded mode', { shards: config.shards });
    }
  } catch (error) {
    logger.error('could not log in to Discord', { error });
    process.stderr.write(
      'The bot could not connect to Discord. Check DISCORD_TOKEN (discord.com/developers/applications → your app → Bot).\n',
    );
    await storage.close();
    process.exit(1);
  }
}

void main();
