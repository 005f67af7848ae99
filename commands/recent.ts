// /recent [limit] [user] — the last plays on Spotify, newest first, 10 per page with Previous/Next: yours if you
// linked Spotify, else the bot owner's; with `user`, that member's (where they allow it; src/features/account/whose.ts).
import { MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/discord/command.js';
import { errorReply } from '../src/discord/error-replies.js';
import { interactionTranslator } from '../src/discord/locale.js';
import { respondWithReply, respondWithUpdate } from '../src/discord/respond.js';
import { whoseFor, type SpotifyWhose } from '../src/features/account/whose.js';
import {
  decodeRecentPageId,
  RECENT_DEFAULT_LIMIT,
  RECENT_ID_PREFIX,
  recentReply,
  type RecentPageState,
} from '../src/features/recent/replies.js';
import type { Translator } from '../src/i18n/translator.js';
import type { CommandContext } from '../src/service-types.js';
import { SPOTIFY_MAX_LIMIT } from '../src/spotify/types.js';

const definition = defineCommand({
  name: 'recent',
  description: 'Show what you (or a member, or the bot owner) played last on Spotify',
  options: [
    {
      type: 'integer',
      name: 'limit',
      description: `How many plays to list, 1–${SPOTIFY_MAX_LIMIT} (default ${RECENT_DEFAULT_LIMIT})`,
      min: 1,
      max: SPOTIFY_MAX_LIMIT,
    },
    { type: 'user', name: 'user', description: "Whose plays (default: yours if you linked Spotify, else the bot owner's)" },
  ],
});
export const { data } = definition;
export const customIdPrefix = RECENT_ID_PREFIX;

function render(ctx: CommandContext, state: RecentPageState, whose: SpotifyWhose, tr: Translator) {
  return whose.answer(async () => {
    const userId = whose.listener.kind === 'linked' ? { userId: whose.listener.userId } : {};
    return whose.named(recentReply(await ctx.services.recent.plays(whose.listener), { ...state, ...userId, now: ctx.now() }, tr));
  });
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const { limit, user } = definition.parse(interaction);
  const options = { logger: ctx.logger.child('command'), what: '/recent', deferAfterMs: ctx.deferAfterMs };
  const whose = await whoseFor(interaction, ctx, { user });
  if (whose.kind !== 'spotify') {
    await whose.refuse(options);
    return;
  }
  const tr = await interactionTranslator(interaction);
  await respondWithReply(interaction, () => render(ctx, { limit: limit ?? RECENT_DEFAULT_LIMIT, page: 1 }, whose, tr), options);
  await whose.followUp();
}

export async function handleButton(interaction: ButtonInteraction, ctx: CommandContext): Promise<void> {
  const state = decodeRecentPageId(interaction.customId);
  if (!state) {
    await interaction.reply({ ...errorReply(new Error('stale button'), await interactionTranslator(interaction)), flags: MessageFlags.Ephemeral });
    return;
  }
  const options = { logger: ctx.logger.child('command'), what: `/recent page ${state.page}`, deferAfterMs: ctx.deferAfterMs };
  // The owner's plays (no id), as before members could link; a member's: privacy and place checked again.
  const whose = await whoseFor(interaction, ctx, { page: state.userId });
  if (whose.kind !== 'spotify') {
    await whose.refuse(options);
    return;
  }
  const tr = await interactionTranslator(interaction);
  await respondWithUpdate(interaction, () => render(ctx, state, whose, tr), options);
}
