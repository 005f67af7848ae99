// /nowplaying — what the owner is listening to on Spotify right now.
import { SlashCommandBuilder } from '@discordjs/builders';
import type { ChatInputCommandInteraction } from 'discord.js';
import type { BotServices } from '../src/services.js';
import { CONTEXTS, INTEGRATION_TYPES } from '../src/discord/availability.js';
import { nowPlayingReply } from '../src/discord/replies.js';
import { respondWithReply } from '../src/discord/respond.js';

export const data = new SlashCommandBuilder()
  .setName('nowplaying')
  .setDescription("Show what the bot owner is listening to on Spotify right now")
  .setIntegrationTypes(INTEGRATION_TYPES)
  .setContexts(CONTEXTS);

export async function execute(interaction: ChatInputCommandInteraction, app: BotServices): Promise<void> {
  await respondWithReply(
    interaction,
    async () => nowPlayingReply(await app.listening.current(), app.now()),
    { logger: app.logger.child('command'), what: '/nowplaying', deferAfterMs: app.deferAfterMs },
  );
}
