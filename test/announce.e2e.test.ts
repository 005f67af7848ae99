// A now-playing channel (/announce, #11), through the real bot and both emulators: the command and its stored
// setting, a post per track change (none for a poll with nothing new or a pause), edits on quick skips, and the
// setting turning itself off once when the channel is deleted (404/10003) or refused (403/50013).
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermissionFlagsBits } from 'discord.js';
import { commands } from '../commands/index.js';
import { createApp } from '../src/app.js';
import { ANNOUNCE_STORAGE_KEY, type AnnounceSetting } from '../src/features/announce/service.js';
import { startShardedBot, type ShardedBot } from '../src/sharding/manager.js';
import type { Storage } from '../src/storage.js';
import {
  DiscordEmulator,
  guildIdForShard,
  Intents,
  spotifyActivity,
  type ChannelMessageRecord,
  type MessagePayload,
} from '../emulators/discord.js';
import { makeTrack, playing } from '../emulators/spotify-fixtures.js';
import type { SpotifyEmulator } from '../emulators/spotify.js';
import { emulatorEnv, validEnv } from '../emulators/env.js';
import { embedText, EPHEMERAL, harnessPerTest, OWNER_ID, type Harness } from './support/bot-harness.js';
import { REDIS_URL, requireRedis } from './support/redis.js';
import { buildApp, captureShardOutput, NO_COVER_ORIGIN, startSpotifyEmulator } from './support/spotify-app.js';

const start = harnessPerTest();
const ADMIN = '1170000000000000201';
const MANAGE_GUILD = String(PermissionFlagsBits.ManageGuild);

/** The app's clock, moved forward by the test (quick skips are judged by it). */
class Clock {
  offset = 0;
  readonly now = (): number => Date.now() + this.offset;
}

async function startWithClock(extra: { guildIds?: string[] } = {}): Promise<{ h: Harness; clock: Clock }> {
  const clock = new Clock();
  // Every tick reads Spotify afresh, as the default 15 s schedule does.
  const h = await start({ tuning: { now: clock.now, listeningFreshnessMs: 0 }, ...(extra.guildIds ? { discord: { guildIds: extra.guildIds } } : {}) });
  return { h, clock };
}

/** Adds a channel and resolves once the bot has it in its cache (CHANNEL_CREATE handled). */
async function addChannel(h: Harness, guildId: string, name: string, botPermissions?: bigint): Promise<string> {
  const created = once(h.bot.client, 'channelCreate');
  const id = h.discord.addChannel(guildId, { name, ...(botPermissions !== undefined ? { botPermissions } : {}) });
  await created;
  return id;
}

function announce(h: Harness, options: { channel?: string; off?: boolean; guildId?: string } = {}): Promise<MessagePayload> {
  return h.discord
    .slashCommand({
      name: 'announce',
      userId: ADMIN,
      memberPermissions: MANAGE_GUILD,
      ...(options.guildId ? { guildId: options.guildId } : {}),
      options: [
        ...(options.channel ? [{ name: 'channel', type: 7, value: options.channel }] : []),
        ...(options.off !== undefined ? [{ name: 'off', type: 5, value: options.off }] : []),
      ],
    })
    .finalMessage();
}

/** The owner plays `name` now; one presence tick reads it; resolves when the announcer has posted what it will. */
async function plays(h: Harness, name: string, opts: { isPlaying?: boolean } = {}): Promise<void> {
  h.spotify.setCurrentlyPlaying(playing(makeTrack({ name }), { isPlaying: opts.isPlaying ?? true }));
  await h.bot.presence.tick();
  await h.bot.announcer.idle();
}

const titleOf = (m: ChannelMessageRecord): string | undefined => (m.message.embeds as Array<{ title?: string }> | undefined)?.[0]?.title;

describe('/announce', () => {
  it('is a guild-only command for Manage Server', async () => {
    const h = await start();
    const registered = (h.discord.commands() as Array<Record<string, unknown>>).find((c) => c.name === 'announce');
    expect(registered).toMatchObject({ default_member_permissions: MANAGE_GUILD, contexts: [0], integration_types: [0] });
  });

  it('shows, sets (refusing a channel it cannot post in) and turns off the setting, kept in storage across restarts', async () => {
    const h = await start();
    const guildId = h.discord.guildIds[0]!;
    expect(embedText(await announce(h))).toContain('Announce is off in this server');
    const music = await addChannel(h, guildId, 'music');
    const readOnly = await addChannel(h, guildId, 'read-only', PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory);

    const refused = await announce(h, { channel: readOnly });
    expect(embedText(refused)).toContain(`I can't post in <#${readOnly}>: I'm missing Send Messages, Embed Links`);
    expect(refused.flags! & EPHEMERAL).toBe(EPHEMERAL);
    expect(await h.app.services.announce.get(guildId)).toBeNull();

    expect(embedText(await announce(h, { channel: music }))).toContain(`each new track is posted to <#${music}>`);
    expect(embedText(await announce(h))).toContain(`posted to <#${music}> (set by <@${ADMIN}>`);
    expect(embedText(await announce(h, { channel: music, off: true }))).toContain('not both');

    // A restart: a new app on the same storage knows the setting.
    const restarted = createApp(h.app.config, h.app.logger, h.app.storage);
    expect(await restarted.services.announce.get(guildId)).toMatchObject({ guildId, channelId: music, setBy: ADMIN });

    expect(embedText(await announce(h, { off: true }))).toContain('Announce is off: no more posts');
    expect(embedText(await announce(h, { off: true }))).toContain('already off');
    expect(await createApp(h.app.config, h.app.logger, h.app.storage).services.announce.get(guildId)).toBeNull();
  });
});

describe('announce posts', () => {
  it('posts once per track change, edits on a quick skip, and posts nothing for the same track or a pause', async () => {
    const { h, clock } = await startWithClock();
    const guildId = h.discord.guildIds[0]!;
    const music = await addChannel(h, guildId, 'music');
    await announce(h, { channel: music });

    await plays(h, 'Song A'); // the baseline: what was playing when the bot came up
    expect(h.discord.channelMessages(music)).toHaveLength(0);
    await plays(h, 'Song B');
    expect(h.discord.channelMessages(music).map(titleOf)).toEqual(['Song B']);
    expect(JSON.stringify(h.discord.channelMessages(music)[0]!.body.components)).toContain('https://open.spotify.com/track/');

    await plays(h, 'Song B'); // a tick with nothing new
    clock.offset += 30_000;
    await plays(h, 'Song B', { isPlaying: false }); // paused
    await plays(h, 'Song B'); // resumed: the same track
    expect(h.discord.channelMessages(music)).toHaveLength(1);

    await plays(h, 'Song C'); // 30 s after B: a new post
    clock.offset += 5_000;
    await plays(h, 'Song D'); // 5 s later: C was skipped, its post becomes D
    clock.offset += 15_000;
    await plays(h, 'Song E'); // another quick skip
    const posts = h.discord.channelMessages(music);
    expect(posts.map((p) => p.body.embeds?.[0]?.title)).toEqual(['Song B', 'Song C']);
    expect(posts[1]!.edits.map((e) => e.embeds?.[0]?.title)).toEqual(['Song D', 'Song E']);
    expect(titleOf(posts[1]!)).toBe('Song E');

    clock.offset += 60_000;
    await plays(h, 'Song F', { isPlaying: false }); // a new track, paused: nothing
    expect(h.discord.channelMessages(music)).toHaveLength(2);
    await plays(h, 'Song F');
    expect(h.discord.channelMessages(music).map(titleOf)).toEqual(['Song B', 'Song E', 'Song F']);
  });

  it('turns itself off when the channel is deleted: logged once, the person who set it told once, no retries', async () => {
    const { h, clock } = await startWithClock({ guildIds: ['1180000000000000011', '1180000000000000012'] });
    const [first, second] = h.discord.guildIds as [string, string];
    const doomed = await addChannel(h, first, 'doomed');
    const other = await addChannel(h, second, 'music');
    await announce(h, { channel: doomed, guildId: first });
    await announce(h, { channel: other, guildId: second });
    await plays(h, 'Song A');

    const gone = once(h.bot.client, 'channelDelete');
    h.discord.deleteChannel(doomed);
    await gone;
    await plays(h, 'Song B');
    clock.offset += 30_000;
    await plays(h, 'Song C');

    expect(h.discord.channelMessages(other).map(titleOf)).toEqual(['Song B', 'Song C']);
    const attempts = h.discord.restLog.filter((r) => r.method === 'POST' && r.path === `/channels/${doomed}/messages`);
    expect(attempts.map((a) => a.status)).toEqual([404]);
    expect(await h.app.services.announce.get(first)).toBeNull();
    expect(await h.app.services.announce.get(second)).toMatchObject({ channelId: other });
    expect(h.logs.lines.filter((l) => l.includes('announce turned off'))).toHaveLength(1);
    expect(h.discord.directMessages).toHaveLength(1);
    expect(h.discord.directMessages[0]).toMatchObject({ userId: ADMIN });
    expect(h.discord.directMessages[0]!.body.content).toContain(`stopped posting the owner's tracks to <#${doomed}>`);
    expect(h.discord.directMessages[0]!.body.content).toContain('the channel was deleted');
  });

  it('turns itself off on 403 Missing Permissions, tells the owner when nobody else is known, and can be turned on again', async () => {
    const { h, clock } = await startWithClock();
    const guildId = h.discord.guildIds[0]!;
    const music = await addChannel(h, guildId, 'music');
    // A setting made before anyone was recorded as its author (e.g. written by an older version): the owner is told.
    const setting: AnnounceSetting = { guildId, channelId: music, setBy: '', setAt: clock.now() };
    await h.app.services.announce.set(setting);
    await plays(h, 'Song A');

    h.discord.failRest({ method: 'POST', path: new RegExp(`^/channels/${music}/messages$`) }, { status: 403, body: { code: 50013, message: 'Missing Permissions' } }, 1);
    await plays(h, 'Song B');
    clock.offset += 30_000;
    await plays(h, 'Song C');
    expect(h.discord.restLog.filter((r) => r.method === 'POST' && r.path === `/channels/${music}/messages`).map((r) => r.status)).toEqual([403]);
    expect(h.discord.directMessages.map((d) => d.userId)).toEqual([OWNER_ID]);
    expect(h.discord.directMessages[0]!.body.content).toContain("no longer allowed to post there");
    expect(await h.app.services.announce.get(guildId)).toBeNull();

    // Fixed and turned on again: posts resume at the next change.
    await announce(h, { channel: music });
    clock.offset += 30_000;
    await plays(h, 'Song D');
    expect(h.discord.channelMessages(music).map(titleOf)).toEqual(['Song D']);
    expect(h.discord.directMessages).toHaveLength(1);
  });
});

// ------------------------------------------------------------------------------------------------ SHARDS=2
// The real ShardingManager with 2 shard processes (src/shard.ts), state in Redis. Members' Discord status lives in
// the shard holding their guild and is answered there (no Spotify call, no RPC); each guild's announce post is made
// by its own shard, once.
const redis = await requireRedis();
const SHARDED_GUILDS = [guildIdForShard(0, 2, 7), guildIdForShard(1, 2, 7)] as [string, string];

describe.runIf(redis)('under SHARDS=2', () => {
  let spotify: SpotifyEmulator;
  let discord: DiscordEmulator;
  let storage: Storage;
  let sharded: ShardedBot | null = null;
  const channels: string[] = [];
  const savedEnv = { ...process.env };
  // What the shard processes print (their warnings) is kept here, not let through to the test run's output.
  const shardOutput = captureShardOutput();

  beforeAll(async () => {
    spotify = await startSpotifyEmulator();
    discord = await DiscordEmulator.start({ token: validEnv().DISCORD_TOKEN, shardCount: 2, maxConcurrency: 2, guildIds: SHARDED_GUILDS });
    const [g0, g1] = SHARDED_GUILDS;
    discord.addMember(g0, CAROL);
    discord.addMember(g1, BOB);
    discord.setPresence(g0, CAROL.id, { status: 'online', activities: [statusActivity('Carol1', 'Carol Song')] });
    discord.setPresence(g1, BOB.id, { status: 'online', activities: [statusActivity('Bob1', 'Bob Song')] });
    channels.push(discord.addChannel(g0, { name: 'music' }), discord.addChannel(g1, { name: 'music' }));
    const env = {
      ...emulatorEnv(discord, spotify),
      STORAGE_URL: REDIS_URL,
      PRESENCE_CRON: 'off',
      LOG_LEVEL: 'warn',
      DISCORD_PRESENCES: 'on',
      BOT_OWNER_ID: OWNER_ID,
      SPOTIFY_IMAGES_URL: NO_COVER_ORIGIN,
    };
    // The shard processes read their settings from the environment, as they do under `npm start`.
    Object.assign(process.env, validEnv(env));
    const built = await buildApp(spotify, { env, tuning: { listeningFreshnessMs: 0 } });
    storage = built.storage;
    for (const key of ['spotify:access:owner', 'spotify:grant:owner', ANNOUNCE_STORAGE_KEY]) await storage.delete(key);
    spotify.setCurrentlyPlaying(playing(makeTrack({ name: 'Song A' })));
    sharded = await startShardedBot(built.app, { totalShards: 2, commands, spawnDelayMs: 0, shardOutput: shardOutput.sink });
    await sharded.ready;
  }, 90_000);

  afterAll(async () => {
    await sharded?.stop();
    await storage?.delete(ANNOUNCE_STORAGE_KEY);
    await storage?.close();
    await discord?.close();
    await spotify?.close();
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  });

  it('each shard asks for the presence intent and answers its own members from their status, with no Spotify call', async () => {
    expect(discord.identifies.map((i) => i.intents & Intents.GuildPresences)).toEqual([Intents.GuildPresences, Intents.GuildPresences]);
    const [g0, g1] = SHARDED_GUILDS;
    const api0 = spotify.count('api');
    const bob = discord.slashCommand({ name: 'nowplaying', guildId: g1, options: [{ name: 'user', type: 6, value: BOB.id }] });
    expect(bob.shard).toBe(1);
    expect((await bob.finalMessage(10_000)).embeds?.[0]?.title).toBe('Bob Song');
    // Carol listens in the other server: not shown here.
    const carol = await discord.slashCommand({ name: 'nowplaying', guildId: g1, options: [{ name: 'user', type: 6, value: CAROL.id }] }).finalMessage(10_000);
    expect(embedText(carol)).toContain("isn't listening");
    // A change reaches the shard before the next interaction on the same connection.
    discord.setPresence(g1, BOB.id, { status: 'online', activities: [statusActivity('Bob2', 'Bob Second Song')] });
    const changed = await discord.slashCommand({ name: 'nowplaying', guildId: g1, options: [{ name: 'user', type: 6, value: BOB.id }] }).finalMessage(10_000);
    expect(changed.embeds?.[0]?.title).toBe('Bob Second Song');
    expect(spotify.count('api') - api0).toBe(0);

    const list = embedText(await discord.slashCommand({ name: 'listening', guildId: g0 }).finalMessage(10_000));
    expect(list).toContain('Carol Song');
    expect(list).not.toContain('Bob');
  }, 30_000);

  it("each guild's post is made once, by the shard holding it; a quick skip edits it", async () => {
    const [g0, g1] = SHARDED_GUILDS;
    for (const [i, guildId] of [g0, g1].entries()) {
      const reply = await discord
        .slashCommand({ name: 'announce', guildId, userId: ADMIN, memberPermissions: MANAGE_GUILD, options: [{ name: 'channel', type: 7, value: channels[i]! }] })
        .finalMessage(10_000);
      expect(embedText(reply)).toContain(`posted to <#${channels[i]!}>`);
    }
    await sharded!.poll(); // Song A: each shard's baseline

    const posted = waitForEach(discord, 'channelMessage', channels);
    spotify.setCurrentlyPlaying(playing(makeTrack({ name: 'Song B' })));
    await sharded!.poll();
    await posted;

    const edited = waitForEach(discord, 'channelMessageEdit', channels);
    spotify.setCurrentlyPlaying(playing(makeTrack({ name: 'Song C' })));
    await sharded!.poll();
    await edited;
    for (const channel of channels) {
      const posts = discord.channelMessages(channel);
      expect(posts.map((p) => p.body.embeds?.[0]?.title)).toEqual(['Song B']);
      expect(posts[0]!.edits.map((e) => e.embeds?.[0]?.title)).toEqual(['Song C']);
    }
  }, 30_000);
});

const BOB = { id: '1170000000000000101', username: 'bob', globalName: 'Bob' };
const CAROL = { id: '1170000000000000102', username: 'carol', globalName: 'Carol' };

function statusActivity(trackId: string, title: string): Record<string, unknown> {
  const startMs = Date.now() - 30_000;
  return spotifyActivity({ trackId, title, artists: ['Someone'], album: 'Album', imageId: 'ab67616d0000b273aaaaaaaaaaaaaaaaaaaaaaaa', startMs, endMs: startMs + 200_000 });
}

/** Resolves once `event` has fired for every channel in `channelIds` (channelMessage / channelMessageEdit). */
function waitForEach(emulator: DiscordEmulator, event: 'channelMessage' | 'channelMessageEdit', channelIds: readonly string[]): Promise<void> {
  const left = new Set(channelIds);
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      emulator.off(event, listener);
      reject(new Error(`no ${event} for ${[...left].join(', ')} within 10 s`));
    }, 10_000);
    const listener = (x: ChannelMessageRecord | { record: ChannelMessageRecord }): void => {
      left.delete('record' in x ? x.record.channelId : x.channelId);
      if (left.size > 0) return;
      clearTimeout(timer);
      emulator.off(event, listener);
      resolve();
    };
    emulator.on(event, listener);
  });
}
