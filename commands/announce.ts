// /announce [channel:#channel] [off:True] — a now-playing channel for this server: the bot posts the owner's new
// track there each time it changes (src/features/announce/announcer.ts). Alone it shows the current setting.
// Needs Manage Server (default_member_permissions; Discord enforces it, and a server may grant it to others).
import {
  MessageFlags,
  PermissionFlagsBits,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { defineCommand } from '../src/discord/command.js';
import { missingPermissions, postableChannelOf } from '../src/discord/post-channel.js';
import { respondWithReply } from '../src/discord/respond.js';
import { COLORS, embedPayload } from '../src/discord/text.js';
import {
  announceBothReply,
  announceCantPostReply,
  announceNotTextReply,
  announceOffReply,
  announceSetReply,
  announceStatusReply,
} from '../src/features/announce/replies.js';
import { interactionTranslator } from '../src/discord/locale.js';
import type { Translator } from '../src/i18n/translator.js';
import type { CommandContext } from '../src/service-types.js';

const definition = defineCommand({
  name: 'announce',
  description: "Post the bot owner's new tracks to a channel of this server",
  guildOnly: true,
  defaultMemberPermissions: PermissionFlagsBits.ManageGuild,
  options: [
    { type: 'channel', name: 'channel', description: 'Where to post each new track' },
    { type: 'boolean', name: 'off', description: 'Stop posting' },
  ],
});
export const { data } = definition;

/** What the bot needs in the channel to post an announcement, with the names people see in Discord. */
const NEEDED: ReadonlyArray<[bigint, string]> = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
];

const notHere = (tr: Translator) => embedPayload({ color: COLORS.neutral, description: tr.t('announce.notHere') });

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const guildId = interaction.guildId;
  const tr = await interactionTranslator(interaction);
  if (guildId === null || !interaction.client.guilds.cache.has(guildId)) {
    await interaction.reply({ ...notHere(tr), flags: MessageFlags.Ephemeral });
    return;
  }
  const { channel: channelId, off } = definition.parse(interaction);
  const options = { logger: ctx.logger.child('command'), what: '/announce', deferAfterMs: ctx.deferAfterMs, ephemeral: true };
  await respondWithReply(
    interaction,
    async () => {
      if (channelId !== null && off === true) return announceBothReply(tr);
      if (off === true) return announceOffReply((await ctx.services.announce.off(guildId, null)) !== null, tr);
      if (channelId === null) return announceStatusReply(await ctx.services.announce.get(guildId), tr);
      const channel = postableChannelOf(interaction, guildId, channelId);
      if (!channel) return announceNotTextReply(tr);
      const missing = missingPermissions(interaction, channel, NEEDED);
      if (missing.length > 0) return announceCantPostReply(channelId, missing, tr);
      await ctx.services.announce.set({ guildId, channelId, setBy: interaction.user.id, setAt: ctx.now() });
      return announceSetReply(channelId, tr);
    },
    options,
  );
}
