// npm run demo — try the bot without any account.
// Starts the loopback Discord and Spotify emulators and the REAL bot against them (no .env; the only files written
// are the pictures, in a temp folder it names), plays a short scripted session and prints what a Discord user would
// see. It runs straight through, in a terminal too (the sections stay in the scroll-back); `npm run demo -- --slow`
// pauses between steps for watching it live.
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { PermissionFlagsBits, type APIActionRowComponent, type APIButtonComponent, type APIEmbed } from 'discord.js';
import { startImageCdn } from '../emulators/image-cdn.js';
import { commands } from '../commands/index.js';
import { createApp } from '../src/app.js';
import { startAppBot, type Bot } from '../src/bot.js';
import { loadConfig } from '../src/config.js';
import { renderPayload, type MentionNames } from '../emulators/render-text.js';
import { createLogger } from '../src/logger.js';
import { openDatabases } from '../src/databases.js';
import { playsText } from '../src/features/history/replies.js';
import type { Track } from '../src/spotify/types.js';
import { RANGE_LABELS } from '../src/features/top/service.js';
import {
  DiscordEmulator,
  spotifyActivity,
  type ComponentPayload,
  type InteractionHandle,
  type MessagePayload,
  type PresencePayload,
} from '../emulators/discord.js';
import { SpotifyEmulator } from '../emulators/spotify.js';
import { extendedFiles, extendedHistory, exportZip } from '../emulators/spotify-export.js';
import {
  makeArtists,
  makeLocalTrack,
  makePlayHistory,
  makeSimplifiedArtist,
  makeTrack,
  makeTracks,
  playing,
} from '../emulators/spotify-fixtures.js';
import {
  emulatorEnv,
  TEST_DISCORD_TOKEN,
  TEST_REFRESH_TOKEN,
  TEST_SPOTIFY_CLIENT_ID,
  TEST_SPOTIFY_CLIENT_SECRET,
  validEnv,
} from '../emulators/env.js';

const OWNER_ID = '200000000000000001';
const BOT_NAME = 'Spotify Bot';
const INDENT = '    ';
const out = (text = ''): void => void process.stdout.write(`${text}\n`);
const indent = (text: string): string => text.split('\n').map((line) => INDENT + line).join('\n');
const SLOW = process.argv.slice(2).includes('--slow');
/** A short pause for the reader, with --slow only. */
const beat = (ms = 1_200): Promise<void> => (SLOW ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

let step = 0;
function section(title: string): void {
  step += 1;
  const head = `── ${step}. ${title} `;
  out();
  out(head + '─'.repeat(Math.max(4, 64 - head.length)));
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The owner's Spotify app: what it plays, where in the song it is. The emulator serves it as Spotify would. */
class Player {
  private track: Track | null = null;
  private offsetMs = 0;
  private startedAt = 0;
  private isPlaying = false;

  constructor(private readonly spotify: SpotifyEmulator) {}

  position(): number {
    if (!this.track) return 0;
    const elapsed = this.isPlaying ? Date.now() - this.startedAt : 0;
    return Math.min(this.track.duration_ms, this.offsetMs + elapsed);
  }

  play(track: Track, fromMs = 0): void {
    Object.assign(this, { track, offsetMs: fromMs, startedAt: Date.now(), isPlaying: true });
    this.sync();
  }

  /** Story time: the song plays on for `ms` without the demo waiting for it. */
  later(ms: number): void {
    if (this.isPlaying) this.offsetMs += ms;
    out(`… ${Math.round(ms / 1000)} s later`);
  }

  pause(): void {
    Object.assign(this, { offsetMs: this.position(), isPlaying: false });
    this.sync();
  }

  /** Report the current position to Spotify (the real app does this continuously). */
  sync(): void {
    this.spotify.setCurrentlyPlaying(this.track ? playing(this.track, { progressMs: this.position(), isPlaying: this.isPlaying }) : null);
  }
}

/** Server names of the members and channels the demo adds: mentions read as Discord shows them (@Sam, #music). */
const userNames = new Map<string, string>();
const channelNames = new Map<string, string>();
const names: MentionNames = { user: (id) => userNames.get(id), channel: (id) => channelNames.get(id) };

/** A message as the emulator received it → the shape renderPayload takes (the wire format is the API's). */
function render(message: MessagePayload): string {
  return renderPayload(
    {
      ...(message.content ? { content: message.content } : {}),
      embeds: (message.embeds ?? []) as APIEmbed[],
      components: (message.components ?? []) as unknown as APIActionRowComponent<APIButtonComponent>[],
    },
    names,
  );
}

/** A file name for a saved picture: its number and the command, whole words, short enough to read. */
function pictureName(count: number, label: string): string {
  let slug = label.replace(/×/g, 'x').replace(/'/g, '').replace(/\W+/g, '-').replace(/^-+|-+$/g, '');
  if (slug.length > 48) slug = slug.slice(0, slug.lastIndexOf('-', 48) > 0 ? slug.lastIndexOf('-', 48) : 48);
  return `${String(count).padStart(2, '0')}-${slug}`;
}

/** The bot's status as Discord shows it next to its name, from the op 3 payload the gateway received. */
function statusLine(presence: PresencePayload): string {
  const dot = ({ online: '🟢', idle: '🌙', dnd: '⛔' } as Record<string, string>)[presence.status] ?? '⚫';
  const activity = presence.activities.find((a) => a.type === 2);
  if (!activity) return `${dot} ${BOT_NAME} — (no activity)`;
  const head = `${dot} ${BOT_NAME} — `;
  const artists = activity.state ? `\n${' '.repeat(head.length + 'Listening to '.length)}${activity.state}` : '';
  return `${head}Listening to ${activity.name}${artists}`;
}

async function main(): Promise<void> {
  out('🎧 spotify-nowplaying-bot demo — the real bot, with Discord and Spotify emulated on 127.0.0.1');

  const spotify = await SpotifyEmulator.start({ clientId: TEST_SPOTIFY_CLIENT_ID, clientSecret: TEST_SPOTIFY_CLIENT_SECRET });
  const cleanup: Array<() => Promise<void>> = [() => spotify.close()];
  let bot: Bot | null = null;
  try {
    spotify.addRefreshToken(TEST_REFRESH_TOKEN);
    const discord = await DiscordEmulator.start({ token: TEST_DISCORD_TOKEN, botUsername: BOT_NAME });
    cleanup.unshift(() => discord.close());
    // The owner, a member of the server: replies name whose listening.
    discord.addMember(discord.guildIds[0]!, { id: OWNER_ID, username: 'jordan', globalName: 'Jordan' });
    userNames.set(OWNER_ID, 'Jordan');
    // Cover art from the image CDN emulator (SPOTIFY_IMAGES_URL); every card and chart shown is saved as a file.
    const images = await startImageCdn();
    cleanup.unshift(() => images.close());
    const picturesDir = mkdtempSync(join(tmpdir(), 'nowplaying-demo-pictures-'));
    let pictureCount = 0;
    /** Saves the pictures a reply carries as the bot uploaded them (plus a PNG copy for PNG-only viewers); prints where. */
    const savePicture = async (file: { filename: string; data: Buffer | Uint8Array }, label: string): Promise<void> => {
      pictureCount += 1;
      const base = join(picturesDir, pictureName(pictureCount, label));
      writeFileSync(`${base}${extname(file.filename)}`, file.data);
      const { createCanvas, loadImage } = await import('@napi-rs/canvas');
      const image = await loadImage(Buffer.from(file.data));
      const copy = createCanvas(image.width, image.height);
      copy.getContext('2d').drawImage(image, 0, 0);
      writeFileSync(`${base}.png`, await copy.encode('png'));
      out(`${INDENT}🖼 ${file.filename} (${image.width}×${image.height}, ${Math.round(file.data.length / 1024)} KiB) saved as ${base}${extname(file.filename)} (+ .png)`);
    };
    const savePictures = async (handle: InteractionHandle, label: string): Promise<void> => {
      for (const file of handle.originalAttachments) await savePicture(file, label);
    };
    const dataDir = mkdtempSync(join(tmpdir(), 'nowplaying-demo-data-'));
    cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const config = loadConfig(
      validEnv({
        ...emulatorEnv(discord, spotify),
        SPOTIFY_IMAGES_URL: images.origin,
        BOT_OWNER_ID: OWNER_ID,
        // A real SQLite file (keys and listening history), in a folder removed at the end.
        STORAGE_URL: `sqlite://${join(dataDir, 'bot.sqlite')}`,
        PRESENCE_CRON: 'off', // the demo runs each presence tick itself
        DISCORD_PRESENCES: 'on', // members' Spotify from their Discord status (/listening)
      }),
    );
    const logger = createLogger({ level: 'warn', secrets: [config.discord.token, config.spotify.clientSecret, TEST_REFRESH_TOKEN] });
    const databases = await openDatabases(config, logger);
    cleanup.unshift(() => databases.close());
    // Every step reads Spotify afresh (in production one answer serves everything within 2 s).
    // The bot's clock: the real one, except where the story says "a week ago" (the weekly recap).
    let clockOffsetMs = 0;
    const now = (): number => Date.now() + clockOffsetMs;
    const app = createApp(config, logger, databases.storage, { listeningFreshnessMs: 0, now }, undefined, databases.history);
    const player = new Player(spotify);

    section('The bot starts');
    bot = await startAppBot(app, { commands });
    await bot.ready;
    const registered = (discord.commands() as Array<{ name: string }>).map((c) => `/${c.name}`);
    out(`Bot online as ${bot.client.user?.tag ?? BOT_NAME}, ${registered.length} slash commands registered: ${registered.join(' ')}`);
    const running = bot;

    /** Runs one presence tick and prints the status Discord now shows. */
    const showStatus = async (): Promise<void> => {
      const next = discord.waitFor<{ payload: PresencePayload }>('presence'); // the op 3 the gateway receives
      player.sync();
      await running.presence.tick();
      const update = await next;
      out('Bot status in the member list:');
      out(indent(statusLine(update.payload)));
    };

    /** A user types a slash command in a server; prints the reply as they see it. */
    const slash = async (label: string, name: string, options: Array<{ name: string; type: number; value: string | number }> = []) => {
      player.sync();
      out(`> ${label}`);
      const interaction = discord.slashCommand({ name, options, username: 'alex' });
      const message = await interaction.finalMessage();
      out(indent(render(message)));
      await savePictures(interaction, label);
      return { message, id: String(interaction.originalMessage?.id ?? interaction.id) };
    };

    const blinding = makeTrack(); // Blinding Lights — The Weeknd, 3:20
    section('The owner starts playing a song on Spotify');
    player.play(blinding, 62_000);
    out(`Owner ▶ ${blinding.name} — ${blinding.artists.map((a) => a.name).join(', ')} (at ${clock(player.position())} of ${clock(blinding.duration_ms)})`);
    await showStatus();
    await beat();

    section('Someone in the server asks what is playing');
    await slash('/nowplaying', 'nowplaying');
    await beat(2_000);

    const tears = makeTrack({
      name: 'Save Your Tears (with Ariana Grande) - Remix',
      albumName: 'Save Your Tears (Remix)',
      artists: [makeSimplifiedArtist('The Weeknd'), makeSimplifiedArtist('Ariana Grande')],
      duration_ms: 191_013,
    });
    section('The owner skips to the next song');
    player.play(tears);
    out(`Owner ⏭ ${tears.name}`);
    await showStatus();
    await beat(800);
    player.later(45_000);
    await slash('/nowplaying', 'nowplaying');
    await beat(2_000);

    section('The owner pauses');
    player.later(20_000);
    player.pause();
    out(`Owner ⏸ (at ${clock(player.position())})`);
    await showStatus();
    await beat(800);
    await slash('/nowplaying', 'nowplaying');
    await beat(2_000);

    section('Top tracks, 25 of them, 10 per page');
    spotify.setTop('tracks', makeTracks(50));
    const first = await slash('/toptracks limit:25', 'toptracks', [{ name: 'limit', type: 4, value: 25 }]);
    await beat(1_500);
    const buttons = (first.message.components ?? []).flatMap((row: ComponentPayload) => row.components ?? []);
    const next = buttons.find((b) => String(b.label).includes('Next'));
    if (!next?.custom_id) throw new Error('the /toptracks reply has no Next button');
    out('alex presses [ Next ▶ ]');
    const press = discord.pressButton({ customId: next.custom_id, message: { ...first.message, id: first.id }, username: 'alex' });
    const update = await press.response();
    out(update.type === 7 ? '(the same message, updated in place)' : `(answered with callback type ${update.type})`);
    out(indent(render(update.data ?? {})));
    await beat(2_000);

    section('Top artists of the last year');
    spotify.setTop('artists', makeArtists(20), 'long_term');
    await slash(`/topartists range:${RANGE_LABELS.long_term}`, 'topartists', [{ name: 'range', type: 3, value: 'long_term' }]);
    await beat(1_500);

    section('What the owner played lately (/recent)');
    spotify.setRecentlyPlayed(makePlayHistory([tears, blinding, ...makeTracks(9).slice(1)], { endAt: Date.now() - 4 * 60_000, gapMs: 3.5 * 60_000 }));
    await slash('/recent limit:5', 'recent', [{ name: 'limit', type: 4, value: 5 }]);
    await beat(1_500);

    section("Who in the server is listening: members' Discord status (/listening)");
    const guildId = discord.guildIds[0]!;
    const statusOf = (title: string, artist: string, agoMs: number): Record<string, unknown> =>
      spotifyActivity({
        trackId: `demo${title.replace(/\W/g, '')}`.slice(0, 22),
        title,
        artists: [artist],
        album: `${title} (Single)`,
        imageId: 'ab67616d0000b273aaaaaaaaaaaaaaaaaaaaaaaa',
        startMs: Date.now() - agoMs,
        endMs: Date.now() - agoMs + 210_000,
      });
    const listeners: Array<[string, string, string, number]> = [
      ['sam', 'Espresso', 'Sabrina Carpenter', 20_000],
      ['kim', 'Espresso', 'Sabrina Carpenter', 75_000],
      ['lee', 'Espresso', 'Sabrina Carpenter', 140_000],
      ['ana', 'Levitating', 'Dua Lipa', 35_000],
      ['max', 'Houdini', 'Dua Lipa', 95_000],
      ['joe', 'Bohemian Rhapsody', 'Queen', 5_000],
    ];
    const listenerIds = new Map<string, string>();
    for (const [i, [name, title, artist, ago]] of listeners.entries()) {
      const id = `13000000000000000${i}`;
      listenerIds.set(name, id);
      discord.addMember(guildId, { id, username: name });
      userNames.set(id, name);
      const handled = once(running.client.ws, 'PRESENCE_UPDATE'); // the bot reads it straight off the gateway
      discord.setPresence(guildId, id, { status: 'online', activities: [statusOf(title, artist, ago)] });
      await handled;
    }
    out(`${listeners.length} members' Discord status shows Spotify (read from their presence: no Spotify request, no linking)`);
    const before = spotify.count('currently-playing');
    await slash('/listening', 'listening');
    out(`(Spotify requests for that: ${spotify.count('currently-playing') - before}, the owner's own playback)`);
    await beat(2_000);

    section('A now-playing channel (/announce)');
    const musicChannel = discord.addChannel(guildId, { name: 'music' });
    channelNames.set(musicChannel, 'music');
    await once(running.client, 'channelCreate');
    await slash('/announce channel:#music', 'announce', [{ name: 'channel', type: 7, value: musicChannel }]);
    const heat = makeTrack({ name: 'Heat Waves', artistName: 'Glass Animals', albumName: 'Dreamland', duration_ms: 238_805 });
    player.play(heat);
    out(`Owner ⏭ ${heat.name}`);
    await showStatus();
    await running.announcer.idle();
    const post = discord.channelMessages(musicChannel).at(-1);
    out('#music:');
    out(indent(post ? render(post.body) : '(nothing posted)'));
    await beat(1_500);

    section('A member links their own Spotify and compares (/spotify link, then user:)');
    const RILEY = '130000000000000099';
    discord.addMember(guildId, { id: RILEY, username: 'riley', globalName: 'Riley' });
    userNames.set(RILEY, 'Riley');
    const riley = spotify.addUser('riley-spotify', { displayName: 'Riley R.' });
    riley.setCurrentlyPlaying(playing(makeTrack({ name: 'Midnight City', artistName: 'M83', albumName: 'Hurry Up, We\'re Dreaming', duration_ms: 243_960 })));
    riley.setTop('tracks', makeTracks(30).reverse());
    const asRiley = async (label: string, name: string, extra: { subcommand?: string; options?: Array<{ name: string; type: number; value: string | number }> } = {}) => {
      out(`riley> ${label}`);
      const handle = discord.slashCommand({ name, userId: RILEY, ...extra });
      const message = await handle.finalMessage();
      out(indent(render(message)));
      await savePictures(handle, `riley ${label}`);
      return message;
    };
    const linkMessage = await asRiley('/spotify link', 'spotify', { subcommand: 'link' });
    const [openLink, pasteButton] = (linkMessage.components ?? []).flatMap((row: ComponentPayload) => row.components ?? []);
    if (!openLink?.url || !pasteButton?.custom_id) throw new Error('the /spotify link reply has no buttons');
    out('riley opens Spotify, approves, and pastes the address the browser ended on:');
    const modal = await discord.pressButton({ customId: pasteButton.custom_id, message: { id: '1' }, userId: RILEY }).response();
    const redirected = spotify.approve(openLink.url, { userId: 'riley-spotify' });
    const linked = await discord
      .submitModal({ customId: String(modal.data?.custom_id), fields: { redirected }, userId: RILEY })
      .finalMessage();
    out(indent(render(linked)));
    await beat(1_500);
    await asRiley('/nowplaying (their own now)', 'nowplaying');
    await asRiley('/toptracks limit:5', 'toptracks', { options: [{ name: 'limit', type: 4, value: 5 }] });
    await slash('/toptracks limit:5 user:@riley (alex compares)', 'toptracks', [
      { name: 'limit', type: 4, value: 5 },
      { name: 'user', type: 6, value: RILEY },
    ]);
    await slash('/nowplaying (alex has not linked: the owner\'s, named)', 'nowplaying');
    await beat(2_000);

    section('The owner checks the Spotify links (/spotify status)');
    out('jordan> /spotify status');
    const status = await discord.slashCommand({ name: 'spotify', subcommand: 'status', userId: OWNER_ID }).finalMessage();
    out(indent(render(status)));
    await beat(2_000);

    section('Listening history: plays the bot sees are kept (/history)');
    // The owner's plays come from Spotify's recently-played list (every 20 minutes; here, now).
    const played = Date.now();
    spotify.setRecentlyPlayed([
      { played_at: new Date(played - 9 * 60_000).toISOString(), track: makeTrack({ name: 'Blinding Lights' }) },
      { played_at: new Date(played - 5 * 60_000).toISOString(), track: makeTrack({ name: 'Save Your Tears' }) },
      { played_at: new Date(played - 60_000).toISOString(), track: makeTrack({ name: 'Starboy' }) },
    ]);
    out(`Spotify's recently-played list read again: ${playsText(await app.historyJobs.sync!.syncAll())} of the owner added (the rest were already recorded at start)`);
    out('jordan> /history status');
    out(indent(render(await discord.slashCommand({ name: 'history', subcommand: 'status', userId: OWNER_ID }).finalMessage())));
    // A member whose Discord status shows Spotify is recorded only once they say so.
    const anaId = listenerIds.get('ana')!;
    out('ana> /history on');
    out(indent(render(await discord.slashCommand({ name: 'history', subcommand: 'on', userId: anaId }).finalMessage())));
    for (const [title, ago] of [['Levitating', 200_000], ['Houdini', 1_000]] as const) {
      const handled = once(running.client.ws, 'PRESENCE_UPDATE');
      discord.setPresence(guildId, anaId, { status: 'online', activities: [statusOf(title, 'Dua Lipa', ago)] });
      await handled;
    }
    out(`ana listened to Levitating, then Houdini started: ${playsText(await app.statusPlays!.flush())} recorded (written in a batch, not per update)`);
    // Her years before the bot: Spotify's data export (here a small generated one), uploaded as an attachment.
    const exportFiles = extendedFiles(extendedHistory({ rows: 1_200, seed: 5, start: '2024-01-01T00:00:00Z' }), { perFile: 600 });
    const upload = discord.addAttachment({ filename: 'my_spotify_data.zip', bytes: exportZip(exportFiles) });
    out(`ana> /history import file:my_spotify_data.zip (${Math.round(upload.size / 1024)} KiB: 2 streaming-history files, the rest of the export ignored)`);
    const importing = discord.slashCommand({
      name: 'history',
      subcommand: 'import',
      userId: anaId,
      options: [{ name: 'file', type: 11, value: upload.id }],
    });
    const finished = await discord.waitFor<{ interactionId: string; body: MessagePayload }>(
      'interactionEdit',
      (e) => e.interactionId === importing.id && JSON.stringify(e.body.embeds ?? []).includes('Import finished'),
      30_000,
    );
    out(indent(render(finished.body)));
    out('ana> /history status');
    out(indent(render(await discord.slashCommand({ name: 'history', subcommand: 'status', userId: anaId }).finalMessage())));
    await beat(2_000);

    section('What history shows: /stats, /whoknows, /taste, /wrapped, server charts and the weekly recap');
    // Jordan (the owner), sam and kim bring the last 30 days of their listening (Spotify data exports, generated: the
    // same catalogue of Latin, Japanese/Chinese and Arabic names), next to ana's.
    const samId = listenerIds.get('sam')!;
    const kimId = listenerIds.get('kim')!;
    type Options = Array<{ name: string; type: number; value: string | number | boolean }>;
    /** A member types a command; prints the reply as they see it and saves its pictures. */
    const as = async (who: string, userId: string, label: string, name: string, extra: { subcommand?: string; options?: Options; memberPermissions?: string } = {}) => {
      player.sync();
      out(`${who}> ${label}`);
      const handle = discord.slashCommand({ name, userId, ...extra });
      const message = await handle.finalMessage();
      out(indent(render(message)));
      await savePictures(handle, `${who} ${label}`);
      return message;
    };
    const DAY_MS = 86_400_000;
    const monthAgo = Date.now() - 29.5 * DAY_MS;
    const exports = [
      { who: 'jordan', id: OWNER_ID, rows: 700, seed: 11 },
      { who: 'sam', id: samId, rows: 900, seed: 7 },
      { who: 'kim', id: kimId, rows: 500, seed: 9 },
    ];
    const artistPlays = new Map<string, number>();
    const ownerTracks: Track[] = [];
    for (const { who, id, rows, seed } of exports) {
      if (id !== OWNER_ID) await as(who, id, '/history on', 'history', { subcommand: 'on' });
      const generated = extendedHistory({ rows, seed, start: monthAgo, end: Date.now() - 2 * 3_600_000 });
      const catalogue = new Map<string, Track>();
      for (const row of generated.rows) {
        const artist = row.master_metadata_album_artist_name;
        if (!artist || !row.spotify_track_uri || row.ms_played < 30_000) continue;
        artistPlays.set(artist, (artistPlays.get(artist) ?? 0) + 1);
        const track = makeTrack({ name: row.master_metadata_track_name!, artistName: artist, albumName: row.master_metadata_album_album_name! });
        catalogue.set(track.uri, track);
        if (id === OWNER_ID) ownerTracks.push(track);
      }
      // Spotify knows these tracks: the charts look up an imported album's cover once (GET /tracks/{id}).
      spotify.addTracks(...catalogue.values());
      const file = discord.addAttachment({ filename: 'my_spotify_data.zip', bytes: exportZip(extendedFiles(generated)) });
      out(`${who}> /history import file:my_spotify_data.zip (the last 30 days: ${rows} rows)`);
      const handle = discord.slashCommand({ name: 'history', subcommand: 'import', userId: id, options: [{ name: 'file', type: 11, value: file.id }] });
      const done = await discord.waitFor<{ interactionId: string; body: MessagePayload }>(
        'interactionEdit',
        (e) => e.interactionId === handle.id && JSON.stringify(e.body.embeds ?? []).includes('Import finished'),
        30_000,
      );
      out(indent(render(done.body).split('\n').slice(0, 3).join('\n')));
    }
    await beat(1_500);

    await as('sam', samId, '/stats (their last 30 days)', 'stats');
    await slash('/serverstats', 'serverstats');
    await beat(1_500);

    // The artist most played in the server (the generated exports favour the same few, as people do).
    const [topArtist] = [...artistPlays.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const typed = topArtist.slice(0, 3);
    out(`kim> /whoknows artist name:${typed}… (Discord asks the bot for suggestions while kim types)`);
    const suggestions = await discord
      .autocomplete({ name: 'whoknows', subcommand: 'artist', userId: kimId, options: [{ name: 'name', type: 3, value: typed, focused: true }] })
      .choices();
    out(indent(`suggestions: ${suggestions.map((c) => c.name).join(' · ')}`));
    await as('kim', kimId, `/whoknows artist name:${topArtist}`, 'whoknows', {
      subcommand: 'artist',
      options: [{ name: 'name', type: 3, value: topArtist }],
    });
    await beat(1_500);

    // The owner plays a song of theirs by that artist again.
    const again = ownerTracks.find((t) => t.artists[0]?.name === topArtist)!;
    player.play(again, 30_000);
    out(`Owner ▶ ${again.name} — ${topArtist} again`);
    await slash('/nowplaying (with the history line)', 'nowplaying', [{ name: 'style', type: 3, value: 'text' }]);
    await beat(1_500);

    await as('sam', samId, '/taste user:@kim', 'taste', { options: [{ name: 'user', type: 6, value: kimId }] });
    await as('sam', samId, '/chart period:month', 'chart', { options: [{ name: 'period', type: 3, value: 'month' }] });
    await as('sam', samId, '/wrapped', 'wrapped');
    await slash('/serverchart kind:Artists', 'serverchart', [{ name: 'kind', type: 3, value: 'artists' }]);
    await beat(1_500);

    // The weekly recap: turned on "a week ago" (the bot's clock moved back for that command), then the hourly check
    // finds this week's recap owed (RECAP_CRON: Mondays 10:00) and posts the last 7 days.
    const weekly = discord.addChannel(guildId, { name: 'weekly' });
    channelNames.set(weekly, 'weekly');
    await once(running.client, 'channelCreate');
    clockOffsetMs = -8 * DAY_MS;
    out('(a week ago)');
    await as('jordan', OWNER_ID, '/recap channel:#weekly', 'recap', {
      options: [{ name: 'channel', type: 7, value: weekly }],
      memberPermissions: String(PermissionFlagsBits.ManageGuild),
    });
    clockOffsetMs = 0;
    const run = await running.recap!.check();
    const firing = run.slot === null ? 'never' : new Date(run.slot).toUTCString().replace(/:00 GMT$/, ' UTC');
    out(`(today: RECAP_CRON last fired ${firing}, after the recap was set: the bot's check posts that week, the last 7 days, to ${run.posted.length} server)`);
    const recapPost = discord.channelMessages(weekly).at(-1);
    out('#weekly:');
    out(indent(recapPost ? render(recapPost.body) : '(nothing posted)'));
    for (const file of recapPost?.attachments ?? []) await savePicture(file, 'weekly recap');
    await beat(2_000);

    section('Pictures: now-playing cards in any script, and cover charts (/chart)');
    out(`Every card and chart is saved in ${picturesDir} as the bot uploaded it (with a PNG copy), so you can open them.`);
    const cardSongs: Array<[string, Track]> = [
      ['a Japanese title', makeTrack({ name: '夜に駆ける', artistName: 'YOASOBI', albumName: 'THE BOOK', duration_ms: 261_000 })],
      ['an Arabic title', makeTrack({ name: 'تملي معاك', artistName: 'عمرو دياب', albumName: 'تملي معاك', duration_ms: 285_000 })],
      [
        'a very long title',
        makeTrack({
          name: 'The Longest Song Title Anyone Has Ever Written For A Record (Extended Deluxe Remastered Anniversary Version)',
          artistName: 'Orchestra Of Extremely Long Names',
          albumName: 'An Album Whose Name Also Goes On And On Without End',
          duration_ms: 612_000,
        }),
      ],
      ['a local file, no cover art', makeLocalTrack({ title: 'Home Recording (demo)', artist: 'Alex', album: 'Voice Memos', durationMs: 95_000 })],
    ];
    for (const [what, song] of cardSongs) {
      player.play(song, 41_000);
      await slash(`/nowplaying (${what})`, 'nowplaying');
    }
    await slash('/nowplaying style:text (no picture)', 'nowplaying', [{ name: 'style', type: 3, value: 'text' }]);
    spotify.setTop('tracks', makeTracks(50));
    await slash('/chart (top albums, 3×3)', 'chart');
    await slash('/chart kind:Tracks size:5×5', 'chart', [
      { name: 'kind', type: 3, value: 'tracks' },
      { name: 'size', type: 3, value: '5x5' },
    ]);
    await slash(`/chart kind:Artists range:${RANGE_LABELS.long_term} size:4×4`, 'chart', [
      { name: 'kind', type: 3, value: 'artists' },
      { name: 'range', type: 3, value: 'long_term' },
      { name: 'size', type: 3, value: '4x4' },
    ]);
    out(`${pictureCount} pictures saved in ${picturesDir}; covers fetched from the image CDN: ${images.totalFetches()}`);
    await beat(1_500);

    section('Every member in their own language: a German and a Japanese session');
    // Discord sends each interaction with the member's client language; the bot answers in it (English for a
    // language it doesn't ship). Command names were registered with their translations.
    type Localized = { name: string; name_localizations?: Record<string, string> | null };
    const localizedNames = (locale: string): string =>
      (discord.commands() as Localized[])
        .filter((c) => ['nowplaying', 'stats', 'whoknows', 'history'].includes(c.name))
        .map((c) => `/${c.name_localizations?.[locale] ?? c.name}`)
        .join(' ');
    out(`In German, Discord lists: ${localizedNames('de')}`);
    out(`In Japanese: ${localizedNames('ja')}`);
    const inLanguage = async (who: string, userId: string, locale: string, label: string, name: string, extra: { subcommand?: string; options?: Options } = {}) => {
      player.sync();
      out(`${who} (${locale})> ${label}`);
      const handle = discord.slashCommand({ name, userId, locale, ...extra });
      const message = await handle.finalMessage();
      out(indent(render(message)));
      await savePictures(handle, `${who} ${locale} ${label}`);
      return message;
    };
    player.play(makeTrack({ name: 'Levitating', artistName: 'Dua Lipa', albumName: 'Future Nostalgia', duration_ms: 203_000 }), 95_000);
    await inLanguage('sam', samId, 'de', '/nowplaying user:@Jordan', 'nowplaying', { options: [{ name: 'user', type: 6, value: OWNER_ID }] });
    await inLanguage('sam', samId, 'de', '/stats period:week', 'stats', { options: [{ name: 'period', type: 3, value: 'week' }] });
    await inLanguage('sam', samId, 'de', '/history status', 'history', { subcommand: 'status' });
    await inLanguage('kim', kimId, 'ja', '/nowplaying user:@Jordan', 'nowplaying', { options: [{ name: 'user', type: 6, value: OWNER_ID }] });
    await inLanguage('kim', kimId, 'ja', '/history status', 'history', { subcommand: 'status' });
    await inLanguage('kim', kimId, 'pl', '/history status (Polish is not shipped: English)', 'history', { subcommand: 'status' });
    await beat(1_500);

    section('Summary');
    out(
      `Spotify requests made: ${spotify.count('token')} token, ${spotify.count('currently-playing')} currently-playing, ` +
        `${spotify.count('top')} top`,
    );
    out(`Discord presence updates sent: ${discord.presenceUpdates.length}`);
    out(`Interactions answered: ${discord.restLog.filter((r) => r.path.endsWith('/callback') && r.status < 300).length}`);
  } finally {
    await bot?.stop();
    for (const close of cleanup) await close();
  }
  out('Stopped the bot and both emulators.');
}

main().then(
  () => {
    process.exitCode = 0;
  },
  (error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
