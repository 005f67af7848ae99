// Shared by /toptracks and /topartists: the definition's options, the handler and the Previous/Next buttons.
// Buttons carry their whole state in the custom id (kind, range, limit, page, whose list), so they work after a
// restart and on any shard. Whose list it is: src/features/account/whose.ts (yours if you linked, else the owner's;
// `user:` for a member's, where they allow it).
import { MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { defineCommand, type SlashCommand } from '../../discord/command.js';
import { errorReply } from '../../discord/error-replies.js';
import { interactionTranslator } from '../../discord/locale.js';
import { respondWithReply, respondWithUpdate } from '../../discord/respond.js';
import type { Translator } from '../../i18n/translator.js';
import type { ReplyPayload } from '../../discord/text.js';
import type { CommandContext } from '../../service-types.js';
import { SPOTIFY_MAX_LIMIT, TIME_RANGES, type TimeRange } from '../../spotify/types.js';
import { whoseFor, type SpotifyWhose } from '../account/whose.js';
import { decodeTopPageId, type TopPageState } from './page-id.js';
import { topArtistsReply, topTracksReply } from './replies.js';
import { RANGE_LABELS, type TopKind } from './service.js';

export const DEFAULT_RANGE: TimeRange = 'short_term';
export const DEFAULT_LIMIT = 10;

const RANGE_CHOICES = TIME_RANGES.map((range) => ({ name: RANGE_LABELS[range], value: range }));

function topDefinition(name: string, description: string) {
  return defineCommand({
    name,
    description,
    options: [
      { type: 'string', name: 'range', description: 'Which period (default: last 4 weeks)', choices: RANGE_CHOICES },
      {
        type: 'integer',
        name: 'limit',
        description: `How many to list, 1–${SPOTIFY_MAX_LIMIT} (default ${DEFAULT_LIMIT})`,
        min: 1,
        max: SPOTIFY_MAX_LIMIT,
      },
      { type: 'user', name: 'user', description: "Whose list (default: yours if you linked Spotify, else the bot owner's)" },
    ],
  });
}

function render(ctx: CommandContext, state: TopPageState, whose: SpotifyWhose, tr: Translator): Promise<ReplyPayload> {
  const options = { limit: state.limit, page: state.page, ...(whose.listener.kind === 'linked' ? { userId: whose.listener.userId } : {}) };
  return whose.answer(async () => {
    const payload =
      state.kind === 'tracks'
        ? topTracksReply(await ctx.services.top.tracks(whose.listener, state.range), options, tr)
        : topArtistsReply(await ctx.services.top.artists(whose.listener, state.range), options, tr);
    return whose.named(payload);
  });
}

export function createTopCommand(kind: TopKind, name: string, description: string): SlashCommand {
  const { data, parse } = topDefinition(name, description);
  return {
    data,
    customIdPrefix: `top:${kind}:`,
    async execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
      const args = parse(interaction);
      const state: TopPageState = { kind, range: args.range ?? DEFAULT_RANGE, limit: args.limit ?? DEFAULT_LIMIT, page: 1 };
      const options = { logger: ctx.logger.child('command'), what: `/${name}`, deferAfterMs: ctx.deferAfterMs };
      const whose = await whoseFor(interaction, ctx, { user: args.user });
      if (whose.kind !== 'spotify') {
        await whose.refuse(options);
        return;
      }
      const tr = await interactionTranslator(interaction);
      await respondWithReply(interaction, () => render(ctx, state, whose, tr), options);
      await whose.followUp();
    },
    async handleButton(interaction: ButtonInteraction, ctx: CommandContext): Promise<void> {
      const state = decodeTopPageId(interaction.customId);
      if (!state || state.kind !== kind) {
        await interaction.reply({ ...errorReply(new Error('stale button'), await interactionTranslator(interaction)), flags: MessageFlags.Ephemeral });
        return;
      }
      const options = { logger: ctx.logger.child('command'), what: `/${name} page ${state.page}`, deferAfterMs: ctx.deferAfterMs };
      // The owner's list (no id): as before members could link. A member's: privacy and place checked again.
      const whose = await whoseFor(interaction, ctx, { page: state.userId });
      if (whose.kind !== 'spotify') {
        await whose.refuse(options);
        return;
      }
      const tr = await interactionTranslator(interaction);
      await respondWithUpdate(interaction, () => render(ctx, state, whose, tr), options);
    },
  };
}
