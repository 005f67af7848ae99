// What the next features need from the Discord emulator (issues #10–#12), through the real discord.js client:
// USER options, members and presences (with and without the presence intent), channels with permissions and the
// per-channel rate limit, and uploaded attachments.
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  ActivityType,
  AttachmentBuilder,
  Client,
  DiscordAPIError,
  EmbedBuilder,
  GatewayIntentBits,
  PermissionFlagsBits,
  RateLimitError,
  Routes,
  type ChatInputCommandInteraction,
  type Presence,
} from 'discord.js';
import { Intents, spotifyActivity } from '../emulators/discord.js';
import { discordClientsPerTest, nextInteraction } from './support/discord-clients.js';

const { startEmulator, newClient, readyClient } = discordClientsPerTest();

function nextCommand(client: Client): Promise<ChatInputCommandInteraction> {
  return nextInteraction(client, (i): i is ChatInputCommandInteraction => i.isChatInputCommand());
}

/** Resolves with the first raw gateway dispatch named `t`. */
function nextRaw(client: Client, t: string): Promise<unknown> {
  return new Promise((resolve) => {
    const listener = (packet: { t?: string; d?: unknown }): void => {
      if (packet.t !== t) return;
      client.off('raw', listener);
      resolve(packet.d);
    };
    client.on('raw', listener);
  });
}

const BOB = { id: '1160000000000000101', username: 'bob', globalName: 'Bob' };
const TRACK = {
  trackId: '4uLU6hMCjMI75M1A2tKUQC',
  title: 'Never Gonna Give You Up',
  artists: ['Rick Astley', 'Someone Else'],
  album: 'Whenever You Need Somebody',
  imageId: 'ab67616d0000b273255e131abc1410833be95673',
  startMs: 1_700_000_000_000,
  endMs: 1_700_000_213_000,
};

describe('USER options', () => {
  it('resolve users and guild members through interaction.options', async () => {
    const emulator = await startEmulator();
    const guildId = emulator.guildIds[0] ?? '';
    emulator.addMember(guildId, { ...BOB, nick: 'Bobby', roles: [guildId] });
    emulator.addUser({ id: '1160000000000000102', username: 'carol' }); // known, but not a member of the guild
    const client = await readyClient(emulator);

    const received = nextCommand(client);
    const handle = emulator.slashCommand({ name: 'nowplaying', options: [{ name: 'user', type: 6, value: BOB.id }] });
    const interaction = await received;
    expect(interaction.options.getUser('user')?.username).toBe('bob');
    expect(interaction.options.getUser('user')?.globalName).toBe('Bob');
    const member = interaction.options.getMember('user');
    expect(member && 'nickname' in member ? member.nickname : null).toBe('Bobby');
    expect(handle.payload).toMatchObject({ data: { resolved: { members: { [BOB.id]: { nick: 'Bobby', roles: [guildId] } } } } });

    const second = nextCommand(client);
    emulator.slashCommand({ name: 'nowplaying', options: [{ name: 'user', type: 6, value: '1160000000000000102' }] });
    const noMember = await second;
    expect(noMember.options.getUser('user')?.username).toBe('carol');
    expect(noMember.options.getMember('user')).toBeNull();

    // A user the emulator was never told about is a mistake in the test, not something Discord could send.
    expect(() => emulator.slashCommand({ name: 'nowplaying', options: [{ name: 'user', type: 6, value: '1160000000000000999' }] })).toThrow(/not a known user/);
  });
});

describe('members and presences', () => {
  it('spotifyActivity has the shape Discord gives a Spotify listener', () => {
    const { session_id: sessionId, ...rest } = spotifyActivity({ ...TRACK, userId: BOB.id });
    expect(sessionId).toMatch(/^[0-9a-f]{32}$/);
    expect(rest).toEqual({
      type: 2,
      name: 'Spotify',
      id: 'spotify:1',
      flags: 48,
      details: 'Never Gonna Give You Up',
      state: 'Rick Astley; Someone Else',
      sync_id: '4uLU6hMCjMI75M1A2tKUQC',
      party: { id: `spotify:${BOB.id}` },
      timestamps: { start: 1_700_000_000_000, end: 1_700_000_213_000 },
      assets: { large_image: 'spotify:ab67616d0000b273255e131abc1410833be95673', large_text: 'Whenever You Need Somebody' },
    });
  });

  it('with GUILD_PRESENCES: GUILD_CREATE carries online presences, then PRESENCE_UPDATE streams in', async () => {
    const emulator = await startEmulator();
    const guildId = emulator.guildIds[0] ?? '';
    emulator.addMember(guildId, BOB);
    emulator.addMember(guildId, { id: '1160000000000000103', username: 'dave' }); // offline: no presence
    emulator.setPresence(guildId, BOB.id, { status: 'online', activities: [spotifyActivity(TRACK)] });
    const client = await readyClient(emulator, { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildPresences] });

    expect(emulator.identifiedIntents()! & Intents.GuildPresences).toBe(Intents.GuildPresences);
    const guild = client.guilds.cache.get(guildId);
    expect(guild?.presences.cache.size).toBe(1);
    const atStart = guild?.presences.cache.get(BOB.id)?.activities.find((a) => a.type === ActivityType.Listening && a.name === 'Spotify');
    expect(atStart?.syncId).toBe(TRACK.trackId);
    expect(atStart?.party?.id).toBe(`spotify:${BOB.id}`); // filled in by setPresence
    expect(guild?.members.cache.has('1160000000000000103')).toBe(false); // offline members need GUILD_MEMBERS

    const updated = new Promise<Presence>((resolve) => client.once('presenceUpdate', (_old, next) => resolve(next)));
    const raw = nextRaw(client, 'PRESENCE_UPDATE');
    expect(emulator.setPresence(guildId, BOB.id, { status: 'idle', activities: [spotifyActivity({ ...TRACK, trackId: 'next', title: 'Next Song' })] })).toBe(true);
    const presence = await updated;
    expect(presence.status).toBe('idle');
    expect(presence.activities[0]?.details).toBe('Next Song');
    expect(presence.activities[0]?.state).toBe('Rick Astley; Someone Else');
    expect(await raw).toMatchObject({ user: { id: BOB.id }, guild_id: guildId, status: 'idle', client_status: { desktop: 'idle' } });
  });

  it('without GUILD_PRESENCES: no presences in GUILD_CREATE and no PRESENCE_UPDATE', async () => {
    const emulator = await startEmulator();
    const guildId = emulator.guildIds[0] ?? '';
    emulator.addMember(guildId, BOB);
    emulator.setPresence(guildId, BOB.id, { status: 'online', activities: [spotifyActivity(TRACK)] });
    const client = await readyClient(emulator);
    expect(emulator.identifiedIntents()! & Intents.GuildPresences).toBe(0);
    expect(client.guilds.cache.get(guildId)?.presences.cache.size).toBe(0);

    const seen: string[] = [];
    client.on('raw', (packet: { t?: string }) => seen.push(String(packet.t)));
    expect(emulator.setPresence(guildId, BOB.id, { status: 'dnd', activities: [] })).toBe(false);
    // Dispatches arrive in order on one socket: once CHANNEL_CREATE is here, a PRESENCE_UPDATE sent before it would be too.
    const created = nextRaw(client, 'CHANNEL_CREATE');
    emulator.addChannel(guildId, { name: 'music' });
    await created;
    expect(seen).not.toContain('PRESENCE_UPDATE');
    expect(emulator.memberPresenceLog.at(-1)).toMatchObject({ userId: BOB.id, dispatchedTo: null });
  });

  it('asking for GUILD_PRESENCES when it is not switched on closes with 4014', async () => {
    const emulator = await startEmulator({ disallowedIntents: Intents.GuildPresences });
    const client = newClient(emulator, { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildPresences] });
    const closed = emulator.waitFor<{ code: number }>('disconnect');
    await expect(client.login(emulator.token)).rejects.toThrow(/disallowed intents/i);
    expect((await closed).code).toBe(4014);
  });

  it('removeMember: GUILD_MEMBER_REMOVE only with GUILD_MEMBERS', async () => {
    const emulator = await startEmulator();
    const guildId = emulator.guildIds[0] ?? '';
    emulator.addMember(guildId, BOB);
    emulator.addMember(guildId, { id: '1160000000000000103', username: 'dave' });
    const client = await readyClient(emulator, { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers] });
    expect(client.guilds.cache.get(guildId)?.members.cache.has(BOB.id)).toBe(true);

    const removed = new Promise<string>((resolve) => client.once('guildMemberRemove', (m) => resolve(m.id)));
    expect(emulator.removeMember(guildId, BOB.id)).toBe(true);
    expect(await removed).toBe(BOB.id);

    const noMembersIntent = await startEmulator();
    const otherGuild = noMembersIntent.guildIds[0] ?? '';
    noMembersIntent.addMember(otherGuild, BOB);
    await readyClient(noMembersIntent);
    expect(noMembersIntent.removeMember(otherGuild, BOB.id)).toBe(false);
    expect(() => noMembersIntent.setPresence(otherGuild, BOB.id, { status: 'online' })).toThrow(/not a member/);
  });
});

describe('channels: permissions, deletion, rate limit', () => {
  const NO_VIEW = PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks;
  const VIEW_ONLY = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory;
  const NO_EMBEDS = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;

  async function apiError(promise: Promise<unknown>): Promise<DiscordAPIError> {
    const error: unknown = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    if (!(error instanceof DiscordAPIError)) throw new Error(`expected a DiscordAPIError, got ${String(error)}`);
    return error;
  }

  it('posts, edits, and answers 403 / 404 like Discord through discord.js REST', async () => {
    const emulator = await startEmulator();
    const guildId = emulator.guildIds[0] ?? '';
    const music = emulator.addChannel(guildId, { name: 'music' });
    const hidden = emulator.addChannel(guildId, { name: 'hidden', botPermissions: NO_VIEW });
    const readOnly = emulator.addChannel(guildId, { name: 'read-only', botPermissions: VIEW_ONLY });
    const plain = emulator.addChannel(guildId, { name: 'plain', botPermissions: NO_EMBEDS });
    const client = await readyClient(emulator);
    const me = client.guilds.cache.get(guildId)?.members.me;
    expect(me && client.channels.cache.get(readOnly)?.isTextBased() ? me.permissionsIn(readOnly).has(PermissionFlagsBits.SendMessages) : null).toBe(false);
    expect(me?.permissionsIn(music).has(PermissionFlagsBits.SendMessages)).toBe(true);

    const posted = emulator.waitFor('channelMessage');
    const sent = (await client.rest.post(Routes.channelMessages(music), { body: { content: 'Now playing', embeds: [{ title: 'Song' }] } })) as { id: string };
    await posted;
    expect(emulator.channelMessages(music)).toMatchObject([{ id: sent.id, body: { content: 'Now playing' }, message: { embeds: [{ title: 'Song' }] } }]);

    const edited = emulator.waitFor('channelMessageEdit');
    await client.rest.patch(Routes.channelMessage(music, sent.id), { body: { content: 'Next song' } });
    await edited;
    expect(emulator.channelMessages(music)[0]).toMatchObject({ edits: [{ content: 'Next song' }], message: { content: 'Next song' } });

    expect(await apiError(client.rest.post(Routes.channelMessages(hidden), { body: { content: 'x' } }))).toMatchObject({ status: 403, code: 50001 });
    expect(await apiError(client.rest.post(Routes.channelMessages(readOnly), { body: { content: 'x' } }))).toMatchObject({ status: 403, code: 50013 });
    expect(
      await apiError(client.rest.post(Routes.channelMessages(plain), { body: { content: 'card' }, files: [{ name: 'card.png', data: Buffer.from('png') }] })),
    ).toMatchObject({ status: 403, code: 50013 });

    // Without Embed Links the post succeeds and the embeds silently disappear.
    const noEmbeds = (await client.rest.post(Routes.channelMessages(plain), { body: { content: 'text', embeds: [{ title: 'dropped' }] } })) as { embeds: unknown[] };
    expect(noEmbeds.embeds).toEqual([]);

    const deleted = new Promise<string>((resolve) => client.once('channelDelete', (c) => resolve(c.id)));
    emulator.deleteChannel(music);
    expect(await deleted).toBe(music);
    expect(await apiError(client.rest.post(Routes.channelMessages(music), { body: { content: 'x' } }))).toMatchObject({ status: 404, code: 10003 });
    expect(await apiError(client.rest.post(Routes.channelMessages('1160000000000009999'), { body: { content: 'x' } }))).toMatchObject({ status: 404, code: 10003 });
  });

  it('allows 5 posts per 5 s per channel: the sixth is a 429 with retry_after and Discord headers', async () => {
    const emulator = await startEmulator();
    const channel = emulator.addChannel(emulator.guildIds[0] ?? '', { name: 'music' });
    const other = emulator.addChannel(emulator.guildIds[0] ?? '', { name: 'other' });
    const postRaw = (id: string): Promise<Response> =>
      fetch(`${emulator.apiUrl}/v10/channels/${id}/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bot ${emulator.token}` },
        body: JSON.stringify({ content: 'hi' }),
      });
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 6; i += 1) {
      last = await postRaw(channel);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const body = (await last!.json()) as { retry_after: number; global: boolean };
    expect(body.global).toBe(false);
    expect(body.retry_after).toBeGreaterThan(4);
    expect(body.retry_after).toBeLessThanOrEqual(5);
    expect(Number(last!.headers.get('retry-after'))).toBe(body.retry_after);
    expect(last!.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(last!.headers.get('x-ratelimit-limit')).toBe('5');
    expect((await postRaw(other)).status).toBe(200); // per channel
    expect(emulator.channelMessages(channel)).toHaveLength(5);
  });

  it('discord.js honours the limit: it waits out the window instead of failing (or rejects when asked to)', async () => {
    const emulator = await startEmulator({ channelRateLimit: { messages: 5, windowMs: 400 } });
    const channel = emulator.addChannel(emulator.guildIds[0] ?? '', { name: 'music' });
    const client = await readyClient(emulator);
    const started = Date.now();
    for (let i = 0; i < 6; i += 1) await client.rest.post(Routes.channelMessages(channel), { body: { content: `post ${i}` } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(emulator.channelMessages(channel)).toHaveLength(6);
    expect(emulator.restLog.filter((r) => r.status === 429)).toEqual([]);

    const strict = await readyClient(emulator, { rest: { api: emulator.apiUrl, rejectOnRateLimit: ['/channels'] } });
    const other = emulator.addChannel(emulator.guildIds[0] ?? '', { name: 'other' });
    const results: unknown[] = [];
    for (let i = 0; i < 6; i += 1) {
      results.push(await strict.rest.post(Routes.channelMessages(other), { body: { content: `post ${i}` } }).catch((e: unknown) => e));
    }
    expect(results.slice(0, 5).every((r) => !(r instanceof Error))).toBe(true);
    expect(results[5]).toBeInstanceOf(RateLimitError);
  });
});

describe('attachments', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

  it('a reply with a file arrives multipart; the recorded bytes are the sent bytes; edits replace or drop them', async () => {
    const emulator = await startEmulator();
    const client = await readyClient(emulator);
    const received = nextCommand(client);
    const handle = emulator.slashCommand({ name: 'nowplaying' });
    const interaction = await received;
    await interaction.reply({
      embeds: [new EmbedBuilder().setTitle('Card').setImage('attachment://card.png')],
      files: [new AttachmentBuilder(png, { name: 'card.png', description: 'Now playing card' })],
    });
    const response = await handle.response();
    expect(response.files.map((f) => f.field)).toEqual(['files[0]']);
    expect(response.attachments).toHaveLength(1);
    expect(response.attachments[0]).toMatchObject({ filename: 'card.png', description: 'Now playing card', size: png.length });
    expect(response.attachments[0]?.data.equals(png)).toBe(true);
    expect(handle.originalMessage?.attachments).toMatchObject([{ filename: 'card.png', size: png.length }]);

    const next = Buffer.from('second card');
    await interaction.editReply({ files: [new AttachmentBuilder(next, { name: 'card2.png' })] });
    expect(handle.originalAttachments.map((a) => a.filename)).toEqual(['card2.png']);
    expect(handle.originalAttachments[0]?.data.toString()).toBe('second card');

    await interaction.editReply({ content: 'no card', embeds: [], attachments: [] });
    expect(handle.originalAttachments).toEqual([]);
    expect(handle.originalMessage?.attachments).toEqual([]);

    const followUp = await interaction.followUp({ files: [new AttachmentBuilder(png, { name: 'again.png' })] });
    expect(followUp.attachments.first()?.name).toBe('again.png');
    expect(handle.followUpAttachments[0]?.[0]?.data.equals(png)).toBe(true);
  });

  it('refuses an embed naming a missing attachment://, an attachment id with no upload, and files over 10 MiB', async () => {
    const emulator = await startEmulator();
    const client = await readyClient(emulator);
    const received = nextCommand(client);
    const handle = emulator.slashCommand({ name: 'nowplaying' });
    const interaction = await received;

    const missing: unknown = await interaction
      .reply({ embeds: [new EmbedBuilder().setTitle('Card').setImage('attachment://cover.png')], files: [new AttachmentBuilder(png, { name: 'card.png' })] })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(DiscordAPIError);
    expect((missing as DiscordAPIError).code).toBe(50035);
    expect(JSON.stringify((missing as DiscordAPIError).rawError)).toContain('URL_TYPE_INVALID_SCHEME');

    const callback = `/interactions/${handle.id}/${handle.token}/callback`;
    const noUpload = await client.rest
      .post(callback as `/${string}`, { body: { type: 4, data: { content: 'x', attachments: [{ id: '3', filename: 'ghost.png' }] } }, auth: false })
      .catch((e: unknown) => e);
    expect(noUpload).toBeInstanceOf(DiscordAPIError);
    expect((noUpload as DiscordAPIError).code).toBe(50035);

    const tooBig: unknown = await interaction
      .reply({ files: [new AttachmentBuilder(Buffer.alloc(10 * 1024 * 1024 + 1), { name: 'huge.png' })] })
      .catch((e: unknown) => e);
    expect(tooBig).toBeInstanceOf(DiscordAPIError);
    expect((tooBig as DiscordAPIError).status).toBe(413);
    expect((tooBig as DiscordAPIError).code).toBe(40005);

    // None of the refused replies acknowledged the interaction.
    await interaction.reply({ files: [new AttachmentBuilder(png, { name: 'card.png' })] });
    expect((await handle.response()).attachments[0]?.data.equals(png)).toBe(true);
  });

  it('channel posts keep their uploaded files', async () => {
    const emulator = await startEmulator();
    const channel = emulator.addChannel(emulator.guildIds[0] ?? '', { name: 'music' });
    const client = await readyClient(emulator);
    await client.rest.post(Routes.channelMessages(channel), {
      body: { embeds: [{ title: 'Now playing', image: { url: 'attachment://card.png' } }], attachments: [{ id: '0', filename: 'card.png' }] },
      files: [{ name: 'card.png', data: png, contentType: 'image/png' }],
    });
    const [record] = emulator.channelMessages(channel);
    expect(record?.attachments[0]).toMatchObject({ filename: 'card.png', contentType: 'image/png' });
    expect(record?.attachments[0]?.data.equals(png)).toBe(true);
  });
});
