// /stats [user] [period] — listening numbers from stored history: plays, time, distinct tracks/artists/albums, the
// top 5s, the change against the period before, and a picture of time per day and by hour. Yours by default; with
// `user`, a member's on the same terms as /recent (src/features/account/whose.ts): only in a server you share with
// them, never when they chose "only me".
import type { ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/discord/command.js';
import { interactionTranslator } from '../src/discord/locale.js';
import { nameOf } from '../src/features/account/whose.js';
import { respondWithMemberHistory } from '../src/features/history/member-view.js';
import { PERIOD_CHOICES, statsHeading, statsReply } from '../src/features/stats/replies.js';
import { DEFAULT_STATS_PERIOD } from '../src/features/stats/service.js';
import { startStatsPicture, withStatsPicture } from '../src/features/stats/stats.js';
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

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const args = definition.parse(interaction);
  const userId = args.user ?? interaction.user.id;
  const period = args.period ?? DEFAULT_STATS_PERIOD;
  const tr = await interactionTranslator(interaction);
  await respondWithMemberHistory(interaction, ctx, {
    what: '/stats',
    userId,
    tr,
    build: async () => {
      const [stats, name] = await Promise.all([ctx.services.stats.user(userId, period), nameOf(interaction, userId, ctx)]);
      const heading = statsHeading(name, period, tr);
      const picture = startStatsPicture(ctx, stats, heading, tr);
      return withStatsPicture(statsReply(stats, name, tr), picture, stats, heading, tr);
    },
  });
}
