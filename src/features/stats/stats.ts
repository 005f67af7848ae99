// /stats and /serverstats: the numbers (through Services, over RPC in a shard) → the text reply, with the picture
// drawn in by the process that answers (src/render/pictures.ts: lazily, within its deadline; on failure the text
// reply stands alone). Nothing is drawn for an empty period.
import type { ReplyPayload } from '../../discord/text.js';
import type { CommandContext } from '../../service-types.js';
import { ENGLISH, type Translator } from '../../i18n/translator.js';
import { withPicture } from '../nowplaying/card.js';
import { listeningTimeText, statsAltText, withoutStatsPicture } from './replies.js';
import type { Stats, StatsTop } from './service.js';

export async function withStatsPicture(
  ctx: Pick<CommandContext, 'pictures'>,
  text: ReplyPayload,
  stats: Stats,
  heading: string,
  tr: Translator = ENGLISH,
): Promise<ReplyPayload> {
  if (stats.totals.plays === 0) return text;
  const row = (item: StatsTop) => ({ name: item.artist ? `${item.name} — ${item.artist}` : item.name, plays: tr.t('history.plays', { count: item.plays }) });
  const image = await ctx.pictures.stats({
    tr,
    heading,
    summary: `${tr.t('history.plays', { count: stats.totals.plays })} · ${listeningTimeText(stats.totals.ms, tr)}`,
    days: stats.days,
    hours: stats.hours,
    timeZone: stats.timeZone,
    topArtists: stats.topArtists.map(row),
    topTracks: stats.topTracks.map(row),
  });
  return image ? withPicture(text, image, statsAltText(heading, stats, tr)) : withoutStatsPicture(text, tr);
}
