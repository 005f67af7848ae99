// /whoknows and the /nowplaying history line through the real bot, both emulators and a real store (a SQLite file,
// and PostgreSQL when it is up): plays seeded, then the ranking's numbers and order checked — the crown from 30 plays
// (29 is not enough), the asker's own row (counted or not, below the cut, with none), members who left or chose
// "only me" or never chose to be recorded left out — autocomplete's choices within Discord's limits and usable as
// the name, and the line under /nowplaying's track (text and card) with its counts, absent without history. And
// /whoknows with its autocomplete answered by a shard (SHARDS=2).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.js';
import { DiscordEmulator, guildIdForShard, type InteractionHandle } from '../emulators/discord.js';
import { emulatorEnv, validEnv } from '../emulators/env.js';
import { makeTrack, playing } from '../emulators/spotify-fixtures.js';
import type { SpotifyEmulator } from '../emulators/spotify.js';
import type { App } from '../src/app.js';
import type { HistoryUser, PlayInput } from '../src/history/play.js';
import { startShardedBot, type ShardedBot } from '../src/sharding/manager.js';
import type { Storage } from '../src/storage.js';
import { EPHEMERAL, embedText, OWNER_ID, startHarness, type Harness } from './support/bot-harness.js';
import { createTestDatabase, requirePostgres, type TestDatabase } from './support/postgres.js';
import { REDIS_URL, requireRedis } from './support/redis.js';
import { buildApp, captureShardOutput, startSpotifyEmulator } from './support/spotify-app.js';

const MIA = { id: '1190000000000000401', username: 'mia', globalName: 'Mia' };
const LEO = { id: '1190000000000000402', username: 'leo', globalName: 'Leo' };
const ZOE = { id: '1190000000000000403', username: 'zoe', globalName: 'Zoë' };
const GONE = { id: '1190000000000000404', username: 'gone', globalName: 'Gone' };
const PIP = { id: '1190000000000000405', username: 'pip', globalName: 'Pip' };
/** Eleven more recording members, for the list's cut. */
const FILLERS = Array.from({ length: 11 }, (_, i) => ({ id: `11900000000000005${String(i).padStart(2, '0')}`, username: `f${i}`, globalName: `F${i}` }));

const DAY = 86_400_000;
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

async function startOn(engine: 'sqlite' | 'postgres'): Promise<Harness> {
  dir = mkdtempSync(join(tmpdir(), 'npb-whoknows-e2e-'));
  let url = `sqlite://${join(dir, 'bot.sqlite')}`;
  if (engine === 'postgres') {
    database = await createTestDatabase();
    url = database.url;
  }
  harness = await startHarness({ env: { HISTORY: 'on', STORAGE_URL: url }, tuning: { now: () => NOW } });
  const guildId = harness.discord.guildIds[0]!;
  harness.discord.addMember(guildId, { id: OWNER_ID, username: 'owner', globalName: 'Owner' });
  for (const member of [MIA, LEO, ZOE, GONE, PIP]) harness.discord.addMember(guildId, member);
  return harness;
}

/** `n` plays of one track, a day apart, ending yesterday. */
function plays(n: number, artist: string, title: string, album: string | null, offset = 0): PlayInput[] {
  return Array.from({ length: n }, (_, i) => {
    const startedAt = NOW - (i + 1 + offset) * DAY;
    return { title, artist, album, trackId: null, imageId: null, startedAt, endedAt: startedAt + 200_000, msPlayed: 200_000, durationMs: null, source: 'import-extended' };
  });
}

async function seed(app: App, user: string, list: PlayInput[]): Promise<void> {
  const added = await app.history!.addPlays(user as HistoryUser, list);
  expect(added.added).toBe(list.length);
}

async function historyOn(h: { discord: DiscordEmulator }, userId: string, guildId?: string): Promise<void> {
  await h.discord.slashCommand({ name: 'history', subcommand: 'on', userId, ...(guildId ? { guildId } : {}) }).finalMessage(20_000);
}

type Kind = 'artist' | 'track' | 'album';
const whoknows = (discord: DiscordEmulator, kind: Kind, userId: string, name?: string, extra: { guildId?: string | null } = {}): InteractionHandle =>
  discord.slashCommand({ name: 'whoknows', subcommand: kind, userId, options: name === undefined ? [] : [{ name: 'name', type: 3, value: name }], ...extra });
const suggest = (discord: DiscordEmulator, kind: Kind, typed: string, extra: { guildId?: string } = {}) =>
  discord.autocomplete({ name: 'whoknows', subcommand: kind, userId: LEO.id, options: [{ name: 'name', type: 3, value: typed, focused: true }], ...extra });

/**
 * The owner 30 × Levitating, Leo 29 × Houdini and 2 × Levitating (both Dua Lipa, Future Nostalgia); Zoë ("only me")
 * 50 and Gone (left) 40 × Levitating; Mia (never chose to be recorded) 60 × Levitating; Pip recording, no plays.
 */
async function seedServer(h: Harness): Promise<void> {
  for (const member of [LEO, ZOE, GONE, PIP]) await historyOn(h, member.id);
  await seed(h.app, 'owner', plays(30, 'Dua Lipa', 'Levitating', 'Future Nostalgia'));
  await seed(h.app, LEO.id, [...plays(29, 'Dua Lipa', 'Houdini', 'Future Nostalgia'), ...plays(2, 'Dua Lipa', 'Levitating', 'Future Nostalgia', 40)]);
  await seed(h.app, ZOE.id, plays(50, 'Dua Lipa', 'Levitating', 'Future Nostalgia'));
  await seed(h.app, GONE.id, plays(40, 'Dua Lipa', 'Levitating', 'Future Nostalgia'));
  await seed(h.app, MIA.id, plays(60, 'Dua Lipa', 'Levitating', 'Future Nostalgia'));
  await h.discord.slashCommand({ name: 'spotify', subcommand: 'privacy', userId: ZOE.id, options: [{ name: 'visibility', type: 3, value: 'private' }] }).finalMessage();
  h.discord.removeMember(h.discord.guildIds[0]!, GONE.id);
}

describe.each(ENGINES)('/whoknows on %s', (engine) => {
  it('ranks members here by all-time plays, crowns from 30, and always shows the asker', async () => {
    const h = await startOn(engine);
    await seedServer(h);
    const guildName = (await h.discord.slashCommand({ name: 'whoknows', subcommand: 'artist', userId: LEO.id, options: [{ name: 'name', type: 3, value: 'dua lipa' }] }).finalMessage(10_000));
    const artist = embedText(guildName);
    expect(guildName.flags ?? 0).not.toBe(EPHEMERAL);
    expect(artist).toContain('Who knows this artist');
    expect(artist).toContain('"title":"Dua Lipa"');
    // 30 + 0 (owner: Levitating) against Leo's 29 + 2: Leo leads with 31, crowned; the asker (Leo) in bold.
    expect(artist).toContain(`"description":"**👑 <@${LEO.id}> · 31 plays**\\n2. <@${OWNER_ID}> · 30 plays"`);
    for (const absent of [ZOE.id, GONE.id, MIA.id]) expect(artist).not.toContain(absent);
    expect(artist).toContain('All time · 2 listeners · 61 plays');

    // 30 plays crown; 29 do not.
    const levitating = embedText(await whoknows(h.discord, 'track', PIP.id, 'Levitating').finalMessage(10_000));
    expect(levitating).toContain('"title":"Levitating — Dua Lipa"');
    expect(levitating).toContain(`👑 <@${OWNER_ID}> · 30 plays\\n2. <@${LEO.id}> · 2 plays\\n\\n**<@${PIP.id}> · 0 plays**`);
    const houdini = embedText(await whoknows(h.discord, 'track', LEO.id, 'Houdini - Dua Lipa').finalMessage(10_000));
    expect(houdini).toContain(`"description":"**1. <@${LEO.id}> · 29 plays**"`);
    expect(houdini).not.toContain('👑');

    // Mia's plays are hers, not the server's: her row says she isn't counted, with no number.
    const mia = embedText(await whoknows(h.discord, 'album', MIA.id, 'Future Nostalgia').finalMessage(10_000));
    expect(mia).toContain('Who knows this album');
    expect(mia).toContain('"title":"Future Nostalgia — Dua Lipa"');
    expect(mia).toContain(`👑 <@${LEO.id}> · 31 plays\\n2. <@${OWNER_ID}> · 30 plays`);
    expect(mia).toContain(`<@${MIA.id}> · not counted here`);
    expect(mia).not.toContain('60 plays');

    const none = await whoknows(h.discord, 'artist', LEO.id, 'Nobody Band').finalMessage(10_000);
    expect(embedText(none)).toContain('No stored plays of the artist **Nobody Band** yet');

    const dm = await whoknows(h.discord, 'artist', LEO.id, 'Dua Lipa', { guildId: null }).finalMessage(10_000);
    expect(dm.flags).toBe(EPHEMERAL);
    expect(embedText(dm)).toContain('/whoknows works in a server');
  });

  it('the asker below the cut is shown after the list; no name means what they play now', async () => {
    const h = await startOn(engine);
    const guildId = h.discord.guildIds[0]!;
    await historyOn(h, LEO.id);
    await seed(h.app, LEO.id, plays(1, 'Band', 'Song', 'Record'));
    for (const [i, filler] of FILLERS.entries()) {
      h.discord.addMember(guildId, filler);
      await historyOn(h, filler.id);
      await seed(h.app, filler.id, plays(i + 2, 'Band', 'Song', 'Record'));
    }
    const text = embedText(await whoknows(h.discord, 'artist', LEO.id, 'Band').finalMessage(10_000));
    // Fillers with 12 … 3 plays are the ten listed; 2 is cut, Leo (1 play, 12th) follows after "…".
    expect(text).toContain(`"description":"1. <@${FILLERS[10]!.id}> · 12 plays\\n`);
    expect(text).toContain(`10. <@${FILLERS[1]!.id}> · 3 plays\\n…\\n**12. <@${LEO.id}> · 1 play**"`);
    expect(text).not.toContain(FILLERS[0]!.id);
    expect(text).toContain('All time · 12 listeners · 78 plays');

    // The owner plays "Song" by Band on Spotify: /whoknows track with no name ranks that.
    h.spotify.setCurrentlyPlaying(playing(makeTrack({ name: 'Song', artistName: 'Band', albumName: 'Record' })));
    const owner = embedText(await whoknows(h.discord, 'track', OWNER_ID).finalMessage(10_000));
    expect(owner).toContain('"title":"Song — Band"');
    expect(owner).toContain(`**<@${OWNER_ID}> · 0 plays**`);
    // Someone with neither a link nor a status has nothing of their own playing (the owner's isn't theirs).
    const nothing = embedText(await whoknows(h.discord, 'track', LEO.id).finalMessage(10_000));
    expect(nothing).toContain("You're not playing anything the bot can see right now");
  });

  it('autocomplete answers stored names within Discord\'s limits, and a choice works as the name', async () => {
    const h = await startOn(engine);
    await seedServer(h);
    for (let i = 0; i < 30; i++) await seed(h.app, PIP.id, plays(1, `Band ${String(i).padStart(2, '0')}`, 'Tune', `Album ${i}`));

    const artists = await suggest(h.discord, 'artist', 'DUA').choices(10_000);
    expect(artists.map((c) => c.name)).toEqual(['Dua Lipa']);
    const tracks = await suggest(h.discord, 'track', 'l').choices(10_000);
    expect(tracks.map((c) => c.name)).toEqual(['Levitating — Dua Lipa']);
    // Albums by title or by artist.
    expect((await suggest(h.discord, 'album', 'fut').choices(10_000)).map((c) => c.name)).toEqual(['Future Nostalgia — Dua Lipa']);
    expect((await suggest(h.discord, 'album', 'dua').choices(10_000)).map((c) => c.name)).toEqual(['Future Nostalgia — Dua Lipa']);
    const many = await suggest(h.discord, 'artist', 'band').choices(10_000);
    expect(many).toHaveLength(25);
    expect(many[0]!.name).toBe('Band 00');
    expect(many.every((c) => typeof c.value === 'string' && c.value.length <= 100)).toBe(true);
    expect(await suggest(h.discord, 'artist', 'zzz').choices(10_000)).toEqual([]);

    const picked = embedText(await whoknows(h.discord, 'track', LEO.id, String(tracks[0]!.value)).finalMessage(10_000));
    expect(picked).toContain('"title":"Levitating — Dua Lipa"');
    expect(picked).toContain(`👑 <@${OWNER_ID}> · 30 plays`);
    // A suggestion no longer stored (its plays deleted since): said so, without the raw value.
    const stale = embedText(await whoknows(h.discord, 'track', LEO.id, 'id:999999').finalMessage(10_000));
    expect(stale).toContain('No stored plays of that track yet');
    expect(stale).not.toContain('999999');
  });
});

describe.each(ENGINES)('/nowplaying history line on %s', (engine) => {
  const np = (h: Harness, style: 'text' | 'card', userId?: string) =>
    h.discord.slashCommand({ name: 'nowplaying', ...(userId ? { userId } : {}), options: [{ name: 'style', type: 3, value: style }] });

  it("shows the listener's plays of the track and artist and the server's listeners, in both styles", async () => {
    const h = await startOn(engine);
    await seedServer(h);
    await seed(h.app, 'owner', plays(3, 'Dua Lipa', 'Physical', 'Future Nostalgia', 100));
    h.spotify.setCurrentlyPlaying(playing(makeTrack({ name: 'Levitating', artistName: 'Dua Lipa', albumName: 'Future Nostalgia' })));
    // The owner's 30 stored plays of Levitating (this is the 31st), 33 of Dua Lipa (+ this one); here, the owner and
    // Leo played it (Zoë, Gone and Mia aren't counted).
    const line = '31st play · 34 plays of Dua Lipa · 2 listeners here';
    // Who is in the server is known from an earlier server view (asked once, kept a minute): the line's budget is
    // for the query, not for a first gateway round trip.
    await whoknows(h.discord, 'artist', LEO.id, 'Dua Lipa').finalMessage(10_000);
    for (const style of ['text', 'card'] as const) {
      const handle = np(h, style, LEO.id);
      const text = embedText(await handle.finalMessage(10_000));
      expect(text, style).toContain(`on [Future Nostalgia]`);
      expect(text, style).toMatch(new RegExp(`\\\\n${line}\\\\n\\\\n`));
      expect(handle.originalAttachments.length, style).toBe(style === 'card' ? 1 : 0);
    }
    // In a DM: no server part.
    const dm = embedText(await h.discord.slashCommand({ name: 'nowplaying', userId: LEO.id, guildId: null, options: [{ name: 'style', type: 3, value: 'text' }] }).finalMessage(10_000));
    expect(dm).toContain('31st play · 34 plays of Dua Lipa\\n');
    expect(dm).not.toContain('listeners here');
  });

  it('is left out when nothing is stored', async () => {
    const h = await startOn(engine);
    h.spotify.setCurrentlyPlaying(playing(makeTrack({ name: 'Levitating', artistName: 'Dua Lipa', albumName: 'Future Nostalgia' })));
    for (const style of ['text', 'card'] as const) {
      const text = embedText(await np(h, style).finalMessage(10_000));
      expect(text, style).toContain('Levitating');
      expect(text, style).not.toMatch(/\d(st|nd|rd|th) play/);
      expect(text, style).not.toContain('plays of');
    }
  });
});

describe.runIf(await requireRedis())('/whoknows under SHARDS=2', () => {
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
    shardDir = mkdtempSync(join(tmpdir(), 'npb-whoknows-shards-'));
    spotify = await startSpotifyEmulator();
    discord = await DiscordEmulator.start({ token: validEnv().DISCORD_TOKEN, shardCount: 2, maxConcurrency: 2, guildIds: GUILDS });
    for (const member of [MIA, LEO, ZOE]) discord.addMember(GUILDS[1]!, member);
    const env = {
      ...emulatorEnv(discord, spotify),
      STORAGE_URL: REDIS_URL,
      HISTORY: 'on',
      HISTORY_URL: `sqlite://${join(shardDir, 'history.sqlite')}`,
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

  it("the shard holding the server ranks from the manager's store and answers autocomplete", async () => {
    for (const member of [LEO, ZOE]) await historyOn({ discord }, member.id, GUILDS[1]);
    await seed(app, LEO.id, plays(30, 'Dua Lipa', 'Levitating', 'Future Nostalgia'));
    await seed(app, ZOE.id, plays(5, 'Dua Lipa', 'Levitating', 'Future Nostalgia'));
    await seed(app, MIA.id, plays(99, 'Dua Lipa', 'Levitating', 'Future Nostalgia'));

    const choices = suggest(discord, 'artist', 'dua', { guildId: GUILDS[1]! });
    expect(choices.shard).toBe(1);
    const [choice] = await choices.choices(20_000);
    expect(choice?.name).toBe('Dua Lipa');

    const handle = whoknows(discord, 'artist', ZOE.id, String(choice!.value), { guildId: GUILDS[1] });
    expect(handle.shard).toBe(1);
    const text = embedText(await handle.finalMessage(20_000));
    expect(text).toContain(`"description":"👑 <@${LEO.id}> · 30 plays\\n**2. <@${ZOE.id}> · 5 plays**"`);
    expect(text).not.toContain(MIA.id);
  }, 60_000);
});
