// /stats and /serverstats through the real bot, both emulators and a real store (a SQLite file, and PostgreSQL when
// it is up): plays seeded at known times, then the numbers in the replies checked — counts, listening time (ms played,
// else the track's length), distinct counts, top 5s, the change against the period before — the refusals ("only me",
// no shared server, DMs), the server view's members (left, "only me", not recording are not counted), and the
// picture decoded: bars where the plays are, none where there are none. And both answered by a shard (SHARDS=2).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.js';
import { DiscordEmulator, guildIdForShard, type InteractionHandle } from '../emulators/discord.js';
import { emulatorEnv, validEnv } from '../emulators/env.js';
import type { SpotifyEmulator } from '../emulators/spotify.js';
import type { App } from '../src/app.js';
import { startShardedBot, type ShardedBot } from '../src/sharding/manager.js';
import type { Storage } from '../src/storage.js';
import type { AppTuning } from '../src/app.js';
import type { HistoryUser, PlayInput } from '../src/history/play.js';
import { dayBuckets, STATS_HEIGHT, STATS_LAYOUT, STATS_WIDTH } from '../src/render/stats.js';
import { EPHEMERAL, embedText, OWNER_ID, startHarness, type Harness } from './support/bot-harness.js';
import { createTestDatabase, requirePostgres, type TestDatabase } from './support/postgres.js';
import { REDIS_URL, requireRedis } from './support/redis.js';
import { buildApp, captureShardOutput, startSpotifyEmulator } from './support/spotify-app.js';

const MIA = { id: '1190000000000000301', username: 'mia', globalName: 'Mia' };
const LEO = { id: '1190000000000000302', username: 'leo', globalName: 'Leo' };
const ZOE = { id: '1190000000000000303', username: 'zoe', globalName: 'Zoë' };
const GONE = { id: '1190000000000000304', username: 'gone', globalName: 'Gone' };
const STRANGER = { id: '1190000000000000305', username: 'sam', globalName: 'Sam' };

const DAY = 86_400_000;
/** The bot's clock: noon UTC, so "N days ago" falls on a known day and hour. */
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);

const postgres = await requirePostgres();
const ENGINES: Array<'sqlite' | 'postgres'> = postgres ? ['sqlite', 'postgres'] : ['sqlite'];

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

async function startOn(engine: 'sqlite' | 'postgres', tuning: AppTuning = {}): Promise<Harness> {
  dir = mkdtempSync(join(tmpdir(), 'npb-stats-e2e-'));
  let url = `sqlite://${join(dir, 'bot.sqlite')}`;
  if (engine === 'postgres') {
    database = await createTestDatabase();
    url = database.url;
  }
  harness = await startHarness({ env: { HISTORY: 'on', STORAGE_URL: url }, tuning: { ...tuning, now: () => NOW } });
  const guildId = harness.discord.guildIds[0]!;
  harness.discord.addMember(guildId, { id: OWNER_ID, username: 'owner', globalName: 'Owner' });
  for (const member of [MIA, LEO, ZOE, GONE]) harness.discord.addMember(guildId, member);
  harness.discord.addUser(STRANGER);
  return harness;
}

function play(artist: string, title: string, album: string | null, agoMs: number, ms: { played?: number; duration?: number }): PlayInput {
  const startedAt = NOW - agoMs;
  const length = ms.played ?? ms.duration ?? 0;
  return {
    title,
    artist,
    album,
    trackId: null,
    imageId: null,
    startedAt,
    endedAt: startedAt + length,
    msPlayed: ms.played ?? null,
    durationMs: ms.duration ?? null,
    source: 'import-extended',
  };
}

/** Mia's plays: six in the last 30 days (three in the last 7), four in the 30 before, one older still. */
const MIA_PLAYS: PlayInput[] = [
  play('Dua Lipa', 'Levitating', 'Future Nostalgia', 1 * DAY, { played: 200_000 }),
  // No ms played: the track's length counts.
  play('Dua Lipa', 'Levitating', 'Future Nostalgia', 2 * DAY, { duration: 180_000 }),
  play('Dua Lipa', 'Houdini', 'Future Nostalgia', 3 * DAY, { played: 100_000 }),
  play('宇多田ヒカル', 'First Love', 'First Love', 10 * DAY, { played: 240_000 }),
  play('宇多田ヒカル', 'First Love', 'First Love', 20 * DAY, { played: 240_000 }),
  play('فيروز', 'كيفك إنت', null, 29 * DAY, { played: 60_000 }),
  ...[31, 40, 50, 59].map((d) => play('Old Band', `Old ${d}`, 'Old Album', d * DAY, { played: 100_000 })),
  play('Older Band', 'Ancient', 'Ancient Album', 61 * DAY, { played: 100_000 }),
];

/** Plays straight into the store (as an import would add them); `owner` or a Discord id. */
async function seed(h: Harness, user: string, plays: PlayInput[]): Promise<void> {
  const added = await h.app.history!.addPlays(user as HistoryUser, plays);
  expect(added.added).toBe(plays.length);
}

type Option = { name: string; type: number; value: string };
const stats = (h: Harness, userId: string, options: Option[] = [], extra: { guildId?: string | null } = {}): InteractionHandle =>
  h.discord.slashCommand({ name: 'stats', userId, options, ...extra });
const period = (value: string): Option => ({ name: 'period', type: 3, value });
const user = (id: string): Option => ({ name: 'user', type: 6, value: id });

async function decode(data: Buffer) {
  const image = await loadImage(data);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const all = ctx.getImageData(0, 0, image.width, image.height).data;
  const px = (x: number, y: number): number[] => {
    const i = (Math.round(y) * image.width + Math.round(x)) * 4;
    return [all[i]!, all[i + 1]!, all[i + 2]!];
  };
  return { width: image.width, height: image.height, px };
}

const green = (rgb: number[]): boolean => rgb[1]! > 150 && rgb[0]! < 90 && rgb[2]! < 140;
/** The pixel just above the axis in the middle of bar `i` of `n` in a chart. */
const barFoot = (rect: { x: number; y: number; w: number; h: number }, i: number, n: number): [number, number] => [rect.x + (i + 0.5) * (rect.w / n), rect.y + rect.h - 2];

describe.each(ENGINES)('/stats on %s', (engine) => {
  it('counts plays, time, distinct tracks, artists and albums, the top 5s and the change, and draws them', async () => {
    const h = await startOn(engine);
    await seed(h, MIA.id, MIA_PLAYS);

    const handle = stats(h, MIA.id);
    const month = await handle.finalMessage(10_000);
    const text = embedText(month);
    expect(month.flags ?? 0).not.toBe(EPHEMERAL);
    expect(text).toContain("Mia's listening · Last 30 days");
    // 200 + 180 + 100 + 240 + 240 + 60 s = 17 min.
    expect(text).toContain('**6 plays** · **17 min** listened');
    expect(text).toContain('4 tracks · 3 artists · 2 albums');
    // 6 against 4 plays, 1,020 s against 400 s.
    expect(text).toContain('plays ↑ 50 % · time ↑ 155 % against the 30 days before (4 plays, 6 min)');
    expect(text).toContain('1. Dua Lipa · 3 plays\\n2. 宇多田ヒカル · 2 plays\\n3. فيروز · 1 play');
    expect(text).toContain('Levitating — Dua Lipa · 2 plays');
    expect(text).toContain('First Love — 宇多田ヒカル · 2 plays');
    expect(text).toContain('Houdini — Dua Lipa · 1 play');
    expect(text).toContain('1. Future Nostalgia — Dua Lipa · 3 plays\\n2. First Love — 宇多田ヒカル · 2 plays');
    expect(text).not.toContain('Old Band');
    expect(text).toContain('Days and hours in UTC');

    expect(handle.originalAttachments.map((a) => a.filename)).toEqual(['stats.jpg']);
    expect(month.embeds?.[0]?.image?.url).toBe('attachment://stats.jpg');
    expect(handle.originalAttachments[0]!.description).toContain('Listening chart, Mia · Last 30 days: 6 plays, 17 min');

    const week = stats(h, MIA.id, [period('week')]);
    const weekText = embedText(await week.finalMessage(10_000));
    expect(weekText).toContain("Mia's listening · Last 7 days");
    expect(weekText).toContain('**3 plays** · **8 min** listened');
    expect(weekText).toContain('2 tracks · 1 artist · 1 album');
    // 3 against the one play 10 days ago; 480 s against 240 s.
    expect(weekText).toContain('plays ↑ 200 % · time ↑ 100 % against the 7 days before (1 play, 4 min)');

    // The week's picture: 8 calendar days (a rolling 7 × 24 h from noon), bars on the days and the hour played.
    const image = await decode(week.originalAttachments[0]!.data);
    expect([image.width, image.height]).toEqual([STATS_WIDTH, STATS_HEIGHT]);
    const days = Array.from({ length: 8 }, (_, i) => new Date(NOW - (7 - i) * DAY).toISOString().slice(0, 10));
    expect(dayBuckets(days.map((day) => ({ day, ms: 0 }))).buckets).toHaveLength(8);
    const played = new Set([1, 2, 3].map((d) => new Date(NOW - d * DAY).toISOString().slice(0, 10)));
    days.forEach((day, i) => expect(green(image.px(...barFoot(STATS_LAYOUT.days, i, days.length))), day).toBe(played.has(day)));
    for (let hour = 0; hour < 24; hour++) expect(green(image.px(...barFoot(STATS_LAYOUT.hours, hour, 24))), `hour ${hour}`).toBe(hour === 12);

    const all = embedText(await stats(h, MIA.id, [period('all')]).finalMessage(10_000));
    expect(all).toContain("Mia's listening · All time");
    expect(all).toContain('**11 plays**');
    expect(all).not.toContain('against');

    const year = embedText(await stats(h, MIA.id, [period('year')]).finalMessage(10_000));
    expect(year).toContain('**11 plays** · **25 min** listened');
    expect(year).toContain('9 tracks · 5 artists · 4 albums');
    expect(year).toContain('Nothing in the 365 days before.');
    expect(year).toContain('1. Old Band · 4 plays');
  });

  it("someone else's stats: shown in a shared server, refused for \"only me\", outside it and in DMs; empty says so", async () => {
    const h = await startOn(engine);
    await seed(h, MIA.id, MIA_PLAYS);
    await seed(h, STRANGER.id, MIA_PLAYS.slice(0, 1));

    const shown = embedText(await stats(h, LEO.id, [user(MIA.id), period('week')]).finalMessage(10_000));
    expect(shown).toContain("Mia's listening · Last 7 days");
    expect(shown).toContain('**3 plays**');

    const stranger = await stats(h, LEO.id, [user(STRANGER.id)]).finalMessage(10_000);
    expect(stranger.flags).toBe(EPHEMERAL);
    expect(embedText(stranger)).toContain('only be shown in a server you both share');
    expect(embedText(stranger)).not.toContain('play');

    const inDm = await stats(h, LEO.id, [user(MIA.id)], { guildId: null }).finalMessage(10_000);
    expect(inDm.flags).toBe(EPHEMERAL);
    expect(embedText(inDm)).toContain('only be shown in a server you both share');

    // Mia (no Spotify link) chooses "only me": kept with her history.
    await h.discord.slashCommand({ name: 'spotify', subcommand: 'privacy', userId: MIA.id, options: [{ name: 'visibility', type: 3, value: 'private' }] }).finalMessage();
    const hidden = await stats(h, LEO.id, [user(MIA.id)]).finalMessage(10_000);
    expect(hidden.flags).toBe(EPHEMERAL);
    expect(embedText(hidden)).toContain('keeps their listening private');
    expect(embedText(hidden)).not.toContain('play');
    // Her own are still hers to see.
    expect(embedText(await stats(h, MIA.id).finalMessage(10_000))).toContain('**6 plays**');

    const empty = stats(h, LEO.id, [period('week')]);
    const emptyText = embedText(await empty.finalMessage(10_000));
    expect(emptyText).toContain("Leo's listening · Last 7 days");
    expect(emptyText).toContain('has no plays in this period');
    expect(empty.originalAttachments).toHaveLength(0);
  });

  it('a member with one play; the hours follow the bot\'s TZ', async () => {
    const h = await startOn(engine);
    await seed(h, ZOE.id, [play('عمرو دياب', 'تملي معاك', 'تملي معاك', 2 * DAY, { played: 150_000 })]);
    const previous = process.env.TZ;
    process.env.TZ = 'Asia/Tokyo';
    try {
      const handle = stats(h, ZOE.id, [period('week')]);
      const text = embedText(await handle.finalMessage(10_000));
      expect(text).toContain('**1 play** · **2 min** listened');
      expect(text).toContain('1 track · 1 artist · 1 album');
      expect(text).toContain('Nothing in the 7 days before.');
      expect(text).toContain('Days and hours in Asia/Tokyo');
      // Noon UTC is 21:00 in Tokyo.
      const image = await decode(handle.originalAttachments[0]!.data);
      for (let hour = 0; hour < 24; hour++) expect(green(image.px(...barFoot(STATS_LAYOUT.hours, hour, 24))), `hour ${hour}`).toBe(hour === 21);
      const numbers = await h.app.services.stats.user(ZOE.id, 'week');
      expect(numbers.hours[21]).toBe(150_000);
      expect(numbers.days.find((d) => d.ms > 0)?.day).toBe('2026-11-29');
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });
});

describe('/stats when the picture fails', () => {
  it('sends the text reply alone, saying so, and logs the cause once', async () => {
    const h = await startOn('sqlite', {
      pictures: {
        drawers: {
          stats: async () => {
            throw new Error('canvas exploded');
          },
        },
      },
    });
    await seed(h, MIA.id, MIA_PLAYS);
    for (let i = 0; i < 2; i++) {
      const handle = stats(h, MIA.id);
      const text = embedText(await handle.finalMessage(10_000));
      expect(text).toContain('**6 plays** · **17 min** listened');
      expect(text).toContain("The picture couldn't be drawn this time");
      expect(handle.originalAttachments).toHaveLength(0);
    }
    expect(h.logs.lines.filter((l) => l.includes('could not draw the stats'))).toHaveLength(1);
  });
});

describe.each(ENGINES)('/serverstats on %s', (engine) => {
  it("counts only members here now, recording and not \"only me\", with the top listeners by plays and by time", async () => {
    const h = await startOn(engine);
    const guildId = h.discord.guildIds[0]!;
    // The owner: recorded by default. Three short plays.
    await seed(h, 'owner', [1, 2, 3].map((d) => play('Dua Lipa', 'Levitating', 'Future Nostalgia', d * DAY, { played: 60_000 })));
    // Leo and Zoë and Gone chose /history on; Mia never did (her imported plays are hers, not the server's).
    for (const member of [LEO, ZOE, GONE]) await h.discord.slashCommand({ name: 'history', subcommand: 'on', userId: member.id }).finalMessage();
    await seed(h, LEO.id, [4, 5].map((d) => play('Dua Lipa', 'Houdini', 'Future Nostalgia', d * DAY, { played: 300_000 })));
    await seed(h, ZOE.id, [play('Secret', 'Hidden', 'Nobody', DAY, { played: 100_000 })]);
    await seed(h, GONE.id, [play('Left', 'Behind', 'Away', DAY, { played: 100_000 })]);
    await seed(h, MIA.id, [play('Not', 'Counted', 'Here', DAY, { played: 100_000 })]);
    await h.discord.slashCommand({ name: 'spotify', subcommand: 'privacy', userId: ZOE.id, options: [{ name: 'visibility', type: 3, value: 'private' }] }).finalMessage();
    h.discord.removeMember(guildId, GONE.id);

    const handle = h.discord.slashCommand({ name: 'serverstats', userId: LEO.id, options: [period('week')] });
    const message = await handle.finalMessage(10_000);
    const text = embedText(message);
    expect(text).toContain('· Last 7 days');
    expect(text).toContain('2 recorded members together');
    // 3 × 60 s + 2 × 300 s = 13 min.
    expect(text).toContain('**5 plays** · **13 min** listened');
    expect(text).toContain('2 tracks · 1 artist · 1 album');
    expect(text).toContain('1. Dua Lipa · 5 plays');
    for (const absent of ['Secret', 'Left', 'Counted']) expect(text).not.toContain(absent);
    // By plays the owner leads; by time Leo.
    expect(text).toContain(`"Top listeners by plays","value":"1. <@${OWNER_ID}> · 3 plays\\n2. <@${LEO.id}> · 2 plays"`);
    expect(text).toContain(`"Top listeners by time","value":"1. <@${LEO.id}> · 10 min\\n2. <@${OWNER_ID}> · 3 min"`);
    expect(handle.originalAttachments.map((a) => a.filename)).toEqual(['stats.jpg']);
    const image = await decode(handle.originalAttachments[0]!.data);
    expect([image.width, image.height]).toEqual([STATS_WIDTH, STATS_HEIGHT]);
    for (let hour = 0; hour < 24; hour++) expect(green(image.px(...barFoot(STATS_LAYOUT.hours, hour, 24))), `hour ${hour}`).toBe(hour === 12);

    const month = embedText(await h.discord.slashCommand({ name: 'serverstats', userId: LEO.id, options: [period('month')] }).finalMessage(10_000));
    expect(month).toContain('Nothing in the 30 days before.');
  });

  it('an empty period says so, with no picture', async () => {
    const h = await startOn(engine);
    const handle = h.discord.slashCommand({ name: 'serverstats', userId: LEO.id });
    expect(embedText(await handle.finalMessage(10_000))).toContain("This server's recorded members have no plays in this period (last 30 days)");
    expect(handle.originalAttachments).toHaveLength(0);
  });
});

describe.runIf(await requireRedis())('/stats and /serverstats under SHARDS=2', () => {
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
    shardDir = mkdtempSync(join(tmpdir(), 'npb-stats-shards-'));
    spotify = await startSpotifyEmulator();
    discord = await DiscordEmulator.start({ token: validEnv().DISCORD_TOKEN, shardCount: 2, maxConcurrency: 2, guildIds: GUILDS });
    for (const member of [MIA, LEO]) discord.addMember(GUILDS[1]!, member);
    const env = {
      ...emulatorEnv(discord, spotify),
      STORAGE_URL: REDIS_URL,
      HISTORY: 'on',
      HISTORY_URL: `sqlite://${join(shardDir, 'history.sqlite')}`,
      PRESENCE_CRON: 'off',
      LOG_LEVEL: 'warn',
    };
    Object.assign(process.env, validEnv(env));
    // The manager holds the history store and the clock the numbers are computed with.
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

  it('the shard holding the server answers from the manager\'s store, with the picture', async () => {
    await app.history!.addPlays(MIA.id as HistoryUser, MIA_PLAYS);
    const handle = discord.slashCommand({ name: 'stats', guildId: GUILDS[1], userId: LEO.id, options: [user(MIA.id)] });
    expect(handle.shard).toBe(1);
    const text = embedText(await handle.finalMessage(20_000));
    expect(text).toContain("Mia's listening · Last 30 days");
    expect(text).toContain('**6 plays** · **17 min** listened');
    expect(text).toContain('plays ↑ 50 % · time ↑ 155 %');
    expect(handle.originalAttachments.map((a) => a.filename)).toEqual(['stats.jpg']);
    expect((await decode(handle.originalAttachments[0]!.data)).width).toBe(STATS_WIDTH);

    // Mia never chose /history on: her imported plays are hers, not the server's; Leo's are.
    await discord.slashCommand({ name: 'history', subcommand: 'on', guildId: GUILDS[1], userId: LEO.id }).finalMessage(20_000);
    await app.history!.addPlays(LEO.id as HistoryUser, [play('Dua Lipa', 'Houdini', 'Future Nostalgia', DAY, { played: 300_000 })]);
    const server = discord.slashCommand({ name: 'serverstats', guildId: GUILDS[1], userId: LEO.id, options: [period('week')] });
    expect(server.shard).toBe(1);
    const serverText = embedText(await server.finalMessage(20_000));
    expect(serverText).toContain('1 recorded member together');
    expect(serverText).toContain('**1 play** · **5 min** listened');
    expect(serverText).toContain(`1. <@${LEO.id}> · 1 play`);
  }, 60_000);
});
