// /nowplaying — what the owner is listening to on Spotify right now.
import type { ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/discord/command.js';
import { respondWithReply } from '../src/discord/respond.js';
import { nowPlayingReply } from '../src/features/nowplaying/replies.js';
import { OWNER } from '../src/listeners/listener.js';
import type { CommandContext } from '../src/services.js';

export const { data } = defineCommand({
  name: 'nowplaying',
  description: 'Show what the bot owner is listening to on Spotify right now',
});

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  await respondWithReply(
    interaction,
    async () => nowPlayingReply(await ctx.services.listening.current(OWNER), ctx.now()),
    { logger: ctx.logger.child('command'), what: '/nowplaying', deferAfterMs: ctx.deferAfterMs },
  );
}
