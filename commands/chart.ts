// /chart [kind] [range] [size] [user] — a grid of covers from someone's top list (#12): albums (derived from the top
// tracks; Spotify has no top-albums endpoint), tracks, or artists; 3×3, 4×4 or 5×5. Whose list: the same rules as
// /toptracks (src/features/account/whose.ts): yours if you linked Spotify, else the owner's; `user` for a member's.
// With `period` (week, month, year, all: /stats' periods) the chart is drawn from stored history instead, whose and
// consent as for /stats: yours by default; a member's only in a server you share, never when they chose "only me".
import type { ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/discord/command.js';
import { interactionTranslator } from '../src/discord/locale.js';
import { respondWithReply } from '../src/discord/respond.js';
import { DEFAULT_RANGE } from '../src/features/top/command.js';
import { whoseFor } from '../src/features/account/whose.js';
import { chartReply } from '../src/features/chart/chart.js';
import { userHistoryChart } from '../src/features/chart/history-chart.js';
import { nameOf } from '../src/features/account/whose.js';
import { respondWithMemberHistory } from '../src/features/history/member-view.js';
import { PERIOD_CHOICES } from '../src/features/stats/replies.js';
import { DEFAULT_KIND, KIND_CHOICES, SIZE_CHOICES, sizeOf, type ChartKind, type SizeChoice } from '../src/features/chart/replies.js';
import type { StatsPeriod } from '../src/features/stats/service.js';
import { RANGE_LABELS } from '../src/features/top/service.js';
import type { Translator } from '../src/i18n/translator.js';
import type { CommandContext } from '../src/service-types.js';
import { TIME_RANGES } from '../src/spotify/types.js';

const definition = defineCommand({
  name: 'chart',
  description: 'A grid of covers from top albums, tracks or artists on Spotify',
  options: [
    { type: 'string', name: 'kind', description: 'Albums (default), tracks or artists', choices: KIND_CHOICES },
    {
      type: 'string',
      name: 'range',
      description: 'Which period (default: last 4 weeks)',
      choices: TIME_RANGES.map((range) => ({ name: RANGE_LABELS[range], value: range })),
    },
    { type: 'string', name: 'size', description: '3×3 (default), 4×4 or 5×5', choices: SIZE_CHOICES },
    { type: 'user', name: 'user', description: "Whose chart (default: yours if you linked Spotify, else the bot owner's)" },
    { type: 'string', name: 'period', description: 'From stored listening history over this period (instead of Spotify)', choices: PERIOD_CHOICES },
  ],
});
export const { data } = definition;

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const args = definition.parse(interaction);
  const options = { logger: ctx.logger.child('command'), what: '/chart', deferAfterMs: ctx.deferAfterMs };
  const tr = await interactionTranslator(interaction);
  if (args.period !== null) {
    await historyChart(interaction, ctx, { ...args, period: args.period }, tr);
    return;
  }
  const whose = await whoseFor(interaction, ctx, { user: args.user });
  if (whose.kind !== 'spotify') {
    await whose.refuse(options);
    return;
  }
  const request = {
    listener: whose.listener,
    name: whose.name,
    kind: args.kind ?? DEFAULT_KIND,
    range: args.range ?? DEFAULT_RANGE,
    size: sizeOf(args.size),
  };
  await respondWithReply(interaction, () => whose.answer(() => chartReply(ctx, request, tr)), options);
  await whose.followUp();
}

/** /chart with a period: from stored history, on /stats' terms. */
async function historyChart(
  interaction: ChatInputCommandInteraction,
  ctx: CommandContext,
  args: { user: string | null; kind: ChartKind | null; size: SizeChoice | null; period: StatsPeriod },
  tr: Translator,
): Promise<void> {
  const userId = args.user ?? interaction.user.id;
  await respondWithMemberHistory(interaction, ctx, {
    what: '/chart',
    userId,
    tr,
    build: async () => {
      const name = await nameOf(interaction, userId, ctx);
      const request = { userId, name, kind: args.kind ?? DEFAULT_KIND, period: args.period, size: sizeOf(args.size) };
      return (await userHistoryChart(ctx, request, tr)).reply;
    },
  });
}
