// Members' Discord Spotify status as a source (#11), through the real discord.js client and both emulators:
// the intent (off, on, refused with 4014), a member's activity appearing, changing and ending with
// /nowplaying user:@member following it at zero Spotify requests, /listening grouped and paged, and the privacy rule
// (never another server's members, never in DMs, "only me" hidden).
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { commands } from '../commands/index.js';
import { startAppBot } from '../src/bot.js';
import { StartupError } from '../src/discord/connect.js';
import { Intents, spotifyActivity, type DiscordEmulator, type MessagePayload } from '../emulators/discord.js';
import { makeTrack, playing } from '../emulators/spotify-fixtures.js';
import { DiscordEmulator as Emulator } from '../emulators/discord.js';
import { emulatorEnv, TEST_DISCORD_TOKEN } from '../emulators/env.js';
import { embedText, harnessPerTest, OWNER_ID, startHarness, type Harness } from './support/bot-harness.js';
import { buildApp, startSpotifyEmulator } from './support/spotify-app.js';
import { MEMBERSHIP_TTL_MS } from '../src/listeners/membership.js';

const start = harnessPerTest();
const ON = { env: { DISCORD_PRESENCES: 'on' } };

const BOB = { id: '1170000000000000101', username: 'bob', globalName: 'Bob' };
const CAROL = { id: '1170000000000000102', username: 'carol', globalName: 'Carol' };
const DAVE = { id: '1170000000000000103', username: 'dave', globalName: 'Dave' };
const ASKER = '1150000000000000777';

interface Song {
  trackId: string;
  title: string;
  artists: string[];
  album?: string;
}

function activity(song: Song, startedMsAgo = 62_000, durationMs = 200_000): Record<string, unknown> {
  const startMs = Date.now() - startedMsAgo;
  return spotifyActivity({
    trackId: song.trackId,
    title: song.title,
    artists: song.artists,
    album: song.album ?? 'An Album',
    imageId: `ab67616d0000b273${song.trackId.toLowerCase().padEnd(24, '0').slice(0, 24)}`,
    startMs,
    endMs: startMs + durationMs,
  });
}

/** Sets a member's presence and resolves once the bot has handled the PRESENCE_UPDATE. */
async function setStatus(h: Harness, guildId: string, userId: string, activities: Array<Record<string, unknown>>): Promise<void> {
  const handled = once(h.bot.client.ws, 'PRESENCE_UPDATE');
  expect(h.discord.setPresence(guildId, userId, { status: 'online', activities })).toBe(true);
  await handled;
}

/** /nowplaying as text (`style:text`; the default card is a picture of the same). */
function nowplaying(
  discord: DiscordEmulator,
  userId: string | null,
  origin: { guildId?: string | null; asker?: string; style?: 'text' | 'card' } = {},
): Promise<MessagePayload> {
  return discord
    .slashCommand({
      name: 'nowplaying',
      ...(origin.guildId !== undefined ? { guildId: origin.guildId } : {}),
      userId: origin.asker ?? ASKER,
      options: [...(userId ? [{ name: 'user', type: 6, value: userId }] : []), { name: 'style', type: 3, value: origin.style ?? 'text' }],
    })
    .finalMessage(10_000);
}

describe('the presence intent', () => {
  it('off by default: IDENTIFY has no presence bit, and status-only members are explained, not shown', async () => {
    const h = await start();
    const guildId = h.discord.guildIds[0]!;
    expect(h.discord.identifies[0]!.intents & Intents.GuildPresences).toBe(0);
    h.discord.addMember(guildId, BOB);
    expect(h.discord.setPresence(guildId, BOB.id, { status: 'online', activities: [activity({ trackId: 'Bob1', title: 'Bob Song', artists: ['X'] })] })).toBe(false);

    const reply = await nowplaying(h.discord, BOB.id);
    expect(embedText(reply)).toContain("doesn't read members' Discord status");
    const list = await h.discord.slashCommand({ name: 'listening' }).finalMessage();
    expect(embedText(list)).toContain('Blinding Lights'); // the owner's Spotify, as before
    expect(embedText(list)).toContain('DISCORD_PRESENCES=on');
    expect(embedText(list)).not.toContain('Bob Song');
  });

  it('on: IDENTIFY asks for GUILD_PRESENCES (1 << 8) and discord.js caches no presence or member', async () => {
    const h = await start(ON);
    const guildId = h.discord.guildIds[0]!;
    expect(h.discord.identifies[0]!.intents & Intents.GuildPresences).toBe(Intents.GuildPresences);
    h.discord.addMember(guildId, BOB);
    await setStatus(h, guildId, BOB.id, [activity({ trackId: 'Bob1', title: 'Bob Song', artists: ['X'] })]);
    const guild = h.bot.client.guilds.cache.get(guildId)!;
    expect(guild.presences.cache.size).toBe(0);
    expect(guild.members.cache.has(BOB.id)).toBe(false);
    expect(h.app.members.statuses.size).toBe(1);
  });

  it('on but not switched on in the portal: Discord closes with 4014 and the start-up error names the switch and the setting', async () => {
    const spotify = await startSpotifyEmulator();
    const discord = await Emulator.start({ token: TEST_DISCORD_TOKEN, disallowedIntents: Intents.GuildPresences });
    const { app, storage } = await buildApp(spotify, { env: { ...emulatorEnv(discord), DISCORD_PRESENCES: 'on', PRESENCE_CRON: 'off' } });
    try {
      const closed = discord.waitFor<{ code: number }>('disconnect', (d) => d.code === 4014, 10_000);
      const failure = await startAppBot(app, { commands }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(StartupError);
      const error = failure as StartupError;
      expect(error.kind).toBe('intents_disallowed');
      expect(error.transient).toBe(false);
      expect(error.message).toContain('4014');
      expect(error.message).toContain('Bot → Privileged Gateway Intents → Presence Intent');
      expect(error.message).toContain('DISCORD_PRESENCES=off');
      expect((await closed).code).toBe(4014);
    } finally {
      await storage.close();
      await discord.close();
      await spotify.close();
    }
  });
});

/** The whole bot against an emulator the test prepared first (members listening before it connects). */
/** A member links their own Spotify (playing `song`) through /spotify link and the paste flow. */
async function linkByPaste(h: Harness, userId: string, guildId: string, spotifyId: string, song: string): Promise<void> {
  h.spotify.addUser(spotifyId, { displayName: spotifyId, allowListed: true }).setCurrentlyPlaying(playing(makeTrack({ name: song })));
  const started = await h.discord.slashCommand({ name: 'spotify', subcommand: 'link', guildId, userId }).finalMessage();
  const [open, paste] = (started.components ?? []).flatMap((row) => (row as { components?: Array<Record<string, unknown>> }).components ?? []);
  const modal = await h.discord.pressButton({ customId: String(paste?.custom_id), message: { id: '1' }, guildId, userId }).response();
  const redirected = h.spotify.approve(String(open?.url), { userId: spotifyId });
  const linked = await h.discord.submitModal({ customId: String(modal.data?.custom_id), fields: { redirected }, guildId, userId }).finalMessage();
  expect(embedText(linked)).toContain('Spotify linked');
}

function startOn(discord: DiscordEmulator, env: Record<string, string> = ON.env): Promise<Harness> {
  return startHarness({ discordEmulator: discord, env });
}

const SEEDED: Song = { trackId: '0VjIjW4GlUZAMYd2vXMi3b', title: 'Seeded Song', artists: ['Early Bird', 'Second Artist'], album: 'First Light' };
const NEXT: Song = { trackId: '7qiZfU4dY1lWllzX7mPBI3', title: 'Next Song', artists: ['Later Band'], album: 'Second Album' };

describe('/nowplaying user:@member from their Discord status', () => {
  it('appears (seeded by GUILD_CREATE), changes and ends, with zero Spotify requests', async () => {
    const discord = await Emulator.start({ token: TEST_DISCORD_TOKEN, heartbeatIntervalMs: 5_000 });
    const guildId = discord.guildIds[0]!;
    discord.addMember(guildId, { ...BOB, nick: 'Bobby' });
    discord.setPresence(guildId, BOB.id, { status: 'online', activities: [activity(SEEDED, 62_000, 200_000)] });
    const h = await startOn(discord);
    try {
      const api0 = h.spotify.count('api');
      const first = await nowplaying(h.discord, BOB.id);
      const embed = first.embeds![0]!;
      expect(embed.title).toBe('Seeded Song');
      expect(embed.url).toBe(`https://open.spotify.com/track/${SEEDED.trackId}`);
      expect(embed.description).toContain('Early Bird, Second Artist');
      expect(embed.description).toContain('First Light');
      expect(embed.description).toMatch(/1:0\d .*🔘.* 3:20/); // progress from the timestamps
      expect(embed.thumbnail?.url).toMatch(/^https:\/\/i\.scdn\.co\/image\/ab67616d0000b273/);
      // Named (src/features/account/whose.ts chooses the name: the server nickname or the global name).
      expect(embed.footer?.text).toMatch(/^Bob(by)? · from their Discord status$/);
      expect(JSON.stringify(first.components)).toContain(`https://open.spotify.com/track/${SEEDED.trackId}`);
      // The default style draws it as a card (the same data, as a picture).
      const card = await nowplaying(h.discord, BOB.id, { style: 'card' });
      expect(card.embeds?.[0]?.image?.url).toMatch(/^attachment:\/\//);
      expect(embedText(card)).toContain('Seeded Song');

      await setStatus(h, guildId, BOB.id, [{ type: 0, name: 'A Game' }, activity(NEXT, 5_000, 180_000)]);
      expect((await nowplaying(h.discord, BOB.id)).embeds![0]!.title).toBe('Next Song');

      // Paused (Discord drops the activity) or stopped: nothing to show.
      await setStatus(h, guildId, BOB.id, [{ type: 0, name: 'A Game' }]);
      expect(embedText(await nowplaying(h.discord, BOB.id))).toContain("isn't listening to Spotify right now");
      expect(h.app.members.statuses.size).toBe(0);

      expect(h.spotify.count('api') - api0).toBe(0);
    } finally {
      await h.stop();
      await discord.close();
    }
  });

  it('plain /nowplaying shows the asker their own status; the owner (linked) still wins, and a member without either gets the owner', async () => {
    const h = await start(ON);
    const guildId = h.discord.guildIds[0]!;
    h.discord.addMember(guildId, BOB);
    h.discord.addMember(guildId, { id: OWNER_ID, username: 'owner' });
    await setStatus(h, guildId, BOB.id, [activity(NEXT)]);
    await setStatus(h, guildId, OWNER_ID, [activity(SEEDED)]);

    expect((await nowplaying(h.discord, null, { asker: BOB.id })).embeds![0]!.title).toBe('Next Song');
    // The owner's Spotify knows more than their status: it wins.
    expect((await nowplaying(h.discord, OWNER_ID)).embeds![0]!.title).toBe('Blinding Lights');
    expect((await nowplaying(h.discord, null, { asker: DAVE.id })).embeds![0]!.title).toBe('Blinding Lights');
  });

  it('is only shown in the server it comes from: not in another server, not in DMs, and not for a member who chose "only me"', async () => {
    const discord = await Emulator.start({ token: TEST_DISCORD_TOKEN, heartbeatIntervalMs: 5_000, guildIds: ['1180000000000000001', '1180000000000000002'] });
    const [here, there] = discord.guildIds as [string, string];
    discord.addMember(here, BOB);
    discord.addMember(there, CAROL);
    discord.addMember(here, DAVE);
    discord.setPresence(there, CAROL.id, { status: 'online', activities: [activity({ trackId: 'Carol1', title: 'Carol Song', artists: ['Elsewhere'] })] });
    discord.setPresence(here, BOB.id, { status: 'online', activities: [activity({ trackId: 'Bob1', title: 'Bob Song', artists: ['Here'] })] });
    discord.setPresence(here, DAVE.id, { status: 'online', activities: [activity({ trackId: 'Dave1', title: 'Dave Song', artists: ['Private'] })] });
    const h = await startOn(discord);
    try {
      expect(embedText(await nowplaying(h.discord, CAROL.id, { guildId: here }))).toContain("isn't listening");
      expect((await nowplaying(h.discord, CAROL.id, { guildId: there })).embeds![0]!.title).toBe('Carol Song');
      expect(embedText(await nowplaying(h.discord, BOB.id, { guildId: null }))).toContain('only shown inside the server');
      const list = embedText(await h.discord.slashCommand({ name: 'listening', guildId: here }).finalMessage());
      expect(list).toContain('Bob Song');
      expect(list).not.toContain('Carol Song');

      // "Only me" is a choice of a linked member: Dave links his Spotify and picks it with /spotify privacy.
      await linkByPaste(h, DAVE.id, here, 'dave-sp', 'Dave Spotify Song');
      expect(embedText(await h.discord.slashCommand({ name: 'listening', guildId: here }).finalMessage())).toContain('Dave Song');
      const chose = await h.discord
        .slashCommand({ name: 'spotify', subcommand: 'privacy', guildId: here, userId: DAVE.id, options: [{ name: 'visibility', type: 3, value: 'private' }] })
        .finalMessage();
      expect(embedText(chose)).toContain('Only me');
      expect(embedText(await nowplaying(h.discord, DAVE.id, { guildId: here }))).toContain('keeps their listening private');
      // He still sees his own (his link wins over his status).
      expect((await nowplaying(h.discord, null, { guildId: here, asker: DAVE.id })).embeds![0]!.title).toBe('Dave Spotify Song');
      const hidden = embedText(await h.discord.slashCommand({ name: 'listening', guildId: here }).finalMessage());
      expect(hidden).toContain('Bob Song');
      expect(hidden).not.toContain('Dave Song'); // neither his Discord status nor his Spotify
    } finally {
      await h.stop();
      await discord.close();
    }
  });

  it('forgets a guild the bot leaves, and a track long past its end', async () => {
    const h = await start(ON);
    const guildId = h.discord.guildIds[0]!;
    h.discord.addMember(guildId, BOB);
    h.discord.addMember(guildId, CAROL);
    await setStatus(h, guildId, BOB.id, [activity(NEXT)]);
    // Ended 10 minutes ago and never replaced (e.g. the member left; without GUILD_MEMBERS nobody says so).
    await setStatus(h, guildId, CAROL.id, [activity(SEEDED, 15 * 60_000, 200_000)]);
    expect(embedText(await nowplaying(h.discord, CAROL.id))).toContain("isn't listening");
    expect(h.app.members.statuses.sweep()).toBe(1);

    const left = once(h.bot.client.ws, 'GUILD_DELETE');
    h.discord.dispatch(0, 'GUILD_DELETE', { id: guildId });
    await left;
    expect(h.app.members.statuses.size).toBe(0);
  });
});

describe('/listening', () => {
  it('lists everyone listening here, grouped by track and artist, most recent first, paged with stateless buttons', async () => {
    const h = await start(ON);
    const guildId = h.discord.guildIds[0]!;
    const owners = makeTrack(); // what the owner's Spotify plays: Blinding Lights — The Weeknd
    const member = (n: number): string => `11900000000000${String(n).padStart(5, '0')}`;
    let n = 0;
    const listen = async (song: Song, startedMsAgo: number): Promise<string> => {
      const id = member(++n);
      h.discord.addMember(guildId, { id, username: `m${n}` });
      await setStatus(h, guildId, id, [activity(song, startedMsAgo)]);
      return id;
    };
    const blinding: Song = { trackId: owners.id!, title: 'Blinding Lights', artists: ['The Weeknd'] };
    for (const ago of [30_000, 40_000, 50_000]) await listen(blinding, ago);
    await listen({ trackId: 'Dua1', title: 'Levitating', artists: ['Dua Lipa'] }, 20_000);
    await listen({ trackId: 'Dua2', title: "Don't Start Now", artists: ['Dua Lipa', 'Someone'] }, 25_000);
    for (let i = 0; i < 19; i++) await listen({ trackId: `Solo${i}`, title: `Solo Song ${i}`, artists: [`Solo Artist ${i}`] }, 60_000 + i * 1_000);
    const freshest = await listen({ trackId: 'Fresh1', title: 'Fresh Song', artists: ['New Artist'] }, 1_000);

    const api0 = h.spotify.count('api');
    const handle = h.discord.slashCommand({ name: 'listening' });
    const first = await handle.finalMessage();
    expect(h.spotify.count('api') - api0).toBeLessThanOrEqual(1); // the owner's Spotify, at most once
    const embed = first.embeds![0]!;
    const lines = embed.description!.split('\n');
    expect(lines[0]).toContain(`<@${freshest}>`);
    expect(lines[0]).toContain('Fresh Song');
    expect(embed.description).toMatch(/\*\*4 listening to \[Blinding Lights\]\(https:\/\/open\.spotify\.com\/track\/[^)]+\)\*\* by The Weeknd/);
    expect(embed.description).toContain('<@200000000000000001>'); // the owner, from their Spotify, in the group
    expect(embed.description).toMatch(/\*\*2 listening to Dua Lipa\*\*\n└ <@\d+> \[Levitating\]/);
    expect(embed.description).toMatch(/\d:\d\d in/);
    expect(embed.footer?.text).toBe('26 listening · page 1/3');

    const next = (message: MessagePayload): string => {
      const buttons = (message.components ?? []).flatMap((row) => row.components ?? []);
      return String(buttons.find((b) => String(b.label).includes('Next'))?.custom_id);
    };
    expect(next(first)).toBe('listening:2');
    const api1 = h.spotify.count('api');
    const second = await h.discord.pressButton({ customId: 'listening:2', message: { id: String(handle.originalMessage?.id), ...first } }).response();
    expect(second.type).toBe(7);
    expect(second.data!.embeds![0]!.footer?.text).toBe('26 listening · page 2/3');
    const third = await h.discord.pressButton({ customId: next(second.data!), message: { id: String(handle.originalMessage?.id), ...second.data! } }).response();
    const last = third.data!.embeds![0]!;
    expect(last.footer?.text).toBe('26 listening · page 3/3');
    expect(last.description!.split('\n')).toHaveLength(2);
    expect(last.description).toContain('Solo Song 18'); // the oldest start is last
    expect(h.spotify.count('api') - api1).toBeLessThanOrEqual(2);

    // A page the list no longer has (people stopped listening) shows the last one there is.
    const stale = await h.discord.pressButton({ customId: 'listening:9', message: { id: String(handle.originalMessage?.id), ...first } }).response();
    expect(stale.data!.embeds![0]!.footer?.text).toBe('26 listening · page 3/3');
  });
});

describe('members who left (no GUILD_MEMBERS intent: Discord never says so)', () => {
  it('a status member who left is gone from /listening within a minute; 250 listeners cost 3 lookups of ≤ 100, none again within the minute', async () => {
    const discord = await Emulator.start({ token: TEST_DISCORD_TOKEN, heartbeatIntervalMs: 5_000 });
    const guildId = discord.guildIds[0]!;
    const ids = Array.from({ length: 250 }, (_, i) => `11910000000000${String(i).padStart(5, '0')}`);
    for (const [i, id] of ids.entries()) {
      discord.addMember(guildId, { id, username: `l${i}` });
      discord.setPresence(guildId, id, { status: 'online', activities: [activity({ trackId: `Left${i}`, title: `Song ${i}`, artists: [`Artist ${i}`] }, 10_000 + i)] });
    }
    let skew = 0;
    const h = await startHarness({ discordEmulator: discord, env: ON.env, tuning: { now: () => Date.now() + skew } });
    try {
      const listing = async (): Promise<string> => embedText(await h.discord.slashCommand({ name: 'listening', userId: ASKER }).finalMessage());
      expect(await listing()).toContain(`<@${ids[0]}>`); // the most recent start is first
      expect(h.discord.memberRequests.map((r) => (r.request.mode === 'user_ids' ? r.request.userIds.length : -1))).toEqual([100, 100, 50]);
      await listing();
      expect(h.discord.memberRequests).toHaveLength(3);

      // The freshest listener leaves: Discord sends neither GUILD_MEMBER_REMOVE nor a presence update.
      expect(h.discord.removeMember(guildId, ids[0]!)).toBe(false);
      expect(await listing()).toContain(`<@${ids[0]}>`); // known a moment ago: the rule allows up to a minute
      skew += MEMBERSHIP_TTL_MS;
      const after = await listing();
      expect(after).not.toContain(`<@${ids[0]}>`);
      expect(after).toContain(`<@${ids[1]}>`);
      expect(h.app.members.statuses.get(guildId, ids[0]!)).toBeNull();
      expect(h.app.members.statuses.size).toBe(249);
    } finally {
      await h.stop();
      await discord.close();
    }
  });
});
