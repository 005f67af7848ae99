// /wrapped [year] [user] — a year from stored history as one tall picture and the same numbers in text: minutes
// listened, the top artist with a cover, the top 5 songs and artists, the month and the day listened most (bot's TZ),
// and this server's biggest fan of the top artist (current members a server view may count). Any year the history
// covers (imports go back years); the current year by default. `user` on /stats' terms.
import type { ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/discord/command.js';
import { interactionTranslator } from '../src/discord/locale.js';
import { nameOf, sharedGuildOf } from '../src/features/account/whose.js';
import { respondWithMemberHistory } from '../src/features/history/member-view.js';
import { wrappedReply } from '../src/features/wrapped/replies.js';
import { yearOf } from '../src/features/wrapped/service.js';
import { withWrappedPicture } from '../src/features/wrapped/wrapped.js';
import type { CommandContext } from '../src/service-types.js';

const definition = defineCommand({
  name: 'wrapped',
  description: 'A year of listening from stored history, as one tall picture: minutes, top artist, songs, peaks',
  options: [
    { type: 'integer', name: 'year', description: 'Which year (default: this year)', min: 2000, max: 2100 },
    { type: 'user', name: 'user', description: 'Whose year (default: yours)' },
  ],
});
export const { data } = definition;

/** The ids of the members of the server asked in that a server view may count; null outside a server this process holds. */
async function serverMembers(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<string[] | null> {
  const guildId = sharedGuildOf(interaction);
  // Only a server this process holds: its membership answers are asked through this process's gateway.
  if (guildId === null || !interaction.client.guilds.cache.has(guildId)) return null;
  return [...(await ctx.members.membership.currentMembers(guildId, await ctx.services.stats.serverCandidates()))];
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const args = definition.parse(interaction);
  const tr = await interactionTranslator(interaction);
  const userId = args.user ?? interaction.user.id;
  const year = args.year ?? yearOf(ctx.now());
  await respondWithMemberHistory(interaction, ctx, {
    what: '/wrapped',
    userId,
    tr,
    build: async () => {
      const members = await serverMembers(interaction, ctx);
      const [wrapped, name] = await Promise.all([ctx.services.wrapped.year(userId, year, members), nameOf(interaction, userId, ctx)]);
      const fan = wrapped.fan ? { name: await nameOf(interaction, wrapped.fan.userId, ctx) } : null;
      return withWrappedPicture(ctx, wrappedReply(wrapped, name, tr), wrapped, name, fan, members !== null, tr);
    },
  });
}
