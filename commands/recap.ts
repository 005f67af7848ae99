// /recap [channel:#channel] [off:True] — a weekly recap channel for this server: every week (RECAP_CRON, Mondays at
// 10:00 by default) the bot posts the server's last 7 days there (src/features/recap/recapper.ts). Alone it shows
// the current setting. Needs Manage Server (default_member_permissions; Discord enforces it), as /announce does.
import {
  MessageFlags,
  PermissionFlagsBits,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { defineCommand } from '../src/discord/command.js';
import { missingPermissions, postableChannelOf } from '../src/discord/post-channel.js';
import { interactionTranslator } from '../src/discord/locale.js';
import { respondWithReply } from '../src/discord/respond.js';
import { historyOffReply } from '../src/features/history/replies.js';
import {
  recapBothReply,
  recapCantPostReply,
  recapNotHereReply,
  recapNotTextReply,
  recapOffReply,
  recapSetReply,
  recapStatusReply,
  type RecapPermission,
} from '../src/features/recap/replies.js';
import type { CommandContext } from '../src/service-types.js';

const definition = defineCommand({
  name: 'recap',
  description: "Post this server's weekly listening recap to a channel",
  guildOnly: true,
  defaultMemberPermissions: PermissionFlagsBits.ManageGuild,
  options: [
    { type: 'channel', name: 'channel', description: 'Where to post the recap every week' },
    { type: 'boolean', name: 'off', description: 'Stop posting the recap' },
  ],
});
export const { data } = definition;

/** What the bot needs in the channel to post a recap (with its chart); the replies name them as Discord shows them. */
const NEEDED: ReadonlyArray<[bigint, RecapPermission]> = [
  [PermissionFlagsBits.ViewChannel, 'view'],
  [PermissionFlagsBits.SendMessages, 'send'],
  [PermissionFlagsBits.EmbedLinks, 'embed'],
  [PermissionFlagsBits.AttachFiles, 'attach'],
];

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const guildId = interaction.guildId;
  const tr = await interactionTranslator(interaction);
  if (guildId === null || !interaction.client.guilds.cache.has(guildId)) {
    await interaction.reply({ ...recapNotHereReply(tr), flags: MessageFlags.Ephemeral });
    return;
  }
  const { channel: channelId, off } = definition.parse(interaction);
  const options = { logger: ctx.logger.child('command'), what: '/recap', deferAfterMs: ctx.deferAfterMs, ephemeral: true };
  await respondWithReply(
    interaction,
    async () => {
      if (channelId !== null && off === true) return recapBothReply(tr);
      if (off === true) return recapOffReply((await ctx.services.recap.off(guildId, null)) !== null, tr);
      if (channelId === null) return recapStatusReply(await ctx.services.recap.get(guildId), tr);
      // A recap is made of stored history: nothing to post with HISTORY=off.
      if (!ctx.config.history.enabled) return historyOffReply(tr);
      const channel = postableChannelOf(interaction, guildId, channelId);
      if (!channel) return recapNotTextReply(tr);
      const missing = missingPermissions(interaction, channel, NEEDED);
      if (missing.length > 0) return recapCantPostReply(channelId, missing, tr);
      await ctx.services.recap.set({ guildId, channelId, setBy: interaction.user.id, setAt: ctx.now() });
      return recapSetReply(channelId, tr);
    },
    options,
  );
}
