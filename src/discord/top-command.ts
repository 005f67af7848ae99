// Shared by /toptracks and /topartists: the definition's options, the handler and the Previous/Next buttons.
// Buttons carry their whole state in the custom id (kind, range, limit, page), so they work after a restart.
import { SlashCommandBuilder } from '@discordjs/builders';
import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { BotServices } from '../services.js';
import type { TimeRange } from '../spotify/types.js';
import { TIME_RANGES } from '../spotify/types.js';
import { RANGE_LABELS, type TopKind } from '../top-items.js';
import { CONTEXTS, INTEGRATION_TYPES } from './availability.js';
import type { SlashCommand } from './command.js';
import { decodeTopPageId, errorReply, topArtistsReply, topTracksReply, type ReplyPayload, type TopPageState } from './replies.js';
import { respondWithReply, respondWithUpdate } from './respond.js';
import { MessageFlags } from 'discord.js';

export const DEFAULT_RANGE: TimeRange = 'short_term';
export const DEFAULT_LIMIT = 10;

async function render(app: BotServices, state: TopPageState): Promise<ReplyPayload> {
  const options = { limit: state.limit, page: state.page };
  return state.kind === 'tracks'
    ? topTracksReply(await app.top.tracks(state.range), options)
    : topArtistsReply(await app.top.artists(state.range), options);
}

export function createTopCommand(kind: TopKind, name: string, description: string): SlashCommand {
  const data = new SlashCommandBuilder()
    .setName(name)
    .setDescription(description)
    .setIntegrationTypes(INTEGRATION_TYPES)
    .setContexts(CONTEXTS)
    .addStringOption((option) =>
      option
        .setName('range')
        .setDescription('Which period (default: last 4 weeks)')
        .addChoices(...TIME_RANGES.map((range) => ({ name: RANGE_LABELS[range], value: range }))),
    )
    .addIntegerOption((option) =>
      option
        .setName('limit')
        .setDescription(`How many to list, 1–50 (default ${DEFAULT_LIMIT})`)
        .setMinValue(1)
        .setMaxValue(50),
    );

  return {
    data,
    customIdPrefix: `top:${kind}:`,
    async execute(interaction: ChatInputCommandInteraction, app: BotServices): Promise<void> {
      const rangeOption = interaction.options.getString('range');
      const range = TIME_RANGES.find((r) => r === rangeOption) ?? DEFAULT_RANGE;
      const limitOption = interaction.options.getInteger('limit') ?? DEFAULT_LIMIT;
      const limit = Math.min(50, Math.max(1, limitOption));
      await respondWithReply(interaction, () => render(app, { kind, range, limit, page: 1 }), {
        logger: app.logger.child('command'),
        what: `/${name}`,
        deferAfterMs: app.deferAfterMs,
      });
    },
    async handleButton(interaction: ButtonInteraction, app: BotServices): Promise<void> {
      const state = decodeTopPageId(interaction.customId);
      if (!state || state.kind !== kind) {
        await interaction.reply({ ...errorReply(new Error('stale button')), flags: MessageFlags.Ephemeral });
        return;
      }
      await respondWithUpdate(interaction, () => render(app, state), {
        logger: app.logger.child('command'),
        what: `/${name} page ${state.page}`,
        deferAfterMs: app.deferAfterMs,
      });
    },
  };
}
