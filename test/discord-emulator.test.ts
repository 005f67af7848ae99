import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  ActivityType,
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  EmbedBuilder,
  GatewayIntentBits,
  MessageFlags,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type ClientOptions,
  type Interaction,
} from 'discord.js';
import { DiscordEmulator, guildIdForShard, shardForGuild } from '../emulators/discord.js';
import { discordClientsPerTest, nextInteraction } from './support/discord-clients.js';

const { startEmulator, newClient, readyClient } = discordClientsPerTest();


describe('DiscordEmulator with the real discord.js Client', () => {
  it('logs in, identifies and becomes ready with the emulated guild', async () => {
    const emulator = await startEmulator();
    const client = await readyClient(emulator);

    expect(emulator.identifies).toHaveLength(1);
    expect(emulator.identifies[0]?.shard).toEqual([0, 1]);
    expect(emulator.identifies[0]?.intents).toBe(GatewayIntentBits.Guilds);
    expect(emulator.restLog.some((r) => r.method === 'GET' && r.path === '/gateway/bot')).toBe(true);
    expect(emulator.connectedShards()).toEqual([0]);

    expect(client.user.id).toBe(emulator.botUserId);
    expect(client.application.id).toBe(emulator.applicationId);
    const guildId = emulator.guildIds[0] ?? '';
    const guild = client.guilds.cache.get(guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.size).toBe(1);
  });

  it('rejects a wrong token at login', async () => {
    const emulator = await startEmulator();
    const client = newClient(emulator);
    await expect(client.login('not-the-token')).rejects.toThrow(/token/i);
    expect(emulator.restLog.find((r) => r.path === '/gateway/bot')?.status).toBe(401);
  });

  it('records op 3 presence updates', async () => {
    const emulator = await startEmulator();
    const client = await readyClient(emulator);
    // discord.js always sends a default presence (online, no activity) in IDENTIFY.
    expect(emulator.identifies[0]?.presence).toEqual({ since: null, activities: [], status: 'online', afk: false });
    expect(emulator.currentPresence()?.activities).toEqual([]);

    const presence = emulator.waitFor('presence');
    client.user.setPresence({
      status: 'online',
      activities: [{ type: ActivityType.Listening, name: 'Bohemian Rhapsody', state: 'Queen' }],
    });
    await presence;

    expect(emulator.presenceUpdates).toHaveLength(1);
    expect(emulator.currentPresence()).toMatchObject({
      status: 'online',
      afk: false,
      activities: [{ type: 2, name: 'Bohemian Rhapsody', state: 'Queen' }],
    });
  });

  it('delivers a guild slash command and captures interaction.reply', async () => {
    const emulator = await startEmulator();
    const client = await readyClient(emulator);
    const guildId = emulator.guildIds[0] ?? '';

    const received = nextInteraction(client, (i) => i.isChatInputCommand());
    const handle = emulator.slashCommand({ name: 'toptracks', options: [{ name: 'range', type: 3, value: 'short_term' }] });
    const interaction = await received;

    expect(interaction.commandName).toBe('toptracks');
    expect(interaction.options.getString('range')).toBe('short_term');
    expect(interaction.inCachedGuild()).toBe(true);
    expect(interaction.guildId).toBe(guildId);
    expect(interaction.channel?.id).toBe(emulator.guildChannelId(guildId));
    expect(interaction.member?.user.id).toBe(interaction.user.id);
    expect(interaction.authorizingIntegrationOwners.guildId).toBe(guildId);

    await interaction.reply({ embeds: [new EmbedBuilder().setTitle('Top tracks').setDescription('1. Song')] });
    const response = await handle.response();
    expect(response.type).toBe(4);
    expect(response.data?.embeds?.[0]?.title).toBe('Top tracks');
    expect((await handle.finalMessage()).embeds?.[0]?.description).toBe('1. Song');

    // A second acknowledgement is refused like Discord does.
    const again = await fetch(`${emulator.apiUrl}/v10/interactions/${handle.id}/${handle.token}/callback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { content: 'again' } }),
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ code: 40060, message: 'Interaction has already been acknowledged.' });
  });

  it('delivers a user-install (DM) interaction; deferReply + editReply give the final message', async () => {
    const emulator = await startEmulator();
    const client = await readyClient(emulator);

    const received = nextInteraction(client, (i) => i.isChatInputCommand());
    const handle = emulator.slashCommand({ name: 'nowplaying', guildId: null, userId: '1160000000000000042', username: 'alice' });
    const interaction = await received;

    expect(interaction.guildId).toBeNull();
    expect(interaction.member).toBeNull();
    expect(interaction.inGuild()).toBe(false);
    expect(interaction.user.id).toBe('1160000000000000042');
    expect(interaction.user.username).toBe('alice');
    expect(interaction.context).toBe(2);
    expect(interaction.authorizingIntegrationOwners.userId).toBe('1160000000000000042');

    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await interaction.editReply({ content: 'Nothing playing' });
    expect((await handle.response()).type).toBe(5);
    expect((await handle.finalMessage()).content).toBe('Nothing playing');
    expect(handle.originalMessage?.flags).toBe(MessageFlags.Ephemeral);

    const followUp = await interaction.followUp({ content: 'follow', flags: MessageFlags.Ephemeral });
    expect(followUp.content).toBe('follow');
    expect((await handle.followUp(0)).content).toBe('follow');
  });

  it('handles buttons (update), modals (showModal → submit) and with_response', async () => {
    const emulator = await startEmulator();
    const client = await readyClient(emulator);

    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('refresh').setLabel('Refresh').setStyle(ButtonStyle.Primary),
    );
    const button = nextInteraction(client, (i) => i.isButton());
    const pressed = emulator.pressButton({
      customId: 'refresh',
      message: { id: '1170000000000000001', embeds: [{ title: 'old' }], components: [row.toJSON()] },
    });
    const buttonInteraction = await button;
    expect(buttonInteraction.customId).toBe('refresh');
    expect(buttonInteraction.message.id).toBe('1170000000000000001');
    expect(buttonInteraction.component).toMatchObject({ customId: 'refresh' });
    await buttonInteraction.update({ embeds: [new EmbedBuilder().setTitle('new')] });
    expect((await pressed.response()).type).toBe(7);
    expect((await pressed.finalMessage()).embeds?.[0]?.title).toBe('new');

    const button2 = nextInteraction(client, (i) => i.isButton());
    const pressed2 = emulator.pressButton({ customId: 'settings', message: { id: '1170000000000000002' }, guildId: null });
    const modal = new ModalBuilder()
      .setCustomId('settings-modal')
      .setTitle('Settings')
      .addComponents(
        new ActionRowBuilder<TextInputBuilder>().addComponents(
          new TextInputBuilder().setCustomId('name').setLabel('Name').setStyle(TextInputStyle.Short),
        ),
      );
    await (await button2).showModal(modal);
    const modalResponse = await pressed2.response();
    expect(modalResponse.type).toBe(9);
    expect(modalResponse.data?.custom_id).toBe('settings-modal');

    const submitted = nextInteraction(client, (i) => i.isModalSubmit());
    const submit = emulator.submitModal({ customId: 'settings-modal', fields: { name: 'Bob' } });
    const submitInteraction = await submitted;
    expect(submitInteraction.fields.getTextInputValue('name')).toBe('Bob');
    const callback = await submitInteraction.reply({ content: 'Saved', withResponse: true });
    expect(callback.resource?.message?.content).toBe('Saved');
    expect((await submit.finalMessage()).content).toBe('Saved');
  });

  it('answers 10062 to a late callback and retries a 429 transparently', async () => {
    const emulator = await startEmulator();
    const client = await readyClient(emulator);

    emulator.failRest({ method: 'POST', path: /^\/interactions\/\d+\/[^/]+\/callback$/ }, { status: 429, retryAfter: 0.05 });
    const first = nextInteraction(client, (i) => i.isChatInputCommand());
    const handle = emulator.slashCommand({ name: 'nowplaying' });
    await (await first).reply({ content: 'ok' });
    expect((await handle.response()).data?.content).toBe('ok');
    const statuses = emulator.restLog.filter((r) => r.path.startsWith('/interactions/')).map((r) => r.status);
    expect(statuses).toEqual([429, 204]);

    emulator.interactionDeadlineMs = -1; // every callback is "late" (avoids sleeping 3 s)
    const second = nextInteraction(client, (i) => i.isChatInputCommand());
    emulator.slashCommand({ name: 'nowplaying' });
    const error: unknown = await (await second).reply({ content: 'too late' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(10062);
  });

  it('reads payload_json from multipart callbacks (file uploads)', async () => {
    const emulator = await startEmulator();
    const client = await readyClient(emulator);
    const received = nextInteraction(client, (i) => i.isChatInputCommand());
    const handle = emulator.slashCommand({ name: 'toptracks' });
    await (await received).reply({ content: 'chart', files: [{ attachment: Buffer.from('png-bytes'), name: 'chart.png' }] });
    const response = await handle.response();
    expect(response.data?.content).toBe('chart');
    expect(response.files).toMatchObject([{ filename: 'chart.png', size: 9 }]);
  });

  it('acks heartbeats; without acks the client treats the connection as a zombie and resumes', async () => {
    const emulator = await startEmulator({ heartbeatIntervalMs: 100 });
    const client = await readyClient(emulator);
    const acked = new Promise<void>((resolve) => {
      const onDebug = (message: string): void => {
        if (!message.includes('Heartbeat acknowledged')) return;
        client.off('debug', onDebug);
        resolve();
      };
      client.on('debug', onDebug);
    });
    await emulator.waitFor('heartbeat');
    await acked;
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);

    emulator.setHeartbeatAcks(false);
    await emulator.waitFor('resume', undefined, 5000);
    emulator.setHeartbeatAcks(true);
    expect(emulator.identifies).toHaveLength(1);
  });

  it('stores application commands (global bulk PUT, guild PUT) and DMs users', async () => {
    const emulator = await startEmulator();
    const client = await readyClient(emulator);
    const guildId = emulator.guildIds[0] ?? '';

    const set = await client.application.commands.set([
      { name: 'nowplaying', description: 'What is playing' },
      { name: 'toptracks', description: 'Top tracks' },
    ]);
    expect(set.size).toBe(2);
    expect(emulator.commands().map((c) => (c as { name: string }).name)).toEqual(['nowplaying', 'toptracks']);
    const fetched = await client.application.commands.fetch();
    expect([...fetched.keys()].sort()).toEqual([...set.keys()].sort());

    // A re-PUT keeps ids; the guild set is separate.
    const again = await client.application.commands.set([{ name: 'nowplaying', description: 'What is playing' }]);
    expect(again.first()?.id).toBe(set.find((c) => c.name === 'nowplaying')?.id);
    await client.guilds.cache.get(guildId)?.commands.set([{ name: 'topartists', description: 'Top artists' }]);
    expect(emulator.commands(guildId)).toHaveLength(1);
    expect(emulator.commands()).toHaveLength(1);

    await expect(client.application.commands.set([{ name: 'Bad Name', description: 'x' }])).rejects.toThrow(/Invalid Form Body/);

    const dm = emulator.waitFor('directMessage');
    await client.users.send('1160000000000000042', { content: 'Your token expired' });
    await dm;
    expect(emulator.directMessages).toMatchObject([{ userId: '1160000000000000042', body: { content: 'Your token expired' } }]);
  });

  it('RECONNECT (op 7) leads to a RESUME and the client stays usable', async () => {
    const emulator = await startEmulator();
    const client = await readyClient(emulator);
    const sessionId = emulator.sessionId();

    const resumed = emulator.waitFor('resume');
    const clientResumed = once(client, 'shardResume');
    emulator.sendReconnect();
    const record = await resumed;
    await clientResumed;
    expect(record).toMatchObject({ session_id: sessionId, shard: 0 });
    expect(emulator.identifies).toHaveLength(1);

    const received = nextInteraction(client, (i) => i.isChatInputCommand());
    const handle = emulator.slashCommand({ name: 'nowplaying' });
    await (await received).reply({ content: 'still here' });
    expect((await handle.response()).data?.content).toBe('still here');
  });

  it('replays dispatches missed while the socket was down', async () => {
    const emulator = await startEmulator();
    const client = await readyClient(emulator);

    const resumed = emulator.waitFor<{ replayed: number }>('resume');
    const received = nextInteraction(client, (i) => i.isChatInputCommand());
    emulator.dropConnection(0); // abrupt: the client sees 1006 and resumes
    const handle = emulator.slashCommand({ name: 'toptracks' }); // buffered, replayed on RESUME
    expect((await resumed).replayed).toBe(1);
    await (await received).reply({ content: 'replayed' });
    expect((await handle.response()).data?.content).toBe('replayed');
  });

  it('INVALID_SESSION (not resumable) leads to a fresh IDENTIFY — and drops the presence set at runtime', async () => {
    const emulator = await startEmulator();
    // discord.js waits 5 s between identifies of one bucket; a no-op throttler keeps this test fast.
    const client = await readyClient(emulator, { ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) } });
    const presence = emulator.waitFor('presence');
    client.user.setPresence({ activities: [{ type: ActivityType.Listening, name: 'Song' }] });
    await presence;
    const firstSession = emulator.sessionId();

    const identified = emulator.waitFor('identify');
    const shardReady = once(client, 'shardReady');
    emulator.invalidateSession(false);
    await identified;
    await shardReady;
    expect(emulator.identifies).toHaveLength(2);
    expect(emulator.sessionId()).not.toBe(firstSession);
    // IDENTIFY carries only the ClientOptions presence: a bot must re-apply its activity on shardReady.
    expect(emulator.currentPresence()?.activities).toEqual([]);

    const received = nextInteraction(client, (i) => i.isChatInputCommand());
    const handle = emulator.slashCommand({ name: 'nowplaying' });
    await (await received).reply({ content: 'new session' });
    expect((await handle.response()).data?.content).toBe('new session');
  });

  it('two shards both identify and interactions are routed by guild id', async () => {
    const guildIds = [guildIdForShard(0, 2, 1), guildIdForShard(1, 2, 2), guildIdForShard(1, 2, 3)];
    // max_concurrency 2 lets discord.js identify both shards at once instead of 5 s apart.
    const emulator = await startEmulator({ shardCount: 2, guildIds, maxConcurrency: 2 });
    const client = await readyClient(emulator, { shards: [0, 1], shardCount: 2 });

    expect(emulator.identifies.map((i) => i.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(emulator.connectedShards()).toEqual([0, 1]);
    expect(client.guilds.cache.size).toBe(3);
    const onShard1 = guildIds[2] ?? '';
    expect(shardForGuild(onShard1, 2)).toBe(1);
    expect(client.guilds.cache.get(onShard1)?.shardId).toBe(1);

    const received = nextInteraction(client, (i) => i.isChatInputCommand());
    const handle = emulator.slashCommand({ name: 'nowplaying', guildId: onShard1 });
    expect(handle.shard).toBe(1);
    const interaction = await received;
    expect(interaction.guild?.shardId).toBe(1);
    await interaction.reply({ content: 'from shard 1' });
    expect((await handle.response()).type).toBe(4);

    const presence = emulator.waitFor<{ shard: number }>('presence', (p) => p.shard === 1);
    client.user.setPresence({ activities: [{ type: ActivityType.Listening, name: 'Song' }] });
    await presence;
  });
});
