// /wrapped through the real bot, both emulators, the image CDN emulator and a real store (a SQLite file, and
// PostgreSQL when it is up): a year seeded at known times, then the numbers in the text checked — minutes, the top
// artist, top songs and artists, the month and the day listened most (in the bot's TZ), the server's biggest fan of the
// top artist (members here now, recording, not "only me") — and the tall picture decoded with the top artist's cover
// in it. Any year the history covers; an empty year says which years there are; the consent refusals. And /wrapped
// and /taste answered by a shard under SHARDS=2.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.js';
import { DiscordEmulator, guildIdForShard, type InteractionHandle } from '../emulators/discord.js';
import { emulatorEnv, validEnv } from '../emulators/env.js';
import { startImageCdn, type ImageCdn } from '../emulators/image-cdn.js';
import type { SpotifyEmulator } from '../emulators/spotify.js';
import type { App } from '../src/app.js';
import type { HistoryUser, PlayInput } from '../src/history/play.js';
import { WRAPPED_HEIGHT, WRAPPED_LAYOUT, WRAPPED_WIDTH } from '../src/render/wrapped.js';
import { startShardedBot, type ShardedBot } from '../src/sharding/manager.js';
import type { Storage } from '../src/storage.js';
import { EPHEMERAL, embedText, startHarness, type Harness } from './support/bot-harness.js';
import { createTestDatabase, requirePostgres, type TestDatabase } from './support/postgres.js';
import { REDIS_URL, requireRedis } from './support/redis.js';
import { buildApp, captureShardOutput, startSpotifyEmulator } from './support/spotify-app.js';

const MIA = { id: '1190000000000000501', username: 'mia', globalName: 'Mia' };
const LEO = { id: '1190000000000000502', username: 'leo', globalName: 'Leo' };
const ZOE = { id: '1190000000000000503', username: 'zoe', globalName: 'Zoë' };
const GONE = { id: '1190000000000000504', username: 'gone', globalName: 'Gone' };
const STRANGER = { id: '1190000000000000505', username: 'sam', globalName: 'Sam' };

/** The bot's clock: 1 December 2026, noon UTC. */
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const COVER = 'ab67616d0000b273dualipa';

const postgres = await requirePostgres();
const ENGINES: Array<'sqlite' | 'postgres'> = postgres ? ['sqlite', 'postgres'] : ['sqlite'];

let cdn: ImageCdn;
beforeAll(async () => {
  cdn = await startImageCdn();
});
afterAll(async () => {
  await cdn?.close();
});

let dir = '';
let database: TestDatabase | null = null;
let harness: Harness | null = null;

afterEach(async () => {
  await harness?.stop();
  harness = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
  await database?.drop();
  database = null;
});

async function startOn(engine: 'sqlite' | 'postgres'): Promise<Harness> {
  dir = mkdtempSync(join(tmpdir(), 'npb-wrapped-e2e-'));
  let url = `sqlite://${join(dir, 'bot.sqlite')}`;
  if (engine === 'postgres') {
    database = await createTestDatabase();
    url = database.url;
  }
  harness = await startHarness({ env: { HISTORY: 'on', STORAGE_URL: url, SPOTIFY_IMAGES_URL: cdn.origin }, tuning: { now: () => NOW } });
  const guildId = harness.discord.guildIds[0]!;
  for (const member of [MIA, LEO, ZOE, GONE]) harness.discord.addMember(guildId, member);
  harness.discord.addUser(STRANGER);
  return harness;
}

/** `n` plays of a track from `at` on (ten minutes apart: plays of one track close in time are one), each `ms` long. */
function plays(artist: string, title: string, at: string, n: number, ms: number, imageId: string | null = null): PlayInput[] {
  return Array.from({ length: n }, (_, i) => {
    const startedAt = Date.parse(at) + i * 600_000;
    return { title, artist, album: null, trackId: null, imageId, startedAt, endedAt: startedAt + ms, msPlayed: ms, durationMs: null, source: 'import-extended' };
  });
}

/**
 * Mia's 2026 (UTC): 14 Mar Levitating ×3 (200 s) · 20 Mar First Love (240 s) · 4 Jul First Love ×2 (240 s) and
 * كيفك إنت (100 s) · 30 Nov Houdini (100 s) = 8 plays, 1,520 s → 25 minutes. March 840 s (14 min), 14 Mar 600 s
 * (10 min) against 4 Jul's 580 s. Before: 31 Dec 2025 20:00 UTC (already 2026 in Tokyo), and one play in 2024.
 */
const MIA_PLAYS: PlayInput[] = [
  ...plays('Dua Lipa', 'Levitating', '2026-03-14T10:00:00Z', 3, 200_000, COVER),
  ...plays('宇多田ヒカル', 'First Love', '2026-03-20T10:00:00Z', 1, 240_000),
  ...plays('宇多田ヒカル', 'First Love', '2026-07-04T10:00:00Z', 2, 240_000),
  ...plays('فيروز', 'كيفك إنت', '2026-07-04T11:00:00Z', 1, 100_000),
  ...plays('Dua Lipa', 'Houdini', '2026-11-30T10:00:00Z', 1, 100_000),
  ...plays('Old Band', 'Ancient', '2025-12-31T20:00:00Z', 1, 100_000),
  ...plays('Older Band', 'Once', '2024-06-01T10:00:00Z', 1, 150_000),
];

async function seed(app: App, user: string, list: PlayInput[]): Promise<void> {
  expect((await app.history!.addPlays(user as HistoryUser, list)).added).toBe(list.length);
}

type Option = { name: string; type: number; value: string | number };
const wrapped = (discord: DiscordEmulator, userId: string, options: Option[] = [], extra: { guildId?: string | null } = {}): InteractionHandle =>
  discord.slashCommand({ name: 'wrapped', userId, options, ...extra });
const year = (value: number): Option => ({ name: 'year', type: 4, value });
const user = (id: string): Option => ({ name: 'user', type: 6, value: id });

async function decode(data: Buffer) {
  const image = await loadImage(data);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return { width: image.width, height: image.height, ctx };
}

/** Coarse colours in the cover's square: the CDN's cover is striped and busy, the placeholder a smooth gradient. */
async function coverColours(data: Buffer): Promise<number> {
  const { ctx } = await decode(data);
  const { x, y, size } = WRAPPED_LAYOUT.cover;
  const px = ctx.getImageData(x + 40, y + 40, size - 80, size - 80).data;
  const seen = new Set<number>();
  for (let i = 0; i < px.length; i += 4) seen.add(((px[i]! >> 4) << 8) | ((px[i + 1]! >> 4) << 4) | (px[i + 2]! >> 4));
  return seen.size;
}

function expectMiasYear(text: string): void {
  expect(text).toContain("🎁 Mia's 2026 Wrapped");
  expect(text).toContain('**25 minutes** listened · 8 plays');
  expect(text).toContain('4 tracks · 3 artists');
  expect(text).toContain('Top artist: **Dua Lipa** · 4 plays');
  expect(text).toContain('Month listened most: **March** (14 min)');
  expect(text).toContain('Day listened most: **Saturday, March 14** (10 min)');
  // A tie on plays goes to the longer listening: First Love (720 s) before Levitating (600 s).
  expect(text).toContain('1. First Love — 宇多田ヒカル · 3 plays\\n2. Levitating — Dua Lipa · 3 plays\\n3. Houdini — Dua Lipa · 1 play\\n4. كيفك إنت — فيروز · 1 play"');
  expect(text).toContain('1. Dua Lipa · 4 plays\\n2. 宇多田ヒカル · 3 plays\\n3. فيروز · 1 play"');
  expect(text).not.toContain('Old Band');
}

describe.each(ENGINES)('/wrapped on %s', (engine) => {
  it("a year's numbers, the server's biggest fan, and the tall picture with the top artist's cover", async () => {
    const h = await startOn(engine);
    const guildId = h.discord.guildIds[0]!;
    await seed(h.app, MIA.id, MIA_PLAYS);
    // Fans of Dua Lipa: Leo (6 this year) counts; Gone (10) left the server; Zoë (20) chose "only me".
    for (const member of [LEO, ZOE, GONE]) await h.discord.slashCommand({ name: 'history', subcommand: 'on', userId: member.id }).finalMessage(10_000);
    await seed(h.app, LEO.id, [...plays('Dua Lipa', 'Levitating', '2026-05-01T10:00:00Z', 6, 200_000), ...plays('Dua Lipa', 'Levitating', '2025-05-01T10:00:00Z', 30, 200_000)]);
    await seed(h.app, GONE.id, plays('Dua Lipa', 'Levitating', '2026-05-01T10:00:00Z', 10, 200_000));
    await seed(h.app, ZOE.id, plays('Dua Lipa', 'Levitating', '2026-05-01T10:00:00Z', 20, 200_000));
    await h.discord.slashCommand({ name: 'spotify', subcommand: 'privacy', userId: ZOE.id, options: [{ name: 'visibility', type: 3, value: 'private' }] }).finalMessage();
    h.discord.removeMember(guildId, GONE.id);

    // No year: this year (2026, by the bot's clock).
    const handle = wrapped(h.discord, MIA.id);
    const message = await handle.finalMessage(15_000);
    expect(message.flags ?? 0).not.toBe(EPHEMERAL);
    const text = embedText(message);
    expectMiasYear(text);
    expect(text).toContain(`Biggest fan of **Dua Lipa** here: <@${LEO.id}> · 6 plays`);
    expect(text).toContain('Months and days in UTC');

    expect(handle.originalAttachments.map((a) => a.filename)).toEqual(['wrapped.jpg']);
    expect(message.embeds?.[0]?.image?.url).toBe('attachment://wrapped.jpg');
    expect(handle.originalAttachments[0]!.description).toContain("Mia's 2026 Wrapped: 25 minutes, 8 plays; top artist Dua Lipa; most in March");
    const image = await decode(handle.originalAttachments[0]!.data);
    expect([image.width, image.height]).toEqual([WRAPPED_WIDTH, WRAPPED_HEIGHT]);
    expect(await coverColours(handle.originalAttachments[0]!.data)).toBeGreaterThan(40);

    // Leo asks for Mia's: the same year, in a server they share.
    expectMiasYear(embedText(await wrapped(h.discord, LEO.id, [user(MIA.id), year(2026)]).finalMessage(15_000)));

    // The service checks consent again, whatever ids it is given: Zoë ("only me") is never the fan. (Who is still in
    // the server is the caller's to say: Gone was left out above by the membership check.)
    const numbers = await h.app.services.wrapped.year(MIA.id, 2026, [ZOE.id, LEO.id]);
    expect(numbers.fan).toEqual({ userId: LEO.id, plays: 6 });
    expect(numbers.busiestDay).toEqual({ when: '2026-03-14', ms: 600_000, plays: 3 });

    // In DMs: no server, so no fan.
    const dm = embedText(await wrapped(h.discord, MIA.id, [year(2026)], { guildId: null }).finalMessage(15_000));
    expect(dm).toContain('**25 minutes** listened · 8 plays');
    expect(dm).not.toContain('Biggest fan');
  });

  it('any year the history covers (one play, no cover); an empty year names the years there are; the TZ moves the new year', async () => {
    const h = await startOn(engine);
    await seed(h.app, MIA.id, MIA_PLAYS);

    const once = wrapped(h.discord, MIA.id, [year(2024)]);
    const onceText = embedText(await once.finalMessage(15_000));
    expect(onceText).toContain("🎁 Mia's 2024 Wrapped");
    expect(onceText).toContain('**2 minutes** listened · 1 play');
    expect(onceText).toContain('Top artist: **Older Band** · 1 play');
    expect(onceText).toContain('Month listened most: **June** (2 min)');
    expect(onceText).toContain('Day listened most: **Saturday, June 1** (2 min)');
    // Only Mia's plays of Older Band in this server (she is not recording, so not counted for the server).
    expect(onceText).not.toContain('Biggest fan');
    expect(await coverColours(once.originalAttachments[0]!.data)).toBeLessThan(40);

    const empty = wrapped(h.discord, MIA.id, [year(2019)]);
    const emptyText = embedText(await empty.finalMessage(15_000));
    expect(emptyText).toContain('**Mia** has no plays stored in 2019.');
    expect(emptyText).toContain('Their stored history covers 2024–2026 (from 2024-06-01): try `/wrapped year:2026`.');
    expect(empty.originalAttachments).toHaveLength(0);

    const nobody = embedText(await wrapped(h.discord, LEO.id).finalMessage(15_000));
    expect(nobody).toContain('**Leo** has no plays stored in 2026.');
    expect(nobody).toContain('Nothing is stored yet');

    expect(embedText(await wrapped(h.discord, MIA.id, [year(2025)]).finalMessage(15_000))).toContain('listened · 1 play');
    const previous = process.env.TZ;
    process.env.TZ = 'Asia/Tokyo';
    try {
      // 31 Dec 2025 20:00 UTC is 1 Jan 2026 05:00 in Tokyo: 9 plays, 1,620 s.
      const tokyo = embedText(await wrapped(h.discord, MIA.id, [year(2026)]).finalMessage(15_000));
      expect(tokyo).toContain('**27 minutes** listened · 9 plays');
      expect(tokyo).toContain('Months and days in Asia/Tokyo');
      expect(embedText(await wrapped(h.discord, MIA.id, [year(2025)]).finalMessage(15_000))).toContain('has no plays stored in 2025');
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });

  it('someone else\'s year only in a shared server and never "only me"', async () => {
    const h = await startOn(engine);
    await seed(h.app, MIA.id, MIA_PLAYS);
    await seed(h.app, STRANGER.id, MIA_PLAYS);
    await h.discord.slashCommand({ name: 'spotify', subcommand: 'privacy', userId: MIA.id, options: [{ name: 'visibility', type: 3, value: 'private' }] }).finalMessage();

    const hidden = await wrapped(h.discord, LEO.id, [user(MIA.id)]).finalMessage(15_000);
    expect(hidden.flags).toBe(EPHEMERAL);
    expect(embedText(hidden)).toContain('keeps their listening private');
    expect(embedText(hidden)).not.toContain('minutes');

    const stranger = await wrapped(h.discord, LEO.id, [user(STRANGER.id)]).finalMessage(15_000);
    expect(stranger.flags).toBe(EPHEMERAL);
    expect(embedText(stranger)).toContain('only be shown in a server you both share');

    const inDm = await wrapped(h.discord, LEO.id, [user(MIA.id)], { guildId: null }).finalMessage(15_000);
    expect(inDm.flags).toBe(EPHEMERAL);
    expect(embedText(inDm)).toContain('only be shown in a server you both share');

    // Her own is still hers.
    expect(embedText(await wrapped(h.discord, MIA.id).finalMessage(15_000))).toContain('**25 minutes** listened');
  });
});

describe.runIf(await requireRedis())('/wrapped and /taste under SHARDS=2', () => {
  const GUILDS = [guildIdForShard(0, 2), guildIdForShard(1, 2)];
  let spotify: SpotifyEmulator;
  let discord: DiscordEmulator;
  let storage: Storage;
  let sharded: ShardedBot;
  let app: App;
  let shardDir = '';
  const saved = { ...process.env };
  const shardOutput = captureShardOutput();

  beforeAll(async () => {
    shardDir = mkdtempSync(join(tmpdir(), 'npb-wrapped-shards-'));
    spotify = await startSpotifyEmulator();
    discord = await DiscordEmulator.start({ token: validEnv().DISCORD_TOKEN, shardCount: 2, maxConcurrency: 2, guildIds: GUILDS });
    for (const member of [MIA, LEO]) discord.addMember(GUILDS[1]!, member);
    const env = {
      ...emulatorEnv(discord, spotify),
      STORAGE_URL: REDIS_URL,
      HISTORY: 'on',
      HISTORY_URL: `sqlite://${join(shardDir, 'history.sqlite')}`,
      SPOTIFY_IMAGES_URL: cdn.origin,
      PRESENCE_CRON: 'off',
      LOG_LEVEL: 'warn',
    };
    Object.assign(process.env, validEnv(env));
    ({ app, storage } = await buildApp(spotify, { env, tuning: { now: () => NOW } }));
    sharded = await startShardedBot(app, { totalShards: 2, commands, spawnDelayMs: 0, shardOutput: shardOutput.sink });
    await sharded.ready;
  }, 60_000);

  afterAll(async () => {
    await sharded?.stop();
    await storage?.close();
    await discord?.close();
    await spotify?.close();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    if (shardDir) rmSync(shardDir, { recursive: true, force: true });
  });

  it("the shard holding the server answers from the manager's store: the year with its fan and picture, and the taste score", async () => {
    await seed(app, MIA.id, MIA_PLAYS);
    await discord.slashCommand({ name: 'history', subcommand: 'on', guildId: GUILDS[1], userId: LEO.id }).finalMessage(20_000);
    await seed(app, LEO.id, plays('Dua Lipa', 'Levitating', '2026-05-01T10:00:00Z', 6, 200_000));

    const handle = wrapped(discord, LEO.id, [user(MIA.id)], { guildId: GUILDS[1]! });
    expect(handle.shard).toBe(1);
    const text = embedText(await handle.finalMessage(20_000));
    expectMiasYear(text);
    expect(text).toContain(`Biggest fan of **Dua Lipa** here: <@${LEO.id}> · 6 plays`);
    expect(handle.originalAttachments.map((a) => a.filename)).toEqual(['wrapped.jpg']);
    expect((await decode(handle.originalAttachments[0]!.data)).height).toBe(WRAPPED_HEIGHT);

    // Mia (all time): Dua Lipa 4 of 10 plays; Leo: Dua Lipa 6 of 6 → min(.4, 1) = 40%.
    const taste = discord.slashCommand({ name: 'taste', guildId: GUILDS[1], userId: MIA.id, options: [user(LEO.id)] });
    expect(taste.shard).toBe(1);
    const tasteText = embedText(await taste.finalMessage(20_000));
    expect(tasteText).toContain('🎧 Mia & Leo · All time');
    expect(tasteText).toContain('**40%** taste match');
    expect(tasteText).toContain('1. Dua Lipa · Mia 4 plays · Leo 6 plays"');
    expect(tasteText).toContain('"For Leo, from Mia","value":"**宇多田ヒカル** (Mia: 3 plays)"');
  }, 60_000);
});
