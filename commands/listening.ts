// /listening — who in this server is listening on Spotify right now: members' Discord status (DISCORD_PRESENCES=on)
// and linked accounts, grouped by track or artist, ten blocks a page. Answered from memory in the process that holds
// the server (its shard), never from another server's members.
import { MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/discord/command.js';
import { errorReply } from '../src/discord/error-replies.js';
import { interactionTranslator } from '../src/discord/locale.js';
import { respondWithReply, respondWithUpdate } from '../src/discord/respond.js';
import type { Translator } from '../src/i18n/translator.js';
import { embedPayload, COLORS } from '../src/discord/text.js';
import { decodeListeningPageId, LISTENING_ID_PREFIX, listeningReply } from '../src/features/listening-now/replies.js';
import { listeningNow } from '../src/features/listening-now/service.js';
import type { CommandContext } from '../src/service-types.js';

const definition = defineCommand({
  name: 'listening',
  description: 'Show who in this server is listening to Spotify right now',
  guildOnly: true,
});
export const { data } = definition;
export const customIdPrefix = LISTENING_ID_PREFIX;

const notHere = (tr: Translator) => embedPayload({ color: COLORS.neutral, description: tr.t('listening.notHere') });

function guildOf(interaction: ChatInputCommandInteraction | ButtonInteraction): string | null {
  // Only a guild this client holds: its members' status is in this process, and nowhere else.
  const guildId = interaction.guildId;
  return guildId !== null && interaction.client.guilds.cache.has(guildId) ? guildId : null;
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const guildId = guildOf(interaction);
  const tr = await interactionTranslator(interaction);
  if (!guildId) {
    await interaction.reply({ ...notHere(tr), flags: MessageFlags.Ephemeral });
    return;
  }
  await respondWithReply(interaction, async () => listeningReply(await listeningNow(ctx, guildId), 1, tr), {
    logger: ctx.logger.child('command'),
    what: '/listening',
    deferAfterMs: ctx.deferAfterMs,
  });
}

export async function handleButton(interaction: ButtonInteraction, ctx: CommandContext): Promise<void> {
  const page = decodeListeningPageId(interaction.customId);
  const guildId = guildOf(interaction);
  const tr = await interactionTranslator(interaction);
  if (page === null || !guildId) {
    await interaction.reply({ ...errorReply(new Error('stale button'), tr), flags: MessageFlags.Ephemeral });
    return;
  }
  await respondWithUpdate(interaction, async () => listeningReply(await listeningNow(ctx, guildId), page, tr), {
    logger: ctx.logger.child('command'),
    what: `/listening page ${page}`,
    deferAfterMs: ctx.deferAfterMs,
  });
}
