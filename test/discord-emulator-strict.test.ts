// The Discord emulator refuses what Discord refuses (issue #8): known-bad REST bodies answer 400 / 50035 with Discord's
// errors tree, a bad op 3 presence closes the gateway with 4001; what discord.js sends for valid definitions passes.
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  ActionRowBuilder,
  ActivityType,
  ApplicationIntegrationType,
  ButtonBuilder,
  ButtonStyle,
  Client,
  EmbedBuilder,
  GatewayIntentBits,
  InteractionContextType,
  ModalBuilder,
  PermissionFlagsBits,
  SlashCommandBuilder,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { DiscordEmulator } from '../emulators/discord.js';

const clients: Client[] = [];
const emulators: DiscordEmulator[] = [];
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

async function readyEmulator(): Promise<{ emulator: DiscordEmulator; client: Client<true> }> {
  const emulator = await DiscordEmulator.start();
  emulators.push(emulator);
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emulator.apiUrl } });
  clients.push(client);
  const ready = once(client, 'clientReady');
  await client.login(emulator.token);
  await ready;
  if (!client.isReady()) throw new Error('client not ready');
  return { emulator, client };
}

type ErrorTree = { [key: string]: ErrorTree | Array<{ code: string; message: string }> | undefined };

/** The `_errors` codes at `path` in Discord's errors tree. */
function codesAt(errors: unknown, path: Array<string | number>): string[] {
  let node = errors as ErrorTree | undefined;
  for (const key of path) {
    const next = node?.[String(key)];
    node = Array.isArray(next) ? undefined : next;
  }
  const list = node?._errors;
  return Array.isArray(list) ? list.map((e) => e.code) : [];
}

async function post(emulator: DiscordEmulator, method: string, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${emulator.apiUrl}/v10${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Authorization: `Bot ${emulator.token}` },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const button = (extra: Record<string, unknown>): Record<string, unknown> => ({ type: 2, style: 1, label: 'Go', custom_id: 'go', ...extra });
const row = (...components: Array<Record<string, unknown>>): Record<string, unknown> => ({ type: 1, components });
const textInputModal = (title: string): Record<string, unknown> => ({
  custom_id: 'm',
  title,
  components: [row({ type: 4, custom_id: 'name', style: 1, label: 'Name' })],
});

interface BadCase {
  name: string;
  body: Record<string, unknown>;
  path: Array<string | number>;
  code: string;
}

const badCallbacks: BadCase[] = [
  { name: 'button style 7', body: { type: 4, data: { components: [row(button({ style: 7 }))] } }, path: ['data', 'components', 0, 'components', 0, 'style'], code: 'BASE_TYPE_CHOICES' },
  { name: 'custom_id of 101 characters', body: { type: 4, data: { components: [row(button({ custom_id: 'x'.repeat(101) }))] } }, path: ['data', 'components', 0, 'components', 0, 'custom_id'], code: 'BASE_TYPE_MAX_LENGTH' },
  { name: 'button label of 81 characters', body: { type: 4, data: { components: [row(button({ label: 'x'.repeat(81) }))] } }, path: ['data', 'components', 0, 'components', 0, 'label'], code: 'BASE_TYPE_MAX_LENGTH' },
  { name: 'link button with a custom_id', body: { type: 4, data: { components: [row(button({ style: 5, url: 'https://open.spotify.com/track/1' }))] } }, path: ['data', 'components', 0, 'components', 0, 'custom_id'], code: 'BUTTON_COMPONENT_CUSTOM_ID_LINK_INVALID' },
  { name: 'link button without a url', body: { type: 4, data: { components: [row({ type: 2, style: 5, label: 'Open' })] } }, path: ['data', 'components', 0, 'components', 0, 'url'], code: 'BUTTON_COMPONENT_URL_REQUIRED' },
  { name: 'primary button without a custom_id', body: { type: 4, data: { components: [row({ type: 2, style: 1, label: 'Go' })] } }, path: ['data', 'components', 0, 'components', 0, 'custom_id'], code: 'BUTTON_COMPONENT_CUSTOM_ID_REQUIRED' },
  { name: 'primary button with a url', body: { type: 4, data: { components: [row(button({ url: 'https://example.com' }))] } }, path: ['data', 'components', 0, 'components', 0, 'url'], code: 'BUTTON_COMPONENT_URL_NOT_ALLOWED' },
  { name: 'premium button without sku_id', body: { type: 4, data: { components: [row({ type: 2, style: 6 })] } }, path: ['data', 'components', 0, 'components', 0, 'sku_id'], code: 'BUTTON_COMPONENT_SKU_ID_REQUIRED' },
  {
    name: 'six buttons in a row',
    body: { type: 4, data: { components: [row(...[1, 2, 3, 4, 5, 6].map((i) => button({ custom_id: `b${i}` })))] } },
    path: ['data', 'components', 0, 'components'],
    code: 'BASE_TYPE_MAX_LENGTH',
  },
  {
    name: 'duplicate custom_ids in a message',
    body: { type: 4, data: { components: [row(button({ custom_id: 'same' })), row(button({ custom_id: 'same' }))] } },
    path: ['data', 'components', 1, 'components', 0, 'custom_id'],
    code: 'COMPONENT_CUSTOM_ID_DUPLICATED',
  },
  {
    name: 'embeds over 6000 characters in all',
    body: { type: 4, data: { embeds: [{ description: 'a'.repeat(4000) }, { description: 'b'.repeat(2001) }] } },
    path: ['data', 'embeds'],
    code: 'MAX_EMBED_SIZE_EXCEEDED',
  },
  { name: 'embed title over 256', body: { type: 4, data: { embeds: [{ title: 't'.repeat(257) }] } }, path: ['data', 'embeds', 0, 'title'], code: 'BASE_TYPE_MAX_LENGTH' },
  { name: 'content over 2000', body: { type: 4, data: { content: 'c'.repeat(2001) } }, path: ['data', 'content'], code: 'BASE_TYPE_MAX_LENGTH' },
  { name: 'modal title of 46 characters', body: { type: 9, data: textInputModal('T'.repeat(46)) }, path: ['data', 'title'], code: 'BASE_TYPE_MAX_LENGTH' },
  { name: 'modal without components', body: { type: 9, data: { custom_id: 'm', title: 'Settings' } }, path: ['data', 'components'], code: 'BASE_TYPE_REQUIRED' },
  { name: 'unknown callback type 3', body: { type: 3 }, path: ['type'], code: 'BASE_TYPE_CHOICES' },
];

const command = (extra: Record<string, unknown>): Record<string, unknown> => ({ name: 'nowplaying', description: 'What is playing', ...extra });
const badCommands: BadCase[] = [
  { name: 'contexts:[3]', body: command({ contexts: [3] }), path: [0, 'contexts', 0], code: 'BASE_TYPE_CHOICES' },
  { name: 'integration_types:[2]', body: command({ integration_types: [2] }), path: [0, 'integration_types', 0], code: 'BASE_TYPE_CHOICES' },
  {
    name: 'a required option after an optional one',
    body: command({
      options: [
        { type: 3, name: 'range', description: 'Range', required: false },
        { type: 6, name: 'user', description: 'Whose', required: true },
      ],
    }),
    path: [0, 'options', 1, 'required'],
    code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
  },
  { name: 'default_member_permissions not digits', body: command({ default_member_permissions: 'ManageGuild' }), path: [0, 'default_member_permissions'], code: 'PERMISSIONS_INVALID' },
  { name: 'an upper-case name', body: command({ name: 'NowPlaying' }), path: [0, 'name'], code: 'APPLICATION_COMMAND_INVALID_NAME' },
  { name: 'an option of unknown type 12', body: command({ options: [{ type: 12, name: 'x', description: 'x' }] }), path: [0, 'options', 0, 'type'], code: 'UNION_TYPE_CHOICES' },
  { name: 'a description over 100', body: command({ description: 'd'.repeat(101) }), path: [0, 'description'], code: 'BASE_TYPE_MAX_LENGTH' },
  // Localizations follow the same rules, per locale.
  { name: 'an upper-case localized name', body: command({ name_localizations: { de: 'LäuftGerade' } }), path: [0, 'name_localizations', 'de'], code: 'APPLICATION_COMMAND_INVALID_NAME' },
  { name: 'a localized name with a space', body: command({ name_localizations: { fr: 'en écoute' } }), path: [0, 'name_localizations', 'fr'], code: 'APPLICATION_COMMAND_INVALID_NAME' },
  { name: 'a localized name over 32', body: command({ name_localizations: { ja: 'あ'.repeat(33) } }), path: [0, 'name_localizations', 'ja'], code: 'APPLICATION_COMMAND_INVALID_NAME' },
  { name: 'a locale Discord does not have', body: command({ name_localizations: { 'de-DE': 'zeigen' } }), path: [0, 'name_localizations', 'de-DE'], code: 'BASE_TYPE_CHOICES' },
  { name: 'a localized description over 100', body: command({ description_localizations: { ko: '가'.repeat(101) } }), path: [0, 'description_localizations', 'ko'], code: 'BASE_TYPE_BAD_LENGTH' },
  { name: 'an empty localized description', body: command({ description_localizations: { 'zh-CN': '' } }), path: [0, 'description_localizations', 'zh-CN'], code: 'BASE_TYPE_BAD_LENGTH' },
  {
    name: 'an upper-case localized option name',
    body: command({ options: [{ type: 3, name: 'range', description: 'Range', name_localizations: { de: 'Zeitraum' } }] }),
    path: [0, 'options', 0, 'name_localizations', 'de'],
    code: 'APPLICATION_COMMAND_INVALID_NAME',
  },
  {
    name: 'two options with one localized name',
    body: command({
      options: [
        { type: 3, name: 'range', description: 'Range', name_localizations: { de: 'zeitraum' } },
        { type: 3, name: 'period', description: 'Period', name_localizations: { de: 'zeitraum' } },
      ],
    }),
    path: [0, 'options', 1, 'name_localizations', 'de'],
    code: 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
  },
  {
    name: 'a localized choice name over 100',
    body: command({
      options: [{ type: 3, name: 'range', description: 'Range', choices: [{ name: 'Week', value: 'w', name_localizations: { fr: 'x'.repeat(101) } }] }],
    }),
    path: [0, 'options', 0, 'choices', 0, 'name_localizations', 'fr'],
    code: 'BASE_TYPE_BAD_LENGTH',
  },
];

describe('the Discord emulator refuses what Discord refuses', () => {
  it.each(badCallbacks)('interaction callback: $name → 400 / 50035 at its path', async ({ body, path, code }) => {
    const { emulator } = await readyEmulator();
    const handle = emulator.slashCommand({ name: 'nowplaying' });
    const res = await post(emulator, 'POST', `/interactions/${handle.id}/${handle.token}/callback`, body);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 50035, message: 'Invalid Form Body' });
    expect(codesAt(res.json.errors, path)).toContain(code);
    // A refused callback does not acknowledge the interaction: a valid one still can.
    const ok = await post(emulator, 'POST', `/interactions/${handle.id}/${handle.token}/callback`, { type: 4, data: { content: 'ok' } });
    expect(ok.status).toBe(204);
  });

  it.each(badCommands)('bulk PUT of commands: $name → 400 / 50035 at its path', async ({ body, path, code }) => {
    const { emulator } = await readyEmulator();
    const res = await post(emulator, 'PUT', `/applications/${emulator.applicationId}/commands`, [body]);
    expect(res.status).toBe(400);
    expect(res.json.code).toBe(50035);
    expect(codesAt(res.json.errors, path)).toContain(code);
    expect(emulator.commands()).toEqual([]);
  });

  it('follow-ups, editReply and channel posts are validated too', async () => {
    const { emulator } = await readyEmulator();
    const handle = emulator.slashCommand({ name: 'nowplaying' });
    expect((await post(emulator, 'POST', `/interactions/${handle.id}/${handle.token}/callback`, { type: 5 })).status).toBe(204);
    const webhook = `/webhooks/${emulator.applicationId}/${handle.token}`;
    const sixButtons = { components: [row(...[1, 2, 3, 4, 5, 6].map((i) => button({ custom_id: `b${i}` })))] };

    const edit = await post(emulator, 'PATCH', `${webhook}/messages/@original`, sixButtons);
    expect(edit.status).toBe(400);
    expect(codesAt(edit.json.errors, ['components', 0, 'components'])).toContain('BASE_TYPE_MAX_LENGTH');
    const followUp = await post(emulator, 'POST', `${webhook}?wait=true`, { embeds: [{ color: 0x1000000 }] });
    expect(followUp.status).toBe(400);
    expect(codesAt(followUp.json.errors, ['embeds', 0, 'color'])).toContain('NUMBER_TYPE_MAX');
    const channel = await post(emulator, 'POST', `/channels/${emulator.guildChannelId(emulator.guildIds[0] ?? '')}/messages`, {
      components: [row(button({ style: 5, url: 'not a url', custom_id: undefined }))],
    });
    expect(channel.status).toBe(400);
    expect(codesAt(channel.json.errors, ['components', 0, 'components', 0, 'url'])).toContain('URL_TYPE_INVALID_URL');
    const dm = await post(emulator, 'POST', '/users/@me/channels', { recipient_id: 'alice' });
    expect(dm.status).toBe(400);
    expect(codesAt(dm.json.errors, ['recipient_id'])).toContain('SNOWFLAKE_TYPE_INVALID');
  });

  it('accepts what discord.js sends for valid replies, modals and commands', async () => {
    const { emulator, client } = await readyEmulator();
    const received = new Promise<void>((resolve, reject) => {
      client.on('interactionCreate', (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        const buttons = new ActionRowBuilder<ButtonBuilder>().addComponents(
          new ButtonBuilder().setCustomId('np:refresh').setLabel('Refresh').setStyle(ButtonStyle.Primary),
          new ButtonBuilder().setURL('https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC').setLabel('Open in Spotify').setStyle(ButtonStyle.Link),
        );
        const embed = new EmbedBuilder()
          .setTitle('Never Gonna Give You Up')
          .setURL('https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC')
          .setDescription('Rick Astley')
          .setColor(0x1db954)
          .setTimestamp(new Date())
          .addFields({ name: 'Album', value: 'Whenever You Need Somebody', inline: true })
          .setFooter({ text: 'Spotify' });
        interaction.reply({ embeds: [embed], components: [buttons] }).then(() => resolve(), reject);
      });
    });
    const handle = emulator.slashCommand({ name: 'nowplaying' });
    await received;
    expect((await handle.response()).type).toBe(4);

    const pressed = emulator.pressButton({ customId: 'settings', message: { id: '1170000000000000002' } });
    const modalShown = new Promise<void>((resolve, reject) => {
      client.on('interactionCreate', (interaction) => {
        if (!interaction.isButton()) return;
        const modal = new ModalBuilder()
          .setCustomId('settings-modal')
          .setTitle('T'.repeat(45))
          .addComponents(
            new ActionRowBuilder<TextInputBuilder>().addComponents(
              new TextInputBuilder().setCustomId('name').setLabel('Name').setStyle(TextInputStyle.Short),
            ),
          );
        interaction.showModal(modal).then(() => resolve(), reject);
      });
    });
    await modalShown;
    expect((await pressed.response()).type).toBe(9);

    const definitions = [
      new SlashCommandBuilder()
        .setName('nowplaying')
        .setDescription('What is playing')
        .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel)
        .setIntegrationTypes(ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall)
        .addUserOption((o) => o.setName('user').setDescription('Whose listening').setRequired(true))
        .addStringOption((o) => o.setName('range').setDescription('Range').addChoices({ name: '4 weeks', value: 'short_term' })),
      new SlashCommandBuilder()
        .setName('announce')
        .setDescription('Post what is playing in a channel')
        .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild),
    ];
    await client.application.commands.set(definitions.map((d) => d.toJSON()));
    expect(emulator.commands()).toHaveLength(2);
  });
});

/** A raw gateway connection that has identified and received READY. */
async function identifiedSocket(emulator: DiscordEmulator): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const ws = new WebSocket(`${emulator.gatewayUrl}?v=10&encoding=json`);
  sockets.push(ws);
  const closed = new Promise<number>((resolve) => ws.once('close', (code: number) => resolve(code)));
  const frames: Array<{ op: number; t?: string | null }> = [];
  const waitFrame = (match: (f: { op: number; t?: string | null }) => boolean): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (!frames.some(match)) return;
        ws.off('message', check);
        resolve();
      };
      ws.on('message', check);
    });
  ws.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString('utf8')) as { op: number; t?: string | null }));
  const hello = waitFrame((f) => f.op === 10);
  await once(ws, 'open');
  await hello;
  const ready = waitFrame((f) => f.t === 'READY');
  ws.send(JSON.stringify({ op: 2, d: { token: emulator.token, intents: GatewayIntentBits.Guilds, properties: { os: 'linux', browser: 't', device: 't' }, shard: [0, 1] } }));
  await ready;
  return { ws, closed };
}

const presence = (extra: Record<string, unknown>): Record<string, unknown> => ({ since: null, afk: false, status: 'online', activities: [], ...extra });

describe('op 3 presence updates are checked like Discord does', () => {
  it.each([
    { name: 'status "away"', d: presence({ status: 'away' }) },
    { name: 'an activity with details (bots may set only name, state, type, url)', d: presence({ activities: [{ type: 2, name: 'Spotify', details: 'Song' }] }) },
    { name: 'activity type 6', d: presence({ activities: [{ type: 6, name: 'x' }] }) },
    { name: 'an activity name of 129 characters', d: presence({ activities: [{ type: 2, name: 'n'.repeat(129) }] }) },
    { name: 'an activity state of 129 characters', d: presence({ activities: [{ type: 2, name: 'Song', state: 's'.repeat(129) }] }) },
    { name: 'no since field', d: { afk: false, status: 'online', activities: [] } },
  ])('$name → the gateway closes with 4001', async ({ d }) => {
    const emulator = await DiscordEmulator.start();
    emulators.push(emulator);
    const { ws, closed } = await identifiedSocket(emulator);
    ws.send(JSON.stringify({ op: 3, d }));
    expect(await closed).toBe(4001);
    expect(emulator.refusedPresences).toHaveLength(1);
    expect(emulator.presenceUpdates).toEqual([]);
  });

  it('a valid op 3 (what discord.js sends) is recorded and the socket stays open', async () => {
    const { emulator, client } = await readyEmulator();
    const recorded = emulator.waitFor('presence');
    client.user.setPresence({ status: 'dnd', activities: [{ type: ActivityType.Listening, name: 'Song', state: 'Artist' }] });
    await recorded;
    expect(emulator.currentPresence()).toEqual({ since: null, afk: false, status: 'dnd', activities: [{ type: 2, name: 'Song', state: 'Artist' }] });
    expect(emulator.refusedPresences).toEqual([]);
    expect(emulator.closes).toEqual([]);
  });
});

describe('op 8 Request Guild Members is checked and answered like Discord does', () => {
  const ANA = { id: '1230000000000000001', username: 'ana' };
  const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => String(1230000000000001000n + BigInt(i)));

  it.each([
    { name: '101 user_ids (at most 100)', d: (g: string) => ({ guild_id: g, user_ids: ids(101), limit: 0 }) },
    { name: 'an array of guilds (one guild per request)', d: (g: string) => ({ guild_id: [g], user_ids: ids(1) }) },
    { name: 'both query and user_ids', d: (g: string) => ({ guild_id: g, query: '', limit: 0, user_ids: ids(1) }) },
    { name: 'neither query nor user_ids', d: (g: string) => ({ guild_id: g, limit: 0 }) },
    { name: 'a user id that is no snowflake', d: (g: string) => ({ guild_id: g, user_ids: ['ana'] }) },
    { name: 'a query without limit', d: (g: string) => ({ guild_id: g, query: 'a' }) },
  ])('$name → the gateway closes with 4001', async ({ d }) => {
    const emulator = await DiscordEmulator.start();
    emulators.push(emulator);
    const { ws, closed } = await identifiedSocket(emulator);
    ws.send(JSON.stringify({ op: 8, d: d(emulator.guildIds[0]!) }));
    expect(await closed).toBe(4001);
    expect(emulator.refusedMemberRequests).toHaveLength(1);
    expect(emulator.memberRequests).toEqual([]);
  });

  it("discord.js's own op 8 by user_ids is answered with one GUILD_MEMBERS_CHUNK: members found, the rest in not_found, the nonce echoed", async () => {
    const { emulator, client } = await readyEmulator();
    const guildId = emulator.guildIds[0]!;
    emulator.addMember(guildId, ANA);
    const chunk = once(client.ws, 'GUILD_MEMBERS_CHUNK') as Promise<[Record<string, unknown>]>;
    const stranger = ids(1)[0]!;
    const members = await client.guilds.cache.get(guildId)!.members.fetch({ user: [ANA.id, stranger], nonce: 'n-123' });
    expect([...members.keys()]).toEqual([ANA.id]);
    const [d] = await chunk;
    expect(d).toMatchObject({ guild_id: guildId, chunk_index: 0, chunk_count: 1, not_found: [stranger], nonce: 'n-123' });
    expect(emulator.memberRequests).toMatchObject([{ shard: 0, answered: true, request: { mode: 'user_ids', userIds: [ANA.id, stranger] } }]);
    expect(emulator.closes).toEqual([]);
  });

  it('a nonce over 32 bytes is ignored, not refused; a guild the bot is not in, and an outage, get no answer', async () => {
    const emulator = await DiscordEmulator.start();
    emulators.push(emulator);
    const guildId = emulator.guildIds[0]!;
    emulator.addMember(guildId, ANA);
    const { ws } = await identifiedSocket(emulator);
    const chunks: Array<Record<string, unknown>> = [];
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as { t?: string; d: Record<string, unknown> };
      if (frame.t === 'GUILD_MEMBERS_CHUNK') chunks.push(frame.d);
    });
    const request = async (d: Record<string, unknown>): Promise<void> => {
      const received = emulator.waitFor('memberRequest');
      ws.send(JSON.stringify({ op: 8, d }));
      await received;
    };
    await request({ guild_id: guildId, user_ids: ANA.id, nonce: 'x'.repeat(33) });
    await request({ guild_id: '1230000000000009999', user_ids: [ANA.id], nonce: 'other-guild' });
    emulator.answerMemberRequests = false;
    await request({ guild_id: guildId, user_ids: [ANA.id], nonce: 'outage' });
    emulator.answerMemberRequests = true;
    await request({ guild_id: guildId, user_ids: [ANA.id], nonce: 'after' });
    await expect.poll(() => chunks.length).toBe(2);
    expect(chunks[0]).not.toHaveProperty('nonce');
    expect(chunks[0]).toMatchObject({ members: [{ user: { id: ANA.id } }], not_found: [] });
    expect(chunks[1]).toMatchObject({ nonce: 'after' });
    expect(emulator.memberRequests.map((r) => r.answered)).toEqual([true, false, false, true]);
  });
});
