// ATTACHMENT options (type 11) through the real discord.js client: registering them, the resolved attachment object
// Discord sends, and the emulator's CDN that serves the bytes at the attachment URL's path on its own origin.
import { describe, expect, it } from 'vitest';
import {
  ApplicationCommandOptionType,
  type ChatInputApplicationCommandData,
  type ChatInputCommandInteraction,
  type Client,
} from 'discord.js';
import type { DiscordEmulator } from '../emulators/discord.js';
import { discordClientsPerTest, nextInteraction } from './support/discord-clients.js';

const { startEmulator, readyClient } = discordClientsPerTest();

function nextCommand(client: Client): Promise<ChatInputCommandInteraction> {
  return nextInteraction(client, (i): i is ChatInputCommandInteraction => i.isChatInputCommand());
}

/** The URL a bot configured with DISCORD_CDN_URL=<emulator.cdnUrl> fetches: same path and query, other origin. */
function onEmulator(emulator: DiscordEmulator, url: string): string {
  const parsed = new URL(url);
  return `${emulator.cdnUrl}${parsed.pathname}${parsed.search}`;
}

const HISTORY_COMMAND: ChatInputApplicationCommandData = {
  name: 'history',
  description: 'Listening history',
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'import',
      description: 'Import a Spotify data export',
      options: [
        { type: ApplicationCommandOptionType.Attachment, name: 'file', description: 'The export (zip or JSON)', required: true },
        { type: ApplicationCommandOptionType.Attachment, name: 'more', description: 'Another file' },
      ],
    },
  ],
};

describe('ATTACHMENT options', () => {
  it('register, and arrive as Discord sends them: the id as the value, the object in resolved.attachments', async () => {
    const emulator = await startEmulator();
    const client = await readyClient(emulator);
    const [registered] = (await client.application.commands.set([HISTORY_COMMAND])).values();
    expect(registered?.options[0]).toMatchObject({ name: 'import' });

    const bytes = Buffer.from(JSON.stringify([{ ts: '2024-01-01T00:00:00Z', ms_played: 200000 }]));
    const attachment = emulator.addAttachment({ filename: 'Streaming_History_Audio_2024.json', bytes });
    expect(attachment.id).toMatch(/^\d{17,20}$/);
    const path = `/ephemeral-attachments/${emulator.applicationId}/${attachment.id}/Streaming_History_Audio_2024.json`;
    expect(attachment.url).toMatch(new RegExp(`^https://cdn\\.discordapp\\.com${path}\\?ex=[0-9a-f]+&is=[0-9a-f]+&hm=[0-9a-f]{64}&$`));
    expect(attachment.proxy_url).toBe(attachment.url.replace('https://cdn.discordapp.com', 'https://media.discordapp.net'));

    const received = nextCommand(client);
    const handle = emulator.slashCommand({ name: 'history', subcommand: 'import', options: [{ name: 'file', type: 11, value: attachment.id }] });
    const interaction = await received;
    expect(handle.payload).toMatchObject({
      data: {
        options: [{ name: 'import', type: 1, options: [{ name: 'file', type: 11, value: attachment.id }] }],
        resolved: { attachments: { [attachment.id]: { id: attachment.id, filename: attachment.filename, size: bytes.length, ephemeral: true } } },
      },
    });
    const file = interaction.options.getAttachment('file', true);
    expect(file.name).toBe('Streaming_History_Audio_2024.json');
    expect(file.size).toBe(bytes.length);
    expect(file.contentType).toBe('application/json; charset=utf-8');
    expect(file.url).toBe(attachment.url);
    expect(file.proxyURL).toBe(attachment.proxy_url);
    expect(file.ephemeral).toBe(true);
    expect(interaction.options.getAttachment('more')).toBeNull();
  });

  it('are served at the same path and query on cdnUrl, for both hosts, with exact headers; anything else is 404', async () => {
    const emulator = await startEmulator();
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
    const attachment = emulator.addAttachment({ filename: 'my_spotify_data.zip', bytes });
    expect(attachment.content_type).toBe('application/zip');

    for (const url of [attachment.url, attachment.proxy_url]) {
      const res = await fetch(onEmulator(emulator, url));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/zip');
      expect(res.headers.get('content-length')).toBe(String(bytes.length));
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    }
    const custom = emulator.addAttachment({ filename: 'export', bytes: 'x', contentType: 'text/plain' });
    expect((await fetch(onEmulator(emulator, custom.url))).headers.get('content-type')).toBe('text/plain');

    const notFound = async (url: string): Promise<number> => {
      const res = await fetch(url);
      await res.arrayBuffer();
      return res.status;
    };
    const good = new URL(onEmulator(emulator, attachment.url));
    const unknownId = onEmulator(emulator, attachment.url).replace(attachment.id, '1150000000000009999');
    const otherName = onEmulator(emulator, attachment.url).replace('my_spotify_data.zip', 'other.zip');
    const forged = new URL(good);
    forged.searchParams.set('hm', '0'.repeat(64));
    const unsigned = `${good.origin}${good.pathname}`;
    expect(await notFound(unknownId)).toBe(404);
    expect(await notFound(otherName)).toBe(404);
    expect(await notFound(forged.toString())).toBe(404);
    expect(await notFound(unsigned)).toBe(404);
    expect(emulator.cdnRequests.map((r) => r.status)).toEqual([200, 200, 200, 404, 404, 404, 404]);
    // CDN downloads are not API calls: the REST log stays clean.
    expect(emulator.unknownRoutes).toEqual([]);
  });

  it('can break off mid-download (truncateAfterBytes): the client sees fewer bytes than Content-Length', async () => {
    const emulator = await startEmulator();
    const bytes = Buffer.alloc(100_000, 7);
    const attachment = emulator.addAttachment({ filename: 'big.zip', bytes, truncateAfterBytes: 1000 });
    const res = await fetch(onEmulator(emulator, attachment.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('100000');
    await expect(res.arrayBuffer()).rejects.toThrow();
    expect(emulator.cdnRequests[0]).toMatchObject({ status: 200, bytesSent: 1000 });
  });

  it('refuses to build an interaction Discord could not send: a required attachment missing, an unknown id', async () => {
    const emulator = await startEmulator();
    const client = await readyClient(emulator);
    await client.application.commands.set([HISTORY_COMMAND]);
    const attachment = emulator.addAttachment({ filename: 'a.json', bytes: '[]' });

    expect(() => emulator.slashCommand({ name: 'history', subcommand: 'import', options: [] })).toThrow(/required ATTACHMENT option file/);
    expect(() =>
      emulator.slashCommand({ name: 'history', subcommand: 'import', options: [{ name: 'more', type: 11, value: attachment.id }] }),
    ).toThrow(/required ATTACHMENT option file/);
    expect(() =>
      emulator.slashCommand({ name: 'history', subcommand: 'import', options: [{ name: 'file', type: 11, value: '1150000000000009999' }] }),
    ).toThrow(/not an id from addAttachment/);

    // With everything it needs, the same command goes through.
    const received = nextCommand(client);
    emulator.slashCommand({ name: 'history', subcommand: 'import', options: [{ name: 'file', type: 11, value: attachment.id }] });
    expect((await received).options.getAttachment('file')?.id).toBe(attachment.id);
  });
});
