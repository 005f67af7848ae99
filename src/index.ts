// Entry: config → storage → app (with the owner notifier) → bot (one process, or the sharding manager) → presence.
// Clean shutdown on SIGINT/SIGTERM (one, however many signals arrive: src/shutdown-signals.ts). A start-up failure ends the process with exit 1 and one message saying what
// happened (src/discord/connect.ts): network failures are retried with a capped backoff first; a refused token,
// disallowed intents or shards that never get ready are not. systemd's Restart=on-failure (or Docker) takes it
// from there.
import { commands } from '../commands/index.js';
import { createApp } from './app.js';
import { startAppBot } from './bot.js';
import { ConfigError, configWarnings, loadConfig, readArgs, readEnv } from './config.js';
import { classifyStartupError, connectTuning, hostOf, withStartupRetries } from './discord/connect.js';
import { createLogger } from './logger.js';
import { startHeartbeat, type Heartbeat } from './health-file.js';
import { createOwnerNotifier } from './owner-notifier.js';
import { DatabaseOpenError, openDatabases, type Databases } from './databases.js';
import { onShutdownSignals } from './shutdown-signals.js';

const SHUTDOWN_DEADLINE_MS = 4_000;

async function main(): Promise<void> {
  let env: ReturnType<typeof readEnv>;
  let config;
  try {
    env = readEnv(); // an unreadable .env is a ConfigError too
    config = loadConfig({ ...env, ...readArgs(process.argv.slice(2)) });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const tuning = connectTuning(config.discord);
  const logger = createLogger({
    level: config.logLevel,
    secrets: [config.discord.token, config.spotify.clientSecret, config.spotify.refreshToken ?? undefined],
  });
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', { error: reason }));
  for (const warning of configWarnings(config)) logger.warn(warning.message, warning.fields);

  let databases: Databases;
  try {
    databases = await openDatabases(config, logger);
  } catch (error) {
    if (error instanceof DatabaseOpenError) {
      process.stderr.write(`The bot can't start: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const { storage } = databases;
  logger.info('storage ready', { storage: storage.description, history: config.history.enabled ? databases.history?.engine : 'off' });

  const notifyOwner = createOwnerNotifier({ ...config.discord, logger: logger.child('discord'), locale: config.botLocale });
  const app = createApp(config, logger, storage, {}, notifyOwner, databases.history);
  // SPOTIFY_REDIRECT_URI=https://…: serve Spotify's redirect (members link without pasting); the paste flow stays.
  await app.callbackServer?.start().catch((error: unknown) =>
    logger.error('the Spotify callback server could not listen (check SPOTIFY_CALLBACK_LISTEN); linking by pasting still works', { error }),
  );
  let bot: { stop(): Promise<void> } | null = null;
  let heartbeat: Heartbeat | null = null;
  let stopping = false;
  const stopBot = async (): Promise<void> => {
    heartbeat?.stop();
    await bot?.stop().catch((error: unknown) => logger.warn('error while stopping the bot', { error }));
    await app.callbackServer?.stop().catch(() => undefined);
    await databases.close().catch(() => undefined);
    logger.debug('storage closed');
  };
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    const deadline = setTimeout(() => {
      logger.warn('shutdown took too long; exiting');
      process.exit(0);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    void stopBot().then(() => {
      logger.info('stopped');
      process.exit(0);
    });
  };
  onShutdownSignals({ logger, shutdown });

  /** One message, then exit 1: what went wrong, said once. */
  const giveUp = async (raw: unknown): Promise<never> => {
    const error = classifyStartupError(raw, hostOf(config.discord.apiUrl), tuning.timeoutMs / 1000);
    stopping = true;
    process.stderr.write(`The bot could not connect to Discord: ${error.message}\n`);
    await stopBot();
    process.exit(1);
  };

  const host = hostOf(config.discord.apiUrl);
  try {
    if (config.shards === null) {
      const single = await withStartupRetries(() => startAppBot(app, { commands, connect: tuning }), { tuning, logger: logger.child('discord'), host });
      bot = single;
      heartbeat = heartbeatFor(config.heartbeatFile, () => single.client.isReady());
      // Discord can also close for good later (the token was reset): same message, same exit.
      void single.failed.then((error) => {
        if (!stopping) void giveUp(error);
      });
    } else {
      // Loaded only in sharded mode (most bots run one process).
      const { startShardedBot } = await import('./sharding/manager.js');
      const sharded = await startShardedBot(app, { totalShards: config.shards, commands, connect: tuning });
      bot = sharded;
      logger.info('sharded mode', { shards: sharded.shardCount });
      // The shards can fail for good later too (e.g. one that keeps crashing): same message, same exit.
      void sharded.failed.then((error) => {
        if (!stopping) void giveUp(error);
      });
      await sharded.ready;
      heartbeat = heartbeatFor(config.heartbeatFile, () => [...sharded.manager.shards.values()].every((shard) => shard.ready));
    }
  } catch (error) {
    if (!stopping) await giveUp(error);
  }
}

/** HEARTBEAT_FILE (set in the Docker image): keep that file fresh while connected, for the HEALTHCHECK. */
function heartbeatFor(file: string | null, healthy: () => boolean): Heartbeat | null {
  return file ? startHeartbeat({ file, healthy }) : null;
}

void main();
