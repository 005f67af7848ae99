// /serverstats [period] — /stats for this server's recorded members together, plus its top listeners by plays and by
// time. Counted: members in the server now (the membership module, batched), recording, and not "only me".
import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/discord/command.js';
import { interactionTranslator } from '../src/discord/locale.js';
import { respondWithReply } from '../src/discord/respond.js';
import { COLORS, embedPayload } from '../src/discord/text.js';
import { historyOffReply } from '../src/features/history/replies.js';
import { HistoryDisabledError } from '../src/features/history/service.js';
import { PERIOD_CHOICES, serverStatsReply, statsHeading } from '../src/features/stats/replies.js';
import { DEFAULT_STATS_PERIOD } from '../src/features/stats/service.js';
import { startStatsPicture, withStatsPicture } from '../src/features/stats/stats.js';
import type { CommandContext } from '../src/service-types.js';

const definition = defineCommand({
  name: 'serverstats',
  description: "This server's listening stats from stored history, and its top listeners",
  guildOnly: true,
  options: [{ type: 'string', name: 'period', description: 'Which period (default: last 30 days)', choices: PERIOD_CHOICES }],
});
export const { data } = definition;

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const { period } = definition.parse(interaction);
  const tr = await interactionTranslator(interaction);
  // Only a server this process holds: its membership answers are asked through this process's gateway.
  const guildId = interaction.guildId;
  if (guildId === null || !interaction.client.guilds.cache.has(guildId)) {
    await interaction.reply({ ...embedPayload({ color: COLORS.neutral, description: tr.t('stats.notHere') }), flags: MessageFlags.Ephemeral });
    return;
  }
  const options = { logger: ctx.logger.child('command'), what: '/serverstats', deferAfterMs: ctx.deferAfterMs };
  if (!ctx.config.history.enabled) {
    await respondWithReply(interaction, async () => historyOffReply(tr), { ...options, ephemeral: true });
    return;
  }
  const { membership } = ctx.members;
  membership.observe(guildId, interaction.user.id, true);
  const chosen = period ?? DEFAULT_STATS_PERIOD;
  await respondWithReply(
    interaction,
    async () => {
      try {
        const members = await membership.currentMembers(guildId, await ctx.services.stats.serverCandidates());
        const stats = await ctx.services.stats.server([...members], chosen);
        const name = interaction.guild?.name ?? tr.t('chart.thisServer');
        const heading = statsHeading(name, chosen, tr);
        const picture = startStatsPicture(ctx, stats, heading, tr);
        return await withStatsPicture(serverStatsReply(stats, name, tr), picture, stats, heading, tr);
      } catch (error) {
        if (error instanceof HistoryDisabledError) return historyOffReply(tr);
        throw error;
      }
    },
    options,
  );
}
