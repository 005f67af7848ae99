// /chart period: and /serverchart through the real bot, both emulators, the image CDN emulator and a real store (a
// SQLite file, and PostgreSQL when it is up): plays seeded at known times, then the ranked items and their play
// counts checked in the text, the picture decoded (which tiles hold a cover, a placeholder or nothing), and the
// covers of imported plays looked up once per album (`GET /tracks/{id}`, counted at the Spotify emulator) and then
// kept: a second chart makes no request. The server chart counts only members here now, recording, not "only me".
// One server chart answered by a shard (SHARDS=2). And the emulator's /tracks endpoints, as strict as Spotify's.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.js';
import { DiscordEmulator, guildIdForShard, type InteractionHandle } from '../emulators/discord.js';
import { emulatorEnv, validEnv } from '../emulators/env.js';
import { startImageCdn, type ImageCdn } from '../emulators/image-cdn.js';
import { imageIdOf, makeTrack, type TrackObject } from '../emulators/spotify-fixtures.js';
import type { SpotifyEmulator } from '../emulators/spotify.js';
import type { App } from '../src/app.js';
import type { HistoryUser, PlayInput } from '../src/history/play.js';
import { chartTileRect, type ChartSize } from '../src/render/chart.js';
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
const STRANGER = { id: '1190000000000000405', username: 'sam', globalName: 'Sam' };

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);

/** Set CHART_PICTURES_DIR to keep PNG copies of the pictures (to look at them). */
const PICTURES_DIR = process.env.CHART_PICTURES_DIR ?? null;

const postgres = await requirePostgres();
const ENGINES: Array<'sqlite' | 'postgres'> = postgres ? ['sqlite', 'postgres'] : ['sqlite'];

// Spotify's catalogue: two tracks of one album (one lookup serves both), and a cover stored with status plays.
const LEVITATING = makeTrack({ name: 'Levitating', artistName: 'Dua Lipa', albumName: 'Future Nostalgia' });
const HOUDINI = makeTrack({ name: 'Houdini', artistName: 'Dua Lipa', albumName: 'Future Nostalgia' });
const FIRST_LOVE = makeTrack({ name: 'First Love', artistName: '宇多田ヒカル', albumName: 'First Love' });
/** A well-formed id Spotify doesn't know (404): its tile is a placeholder. */
const UNKNOWN_ID = '0000000000000000000000';

/** The cover a lookup keeps: the album's 300 px image (the tile is 192–320 px). */
const lookedUpCover = (track: TrackObject): string => imageIdOf(track.album.images.find((i) => i.width === 300)!.url)!;
/** The cover a status play keeps: Discord's `large_image` names the 640 px one. */
const statusCover = (track: TrackObject): string => imageIdOf(track.album.images.find((i) => i.width === 640)!.url)!;

function play(track: { title: string; artist: string; album: string | null; trackId: string | null; imageId?: string | null }, agoMs: number, ms = 200_000): PlayInput {
  const startedAt = NOW - agoMs;
  return {
    title: track.title,
    artist: track.artist,
    album: track.album,
    trackId: track.trackId,
    imageId: track.imageId ?? null,
    startedAt,
    endedAt: startedAt + ms,
    msPlayed: ms,
    durationMs: null,
    source: track.imageId ? 'discord-status' : 'import-extended',
  };
}
const of = (t: TrackObject, imageId: string | null = null) => ({ title: t.name, artist: t.artists[0]!.name, album: t.album.name, trackId: t.id, imageId });

/** Mia's plays: in the last 7 days three of Future Nostalgia (imported), two of First Love (status, with its cover), one unknown to Spotify; older ones. */
const MIA_PLAYS: PlayInput[] = [
  play(of(LEVITATING), 1 * DAY),
  play(of(LEVITATING), 2 * DAY),
  play(of(HOUDINI), 3 * DAY),
  play(of(FIRST_LOVE, statusCover(FIRST_LOVE)), 4 * DAY),
  play(of(FIRST_LOVE, statusCover(FIRST_LOVE)), 5 * DAY),
  play({ title: 'كيفك إنت', artist: 'فيروز', album: 'كيفك إنت', trackId: UNKNOWN_ID }, 6 * DAY),
  ...[10, 20, 40].map((d) => play({ title: `Old ${d}`, artist: 'Old Band', album: 'Old Album', trackId: null }, d * DAY)),
];

let dir = '';
let database: TestDatabase | null = null;
let harness: Harness | null = null;
let cdn: ImageCdn | null = null;

afterEach(async () => {
  await harness?.stop();
  harness = null;
  await cdn?.close();
  cdn = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
  await database?.drop();
  database = null;
});

async function startOn(engine: 'sqlite' | 'postgres', now: () => number = () => NOW): Promise<{ h: Harness; cdn: ImageCdn }> {
  dir = mkdtempSync(join(tmpdir(), 'npb-chart-history-'));
  let url = `sqlite://${join(dir, 'bot.sqlite')}`;
  if (engine === 'postgres') {
    database = await createTestDatabase();
    url = database.url;
  }
  cdn = await startImageCdn();
  harness = await startHarness({ env: { HISTORY: 'on', STORAGE_URL: url, SPOTIFY_IMAGES_URL: cdn.origin }, tuning: { now } });
  const guildId = harness.discord.guildIds[0]!;
  harness.discord.addMember(guildId, { id: OWNER_ID, username: 'owner', globalName: 'Owner' });
  for (const member of [MIA, LEO, ZOE, GONE]) harness.discord.addMember(guildId, member);
  harness.discord.addUser(STRANGER);
  harness.spotify.addTracks(LEVITATING, HOUDINI, FIRST_LOVE);
  return { h: harness, cdn };
}

async function seed(app: App, user: string, plays: PlayInput[]): Promise<void> {
  const added = await app.history!.addPlays(user as HistoryUser, plays);
  expect(added.added).toBe(plays.length);
}

type Option = { name: string; type: number; value: string };
const opt = (name: string, value: string): Option => ({ name, type: name === 'user' ? 6 : 3, value });

async function settled(discord: DiscordEmulator, handle: InteractionHandle, timeoutMs = 15_000) {
  const message = await handle.finalMessage(timeoutMs);
  return { message, embed: message.embeds?.[0], text: embedText(message), attachments: handle.originalAttachments };
}

async function decode(data: Buffer) {
  const image = await loadImage(data);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const all = ctx.getImageData(0, 0, image.width, image.height).data;
  /** The mean colour of a 7×7 block around (x, y). */
  const px = (x: number, y: number): number[] => {
    const sum = [0, 0, 0];
    for (let dy = -3; dy <= 3; dy++) {
      for (let dx = -3; dx <= 3; dx++) {
        const i = ((Math.round(y) + dy) * image.width + Math.round(x) + dx) * 4;
        for (let c = 0; c < 3; c++) sum[c]! += all[i + c]!;
      }
    }
    return sum.map((v) => v / 49);
  };
  return { width: image.width, height: image.height, px, png: () => canvas.encode('png') };
}

const near = (a: number[], b: number[], tolerance: number): boolean => a.every((v, i) => Math.abs(v - b[i]!) <= tolerance);
/** Where a tile is sampled: its upper right, clear of the rank badge and the names. */
const SPOT = { x: 0.85, y: 0.2 };
const EMPTY_TILES = [
  [0x17, 0x18, 0x1c],
  [0x1b, 0x1c, 0x21],
];

/** What each of the size² tiles shows: the cover with this id, a placeholder, or nothing. */
async function tiles(data: Buffer, size: ChartSize, covers: Map<string, number[]>): Promise<string[]> {
  const image = await decode(data);
  expect([image.width, image.height]).toEqual([960, 1024]);
  return Array.from({ length: size * size }, (_, i) => {
    const { x, y, side } = chartTileRect(size, i, true);
    const seen = image.px(x + SPOT.x * side, y + SPOT.y * side);
    if (EMPTY_TILES.some((e) => near(seen, e, 4))) return 'empty';
    for (const [id, rgb] of covers) if (near(seen, rgb, 24)) return `cover:${id}`;
    return 'placeholder';
  });
}

/** The colour of a cover at the spot tiles are sampled at, as the image CDN serves it. */
async function coverColours(images: ImageCdn, ids: string[]): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const id of ids) {
    const image = await decode(await images.imageBytes(id));
    out.set(id, image.px(SPOT.x * image.width, SPOT.y * image.height));
  }
  return out;
}

async function keep(name: string, data: Buffer): Promise<void> {
  if (PICTURES_DIR === null) return;
  mkdirSync(PICTURES_DIR, { recursive: true });
  writeFileSync(join(PICTURES_DIR, `charts-${name}.png`), await (await decode(data)).png());
}

describe.each(ENGINES)('/chart period: on %s', (engine) => {
  it("draws the period's top items from history; imported covers looked up once per album, then kept", async () => {
    const { h, cdn } = await startOn(engine);
    await seed(h.app, MIA.id, MIA_PLAYS);
    const covers = await coverColours(cdn, [lookedUpCover(LEVITATING), statusCover(FIRST_LOVE)]);

    const week = await settled(h.discord, h.discord.slashCommand({ name: 'chart', userId: MIA.id, options: [opt('period', 'week')] }));
    expect(week.message.flags ?? 0).not.toBe(EPHEMERAL);
    expect(week.embed?.title).toBe("Mia's top albums · Last 7 days");
    expect(week.embed?.description).toBe(['1. Future Nostalgia — Dua Lipa · 3 plays', '2. First Love — 宇多田ヒカル · 2 plays', '3. كيفك إنت — فيروز · 1 play'].join('\n'));
    expect(week.embed?.footer?.text).toBe('3×3 · 3 of 9 filled · from stored listening history');
    expect(week.embed?.image?.url).toBe('attachment://chart.jpg');
    expect(week.attachments.map((a) => a.filename)).toEqual(['chart.jpg']);
    expect(week.attachments[0]!.description).toBe("Cover chart, Mia's top albums · Last 7 days: 1. Future Nostalgia; 2. First Love; 3. كيفك إنت");
    await keep(`mia-week-${engine}`, week.attachments[0]!.data);
    expect(await tiles(week.attachments[0]!.data, 3, covers)).toEqual([
      `cover:${lookedUpCover(LEVITATING)}`,
      `cover:${statusCover(FIRST_LOVE)}`,
      'placeholder',
      ...Array(6).fill('empty'),
    ]);
    // One lookup for Future Nostalgia (two tracks, one album), one for the track Spotify doesn't know; none for the
    // cover stored with the status plays; never the batch endpoint.
    expect(h.spotify.count('track')).toBe(2);
    expect(h.spotify.count('tracks-batch')).toBe(0);
    expect(h.spotify.requests.filter((r) => r.route === 'track').map((r) => r.status).sort()).toEqual([200, 404]);

    // Kept: the tracks chart (both Future Nostalgia tracks) and the same chart again ask Spotify nothing.
    const tracks = await settled(h.discord, h.discord.slashCommand({ name: 'chart', userId: MIA.id, options: [opt('period', 'week'), opt('kind', 'tracks'), opt('size', '4x4')] }));
    expect(tracks.embed?.title).toBe("Mia's top tracks · Last 7 days");
    expect(tracks.embed?.description!.split('\n')).toEqual([
      '1. Levitating — Dua Lipa · 2 plays',
      '2. First Love — 宇多田ヒカル · 2 plays',
      '3. Houdini — Dua Lipa · 1 play',
      '4. كيفك إنت — فيروز · 1 play',
    ]);
    expect(await tiles(tracks.attachments[0]!.data, 4, covers)).toEqual([
      `cover:${lookedUpCover(LEVITATING)}`,
      `cover:${statusCover(FIRST_LOVE)}`,
      `cover:${lookedUpCover(LEVITATING)}`,
      'placeholder',
      ...Array(12).fill('empty'),
    ]);
    await settled(h.discord, h.discord.slashCommand({ name: 'chart', userId: MIA.id, options: [opt('period', 'week')] }));
    expect(h.spotify.count('track')).toBe(2);
    // In the database, for good: the album's catalogue rows carry the cover now.
    const [source] = await h.app.history!.coverSources('album', ['dua lipa\u001ffuture nostalgia']);
    expect(source?.imageId).toBe(lookedUpCover(LEVITATING));

    // All time counts the older plays too; artists rank by plays.
    const all = await settled(h.discord, h.discord.slashCommand({ name: 'chart', userId: MIA.id, options: [opt('period', 'all'), opt('kind', 'artists')] }));
    expect(all.embed?.title).toBe("Mia's top artists · All time");
    expect(all.embed?.description!.split('\n')).toEqual(['1. Dua Lipa · 3 plays', '2. Old Band · 3 plays', '3. 宇多田ヒカル · 2 plays', '4. فيروز · 1 play']);
    await keep(`mia-all-artists-${engine}`, all.attachments[0]!.data);
  });

  it('whose as for /stats: a member\'s in a shared server, refused for "only me" and strangers; an empty period is text only', async () => {
    const { h } = await startOn(engine);
    await seed(h.app, MIA.id, MIA_PLAYS);
    await seed(h.app, STRANGER.id, MIA_PLAYS.slice(0, 1));

    const shown = await settled(h.discord, h.discord.slashCommand({ name: 'chart', userId: LEO.id, options: [opt('user', MIA.id), opt('period', 'week')] }));
    expect(shown.embed?.title).toBe("Mia's top albums · Last 7 days");
    expect(shown.text).toContain('1. Future Nostalgia — Dua Lipa · 3 plays');

    const stranger = await settled(h.discord, h.discord.slashCommand({ name: 'chart', userId: LEO.id, options: [opt('user', STRANGER.id), opt('period', 'week')] }));
    expect(stranger.message.flags).toBe(EPHEMERAL);
    expect(stranger.text).toContain('only be shown in a server you both share');
    expect(stranger.attachments).toHaveLength(0);

    await h.discord.slashCommand({ name: 'spotify', subcommand: 'privacy', userId: MIA.id, options: [opt('visibility', 'private')] }).finalMessage();
    const hidden = await settled(h.discord, h.discord.slashCommand({ name: 'chart', userId: LEO.id, options: [opt('user', MIA.id), opt('period', 'week')] }));
    expect(hidden.message.flags).toBe(EPHEMERAL);
    expect(hidden.text).toContain('keeps their listening private');
    expect(hidden.text).not.toContain('Future Nostalgia');

    const empty = await settled(h.discord, h.discord.slashCommand({ name: 'chart', userId: LEO.id, options: [opt('period', 'month')] }));
    expect(empty.embed?.title).toBe("Leo's top albums · Last 30 days");
    expect(empty.embed?.description).toBe('Nothing to chart: **Leo** has no plays in this period (last 30 days).');
    expect(empty.attachments).toHaveLength(0);
    // Without a period, /chart is Spotify's top lists as before (no history read, no lookup).
    const lookups = h.spotify.count('track');
    const spotifyChart = await settled(h.discord, h.discord.slashCommand({ name: 'chart', userId: OWNER_ID }));
    expect(spotifyChart.embed?.title).toBe("Owner's top albums · Last 4 weeks");
    expect(h.spotify.count('top')).toBe(1);
    expect(h.spotify.count('track')).toBe(lookups);
  });
});

describe("covers kept by the recorders", () => {
  it("the owner's recently-played plays keep their album's cover: the chart draws it with no lookup", async () => {
    const { h, cdn } = await startOn('sqlite');
    const started = (t: TrackObject, agoMs: number) => ({ played_at: new Date(NOW - agoMs).toISOString(), track: t });
    h.spotify.setRecentlyPlayed([started(LEVITATING, DAY), started(HOUDINI, 2 * DAY), started(FIRST_LOVE, 3 * DAY)]);
    expect(await h.app.historyJobs.sync!.syncAll()).toBe(3);
    const covers = await coverColours(cdn, [statusCover(LEVITATING), statusCover(FIRST_LOVE)]);
    const chart = await settled(h.discord, h.discord.slashCommand({ name: 'chart', userId: OWNER_ID, options: [opt('period', 'week')] }));
    expect(chart.embed?.description).toBe(['1. Future Nostalgia — Dua Lipa · 2 plays', '2. First Love — 宇多田ヒカル · 1 play'].join('\n'));
    expect(await tiles(chart.attachments[0]!.data, 3, covers)).toEqual([`cover:${statusCover(LEVITATING)}`, `cover:${statusCover(FIRST_LOVE)}`, ...Array(7).fill('empty')]);
    expect(h.spotify.count('track')).toBe(0);
  });
});

describe.each(ENGINES)('/serverchart on %s', (engine) => {
  it('counts only members here now, recording and not "only me"', async () => {
    const { h, cdn } = await startOn(engine);
    const guildId = h.discord.guildIds[0]!;
    // The owner: recorded by default. Leo, Zoë and Gone chose /history on; Mia never did.
    await seed(h.app, 'owner', [1, 2, 3].map((d) => play(of(LEVITATING), d * DAY)));
    for (const member of [LEO, ZOE, GONE]) await h.discord.slashCommand({ name: 'history', subcommand: 'on', userId: member.id }).finalMessage();
    await seed(h.app, LEO.id, [play(of(FIRST_LOVE, statusCover(FIRST_LOVE)), DAY), play(of(HOUDINI), 2 * DAY)]);
    await seed(h.app, ZOE.id, [1, 2, 3, 4].map((d) => play({ title: 'Hidden', artist: 'Secret', album: 'Nobody', trackId: null }, d * DAY)));
    await seed(h.app, GONE.id, [1, 2, 3, 4].map((d) => play({ title: 'Behind', artist: 'Left', album: 'Away', trackId: null }, d * DAY)));
    await seed(h.app, MIA.id, [1, 2, 3, 4].map((d) => play({ title: 'Counted', artist: 'Not', album: 'Here', trackId: null }, d * DAY)));
    await h.discord.slashCommand({ name: 'spotify', subcommand: 'privacy', userId: ZOE.id, options: [opt('visibility', 'private')] }).finalMessage();
    h.discord.removeMember(guildId, GONE.id);
    const covers = await coverColours(cdn, [lookedUpCover(LEVITATING), statusCover(FIRST_LOVE)]);

    const albums = await settled(h.discord, h.discord.slashCommand({ name: 'serverchart', userId: LEO.id, options: [opt('period', 'week')] }));
    expect(albums.embed?.title).toMatch(/ top albums · Last 7 days$/);
    expect(albums.embed?.description).toBe(['2 recorded members together', '1. Future Nostalgia — Dua Lipa · 4 plays', '2. First Love — 宇多田ヒカル · 1 play'].join('\n'));
    for (const absent of ['Secret', 'Left', 'Not', 'Nobody', 'Away', 'Here']) expect(albums.text).not.toContain(absent);
    expect(albums.attachments.map((a) => a.filename)).toEqual(['chart.jpg']);
    expect(await tiles(albums.attachments[0]!.data, 3, covers)).toEqual([`cover:${lookedUpCover(LEVITATING)}`, `cover:${statusCover(FIRST_LOVE)}`, ...Array(7).fill('empty')]);
    expect(h.spotify.count('track')).toBe(1);
    await keep(`server-week-${engine}`, albums.attachments[0]!.data);

    const artists = await settled(h.discord, h.discord.slashCommand({ name: 'serverchart', userId: LEO.id, options: [opt('kind', 'artists'), opt('period', 'all'), opt('size', '5x5')] }));
    expect(artists.embed?.description).toBe(['2 recorded members together', '1. Dua Lipa · 4 plays', '2. 宇多田ヒカル · 1 play'].join('\n'));
    expect(artists.embed?.footer?.text).toBe('5×5 · 2 of 25 filled · from stored listening history');
    expect(h.spotify.count('track')).toBe(1);

    // The building block the recap calls checks consent itself: given every id, it counts the owner and Leo only.
    const direct = await h.app.services.chart.server([OWNER_ID, LEO.id, ZOE.id, MIA.id], 'albums', 'week', 9);
    expect(direct.members).toBe(2);
    expect(direct.items.map((i) => [i.name, i.plays])).toEqual([['Future Nostalgia', 4], ['First Love', 1]]);
  });

  it('an empty period is a clear text reply with no picture; a server with one play gets a one-tile chart', async () => {
    const { h } = await startOn(engine);
    const empty = await settled(h.discord, h.discord.slashCommand({ name: 'serverchart', userId: LEO.id }));
    expect(empty.embed?.description).toBe("Nothing to chart: This server's recorded members have no plays in this period (last 30 days).");
    expect(empty.attachments).toHaveLength(0);

    await seed(h.app, 'owner', [play({ title: 'تملي معاك', artist: 'عمرو دياب', album: 'تملي معاك', trackId: null }, DAY, 150_000)]);
    const one = await settled(h.discord, h.discord.slashCommand({ name: 'serverchart', userId: LEO.id, options: [opt('kind', 'tracks')] }));
    expect(one.embed?.description).toBe(['1 recorded member together', '1. تملي معاك — عمرو دياب · 1 play'].join('\n'));
    expect(await tiles(one.attachments[0]!.data, 3, new Map())).toEqual(['placeholder', ...Array(8).fill('empty')]);
    // No Spotify id: nothing to look up.
    expect(h.spotify.count('track')).toBe(0);
    await keep(`server-one-play-${engine}`, one.attachments[0]!.data);

    const dm = await settled(h.discord, h.discord.slashCommand({ name: 'serverchart', userId: LEO.id, guildId: null }));
    expect(dm.message.flags).toBe(EPHEMERAL);
    expect(dm.text).toContain('/serverchart works in a server the bot is in.');
  });
});

describe('cover lookups under a rate limit', () => {
  it('a 429 longer than a short wait stops the lookups: the chart goes out with placeholders, the cover comes with a later chart', async () => {
    // A clock that runs (from NOW): the rate gate opens again when Retry-After has passed.
    const started = Date.now();
    const { h, cdn } = await startOn('sqlite', () => NOW + (Date.now() - started));
    await seed(h.app, MIA.id, MIA_PLAYS.slice(0, 3));
    const covers = await coverColours(cdn, [lookedUpCover(LEVITATING)]);
    h.spotify.fail('track', { status: 429, headers: { 'retry-after': '3' } });
    const limited = await settled(h.discord, h.discord.slashCommand({ name: 'chart', userId: MIA.id, options: [opt('period', 'week')] }));
    expect(limited.embed?.description).toBe('1. Future Nostalgia — Dua Lipa · 3 plays');
    expect(await tiles(limited.attachments[0]!.data, 3, covers)).toEqual(['placeholder', ...Array(8).fill('empty')]);
    expect(h.spotify.requests.filter((r) => r.route === 'track').map((r) => r.status)).toEqual([429]);

    await new Promise((resolve) => setTimeout(resolve, 3_100));
    const later = await settled(h.discord, h.discord.slashCommand({ name: 'chart', userId: MIA.id, options: [opt('period', 'week')] }));
    expect(await tiles(later.attachments[0]!.data, 3, covers)).toEqual([`cover:${lookedUpCover(LEVITATING)}`, ...Array(8).fill('empty')]);
    expect(h.spotify.count('track')).toBe(2);
  });
});

describe('the Spotify emulator\'s /tracks', () => {
  let spotify: SpotifyEmulator;
  beforeAll(async () => {
    spotify = await startSpotifyEmulator();
    spotify.addTracks(LEVITATING);
  });
  afterAll(async () => {
    await spotify?.close();
  });

  const get = (path: string, token: string | null) =>
    fetch(`${spotify.apiUrl}${path}`, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });

  it('answers GET /tracks/{id} as Spotify does, refuses the batch lookup, and rate-limits', async () => {
    const token = spotify.mintAccessToken();
    const ok = await get(`/tracks/${LEVITATING.id}`, token);
    expect(ok.status).toBe(200);
    const track = (await ok.json()) as TrackObject;
    expect(track.id).toBe(LEVITATING.id);
    expect(track.album.images.map((i) => [i.width, imageIdOf(i.url) !== null])).toEqual([[640, true], [300, true], [64, true]]);

    expect((await get(`/tracks/${LEVITATING.id}`, null)).status).toBe(401);
    const malformed = await get('/tracks/not-an-id', token);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: { status: 400, message: 'invalid id' } });
    const unknown = await get(`/tracks/${UNKNOWN_ID}`, token);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { status: 404, message: 'Resource not found' } });
    expect((await get(`/tracks/${LEVITATING.id}?market=nowhere`, token)).status).toBe(400);
    const batch = await get(`/tracks?ids=${LEVITATING.id},${HOUDINI.id}`, token);
    expect(batch.status).toBe(403);
    expect(await batch.json()).toEqual({ error: { status: 403, message: 'Forbidden' } });

    spotify.setRateLimit({ requests: 2, windowMs: 30_000 });
    expect((await get(`/tracks/${LEVITATING.id}`, token)).status).toBe(200);
    expect((await get(`/tracks/${LEVITATING.id}`, token)).status).toBe(200);
    const limited = await get(`/tracks/${LEVITATING.id}`, token);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(29);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(30);
    spotify.setRateLimit(null);
    expect((await get(`/tracks/${LEVITATING.id}`, token)).status).toBe(200);
  });
});

describe.runIf(await requireRedis())('/serverchart under SHARDS=2', () => {
  const GUILDS = [guildIdForShard(0, 2), guildIdForShard(1, 2)];
  let spotify: SpotifyEmulator;
  let discord: DiscordEmulator;
  let images: ImageCdn;
  let storage: Storage;
  let sharded: ShardedBot;
  let app: App;
  let shardDir = '';
  const saved = { ...process.env };
  const shardOutput = captureShardOutput();

  beforeAll(async () => {
    shardDir = mkdtempSync(join(tmpdir(), 'npb-chart-shards-'));
    spotify = await startSpotifyEmulator();
    spotify.addTracks(LEVITATING, HOUDINI);
    images = await startImageCdn();
    discord = await DiscordEmulator.start({ token: validEnv().DISCORD_TOKEN, shardCount: 2, maxConcurrency: 2, guildIds: GUILDS });
    for (const member of [MIA, LEO]) discord.addMember(GUILDS[1]!, member);
    const env = {
      ...emulatorEnv(discord, spotify),
      STORAGE_URL: REDIS_URL,
      HISTORY: 'on',
      HISTORY_URL: `sqlite://${join(shardDir, 'history.sqlite')}`,
      PRESENCE_CRON: 'off',
      LOG_LEVEL: 'warn',
      SPOTIFY_IMAGES_URL: images.origin,
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
    await images?.close();
    await spotify?.close();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    if (shardDir) rmSync(shardDir, { recursive: true, force: true });
  });

  it('the shard holding the server draws the chart; the manager looks the cover up once', async () => {
    await discord.slashCommand({ name: 'history', subcommand: 'on', guildId: GUILDS[1], userId: LEO.id }).finalMessage(20_000);
    await app.history!.addPlays(LEO.id as HistoryUser, [play(of(LEVITATING), DAY), play(of(HOUDINI), 2 * DAY), play(of(LEVITATING), 3 * DAY)]);
    // Mia never chose /history on: not counted.
    await app.history!.addPlays(MIA.id as HistoryUser, [play({ title: 'Mine', artist: 'Only', album: 'Private', trackId: null }, DAY)]);
    const covers = await coverColours(images, [lookedUpCover(LEVITATING)]);
    for (let i = 0; i < 2; i++) {
      const handle = discord.slashCommand({ name: 'serverchart', guildId: GUILDS[1], userId: LEO.id, options: [opt('period', 'week'), opt('kind', 'tracks')] });
      expect(handle.shard).toBe(1);
      const { embed, attachments } = await settled(discord, handle, 20_000);
      expect(embed?.description).toBe(['1 recorded member together', '1. Levitating — Dua Lipa · 2 plays', '2. Houdini — Dua Lipa · 1 play'].join('\n'));
      expect(await tiles(attachments[0]!.data, 3, covers)).toEqual([`cover:${lookedUpCover(LEVITATING)}`, `cover:${lookedUpCover(LEVITATING)}`, ...Array(7).fill('empty')]);
      expect(spotify.count('track')).toBe(1);
    }
  }, 60_000);
});
