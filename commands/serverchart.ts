// /serverchart [kind] [period] [size] — this server's cover chart from stored history: the top albums, tracks or
// artists of its members together over a period (/stats' periods). Counted as for /serverstats: members in the server
// now (the membership module, batched), recording, and not "only me".
import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/discord/command.js';
import { interactionTranslator } from '../src/discord/locale.js';
import { respondWithReply } from '../src/discord/respond.js';
import { COLORS, embedPayload } from '../src/discord/text.js';
import { serverChart } from '../src/features/chart/history-chart.js';
import { DEFAULT_KIND, HISTORY_KIND_CHOICES, SIZE_CHOICES, sizeOf } from '../src/features/chart/replies.js';
import { historyOffReply } from '../src/features/history/replies.js';
import { HistoryDisabledError } from '../src/features/history/service.js';
import { PERIOD_CHOICES } from '../src/features/stats/replies.js';
import { DEFAULT_STATS_PERIOD } from '../src/features/stats/service.js';
import type { CommandContext } from '../src/service-types.js';

const definition = defineCommand({
  name: 'serverchart',
  description: "A grid of covers from this server's most played albums, tracks or artists (stored history)",
  guildOnly: true,
  options: [
    { type: 'string', name: 'kind', description: 'Albums (default), tracks or artists', choices: HISTORY_KIND_CHOICES },
    { type: 'string', name: 'period', description: 'Which period (default: last 30 days)', choices: PERIOD_CHOICES },
    { type: 'string', name: 'size', description: '3×3 (default), 4×4 or 5×5', choices: SIZE_CHOICES },
  ],
});
export const { data } = definition;

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const args = definition.parse(interaction);
  const tr = await interactionTranslator(interaction);
  // Only a server this process holds: its membership answers are asked through this process's gateway.
  const guildId = interaction.guildId;
  if (guildId === null || !interaction.client.guilds.cache.has(guildId)) {
    await interaction.reply({ ...embedPayload({ color: COLORS.neutral, description: tr.t('chart.notHere') }), flags: MessageFlags.Ephemeral });
    return;
  }
  const options = { logger: ctx.logger.child('command'), what: '/serverchart', deferAfterMs: ctx.deferAfterMs };
  if (!ctx.config.history.enabled) {
    await respondWithReply(interaction, async () => historyOffReply(tr), { ...options, ephemeral: true });
    return;
  }
  const { membership } = ctx.members;
  membership.observe(guildId, interaction.user.id, true);
  await respondWithReply(
    interaction,
    async () => {
      try {
        const members = await membership.currentMembers(guildId, await ctx.services.stats.serverCandidates());
        const period = args.period ?? DEFAULT_STATS_PERIOD;
        return (await serverChart(ctx, [...members], period, args.kind ?? DEFAULT_KIND, sizeOf(args.size), interaction.guild?.name, tr)).reply;
      } catch (error) {
        if (error instanceof HistoryDisabledError) return historyOffReply(tr);
        throw error;
      }
    },
    options,
  );
}
