// /chart [kind] [range] [size] [user] — a grid of covers from someone's top list (#12): albums (derived from the top
// tracks; Spotify has no top-albums endpoint), tracks, or artists; 3×3, 4×4 or 5×5. Whose list: the same rules as
// /toptracks (src/features/account/whose.ts): yours if you linked Spotify, else the owner's; `user` for a member's.
import type { ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/discord/command.js';
import { respondWithReply } from '../src/discord/respond.js';
import { DEFAULT_RANGE } from '../src/features/top/command.js';
import { whoseFor } from '../src/features/account/whose.js';
import { chartReply } from '../src/features/chart/chart.js';
import { DEFAULT_KIND, KIND_CHOICES, SIZE_CHOICES, sizeOf } from '../src/features/chart/replies.js';
import { RANGE_LABELS } from '../src/features/top/service.js';
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
  ],
});
export const { data } = definition;

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const args = definition.parse(interaction);
  const options = { logger: ctx.logger.child('command'), what: '/chart', deferAfterMs: ctx.deferAfterMs };
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
  await respondWithReply(interaction, () => whose.answer(() => chartReply(ctx, request)), options);
  await whose.followUp();
}
