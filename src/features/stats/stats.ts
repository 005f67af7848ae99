// /stats and /serverstats: the numbers (through Services, over RPC in a shard) → the text reply, with the picture
// drawn in by the process that answers (src/render/pictures.ts: lazily, within its deadline; on failure the text
// reply stands alone). Nothing is drawn for an empty period.
import type { ReplyPayload } from '../../discord/text.js';
import type { CommandContext } from '../../service-types.js';
import { playsText } from '../history/replies.js';
import { withPicture } from '../nowplaying/card.js';
import { listeningTimeText, statsAltText, withoutStatsPicture } from './replies.js';
import type { Stats, StatsTop } from './service.js';

const row = (item: StatsTop) => ({ name: item.artist ? `${item.name} — ${item.artist}` : item.name, plays: playsText(item.plays) });

export async function withStatsPicture(ctx: Pick<CommandContext, 'pictures'>, text: ReplyPayload, stats: Stats, heading: string): Promise<ReplyPayload> {
  if (stats.totals.plays === 0) return text;
  const image = await ctx.pictures.stats({
    heading,
    summary: `${playsText(stats.totals.plays)} · ${listeningTimeText(stats.totals.ms)}`,
    days: stats.days,
    hours: stats.hours,
    timeZone: stats.timeZone,
    topArtists: stats.topArtists.map(row),
    topTracks: stats.topTracks.map(row),
  });
  return image ? withPicture(text, image, statsAltText(heading, stats)) : withoutStatsPicture(text);
}
