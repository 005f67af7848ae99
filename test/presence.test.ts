// The presence poll and the activity text:
// - activity names are cut between grapheme clusters (a lone surrogate in op 3 can cost the gateway connection);
// - while Spotify is down, the poll backs off exponentially (capped) and the outage is logged once at its start, a
//   bounded number of times while it lasts, and once at its end — driven tick by tick on a fake clock against the
//   Spotify emulator, counting the requests that reached it.
import { afterEach, describe, expect, it } from 'vitest';
import { makeEpisode, makeTrack, playing } from '../emulators/spotify-fixtures.js';
import type { SpotifyEmulator } from '../emulators/spotify.js';
import { validEnv } from '../emulators/env.js';
import { configWarnings, loadConfig } from '../src/config.js';
import { activityFor, clip } from '../src/discord/presence.js';
import { normalizeCurrentlyPlaying, type ListeningState } from '../src/listening-state.js';
import { OWNER } from '../src/listeners/listener.js';
import { createLogger } from '../src/logger.js';
import { Poller, shortestCronIntervalMs } from '../src/presence/poller.js';
import type { CurrentlyPlaying } from '../src/spotify/types.js';
import { buildApp, captureLogs, startSpotifyEmulator } from './support/spotify-app.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const EMOJI = ['😀', '🎵', '👩‍👩‍👧‍👦', '🏳️‍🌈', '🇯🇵', '👍🏽', 'é', '𝄞'];

/** A small deterministic PRNG, so a failure names its seed and reproduces. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function stateFor(body: unknown): ListeningState {
  return normalizeCurrentlyPlaying(body as CurrentlyPlaying, Date.now());
}

describe('activity text', () => {
  it('never leaves half an emoji at the 128-character limit (fuzzed names with emoji on the boundary)', () => {
    let cut = 0;
    for (let seed = 1; seed <= 500; seed++) {
      const next = random(seed);
      // Plain text up to just before the limit, then emoji across it.
      let name = 'a'.repeat(120 + Math.floor(next() * 10));
      while (name.length < 140) name += EMOJI[Math.floor(next() * EMOJI.length)]!;
      const artistName = 'b'.repeat(124 + Math.floor(next() * 4)) + EMOJI[Math.floor(next() * EMOJI.length)]!.repeat(3);
      const activity = activityFor(stateFor(playing(makeTrack({ name, artistName }))));
      expect(activity, `seed ${seed}`).not.toBeNull();
      for (const text of [activity!.name, activity!.state ?? '']) {
        expect(text.length, `seed ${seed}`).toBeLessThanOrEqual(128);
        expect(LONE_SURROGATE.test(text), `seed ${seed}: ${JSON.stringify(text.slice(-4))}`).toBe(false);
        // What is kept is a prefix of the original, cut between graphemes.
        const kept = text.endsWith('…') ? text.slice(0, -1) : text;
        const source = text === activity!.name ? name : artistName;
        expect(source.startsWith(kept)).toBe(true);
      }
      if (activity!.name.endsWith('…')) cut++;
    }
    expect(cut).toBe(500);
  });

  it('short text is untouched; episodes are cut the same way', () => {
    expect(clip('Blinding Lights')).toBe('Blinding Lights');
    const episode = activityFor(stateFor(playing(makeEpisode({ name: `${'x'.repeat(126)}🎵🎵`, showName: 'Show' }))));
    expect(episode?.name).toBe(`${'x'.repeat(126)}…`);
    expect(episode?.state).toBe('Show');
  });
});

describe('cron speed', () => {
  it('knows how often a cron expression fires', () => {
    expect(shortestCronIntervalMs('*/15 * * * * *')).toBe(15_000);
    expect(shortestCronIntervalMs('*/2 * * * * *')).toBe(2_000);
    expect(shortestCronIntervalMs('0,3 * * * * *')).toBe(3_000);
    expect(shortestCronIntervalMs('* * * * *')).toBe(60_000);
  });

  it.each([
    ['*/2 * * * * *', 1],
    ['*/15 * * * * *', 0],
  ])('PRESENCE_CRON %s: %i warning from the settings at start, and the poller still runs', async (cron, warnings) => {
    const found = configWarnings(loadConfig(validEnv({ PRESENCE_CRON: cron })));
    expect(found.filter((w) => w.message.includes('more often than every 5 s'))).toHaveLength(warnings);
    if (warnings) expect(found[0]?.message).toMatch(/quota/);
    // Said once, by the entry point at start: the poller doesn't repeat it when it starts.
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });
    const poller = new Poller({ read: async () => 1, cron, logger });
    poller.start();
    poller.start();
    await poller.stop();
    expect(lines.filter((l) => l.includes('more often than every 5 s'))).toHaveLength(0);
  });
});

describe('outage backoff', () => {
  let spotify: SpotifyEmulator | null = null;
  afterEach(async () => {
    await spotify?.close();
    spotify = null;
  });

  it('while the accounts service is down: exponential, capped backoff; the outage logged at start, rarely during, once at end', async () => {
    spotify = await startSpotifyEmulator();
    spotify.setCurrentlyPlaying(playing(makeTrack()));
    const logs = captureLogs();
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const now = (): number => clock;
    const { app, storage } = await buildApp(spotify, {
      logs,
      tuning: { now, sleep: async () => undefined, listeningFreshnessMs: 0 },
    });
    try {
      const attemptsAt: number[] = [];
      const outcomes: boolean[] = [];
      const poller = new Poller<ListeningState>({
        read: () => {
          attemptsAt.push(clock);
          return app.services.listening.current(OWNER);
        },
        deliver: (outcome) => outcomes.push(outcome.ok),
        cron: null,
        logger: logs.logger.child('presence'),
        now,
        backoff: { initialMs: 15_000, maxMs: 300_000 },
        summaryEveryMs: 10 * 60_000,
      });

      // The token endpoint answers 503 to everything: the accounts service is down. One hour of 1 s ticks.
      spotify.fail('token', { status: 503 }, 1_000_000);
      const before = logs.lines.length;
      for (let second = 0; second < 3_600; second++) {
        await poller.scheduledTick();
        clock += 1_000;
      }
      const outageLines = logs.lines.slice(before);

      // Without backoff: 3,600 reads (and three token requests each). With it: 15 s, 30 s, 60 s … capped at 5 min.
      expect(attemptsAt.length).toBeGreaterThanOrEqual(12);
      expect(attemptsAt.length).toBeLessThanOrEqual(18);
      const gaps = attemptsAt.slice(1).map((t, i) => t - attemptsAt[i]!);
      expect(gaps.slice(0, 5)).toEqual([15_000, 30_000, 60_000, 120_000, 240_000]);
      for (const gap of gaps.slice(5)) expect(gap).toBe(300_000);
      // Counted where it matters: at the emulator.
      expect(spotify.count('refresh')).toBeLessThanOrEqual(attemptsAt.length * 3);
      expect(spotify.count('refresh')).toBeGreaterThanOrEqual(attemptsAt.length);

      // The outage is one warning, then at most one "still failing" line per 10 minutes; no per-attempt warnings.
      const warnings = outageLines.filter((l) => / (warn|error) /.test(l));
      expect(warnings.filter((l) => l.includes('presence update skipped: could not read Spotify; backing off'))).toHaveLength(1);
      const still = warnings.filter((l) => /still failing \(\d+ failures\)/.test(l));
      expect(still.length).toBeGreaterThanOrEqual(4);
      expect(still.length).toBeLessThanOrEqual(6);
      expect(warnings).toHaveLength(1 + still.length);

      // Spotify comes back: the next scheduled attempt works, and the end of the outage is logged once.
      spotify.clearFaults();
      const reads = attemptsAt.length;
      for (let second = 0; second < 301 && attemptsAt.length === reads; second++) {
        await poller.scheduledTick();
        clock += 1_000;
      }
      expect(outcomes.at(-1)).toBe(true);
      // Back to every tick.
      await poller.scheduledTick();
      clock += 1_000;
      await poller.scheduledTick();
      expect(attemptsAt.length).toBe(reads + 3);
      const resumed = logs.lines.filter((l) => l.includes('presence updates resumed'));
      expect(resumed).toHaveLength(1);
      expect(resumed[0]).toMatch(/failures=1[2-8] downForS=\d{4}/);
    } finally {
      await storage.close();
    }
  });
});
