// /stats [user] [period] — listening numbers from stored history: plays, time, distinct tracks/artists/albums, the
// top 5s, the change against the period before, and a picture of time per day and by hour. Yours by default; with
// `user`, a member's on the same terms as /recent (src/features/account/whose.ts): only in a server you share with
// them, never when they chose "only me".
import type { ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/discord/command.js';
import { interactionTranslator } from '../src/discord/locale.js';
import { respondWithReply } from '../src/discord/respond.js';
import type { ReplyPayload } from '../src/discord/text.js';
import { hiddenReply, memberHere, nameOf, privateReply, sharedGuildOf } from '../src/features/account/whose.js';
import { historyOffReply } from '../src/features/history/replies.js';
import { HistoryDisabledError } from '../src/features/history/service.js';
import { PERIOD_CHOICES, statsHeading, statsReply } from '../src/features/stats/replies.js';
import { DEFAULT_STATS_PERIOD } from '../src/features/stats/service.js';
import { withStatsPicture } from '../src/features/stats/stats.js';
import type { CommandContext } from '../src/service-types.js';

const definition = defineCommand({
  name: 'stats',
  description: 'Listening stats from stored history: plays, time, top artists, tracks and albums, and a picture',
  options: [
    { type: 'user', name: 'user', description: 'Whose stats (default: yours)' },
    { type: 'string', name: 'period', description: 'Which period (default: last 30 days)', choices: PERIOD_CHOICES },
  ],
});
export const { data } = definition;

/** Why someone else's stats aren't shown here, or null when they may be (also /taste's and /wrapped's rule). */
export async function refusal(interaction: ChatInputCommandInteraction, ctx: CommandContext, userId: string): Promise<ReplyPayload | null> {
  const guildId = sharedGuildOf(interaction);
  const tr = await interactionTranslator(interaction);
  // The owner's listening is the bot's public status anyway; anyone else's only in a server shared with them.
  if (userId !== ctx.config.discord.ownerId && (guildId === null || !(await memberHere(interaction, ctx, guildId, userId)))) {
    return hiddenReply({ kind: 'hidden', why: 'not-in-a-server', userId, name: await nameOf(interaction, userId, ctx) }, interaction.user.id, tr);
  }
  if ((await ctx.services.stats.privateAmong([userId])).includes(userId)) return privateReply(await nameOf(interaction, userId, ctx), tr);
  return null;
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const args = definition.parse(interaction);
  const options = { logger: ctx.logger.child('command'), what: '/stats', deferAfterMs: ctx.deferAfterMs };
  const askerId = interaction.user.id;
  const userId = args.user ?? askerId;
  const period = args.period ?? DEFAULT_STATS_PERIOD;
  const tr = await interactionTranslator(interaction);
  const guildId = sharedGuildOf(interaction);
  if (guildId !== null) ctx.members.membership.observe(guildId, askerId, true);
  if (!ctx.config.history.enabled) {
    await respondWithReply(interaction, async () => historyOffReply(tr), { ...options, ephemeral: true });
    return;
  }
  if (userId !== askerId) {
    const refused = await refusal(interaction, ctx, userId);
    if (refused) {
      await respondWithReply(interaction, async () => refused, { ...options, ephemeral: true });
      return;
    }
  }
  await respondWithReply(
    interaction,
    async () => {
      try {
        const [stats, name] = await Promise.all([ctx.services.stats.user(userId, period), nameOf(interaction, userId, ctx)]);
        return await withStatsPicture(ctx, statsReply(stats, name, tr), stats, statsHeading(name, period, tr), tr);
      } catch (error) {
        if (error instanceof HistoryDisabledError) return historyOffReply(tr);
        throw error;
      }
    },
    options,
  );
}
