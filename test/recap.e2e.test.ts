// The weekly recap (/recap) through the real bot, both emulators and a real store (a SQLite file, and PostgreSQL
// when it is up): plays seeded at known times, the bot's clock on a Monday just after RECAP_CRON fired, then the
// post's numbers checked — top artists and tracks with their counts, top listeners, time listened, new artists —
// counting only members here now, recording and not "only me". One post per week (a second check, or a restart,
// posts nothing), nothing for a server with nothing recorded, a 403 turns it off with one DM and one log line, and a
// Monday missed while the bot was down is posted once at the next start. And each shard posts its own (SHARDS=2).
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadImage } from '@napi-rs/canvas';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.js';
import { DiscordEmulator, guildIdForShard, type ChannelMessageRecord, type MessagePayload } from '../emulators/discord.js';
import { emulatorEnv, validEnv } from '../emulators/env.js';
import type { SpotifyEmulator } from '../emulators/spotify.js';
import type { App } from '../src/app.js';
import { Recapper } from '../src/features/recap/recapper.js';
import { RECAP_STORAGE_KEY, type RecapSetting } from '../src/features/recap/service.js';
import type { HistoryUser, PlayInput } from '../src/history/play.js';
import { startShardedBot, type ShardedBot } from '../src/sharding/manager.js';
import type { Storage } from '../src/storage.js';
import { EPHEMERAL, embedText, OWNER_ID, startHarness, type Harness } from './support/bot-harness.js';
import { createTestDatabase, requirePostgres, type TestDatabase } from './support/postgres.js';
import { REDIS_URL, requireRedis } from './support/redis.js';
import { buildApp, captureShardOutput, startSpotifyEmulator } from './support/spotify-app.js';

const ADMIN = '1190000000000000401';
const LEO = { id: '1190000000000000402', username: 'leo', globalName: 'Leo' };
const ZOE = { id: '1190000000000000403', username: 'zoe', globalName: 'Zoë' };
const GONE = { id: '1190000000000000404', username: 'gone', globalName: 'Gone' };
const MIA = { id: '1190000000000000405', username: 'mia', globalName: 'Mia' };
const MANAGE_GUILD = String(PermissionFlagsBits.ManageGuild);
const GUILDS = ['1190000000000000011', '1190000000000000012'] as const;

const DAY = 86_400_000;
/** RECAP_CRON's default fires Mondays at 10:00 local time: 2026-12-07 is a Monday. */
const MONDAY = new Date(2026, 11, 7, 10, 0, 0).getTime();
const SUNDAY = MONDAY - DAY;

/** The bot's clock, moved by the test. */
class Clock {
  constructor(public at: number) {}
  readonly now = (): number => this.at;
}

const postgres = await requirePostgres();
const ENGINES: Array<'sqlite' | 'postgres'> = postgres ? ['sqlite', 'postgres'] : ['sqlite'];

let dir = '';
let database: TestDatabase | null = null;
const running: Harness[] = [];
let emulator: DiscordEmulator | null = null;

afterEach(async () => {
  for (const h of running.splice(0)) await h.stop();
  await emulator?.close();
  emulator = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
  await database?.drop();
  database = null;
});

/** One Discord world (two servers, their members, a channel each) kept across bot restarts. */
async function world(): Promise<{ discord: DiscordEmulator; channels: [string, string]; url: string }> {
  dir = mkdtempSync(join(tmpdir(), 'npb-recap-e2e-'));
  const discord = await DiscordEmulator.start({ token: validEnv().DISCORD_TOKEN, heartbeatIntervalMs: 5_000, guildIds: [...GUILDS] });
  emulator = discord;
  const [g1, g2] = GUILDS;
  discord.addMember(g1, { id: OWNER_ID, username: 'owner', globalName: 'Owner' });
  for (const member of [LEO, ZOE, GONE, MIA]) discord.addMember(g1, member);
  const channels: [string, string] = [discord.addChannel(g1, { name: 'recap' }), discord.addChannel(g2, { name: 'recap' })];
  return { discord, channels, url: `sqlite://${join(dir, 'bot.sqlite')}` };
}

async function startOn(engine: 'sqlite' | 'postgres', clock: Clock): Promise<{ h: Harness; channels: [string, string]; restart: (at: number) => Promise<Harness> }> {
  const { discord, channels, url: sqliteUrl } = await world();
  let url = sqliteUrl;
  if (engine === 'postgres') {
    database = await createTestDatabase();
    url = database.url;
  }
  const boot = async (): Promise<Harness> => {
    const h = await startHarness({ discordEmulator: discord, env: { HISTORY: 'on', STORAGE_URL: url }, tuning: { now: clock.now } });
    running.push(h);
    return h;
  };
  const h = await boot();
  const restart = async (at: number): Promise<Harness> => {
    for (const old of running.splice(0)) await old.stop();
    clock.at = at;
    const next = await boot();
    // The check made at start (a week owed while the bot was down).
    await next.bot.recap!.idle();
    return next;
  };
  return { h, channels, restart };
}

function play(artist: string, title: string, album: string | null, at: number, ms: number, imageId: string | null = null): PlayInput {
  return { title, artist, album, trackId: null, imageId, startedAt: at, endedAt: at + ms, msPlayed: ms, durationMs: null, source: 'import-extended' };
}

async function seed(h: Harness, user: string, plays: PlayInput[]): Promise<void> {
  expect((await h.app.history!.addPlays(user as HistoryUser, plays)).added).toBe(plays.length);
}

function recap(h: Harness, options: { channel?: string; off?: boolean; guildId?: string } = {}): Promise<MessagePayload> {
  return h.discord
    .slashCommand({
      name: 'recap',
      userId: ADMIN,
      memberPermissions: MANAGE_GUILD,
      ...(options.guildId ? { guildId: options.guildId } : {}),
      options: [
        ...(options.channel ? [{ name: 'channel', type: 7, value: options.channel }] : []),
        ...(options.off !== undefined ? [{ name: 'off', type: 5, value: options.off }] : []),
      ],
    })
    .finalMessage(10_000);
}

/**
 * The week before MONDAY 10:00: the owner 3 × Levitating (60 s), Leo 2 × Houdini (300 s), First Love (240 s) and
 * كيفك إنت (60 s). Leo heard Dua Lipa three weeks ago (not new); the owner's Old Band is 8 days old (not this week).
 * Zoë ("only me"), Gone (left the server) and Mia (never chose /history on) are not counted.
 */
async function seedWeek(h: Harness, base = MONDAY): Promise<void> {
  const ago = (days: number): number => base - days * DAY;
  for (const member of [LEO, ZOE, GONE]) {
    await h.discord.slashCommand({ name: 'history', subcommand: 'on', userId: member.id, guildId: GUILDS[0] }).finalMessage(10_000);
  }
  await h.discord
    .slashCommand({ name: 'spotify', subcommand: 'privacy', userId: ZOE.id, guildId: GUILDS[0], options: [{ name: 'visibility', type: 3, value: 'private' }] })
    .finalMessage(10_000);
  await seed(h, 'owner', [
    ...[1, 2, 3].map((d) => play('Dua Lipa', 'Levitating', 'Future Nostalgia', ago(d), 60_000, 'ab67616d0000b273aaaaaaaaaaaaaaaaaaaaaaaa')),
    play('Old Band', 'Old Song', 'Old Album', ago(8), 100_000),
  ]);
  await seed(h, LEO.id, [
    ...[4, 5].map((d) => play('Dua Lipa', 'Houdini', 'Future Nostalgia', ago(d), 300_000)),
    play('宇多田ヒカル', 'First Love', 'First Love', ago(1), 240_000),
    play('فيروز', 'كيفك إنت', null, ago(2), 60_000),
    play('Dua Lipa', 'Houdini', 'Future Nostalgia', ago(21), 300_000),
  ]);
  await seed(h, ZOE.id, [play('Secret', 'Hidden', 'Nobody', ago(1), 100_000)]);
  await seed(h, GONE.id, [play('Left', 'Behind', 'Away', ago(1), 100_000)]);
  await seed(h, MIA.id, [play('Not', 'Counted', 'Here', ago(1), 100_000)]);
  h.discord.removeMember(GUILDS[0], GONE.id);
}

/** Checks the week's post in `channel`: the numbers, the names, the chart. */
async function expectWeekPost(post: ChannelMessageRecord): Promise<void> {
  const text = embedText(post.body as MessagePayload);
  expect(text).toContain('Weekly recap');
  // 3 × 60 + 2 × 300 + 240 + 60 s = 18 min, by the owner and Leo.
  expect(text).toContain('**7 plays** · **18 min** listened by 2 recorded members');
  expect(text).toContain('4 tracks · 3 artists');
  expect(text).toContain('1. Dua Lipa · 5 plays\\n2. 宇多田ヒカル · 1 play\\n3. فيروز · 1 play');
  expect(text).toContain('1. Levitating — Dua Lipa · 3 plays\\n2. Houdini — Dua Lipa · 2 plays\\n3. First Love — 宇多田ヒカル · 1 play\\n4. كيفك إنت — فيروز · 1 play');
  expect(text).toContain(`1. <@${LEO.id}> · 4 plays · 15 min\\n2. <@${OWNER_ID}> · 3 plays · 3 min`);
  expect(text).toContain('New artists this week: 2');
  expect(text).toContain('"New artists this week: 2","value":"فيروز · 1 play\\n宇多田ヒカル · 1 play"');
  for (const absent of ['Secret', 'Left', 'Counted', 'Old Band', GONE.id, ZOE.id, MIA.id]) expect(text).not.toContain(absent);
  expect(post.files.map((f) => f.filename)).toEqual(['chart.jpg']);
  const image = await loadImage(post.files[0]!.data);
  expect(image.width).toBeGreaterThan(100);
}

describe('/recap', () => {
  it('is a guild-only command for Manage Server; shows, sets (refusing a channel it cannot post in) and turns off', async () => {
    const clock = new Clock(SUNDAY);
    const { h, channels } = await startOn('sqlite', clock);
    const registered = (h.discord.commands() as Array<Record<string, unknown>>).find((c) => c.name === 'recap');
    expect(registered).toMatchObject({ default_member_permissions: MANAGE_GUILD, contexts: [0], integration_types: [0] });
    expect(registered!.options).toEqual([
      expect.objectContaining({ name: 'channel', type: 7 }),
      expect.objectContaining({ name: 'off', type: 5 }),
    ]);

    const status = await recap(h);
    expect(status.flags! & EPHEMERAL).toBe(EPHEMERAL);
    expect(embedText(status)).toContain('The weekly recap is off in this server');
    const created = once(h.bot.client, 'channelCreate');
    const noFiles = h.discord.addChannel(GUILDS[0], { name: 'no-files', botPermissions: PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks });
    await created;
    expect(embedText(await recap(h, { channel: noFiles }))).toContain(`I can't post in <#${noFiles}>: I'm missing Attach Files`);
    expect(await h.app.services.recap.get(GUILDS[0])).toBeNull();
    expect(embedText(await recap(h, { channel: channels[0], off: true }))).toContain('not both');
    expect(embedText(await recap(h, { channel: channels[0] }))).toContain(`posted to <#${channels[0]}>`);
    expect(await h.app.services.recap.get(GUILDS[0])).toMatchObject({ channelId: channels[0], setBy: ADMIN, setAt: SUNDAY, postedSlot: null });
    expect(embedText(await recap(h))).toContain(`posted to <#${channels[0]}> (set by <@${ADMIN}>`);
    expect(embedText(await recap(h, { off: true }))).toContain('The weekly recap is off: no more recaps');
    expect(embedText(await recap(h, { off: true }))).toContain('already off');
  });
});

describe.each(ENGINES)('the weekly recap on %s', (engine) => {
  it('posts the week once with its numbers; nothing for a server with nothing recorded; the second check posts nothing', async () => {
    const clock = new Clock(SUNDAY);
    const { h, channels } = await startOn(engine, clock);
    await recap(h, { channel: channels[0], guildId: GUILDS[0] });
    await recap(h, { channel: channels[1], guildId: GUILDS[1] });
    await seedWeek(h);

    // Sunday: the last firing (a week ago) was before the recap was turned on: nothing owed.
    expect((await h.bot.recap!.check()).posted).toEqual([]);
    clock.at = MONDAY + 30_000; // RECAP_CRON fired 30 s ago
    // A second poster on the same servers at the same moment (as after an overlapping restart): the week is claimed
    // once, so only one of them posts.
    const other = new Recapper({
      client: h.bot.client,
      services: h.app.services,
      membership: h.app.members.membership,
      pictures: h.app.pictures,
      cron: h.app.config.recapCron,
      ownerId: OWNER_ID,
      logger: h.app.logger,
      now: clock.now,
    });
    const [first, second] = await Promise.all([h.bot.recap!.check(), other.check()]);
    const run = first.posted.length > 0 ? first : second;
    expect([...first.posted, ...second.posted]).toEqual([GUILDS[0]]);
    expect(run.slot).toBe(MONDAY);
    expect(run.posted).toEqual([GUILDS[0]]);
    // The second server's members recorded nothing: claimed, no post.
    expect(run.empty).toEqual([GUILDS[1]]);
    expect(h.discord.channelMessages(channels[1])).toHaveLength(0);
    const posts = h.discord.channelMessages(channels[0]);
    expect(posts).toHaveLength(1);
    await expectWeekPost(posts[0]!);

    // The same week again (another check, an hour later): nothing.
    clock.at = MONDAY + 3_600_000;
    const again = await h.bot.recap!.check();
    expect([again.posted, again.empty, again.failed]).toEqual([[], [], []]);
    expect(h.discord.channelMessages(channels[0])).toHaveLength(1);
    expect((await h.app.services.recap.get(GUILDS[0]))?.postedSlot).toBe(MONDAY);

    // The next Monday: the next week (its plays only).
    await seed(h, LEO.id, [play('Dua Lipa', 'Houdini', 'Future Nostalgia', MONDAY + 2 * DAY, 300_000)]);
    clock.at = MONDAY + 7 * DAY + 1_000;
    expect((await h.bot.recap!.check()).posted).toEqual([GUILDS[0]]);
    const next = embedText(h.discord.channelMessages(channels[0])[1]!.body as MessagePayload);
    // Only Leo listened this week: the owner, with nothing, is not counted as a listener.
    expect(next).toContain('**1 play** · **5 min** listened by 1 recorded member');
    expect(next).toContain('New artists this week: 0');
  });

  it('turns itself off on 403: one log line, one DM to whoever set it, and no retries', async () => {
    const clock = new Clock(SUNDAY);
    const { h, channels } = await startOn(engine, clock);
    await recap(h, { channel: channels[0] });
    await seedWeek(h);
    h.discord.failRest({ method: 'POST', path: new RegExp(`^/channels/${channels[0]}/messages$`) }, { status: 403, body: { code: 50013, message: 'Missing Permissions' } }, 1);
    clock.at = MONDAY + 30_000;
    expect((await h.bot.recap!.check()).turnedOff).toEqual([GUILDS[0]]);
    clock.at = MONDAY + 7 * DAY + 30_000;
    await h.bot.recap!.check();
    expect(h.discord.restLog.filter((r) => r.method === 'POST' && r.path === `/channels/${channels[0]}/messages`).map((r) => r.status)).toEqual([403]);
    expect(await h.app.services.recap.get(GUILDS[0])).toBeNull();
    expect(h.logs.lines.filter((l) => l.includes('recap turned off'))).toHaveLength(1);
    expect(h.discord.directMessages.map((d) => d.userId)).toEqual([ADMIN]);
    expect(h.discord.directMessages[0]!.body.content).toContain(`stopped posting the weekly recap to <#${channels[0]}>`);
  });

  it('a Monday missed while the bot was down is posted once at the next start, and not again after a restart', async () => {
    const clock = new Clock(SUNDAY);
    const { h, channels, restart } = await startOn(engine, clock);
    await recap(h, { channel: channels[0] });
    await seedWeek(h);
    // Down over Monday 10:00; up again on Tuesday.
    const tuesday = await restart(MONDAY + DAY);
    const posts = tuesday.discord.channelMessages(channels[0]);
    expect(posts).toHaveLength(1);
    // The week up to the moment of the post: Monday's plays a day older now, the oldest (5 days) still in.
    expect(embedText(posts[0]!.body as MessagePayload)).toContain('**7 plays** · **18 min**');
    await restart(MONDAY + DAY + 60_000);
    expect(tuesday.discord.channelMessages(channels[0])).toHaveLength(1);
  });
});

describe('the weekly recap paces its posts', () => {
  it('spreads its posts at its pace (2 a second here), every server posted once', async () => {
    const guildIds = Array.from({ length: 5 }, (_, i) => guildIdForShard(0, 1, 40 + i));
    const clock = new Clock(SUNDAY);
    const h = await startHarness({ discord: { guildIds }, env: { HISTORY: 'on' }, tuning: { now: clock.now } });
    running.push(h);
    const channels: string[] = [];
    for (const guildId of guildIds) {
      h.discord.addMember(guildId, LEO);
      const created = once(h.bot.client, 'channelCreate');
      channels.push(h.discord.addChannel(guildId, { name: 'recap' }));
      await created;
      await h.app.services.recap.set({ guildId, channelId: channels.at(-1)!, setBy: ADMIN, setAt: SUNDAY });
    }
    await h.app.services.history.setRecording(LEO.id, true);
    await seed(h, LEO.id, [play('Dua Lipa', 'Houdini', 'Future Nostalgia', MONDAY - DAY, 300_000)]);
    clock.at = MONDAY + 30_000;
    const paced = new Recapper({
      client: h.bot.client,
      services: h.app.services,
      membership: h.app.members.membership,
      pictures: h.app.pictures,
      cron: h.app.config.recapCron,
      ownerId: OWNER_ID,
      logger: h.app.logger,
      now: clock.now,
      postsPerSecond: 2,
    });
    expect((await paced.check()).posted).toHaveLength(5);
    const times = h.discord.restLog.filter((e) => e.method === 'POST' && /^\/channels\/\d+\/messages$/.test(e.path)).map((e) => e.at).sort((a, b) => a - b);
    expect(times).toHaveLength(5);
    // 2 a second: 5 posts span at least 2 s as the bot sends them (as the emulator received them, transit jitter on
    // a busy machine allowed; unpaced, they come milliseconds apart).
    expect(times[4]! - times[0]!).toBeGreaterThanOrEqual(1_500);
    for (const channel of channels) expect(h.discord.channelMessages(channel)).toHaveLength(1);
  });
});

// ------------------------------------------------------------------------------------------------ SHARDS=2
describe.runIf(await requireRedis())('the weekly recap under SHARDS=2', () => {
  const SHARDED = [guildIdForShard(0, 2, 9), guildIdForShard(1, 2, 9)] as [string, string];
  let spotify: SpotifyEmulator;
  let discord: DiscordEmulator;
  let storage: Storage;
  let sharded: ShardedBot | null = null;
  let app: App;
  let shardDir = '';
  const channels: string[] = [];
  const saved = { ...process.env };
  const shardOutput = captureShardOutput();

  beforeAll(async () => {
    shardDir = mkdtempSync(join(tmpdir(), 'npb-recap-shards-'));
    spotify = await startSpotifyEmulator();
    discord = await DiscordEmulator.start({ token: validEnv().DISCORD_TOKEN, shardCount: 2, maxConcurrency: 2, guildIds: SHARDED });
    discord.addMember(SHARDED[0], LEO);
    discord.addMember(SHARDED[1], ZOE);
    channels.push(discord.addChannel(SHARDED[0], { name: 'recap' }), discord.addChannel(SHARDED[1], { name: 'recap' }));
    const env = {
      ...emulatorEnv(discord, spotify),
      STORAGE_URL: REDIS_URL,
      HISTORY: 'on',
      HISTORY_URL: `sqlite://${join(shardDir, 'history.sqlite')}`,
      PRESENCE_CRON: 'off',
      LOG_LEVEL: 'warn',
    };
    Object.assign(process.env, validEnv(env));
    // The shards run on the real clock: the week owed is the one of RECAP_CRON's last real firing.
    ({ app, storage } = await buildApp(spotify, { env }));
    await storage.delete(RECAP_STORAGE_KEY);
    const now = Date.now();
    for (const member of [LEO, ZOE]) await app.services.history.setRecording(member.id, true);
    await app.history!.addPlays(LEO.id as HistoryUser, [play('Dua Lipa', 'Houdini', 'Future Nostalgia', now - DAY, 300_000), play('Dua Lipa', 'Levitating', 'Future Nostalgia', now - 2 * DAY, 200_000)]);
    await app.history!.addPlays(ZOE.id as HistoryUser, [play('宇多田ヒカル', 'First Love', 'First Love', now - DAY, 240_000)]);
    // Turned on long ago: this week is owed, and each shard posts its own server's at start.
    for (const [i, guildId] of SHARDED.entries()) await app.services.recap.set({ guildId, channelId: channels[i]!, setBy: ADMIN, setAt: 0 });
    sharded = await startShardedBot(app, { totalShards: 2, commands, spawnDelayMs: 0, shardOutput: shardOutput.sink });
    await sharded.ready;
  }, 60_000);

  afterAll(async () => {
    await sharded?.stop();
    await storage?.delete(RECAP_STORAGE_KEY);
    await storage?.close();
    await discord?.close();
    await spotify?.close();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    if (shardDir) rmSync(shardDir, { recursive: true, force: true });
  });

  it("each server's week is posted once, by the shard holding it, with its own members' numbers", async () => {
    const posted = async (channel: string): Promise<ChannelMessageRecord> => {
      for (;;) {
        const [post] = discord.channelMessages(channel);
        if (post) return post;
        await once(discord, 'channelMessage');
      }
    };
    const [leo, zoe] = await Promise.all(channels.map(posted));
    expect(embedText(leo!.body as MessagePayload)).toContain('**2 plays** · **8 min** listened by 1 recorded member');
    expect(embedText(leo!.body as MessagePayload)).toContain('1. Dua Lipa · 2 plays');
    expect(embedText(leo!.body as MessagePayload)).not.toContain('First Love');
    expect(embedText(zoe!.body as MessagePayload)).toContain('**1 play** · **4 min** listened by 1 recorded member');
    expect(embedText(zoe!.body as MessagePayload)).toContain('New artists this week: 1');
    const settings = (await storage.get<Record<string, RecapSetting>>(RECAP_STORAGE_KEY))!;
    expect(settings[SHARDED[0]]!.postedSlot).toBe(settings[SHARDED[1]]!.postedSlot);
    expect(settings[SHARDED[0]]!.postedSlot).not.toBeNull();
    for (const channel of channels) expect(discord.channelMessages(channel)).toHaveLength(1);
  }, 30_000);
});
