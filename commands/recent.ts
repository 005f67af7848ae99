// /recent [limit] — the owner's last plays on Spotify, newest first, 10 per page with Previous/Next.
import { MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/discord/command.js';
import { errorReply } from '../src/discord/error-replies.js';
import { respondWithReply, respondWithUpdate } from '../src/discord/respond.js';
import {
  decodeRecentPageId,
  RECENT_DEFAULT_LIMIT,
  RECENT_ID_PREFIX,
  recentReply,
  type RecentPageState,
} from '../src/features/recent/replies.js';
import { OWNER } from '../src/listeners/listener.js';
import type { CommandContext } from '../src/services.js';
import { SPOTIFY_MAX_LIMIT } from '../src/spotify/types.js';

const definition = defineCommand({
  name: 'recent',
  description: 'Show what the bot owner played last on Spotify',
  options: [
    {
      type: 'integer',
      name: 'limit',
      description: `How many plays to list, 1–${SPOTIFY_MAX_LIMIT} (default ${RECENT_DEFAULT_LIMIT})`,
      min: 1,
      max: SPOTIFY_MAX_LIMIT,
    },
  ],
});
export const { data } = definition;
export const customIdPrefix = RECENT_ID_PREFIX;

async function render(ctx: CommandContext, state: RecentPageState) {
  return recentReply(await ctx.services.recent.plays(OWNER), { ...state, now: ctx.now() });
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const { limit } = definition.parse(interaction);
  await respondWithReply(interaction, () => render(ctx, { limit: limit ?? RECENT_DEFAULT_LIMIT, page: 1 }), {
    logger: ctx.logger.child('command'),
    what: '/recent',
    deferAfterMs: ctx.deferAfterMs,
  });
}

export async function handleButton(interaction: ButtonInteraction, ctx: CommandContext): Promise<void> {
  const state = decodeRecentPageId(interaction.customId);
  if (!state) {
    await interaction.reply({ ...errorReply(new Error('stale button')), flags: MessageFlags.Ephemeral });
    return;
  }
  await respondWithUpdate(interaction, () => render(ctx, state), {
    logger: ctx.logger.child('command'),
    what: `/recent page ${state.page}`,
    deferAfterMs: ctx.deferAfterMs,
  });
}
