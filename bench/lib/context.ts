// What every bench section gets: the options, the report to add rows to, progress output, a temp folder, and the
// in-process bot (started on first use, shared by the sections, stopped at the end).
//
// Adding a row: write `async function mySection(ctx: BenchContext): Promise<void>` that measures and calls
// `ctx.report.row(metric, result, target, ok)`, then list it in SECTIONS in bench/run.ts.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { OWNER_ACCOUNT } from '../../src/listeners/listener.js';
import { SpotifyEmulator } from '../../emulators/spotify.js';
import { makeArtists, makeTrack, makeTracks, playing } from '../../emulators/spotify-fixtures.js';
import { TEST_REFRESH_TOKEN, TEST_SPOTIFY_CLIENT_ID, TEST_SPOTIFY_CLIENT_SECRET } from '../../emulators/env.js';
import { startHarness, type Harness } from '../../test/support/harness.js';
import type { Report } from './report.js';

export interface BenchOptions {
  latencies: number[];
  iterations: number;
  guilds: number[];
  /** Spawns per guild count and kind (bot / bare client) for RSS and start-up. */
  rssRuns: number;
  /** Storage for the in-process bot; default: SQLite in a temp folder (the production default kind). */
  storage: string | null;
  json: boolean;
  /** Run only the sections whose function name starts with one of these (null: all). */
  only: string[] | null;
}

export interface BenchContext {
  readonly options: BenchOptions;
  readonly report: Report;
  progress(text: string): void;
  /** A new folder under this run's temp root (the whole root is removed when the bench ends). */
  tempDir(prefix: string): string;
  /** The in-process bot with production timings; started on first call. */
  bot(): Promise<BenchBot>;
}

export type Section = (ctx: BenchContext) => Promise<void>;

/** Access-token lifetime the emulator hands out (Spotify's: one hour). */
export const TOKEN_TTL_S = 3_600;
const DAY_MS = 86_400_000;

/** A clock the bench can move forward; everything time-based in the app reads it. */
export class Clock {
  offsetMs = 0;
  readonly now = (): number => Date.now() + this.offsetMs;
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface BenchBot extends Harness {
  clock: Clock;
  /** Moves past every freshness window and cache TTL, then renews the access token outside any measurement. */
  makeCold(): Promise<void>;
}

/**
 * test/support/harness.ts with production timings (the app's own timeouts, retries, TTLs, defer threshold; SQLite
 * storage in a temp folder): only the clock is injected. PRESENCE_CRON is off — the presence section drives ticks.
 */
export async function startBenchBot(storageUrl: string | null): Promise<BenchBot> {
  const spotify = await SpotifyEmulator.start({
    clientId: TEST_SPOTIFY_CLIENT_ID,
    clientSecret: TEST_SPOTIFY_CLIENT_SECRET,
    accessTokenTtlSeconds: TOKEN_TTL_S,
  });
  spotify.addRefreshToken(TEST_REFRESH_TOKEN);
  spotify.setCurrentlyPlaying(playing(makeTrack({ duration_ms: 240_000 }), { progressMs: 30_000 }));
  spotify.setTop('tracks', makeTracks(50));
  spotify.setTop('artists', makeArtists(50));
  const clock = new Clock();
  let harness: Harness;
  try {
    harness = await startHarness({
      spotify,
      timings: 'production',
      tuning: { now: clock.now },
      ...(storageUrl ? { env: { STORAGE_URL: storageUrl } } : {}),
    });
  } catch (error) {
    await spotify.close();
    throw error;
  }
  return {
    ...harness,
    clock,
    async makeCold() {
      clock.advance(DAY_MS);
      await harness.app.tokens.getAccessToken(OWNER_ACCOUNT);
    },
    async stop() {
      await harness.stop();
      await spotify.close();
    },
  };
}

export function tempDirUnder(root: string, prefix: string): string {
  return mkdtempSync(join(root, prefix));
}
