// Builds the real App against the loopback Spotify emulator, with a log capture for secret scans.
import { createApp, type App, type AppTuning } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { openDatabases } from '../../src/databases.js';
import type { Storage } from '../../src/storage.js';
import { SpotifyEmulator } from '../../emulators/spotify.js';
import { TEST_DISCORD_TOKEN, TEST_REFRESH_TOKEN, TEST_SPOTIFY_CLIENT_ID, TEST_SPOTIFY_CLIENT_SECRET, validEnv } from '../../emulators/env.js';

export interface LogCapture {
  lines: string[];
  logger: Logger;
}

export function captureLogs(
  secrets: string[] = [],
  options: { level?: 'debug' | 'info'; maxLines?: number } = {},
): LogCapture {
  const lines: string[] = [];
  const maxLines = options.maxLines ?? Number.POSITIVE_INFINITY;
  const logger = createLogger({
    level: options.level ?? 'debug',
    sink: (line) => {
      if (lines.length < maxLines) lines.push(line);
    },
    secrets: [TEST_DISCORD_TOKEN, TEST_SPOTIFY_CLIENT_SECRET, TEST_REFRESH_TOKEN, ...secrets],
  });
  return { lines, logger };
}

/** What shard processes print, kept for assertions instead of reaching the test runner's output. */
export interface ShardOutput {
  /** Every line, as `[shard N] line`. */
  lines: string[];
  /** Pass as `shardOutput` to startShardedBot. */
  sink: (line: string, shard: number) => void;
  /** Resolves with the first `count` lines that match (printed already or still to come). */
  waitFor(pattern: RegExp, count?: number, timeoutMs?: number): Promise<string[]>;
}

export function captureShardOutput(): ShardOutput {
  const lines: string[] = [];
  const waiting = new Set<() => void>();
  return {
    lines,
    sink: (line, shard) => {
      lines.push(`[shard ${shard}] ${line}`);
      for (const check of waiting) check();
    },
    waitFor: (pattern, count = 1, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const matching = lines.filter((l) => pattern.test(l));
          if (matching.length < count) return;
          clearTimeout(timer);
          waiting.delete(check);
          resolve(matching.slice(0, count));
        };
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(new Error(`shards did not print ${pattern} ${count}× within ${timeoutMs} ms; they printed:\n${lines.join('\n')}`));
        }, timeoutMs);
        waiting.add(check);
        check();
      }),
  };
}

/** A closed loopback port: cover art is never fetched from the internet, and a card gets its placeholder at once. */
export const NO_COVER_ORIGIN = 'http://127.0.0.1:9';

export async function startSpotifyEmulator(): Promise<SpotifyEmulator> {
  const emulator = await SpotifyEmulator.start({ clientId: TEST_SPOTIFY_CLIENT_ID, clientSecret: TEST_SPOTIFY_CLIENT_SECRET });
  emulator.addRefreshToken(TEST_REFRESH_TOKEN);
  return emulator;
}

/** Fast retries and short timeouts so fault tests finish quickly; behaviour is the production code's. */
export const FAST_TUNING: AppTuning = {
  spotifyTimeoutMs: 400,
  spotifyRetryDelaysMs: [20, 40],
};

export async function buildApp(
  emulator: SpotifyEmulator,
  options: {
    env?: Record<string, string>;
    storage?: Storage;
    storageUrl?: string;
    tuning?: AppTuning;
    logs?: LogCapture;
    /** false: the production timeouts and retries (the bench); default true: FAST_TUNING. */
    fast?: boolean;
  } = {},
): Promise<{ app: App; logs: LogCapture; storage: Storage; close(): Promise<void> }> {
  const logs = options.logs ?? captureLogs();
  const config = loadConfig(
    validEnv({
      SPOTIFY_ACCOUNTS_URL: emulator.accountsUrl,
      SPOTIFY_API_URL: emulator.apiUrl,
      STORAGE_URL: options.storageUrl ?? 'memory://',
      // Listening history is off unless a test asks for it (its sync would add Spotify requests to every count).
      HISTORY: 'off',
      ...options.env,
    }),
  );
  const tuning = { ...(options.fast === false ? {} : FAST_TUNING), ...options.tuning };
  if (options.storage) {
    const app = createApp(config, logs.logger, options.storage, tuning);
    return { app, logs, storage: options.storage, close: () => options.storage!.close() };
  }
  const databases = await openDatabases(config, logs.logger);
  const app = createApp(config, logs.logger, databases.storage, tuning, undefined, databases.history);
  return { app, logs, storage: databases.storage, close: () => databases.close() };
}

/** Every log line must be free of every secret the test knows about. */
export function secretsIn(lines: readonly string[], secrets: readonly string[]): string[] {
  return lines.filter((line) => secrets.some((s) => s.length > 0 && line.includes(s)));
}
