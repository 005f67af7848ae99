// Sharded mode: the real ShardingManager spawns 2 real shard processes (src/shard.ts) that connect to the Discord
// emulator as shards 0 and 1, with state in a real Redis. The manager alone talks to Spotify: one request per
// presence tick whatever the shard count, one token refresh, and commands answered on both shards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.js';
import type { App } from '../src/app.js';
import { startShardedBot, type ShardedBot } from '../src/sharding/manager.js';
import type { Storage } from '../src/storage.js';
import { DiscordEmulator, guildIdForShard } from '../emulators/discord.js';
import { makeTrack, playing } from '../emulators/spotify-fixtures.js';
import type { SpotifyEmulator } from '../emulators/spotify.js';
import { emulatorEnv, validEnv } from '../emulators/env.js';
import { expectEnvRestoredAfterFile, setShardedEnv } from './support/env.js';
import { REDIS_URL, requireRedis } from './support/redis.js';
import { buildApp, captureShardOutput, NO_COVER_ORIGIN, startSpotifyEmulator } from './support/spotify-app.js';

const redis = await requireRedis();
expectEnvRestoredAfterFile();
const GUILDS = [guildIdForShard(0, 2), guildIdForShard(1, 2)];

let spotify: SpotifyEmulator;
let discord: DiscordEmulator;
let app: App;
let storage: Storage;
let sharded: ShardedBot;

async function presenceOn(shard: number, name: string): Promise<void> {
  const shows = (): boolean => discord.currentPresence(shard)?.activities[0]?.name === name;
  if (shows()) return;
  await discord.waitFor('presence', () => shows(), 10_000);
}

describe.runIf(redis)('2 shards with shared state in Redis', () => {
  let restoreEnv = (): void => undefined;
  // What the shard processes print (their warnings) is kept here, not let through to the test run's output.
  const shardOutput = captureShardOutput();
  beforeAll(async () => {
    spotify = await startSpotifyEmulator();
    discord = await DiscordEmulator.start({ token: validEnv().DISCORD_TOKEN, shardCount: 2, maxConcurrency: 2, guildIds: GUILDS });
    const env = {
      ...emulatorEnv(discord, spotify),
      STORAGE_URL: REDIS_URL,
      PRESENCE_CRON: 'off',
      LOG_LEVEL: 'warn',
      SPOTIFY_IMAGES_URL: NO_COVER_ORIGIN,
    };
    // The shard processes read their settings from the environment, as they do under `npm start`.
    restoreEnv = setShardedEnv(validEnv(env));
    // Freshness 0 in the manager: each manual poll() is a real tick that asks Spotify.
    ({ app, storage } = await buildApp(spotify, { env, tuning: { listeningFreshnessMs: 0 } }));
    await storage.delete('spotify:access:owner');
    await storage.delete('spotify:grant:owner');
    spotify.setCurrentlyPlaying(playing(makeTrack()));
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

  it('both shards identify as [0,2] and [1,2]; commands are registered once', () => {
    expect(discord.identifies.map((i) => i.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(discord.restLog.filter((r) => r.method === 'PUT' && r.path.includes('/commands'))).toHaveLength(1);
  });

  it('one Spotify call per tick updates the presence on both shards, and only on change', async () => {
    const track = makeTrack({ name: 'Shared Song' });
    spotify.setCurrentlyPlaying(playing(track));
    spotify.resetCounts();
    await sharded.poll();
    expect(spotify.count('currently-playing')).toBe(1);
    await Promise.all([presenceOn(0, 'Shared Song'), presenceOn(1, 'Shared Song')]);
    const frames = discord.presenceUpdates.length;
    await sharded.poll();
    expect(spotify.count('currently-playing')).toBe(2);
    // Nothing changed, so no shard sends op 3. Proving an absence needs a bounded wait for a frame that must not come.
    await discord.waitFor('presence', undefined, 500).catch(() => undefined);
    expect(discord.presenceUpdates.length).toBe(frames);
  }, 30_000);

  it('commands are answered on both shards, reusing the pushed state within its freshness window', async () => {
    await sharded.poll();
    const before = spotify.count('currently-playing');
    const replies = await Promise.all(
      GUILDS.map((guildId) => discord.slashCommand({ name: 'nowplaying', guildId }).finalMessage(10_000)),
    );
    const handles = GUILDS.map((guildId) => discord.slashCommand({ name: 'nowplaying', guildId }));
    expect(handles.map((h) => h.shard)).toEqual([0, 1]);
    await Promise.all(handles.map((h) => h.finalMessage(10_000)));
    for (const reply of replies) expect(reply.embeds?.[0]?.title).toBeTruthy();
    expect(spotify.count('currently-playing')).toBe(before);
  }, 30_000);

  it('top lists and errors cross the IPC boundary intact', async () => {
    spotify.fail('top', { status: 429, headers: { 'retry-after': '42' } });
    const limited = await discord.slashCommand({ name: 'toptracks', guildId: GUILDS[1] }).response(10_000);
    expect(JSON.stringify(limited.data)).toMatch(/try again in 42 s/);
    // The shard that answered logs the expected failure as a warning (not an error), and the test reads it.
    const [logged] = await shardOutput.waitFor(/^\[shard 1\] \S+ warn .*\/toptracks failed/);
    expect(logged).toMatch(/RateLimit/);
    expect(shardOutput.lines.filter((l) => / error /.test(l))).toEqual([]);
  }, 30_000);

  it('a single token refresh served every shard', () => {
    expect(spotify.count('refresh')).toBe(1);
  });
});
