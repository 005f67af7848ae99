// How a command shows a member's stored history (/stats, /chart period:, /taste, /wrapped): the asker is noted as a
// member of this server, HISTORY=off and a refused member are answered privately, and the view itself is answered
// within Discord's deadline (a history switched off meanwhile becomes the same "off" reply).
import type { ChatInputCommandInteraction } from 'discord.js';
import { respondWithReply } from '../../discord/respond.js';
import type { ReplyPayload } from '../../discord/text.js';
import type { Translator } from '../../i18n/translator.js';
import type { CommandContext } from '../../service-types.js';
import { hiddenReply, memberHere, nameOf, privateReply, sharedGuildOf } from '../account/whose.js';
import { historyOffReply } from './replies.js';
import { HistoryDisabledError } from './service.js';

/** Why another member's history isn't shown here, or null when it may be. */
export async function memberHistoryRefusal(
  interaction: ChatInputCommandInteraction,
  ctx: CommandContext,
  userId: string,
  tr: Translator,
): Promise<ReplyPayload | null> {
  const guildId = sharedGuildOf(interaction);
  // The owner's listening is the bot's public status anyway; anyone else's only in a server shared with them.
  if (userId !== ctx.config.discord.ownerId && (guildId === null || !(await memberHere(interaction, ctx, guildId, userId)))) {
    return hiddenReply({ kind: 'hidden', why: 'not-in-a-server', userId, name: await nameOf(interaction, userId, ctx) }, interaction.user.id, tr);
  }
  if ((await ctx.services.stats.privateAmong([userId])).includes(userId)) return privateReply(await nameOf(interaction, userId, ctx), tr);
  return null;
}

export interface MemberViewRequest {
  /** The command, for the log ("/stats"). */
  what: string;
  /** Whose history is shown (the asker's own needs no consent check). */
  userId: string;
  tr: Translator;
  /** A refusal of the command's own, asked once HISTORY is on and the member's consent allows (e.g. /taste of yourself). */
  refuse?: () => Promise<ReplyPayload | null>;
  /** The view; a HistoryDisabledError from it is answered as "history is off". */
  build: () => Promise<ReplyPayload>;
}

export async function respondWithMemberHistory(interaction: ChatInputCommandInteraction, ctx: CommandContext, request: MemberViewRequest): Promise<void> {
  const { what, userId, tr, refuse, build } = request;
  const options = { logger: ctx.logger.child('command'), what, deferAfterMs: ctx.deferAfterMs };
  const askerId = interaction.user.id;
  const guildId = sharedGuildOf(interaction);
  if (guildId !== null) ctx.members.membership.observe(guildId, askerId, true);
  const refused = !ctx.config.history.enabled
    ? historyOffReply(tr)
    : ((userId === askerId ? null : await memberHistoryRefusal(interaction, ctx, userId, tr)) ?? (await refuse?.()) ?? null);
  if (refused) {
    await respondWithReply(interaction, async () => refused, { ...options, ephemeral: true });
    return;
  }
  await respondWithReply(
    interaction,
    async () => {
      try {
        return await build();
      } catch (error) {
        if (error instanceof HistoryDisabledError) return historyOffReply(tr);
        throw error;
      }
    },
    options,
  );
}
