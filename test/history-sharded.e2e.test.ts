// Listening history under SHARDS=2: a member in a server on each shard is seen by both shards' status recorders,
// and the manager's store keeps the play once; /history answers from either shard.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.js';
import { DiscordEmulator, guildIdForShard, spotifyActivity } from '../emulators/discord.js';
import { emulatorEnv, validEnv } from '../emulators/env.js';
import type { SpotifyEmulator } from '../emulators/spotify.js';
import type { App } from '../src/app.js';
import type { PlayInput } from '../src/history/play.js';
import { startShardedBot, type ShardedBot } from '../src/sharding/manager.js';
import { embedText } from './support/bot-harness.js';
import { expectEnvRestoredAfterFile, setShardedEnv } from './support/env.js';
import { REDIS_URL, requireRedis } from './support/redis.js';
import { buildApp, captureShardOutput, NO_COVER_ORIGIN, startSpotifyEmulator } from './support/spotify-app.js';

const redis = await requireRedis();
expectEnvRestoredAfterFile();
const GUILDS = [guildIdForShard(0, 2), guildIdForShard(1, 2)] as const;
const MIA = { id: '1190000000000000401', username: 'mia', globalName: 'Mia' };

describe.runIf(redis)('history under SHARDS=2', () => {
  let spotify: SpotifyEmulator;
  let discord: DiscordEmulator;
  let app: App;
  let close: () => Promise<void> = async () => {};
  let sharded: ShardedBot;
  let dir = '';
  let restoreEnv = (): void => undefined;
  const shardOutput = captureShardOutput();
  /** Every batch the shards sent the manager's store (each shard flushes its own). */
  const batches: Array<{ added: number; plays: number }> = [];
  let batchArrived: () => void = () => {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'npb-history-shards-'));
    spotify = await startSpotifyEmulator();
    discord = await DiscordEmulator.start({ token: validEnv().DISCORD_TOKEN, shardCount: 2, maxConcurrency: 2, guildIds: [...GUILDS] });
    for (const guildId of GUILDS) discord.addMember(guildId, MIA);
    const env = {
      ...emulatorEnv(discord, spotify),
      STORAGE_URL: REDIS_URL,
      HISTORY: 'on',
      HISTORY_URL: `sqlite://${join(dir, 'history.sqlite')}`,
      DISCORD_PRESENCES: 'on',
      PRESENCE_CRON: 'off',
      LOG_LEVEL: 'warn',
      SPOTIFY_IMAGES_URL: NO_COVER_ORIGIN,
    };
    restoreEnv = setShardedEnv(validEnv(env));
    ({ app, close } = await buildApp(spotify, { env }));
    // Mia opted in before the shards start, so both shards' recorders follow her from their first presence.
    await app.services.history.setRecording(MIA.id, true);
    const record = app.services.history.recordStatusPlays.bind(app.services.history);
    app.services.history.recordStatusPlays = async (batch: Array<{ userId: string; plays: PlayInput[] }>) => {
      const added = await record(batch);
      batches.push({ added, plays: batch.reduce((n, b) => n + b.plays.length, 0) });
      batchArrived();
      return added;
    };
    sharded = await startShardedBot(app, { totalShards: 2, commands, spawnDelayMs: 0, shardOutput: shardOutput.sink });
    await sharded.ready;
  }, 60_000);

  afterAll(async () => {
    await sharded?.stop();
    await close();
    await discord?.close();
    await spotify?.close();
    restoreEnv();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Resolves once the manager received `n` batches with plays (the shards flush every 10 s). */
  const batchesWithPlays = (n: number): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (batches.filter((b) => b.plays > 0).length >= n) resolve();
      };
      batchArrived = check;
      check();
    });

  it('a play seen by both shards is stored once; /history answers from either shard', async () => {
    const startMs = Date.now() - 170_000;
    const levitating = spotifyActivity({ trackId: '39LLxExYz6ewLAcYrzQQyP', title: 'Levitating', artists: ['Dua Lipa'], album: 'Future Nostalgia', imageId: 'ab67616d0000b273aa', startMs, endMs: startMs + 180_000 });
    const next = spotifyActivity({ trackId: '1nK6ey8eN2ZlHdp1rNJ2zK', title: 'Houdini', artists: ['Dua Lipa'], album: 'Radical Optimism', imageId: 'ab67616d0000b273bb', startMs: Date.now(), endMs: Date.now() + 180_000 });
    for (const guildId of GUILDS) expect(discord.setPresence(guildId, MIA.id, { status: 'online', activities: [levitating] })).toBe(true);
    for (const guildId of GUILDS) expect(discord.setPresence(guildId, MIA.id, { status: 'online', activities: [next] })).toBe(true);
    await batchesWithPlays(2);
    const withPlays = batches.filter((b) => b.plays > 0);
    // Each shard completed the play and sent it; the store kept one.
    expect(withPlays.map((b) => b.plays)).toEqual([1, 1]);
    expect(withPlays.map((b) => b.added).sort()).toEqual([0, 1]);

    for (const guildId of GUILDS) {
      const handle = discord.slashCommand({ name: 'history', subcommand: 'status', guildId, userId: MIA.id });
      expect(handle.shard).toBe(GUILDS.indexOf(guildId));
      const text = embedText(await handle.finalMessage(20_000));
      expect(text).toContain('**1 play** stored');
      expect(text).toContain('Discord status: 1 play');
    }
  }, 60_000);
});
