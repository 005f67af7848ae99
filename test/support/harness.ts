// The whole bot (real discord.js client, real Spotify module) against both loopback emulators, in this process.
// No vitest in here: the tests use it through ./bot-harness.ts, `npm run bench` directly with production timings.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commands } from '../../commands/index.js';
import type { App, AppTuning } from '../../src/app.js';
import { startAppBot, type Bot } from '../../src/bot.js';
import { DiscordEmulator, type DiscordEmulatorOptions } from '../../emulators/discord.js';
import type { SpotifyEmulator } from '../../emulators/spotify.js';
import { makeTrack, playing } from '../../emulators/spotify-fixtures.js';
import { emulatorEnv, TEST_DISCORD_TOKEN } from '../../emulators/env.js';
import { buildApp, captureLogs, NO_COVER_ORIGIN, startSpotifyEmulator, type LogCapture } from './spotify-app.js';

export const OWNER_ID = '200000000000000001';

export interface HarnessOptions {
  env?: Record<string, string>;
  tuning?: AppTuning;
  discord?: DiscordEmulatorOptions;
  /** A Discord emulator the caller prepared first (e.g. members listening before the bot connects) and closes. */
  discordEmulator?: DiscordEmulator;
  /** An emulator the caller owns (and closes); default: a fresh one playing a track, closed by stop(). */
  spotify?: SpotifyEmulator;
  /**
   * 'test' (default): fast Spotify timeouts and retries, 5 s gateway heartbeats, in-memory storage, debug logs.
   * 'production': the app's own timeouts, retries and TTLs (only `tuning` overrides them, e.g. a clock), the
   * emulator's default heartbeat, SQLite storage (the production default) in a temp folder that stop() removes,
   * info logs (the first 10,000 lines kept). The bench runs this way.
   */
  timings?: 'test' | 'production';
}

export interface Harness {
  spotify: SpotifyEmulator;
  discord: DiscordEmulator;
  app: App;
  bot: Bot;
  logs: LogCapture;
  stop(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const production = options.timings === 'production';
  const spotify = options.spotify ?? (await startSpotifyEmulator());
  if (!options.spotify) spotify.setCurrentlyPlaying(playing(makeTrack()));
  const discord =
    options.discordEmulator ??
    (await DiscordEmulator.start({
      token: TEST_DISCORD_TOKEN,
      ...(production ? {} : { heartbeatIntervalMs: 5_000 }),
      ...options.discord,
    }));
  const dir = production ? mkdtempSync(join(tmpdir(), 'npb-harness-')) : null;
  const { app, logs, close } = await buildApp(spotify, {
    env: {
      ...emulatorEnv(discord),
      BOT_OWNER_ID: OWNER_ID,
      PRESENCE_CRON: 'off',
      // Cover art never from the internet: a closed loopback port (placeholder at once) unless a test passes the
      // image CDN emulator's origin.
      SPOTIFY_IMAGES_URL: NO_COVER_ORIGIN,
      ...(dir ? { STORAGE_URL: `sqlite://${join(dir, 'bot.sqlite')}` } : {}),
      ...options.env,
    },
    ...(production ? { fast: false, logs: captureLogs([], { level: 'info', maxLines: 10_000 }) } : {}),
    ...(options.tuning ? { tuning: options.tuning } : {}),
  });
  const bot = await startAppBot(app, { commands });
  await bot.ready;
  return {
    spotify,
    discord,
    app,
    bot,
    logs,
    async stop() {
      await bot.stop();
      await close();
      if (!options.discordEmulator) await discord.close();
      if (!options.spotify) await spotify.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
