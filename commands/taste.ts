// /taste user: [period] — how much your listening overlaps with a member's, from stored history: a score ("62%"),
// the shared top artists with both play counts, and one artist each that the other might like. The other member on
// /stats' terms (a server you share, not "only me") and only while they are recording.
import type { ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/discord/command.js';
import { interactionTranslator } from '../src/discord/locale.js';
import type { ReplyPayload } from '../src/discord/text.js';
import { nameOf } from '../src/features/account/whose.js';
import { respondWithMemberHistory } from '../src/features/history/member-view.js';
import { PERIOD_CHOICES } from '../src/features/stats/replies.js';
import { tasteNotRecordingReply, tasteReply, tasteYourselfReply } from '../src/features/taste/replies.js';
import { DEFAULT_TASTE_PERIOD } from '../src/features/taste/service.js';
import type { Translator } from '../src/i18n/translator.js';
import type { CommandContext } from '../src/service-types.js';

const definition = defineCommand({
  name: 'taste',
  description: "How much your listening overlaps with a member's: a score, shared artists and suggestions",
  options: [
    { type: 'user', name: 'user', description: 'Whose listening to compare with yours', required: true },
    { type: 'string', name: 'period', description: 'Which period (default: all time)', choices: PERIOD_CHOICES },
  ],
});
export const { data } = definition;

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const args = definition.parse(interaction);
  const tr = await interactionTranslator(interaction);
  const askerId = interaction.user.id;
  const otherId = args.user;
  const period = args.period ?? DEFAULT_TASTE_PERIOD;
  await respondWithMemberHistory(interaction, ctx, {
    what: '/taste',
    userId: otherId,
    tr,
    refuse: async () => (otherId === askerId ? tasteYourselfReply(tr) : notRecording(interaction, ctx, otherId, tr)),
    build: async () => {
      const [taste, you, them] = await Promise.all([
        ctx.services.taste.compare(askerId, otherId, period),
        nameOf(interaction, askerId, ctx),
        nameOf(interaction, otherId, ctx),
      ]);
      return tasteReply(taste, you, them, tr);
    },
  });
}

/** Someone who stopped recording (or never started) is not compared, even with what is still stored. */
async function notRecording(interaction: ChatInputCommandInteraction, ctx: CommandContext, userId: string, tr: Translator): Promise<ReplyPayload | null> {
  const view = await ctx.services.history.view(userId);
  return view.recording ? null : tasteNotRecordingReply(await nameOf(interaction, userId, ctx), tr);
}
