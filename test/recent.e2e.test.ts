// /recent [limit] through the real bot against the emulators: newest first, relative times from the injected
// clock, links (none for local files), stateless Previous/Next that refuse tampered ids, one Spotify request for
// every page; and the same command answered by both shards of a sharded bot (the RPC carries the new method).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.js';
import { DiscordEmulator, guildIdForShard } from '../emulators/discord.js';
import { emulatorEnv, validEnv } from '../emulators/env.js';
import { makeLocalTrack, makePlayHistory, makeTrack } from '../emulators/spotify-fixtures.js';
import type { SpotifyEmulator } from '../emulators/spotify.js';
import type { App } from '../src/app.js';
import { decodeRecentPageId, NOTHING_RECENT } from '../src/features/recent/replies.js';
import { startShardedBot, type ShardedBot } from '../src/sharding/manager.js';
import type { Storage } from '../src/storage.js';
import { EPHEMERAL, harnessPerTest } from './support/bot-harness.js';
import { expectEnvRestoredAfterFile, setShardedEnv } from './support/env.js';
import { REDIS_URL, requireRedis } from './support/redis.js';
import { buildApp, captureShardOutput, startSpotifyEmulator } from './support/spotify-app.js';

const MINUTE = 60_000;
/** The bot's clock in these tests: relative times are computed from it, not from the wall clock. */
const NOW = Date.parse('2026-11-28T12:00:00Z');

type Message = { embeds?: Array<{ description?: string; footer?: { text?: string }; title?: string }>; components?: Array<{ components?: Array<Record<string, unknown>> }> };

function buttons(message: Message): Array<Record<string, unknown>> {
  return (message.components ?? []).flatMap((row) => row.components ?? []);
}

function nextButton(message: Message): string {
  const next = buttons(message).find((b) => String(b.label).includes('Next'));
  if (!next) throw new Error('no Next button');
  return String(next.custom_id);
}

/** `n` plays of distinct songs, the newest 3 minutes before NOW, one every 7 minutes. */
function plays(n: number) {
  const tracks = Array.from({ length: n }, (_, i) => makeTrack({ name: `Song ${i + 1}`, artistName: `Artist ${i + 1}` }));
  return makePlayHistory(tracks, { endAt: NOW - 3 * MINUTE, gapMs: 7 * MINUTE });
}

describe('/recent in one process', () => {
  const start = harnessPerTest();
  const clock = { tuning: { now: () => NOW } };

  it('lists the last 10 plays newest first, each linked with a relative time, from one request of 50', async () => {
    const h = await start(clock);
    const history = plays(12);
    // Spotify answers newest first; the bot sorts anyway, so shuffle what the emulator stores to prove it.
    h.spotify.setRecentlyPlayed([...history].reverse());
    const message = await h.discord.slashCommand({ name: 'recent' }).finalMessage();
    const embed = message.embeds![0]!;
    expect(embed.title).toBe('Recently played');
    const lines = embed.description!.split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toMatch(/^1\. \[Song 1\]\(https:\/\/open\.spotify\.com\/track\/\w+\) — Artist 1 · 3 min ago$/);
    expect(lines[1]).toMatch(/^2\. \[Song 2\]\(.+\) — Artist 2 · 10 min ago$/);
    expect(lines[9]).toMatch(/^10\. \[Song 10\]\(.+\) — Artist 10 · 1 h ago$/);
    expect(embed.footer?.text).toBe('1–10 of 10');
    expect(buttons(message)).toEqual([]);
    const asked = h.spotify.requests.filter((r) => r.route === 'recently-played');
    expect(asked).toHaveLength(1);
    expect(asked[0]!.query.limit).toBe('50');
  });

  it('pages of 10 with Previous/Next, updated in place, one Spotify request for all pages', async () => {
    const h = await start(clock);
    h.spotify.setRecentlyPlayed(plays(50));
    const first = await h.discord
      .slashCommand({ name: 'recent', options: [{ name: 'limit', type: 4, value: 25 }] })
      .finalMessage();
    expect(first.embeds![0]!.footer?.text).toBe('Page 1/3 · 1–10 of 25');
    expect(decodeRecentPageId(nextButton(first))).toEqual({ limit: 25, page: 2 });

    const second = await h.discord.pressButton({ customId: nextButton(first), message: { id: '1', ...first } }).response();
    expect(second.type).toBe(7);
    expect(second.data!.embeds![0]!.footer?.text).toBe('Page 2/3 · 11–20 of 25');
    expect(second.data!.embeds![0]!.description).toMatch(/^11\. \[Song 11\]/);

    const third = await h.discord.pressButton({ customId: nextButton(second.data!), message: { id: '1', ...second.data } }).response();
    expect(third.data!.embeds![0]!.footer?.text).toBe('Page 3/3 · 21–25 of 25');
    expect(third.data!.embeds![0]!.description!.split('\n')).toHaveLength(5);
    const lastButtons = buttons(third.data!);
    expect(lastButtons.find((b) => String(b.label).includes('Next'))?.disabled).toBe(true);
    expect(lastButtons.find((b) => String(b.label).includes('Previous'))?.disabled).toBe(false);
    expect(h.spotify.count('recently-played')).toBe(1);
  });

  it('refuses tampered page ids with an ephemeral reply, asking Spotify nothing', async () => {
    const h = await start(clock);
    h.spotify.setRecentlyPlayed(plays(50));
    for (const customId of ['recent:25:9', 'recent:51:1', 'recent:0:1', 'recent:10:1:x', 'recent:ten:1', 'recent:']) {
      const response = await h.discord.pressButton({ customId, message: { id: '1' } }).response();
      expect(response.type, customId).toBe(4);
      expect(response.data?.flags, customId).toBe(EPHEMERAL);
    }
    expect(h.spotify.count('recently-played')).toBe(0);
  });

  it('shows a local file without links', async () => {
    const h = await start(clock);
    const local = makeLocalTrack({ title: 'Home Recording', artist: 'Me' });
    h.spotify.setRecentlyPlayed(makePlayHistory([local], { endAt: NOW - 2 * 60 * MINUTE }));
    const message = await h.discord.slashCommand({ name: 'recent' }).finalMessage();
    const line = message.embeds![0]!.description!;
    expect(line).toBe('1. Home Recording — Me · 2 h ago · local file');
    expect(line).not.toContain('](');
  });

  it('says so when nothing was played', async () => {
    const h = await start(clock);
    h.spotify.setRecentlyPlayed([]);
    const nothing = await h.discord.slashCommand({ name: 'recent' }).finalMessage();
    expect(nothing.embeds![0]!.description).toBe(NOTHING_RECENT);
  });

  it('a Spotify failure is a friendly error reply', async () => {
    const h = await start(clock);
    h.spotify.fail('recently-played', { status: 429, headers: { 'retry-after': '42' } });
    const response = await h.discord.slashCommand({ name: 'recent' }).response();
    expect(JSON.stringify(response.data)).toMatch(/try again in 42 s/);
  });
});

const redis = await requireRedis();
expectEnvRestoredAfterFile();
const GUILDS = [guildIdForShard(0, 2), guildIdForShard(1, 2)];

describe.runIf(redis)('/recent under SHARDS=2', () => {
  // What the shard processes print (their warnings) is kept here, not let through to the test run's output.
  const shardOutput = captureShardOutput();
  let spotify: SpotifyEmulator;
  let discord: DiscordEmulator;
  let app: App;
  let storage: Storage;
  let sharded: ShardedBot;
  let restoreEnv = (): void => undefined;

  beforeAll(async () => {
    spotify = await startSpotifyEmulator();
    discord = await DiscordEmulator.start({ token: validEnv().DISCORD_TOKEN, shardCount: 2, maxConcurrency: 2, guildIds: GUILDS });
    const env = { ...emulatorEnv(discord, spotify), STORAGE_URL: REDIS_URL, PRESENCE_CRON: 'off', LOG_LEVEL: 'warn' };
    restoreEnv = setShardedEnv(validEnv(env));
    ({ app, storage } = await buildApp(spotify, { env }));
    await storage.delete('spotify:access:owner');
    await storage.delete('spotify:grant:owner');
    spotify.setRecentlyPlayed(makePlayHistory(Array.from({ length: 30 }, (_, i) => makeTrack({ name: `Song ${i + 1}` }))));
    sharded = await startShardedBot(app, { totalShards: 2, commands, spawnDelayMs: 0, shardOutput: shardOutput.sink });
    await sharded.ready;
  }, 60_000);

  afterAll(async () => {
    await sharded?.stop();
    restoreEnv();
    await storage?.close();
    await discord?.close();
    await spotify?.close();
  });

  it('both shards answer /recent and its buttons; the manager asks Spotify once', async () => {
    const handles = GUILDS.map((guildId) => discord.slashCommand({ name: 'recent', guildId, options: [{ name: 'limit', type: 4, value: 20 }] }));
    expect(handles.map((h) => h.shard)).toEqual([0, 1]);
    const replies = await Promise.all(handles.map((h) => h.finalMessage(10_000)));
    for (const reply of replies) {
      expect(reply.embeds?.[0]?.description).toMatch(/^1\. \[Song 1\]\(.+\) — The Weeknd · just now\n/);
      expect(reply.embeds?.[0]?.footer?.text).toBe('Page 1/2 · 1–10 of 20');
    }
    // A button made on shard 0 pressed in shard 1's guild: the id carries all the state.
    const press = discord.pressButton({ customId: nextButton(replies[0]!), guildId: GUILDS[1], message: { id: '1', ...replies[0] } });
    expect(press.shard).toBe(1);
    const page2 = await press.response(10_000);
    expect(page2.data!.embeds![0]!.description).toMatch(/^11\. \[Song 11\]/);
    expect(spotify.count('recently-played')).toBe(1);
  }, 30_000);
});
