// Runs the whole bot (real discord.js client, real Spotify module) against both loopback emulators.
import { afterEach, expect } from 'vitest';
import { commands } from '../../commands/index.js';
import type { App, AppTuning } from '../../src/app.js';
import { startAppBot, type Bot } from '../../src/bot.js';
import { DiscordEmulator, type DiscordEmulatorOptions } from '../../emulators/discord.js';
import type { SpotifyEmulator } from '../../emulators/spotify.js';
import { makeTrack, playing } from '../../emulators/spotify-fixtures.js';
import { emulatorEnv, TEST_DISCORD_TOKEN } from '../../emulators/env.js';
import { buildApp, startSpotifyEmulator, type LogCapture } from './spotify-app.js';

export const OWNER_ID = '200000000000000001';

export interface Harness {
  spotify: SpotifyEmulator;
  discord: DiscordEmulator;
  app: App;
  bot: Bot;
  logs: LogCapture;
  stop(): Promise<void>;
}

export async function startHarness(
  options: { env?: Record<string, string>; tuning?: AppTuning; discord?: DiscordEmulatorOptions; spotify?: SpotifyEmulator } = {},
): Promise<Harness> {
  const spotify = options.spotify ?? (await startSpotifyEmulator());
  if (!options.spotify) spotify.setCurrentlyPlaying(playing(makeTrack()));
  const discord = await DiscordEmulator.start({ token: TEST_DISCORD_TOKEN, heartbeatIntervalMs: 5_000, ...options.discord });
  const { app, logs, storage } = await buildApp(spotify, {
    env: {
      ...emulatorEnv(discord),
      BOT_OWNER_ID: OWNER_ID,
      PRESENCE_CRON: 'off',
      ...options.env,
    },
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
      await storage.close();
      await discord.close();
      if (!options.spotify) await spotify.close();
    },
  };
}

/** Embed text of a message, joined, for readable assertions. */
export function embedText(message: { embeds?: Array<Record<string, unknown>> } | undefined): string {
  return JSON.stringify(message?.embeds ?? []);
}

/** Resolves with the activities once the emulator's current presence matches (now or after the next op 3). */
export async function presenceShows(h: Harness, activities: unknown[], timeoutMs = 5_000): Promise<unknown[]> {
  const matches = (actual: unknown[] | undefined): boolean => {
    try {
      expect(actual).toEqual(activities);
      return true;
    } catch {
      return false;
    }
  };
  const current = h.discord.currentPresence()?.activities;
  if (matches(current)) return current!;
  const update = await h.discord.waitFor<{ payload: { activities: unknown[] } }>(
    'presence',
    (p) => matches(p.payload.activities),
    timeoutMs,
  );
  return update.payload.activities;
}

/** For a test file: `const start = harnessPerTest()`; each test's harness is stopped after it. */
export function harnessPerTest(): (...args: Parameters<typeof startHarness>) => Promise<Harness> {
  let harness: Harness | null = null;
  afterEach(async () => {
    await harness?.stop();
    harness = null;
  });
  return async (...args) => {
    harness = await startHarness(...args);
    return harness;
  };
}

/** Discord's ephemeral message flag. */
export const EPHEMERAL = 1 << 6;
