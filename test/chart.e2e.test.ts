// /chart (#12) through the real bot: top lists from the Spotify emulator, covers from the image CDN emulator (counted
// there: each fetched once), the chart uploaded as multipart and named by the embed (the Discord emulator checks it),
// the uploaded bytes decoded here. And one chart answered by a shard of a sharded bot (SHARDS=2, needs Redis).
import { loadImage } from '@napi-rs/canvas';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.js';
import { DiscordEmulator, guildIdForShard, type InteractionHandle } from '../emulators/discord.js';
import { emulatorEnv, validEnv } from '../emulators/env.js';
import { startImageCdn, type ImageCdn } from '../emulators/image-cdn.js';
import { imageIdOf, makeArtist, makeTrack } from '../emulators/spotify-fixtures.js';
import type { SpotifyEmulator } from '../emulators/spotify.js';
import type { AppTuning } from '../src/app.js';
import { startShardedBot, type ShardedBot } from '../src/sharding/manager.js';
import type { Storage } from '../src/storage.js';
import { harnessPerTest, OWNER_ID, type Harness } from './support/bot-harness.js';
import { REDIS_URL, requireRedis } from './support/redis.js';
import { buildApp, captureShardOutput, startSpotifyEmulator } from './support/spotify-app.js';

/** `n` top tracks, each on its own album (so `n` distinct covers), ranked in order. */
function tracksOnOwnAlbums(n: number, prefix = 'Song') {
  return Array.from({ length: n }, (_, i) => makeTrack({ name: `${prefix} ${i + 1}`, artistName: `Artist ${i + 1}`, albumName: `${prefix} Album ${i + 1}` }));
}

type Images = Array<{ url: string; width: number | null }>;
/** The id of the picture the bot fetches: Spotify's 300 px album image or 320 px artist image (not the 640 px ones). */
const coverId = (item: { album: { images: Images } } | { images: Images }): string =>
  imageIdOf('album' in item ? item.album.images.find((i) => i.width === 300)!.url : item.images.find((i) => i.width === 320)!.url)!;

type Option = { name: string; type: number; value: string };

async function settled(h: { discord: DiscordEmulator }, handle: InteractionHandle, timeoutMs = 10_000) {
  const message = await handle.finalMessage(timeoutMs);
  const uploads = h.discord.restLog.filter((r) => r.path.includes(handle.id) || r.path.includes(handle.token)).flatMap((r) => r.files);
  return { message, embed: message.embeds?.[0], attachments: handle.originalAttachments, uploads };
}

describe('/chart in one process', () => {
  const start = harnessPerTest();
  let cdn: ImageCdn | null = null;
  afterEach(async () => {
    await cdn?.close();
    cdn = null;
  });

  async function startWithCdn(tuning: AppTuning = {}): Promise<{ h: Harness; cdn: ImageCdn }> {
    cdn = await startImageCdn();
    const h = await start({ env: { SPOTIFY_IMAGES_URL: cdn.origin }, tuning });
    h.discord.addMember(h.discord.guildIds[0]!, { id: OWNER_ID, username: 'owner', globalName: 'Zoë' });
    return { h, cdn };
  }

  const chart = (h: Harness, options: Option[] = []) => h.discord.slashCommand({ name: 'chart', userId: OWNER_ID, options });

  it('3×3 top albums by default: a 960×1024 chart uploaded with the list in the embed, the 9 covers fetched once each', async () => {
    const { h, cdn } = await startWithCdn();
    const tracks = tracksOnOwnAlbums(12);
    h.spotify.setTop('tracks', tracks);
    const { embed, attachments, uploads } = await settled(h, chart(h));

    expect(uploads.map((u) => u.filename)).toEqual(['chart.jpg']);
    expect(attachments.map((a) => a.filename)).toEqual(['chart.jpg']);
    expect(embed?.image?.url).toBe('attachment://chart.jpg');
    expect(embed?.title).toBe("Zoë's top albums · Last 4 weeks");
    const lines = embed!.description!.split('\n');
    expect(lines).toHaveLength(9);
    expect(lines[0]).toBe('1. Song Album 1 — Artist 1');
    expect(attachments[0]!.description).toMatch(/^Cover chart, Zoë's top albums · Last 4 weeks: 1\. Song Album 1; 2\. Song Album 2/);

    const image = await loadImage(attachments[0]!.data);
    expect([image.width, image.height]).toEqual([960, 1024]);
    expect(attachments[0]!.data.length).toBeLessThan(2 * 1024 * 1024);
    expect(tracks.slice(0, 9).map((t) => cdn.fetchCount(coverId(t)))).toEqual(Array(9).fill(1));
    expect(cdn.totalFetches()).toBe(9);
    expect(h.spotify.count('top')).toBe(1);
  });

  it('5×5 fetches 25 covers once each, at most 6 at a time; the same chart again fetches none', async () => {
    const { h, cdn } = await startWithCdn();
    cdn.setLatency(30);
    const tracks = tracksOnOwnAlbums(30);
    h.spotify.setTop('tracks', tracks);
    const first = await settled(h, chart(h, [{ name: 'size', type: 3, value: '5x5' }]));
    expect(first.embed?.description!.split('\n')).toHaveLength(25);
    const image = await loadImage(first.attachments[0]!.data);
    expect([image.width, image.height]).toEqual([960, 1024]);
    expect(first.attachments[0]!.data.length).toBeLessThan(2 * 1024 * 1024);
    expect(tracks.slice(0, 25).map((t) => cdn.fetchCount(coverId(t)))).toEqual(Array(25).fill(1));
    expect(cdn.totalFetches()).toBe(25);
    expect(cdn.maxInFlight()).toBeGreaterThan(1);
    expect(cdn.maxInFlight()).toBeLessThanOrEqual(6);

    const again = await settled(h, chart(h, [{ name: 'size', type: 3, value: '5x5' }]));
    expect(again.attachments).toHaveLength(1);
    expect(cdn.totalFetches()).toBe(25);
  });

  it('albums are derived from the top tracks: an album with several top tracks ranks first, drawn once', async () => {
    const { h, cdn } = await startWithCdn();
    const single = tracksOnOwnAlbums(6);
    const album = Array.from({ length: 3 }, (_, i) => makeTrack({ name: `Hit ${i + 1}`, artistName: 'Big Band', albumName: 'The Big Album' }));
    h.spotify.setTop('tracks', [single[0]!, album[0]!, single[1]!, album[1]!, album[2]!, ...single.slice(2)]);
    const { embed } = await settled(h, chart(h));
    expect(embed!.description!.split('\n')[0]).toBe('1. The Big Album — Big Band');
    expect(embed!.description!.split('\n')).toHaveLength(7);
    expect(embed!.footer?.text).toBe('3×3 · 7 of 9 filled');
    expect(cdn.fetchCount(coverId(album[0]!))).toBe(1);
  });

  it('kind:artists draws artist pictures; kind:tracks and range pick the list', async () => {
    const { h, cdn } = await startWithCdn();
    const artists = Array.from({ length: 9 }, (_, i) => makeArtist({ name: `Band ${i + 1}` }));
    h.spotify.setTop('artists', artists);
    const byArtist = await settled(h, chart(h, [{ name: 'kind', type: 3, value: 'artists' }]));
    expect(byArtist.embed?.title).toBe("Zoë's top artists · Last 4 weeks");
    expect(byArtist.embed?.description!.split('\n')[0]).toMatch(/^1\. \[Band 1\]\(https:\/\/open\.spotify\.com\/artist\/\w+\)$/);
    expect(artists.map((a) => cdn.fetchCount(coverId(a)))).toEqual(Array(9).fill(1));

    h.spotify.setTop('tracks', tracksOnOwnAlbums(4, 'Old'), 'long_term');
    const longTracks = await settled(h, chart(h, [{ name: 'kind', type: 3, value: 'tracks' }, { name: 'range', type: 3, value: 'long_term' }]));
    expect(longTracks.embed?.title).toBe("Zoë's top tracks · Last year");
    expect(longTracks.embed?.description!.split('\n')[0]).toMatch(/^1\. \[Old 1\]\(.+\) — Artist 1$/);
    expect(longTracks.attachments).toHaveLength(1);
  });

  it('a missing cover gets a placeholder tile (logged once), and the chart still goes out', async () => {
    const { h, cdn } = await startWithCdn();
    const tracks = tracksOnOwnAlbums(9);
    cdn.setFault(coverId(tracks[4]!), 'not-found');
    h.spotify.setTop('tracks', tracks);
    const { attachments } = await settled(h, chart(h));
    expect(attachments).toHaveLength(1);
    expect(h.logs.lines.filter((l) => l.includes('placeholder') && l.includes('http-status'))).toHaveLength(1);
  });

  it('nothing to chart: a text reply without a file', async () => {
    const { h } = await startWithCdn();
    h.spotify.setTop('tracks', []);
    const { embed, uploads } = await settled(h, chart(h));
    expect(uploads).toEqual([]);
    expect(embed?.image).toBeUndefined();
    expect(embed?.description).toMatch(/^Nothing to chart yet/);
  });

  it('a chart that cannot be drawn is the list, saying so; the cause is logged once', async () => {
    const { h } = await startWithCdn({
      pictures: {
        drawers: {
          chart: async () => {
            throw new RangeError('Invalid canvas size');
          },
        },
      },
    });
    h.spotify.setTop('tracks', tracksOnOwnAlbums(9));
    for (let i = 0; i < 2; i++) {
      const { embed, uploads } = await settled(h, chart(h));
      expect(uploads).toEqual([]);
      expect(embed?.image).toBeUndefined();
      expect(embed?.description!.split('\n')).toHaveLength(9);
      expect(embed?.footer?.text).toMatch(/couldn't be drawn/);
    }
    expect(h.logs.lines.filter((l) => l.includes('could not draw the chart'))).toHaveLength(1);
  });
});

const redis = await requireRedis();
const GUILDS = [guildIdForShard(0, 2), guildIdForShard(1, 2)];

describe.runIf(redis)('/chart under SHARDS=2', () => {
  let spotify: SpotifyEmulator;
  let discord: DiscordEmulator;
  let cdn: ImageCdn;
  let storage: Storage;
  let sharded: ShardedBot;
  const saved = { ...process.env };
  // What the shard processes print (their warnings) is kept here, not let through to the test run's output.
  const shardOutput = captureShardOutput();

  beforeAll(async () => {
    spotify = await startSpotifyEmulator();
    cdn = await startImageCdn();
    discord = await DiscordEmulator.start({ token: validEnv().DISCORD_TOKEN, shardCount: 2, maxConcurrency: 2, guildIds: GUILDS });
    const env = { ...emulatorEnv(discord, spotify), STORAGE_URL: REDIS_URL, PRESENCE_CRON: 'off', LOG_LEVEL: 'warn', SPOTIFY_IMAGES_URL: cdn.origin };
    // The shard processes read their settings from the environment, as under `npm start`.
    Object.assign(process.env, validEnv(env));
    let app;
    ({ app, storage } = await buildApp(spotify, { env }));
    await storage.delete('spotify:access:owner');
    await storage.delete('spotify:grant:owner');
    await storage.delete('spotify:top:owner:tracks:short_term');
    sharded = await startShardedBot(app, { totalShards: 2, commands, spawnDelayMs: 0, shardOutput: shardOutput.sink });
    await sharded.ready;
  }, 60_000);

  afterAll(async () => {
    await sharded?.stop();
    await storage?.close();
    await discord?.close();
    await cdn?.close();
    await spotify?.close();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it("the shard holding the guild draws the chart from the manager's data, each cover fetched once", async () => {
    const tracks = tracksOnOwnAlbums(9, 'Shard');
    spotify.setTop('tracks', tracks);
    const handle = discord.slashCommand({ name: 'chart', guildId: GUILDS[1] });
    expect(handle.shard).toBe(1);
    const { embed, attachments, uploads } = await settled({ discord }, handle, 20_000);
    expect(uploads.map((u) => u.filename)).toEqual(['chart.jpg']);
    expect(embed?.image?.url).toBe('attachment://chart.jpg');
    expect(embed?.description!.split('\n')[0]).toBe('1. Shard Album 1 — Artist 1');
    const image = await loadImage(attachments[0]!.data);
    expect([image.width, image.height]).toEqual([960, 1024]);
    expect(tracks.map((t) => cdn.fetchCount(coverId(t)))).toEqual(Array(9).fill(1));
    expect(spotify.count('top')).toBe(1);
  }, 40_000);
});
