// /stats and /serverstats: the numbers (through Services, over RPC in a shard) → the text reply, with the picture
// drawn in by the process that answers (src/render/pictures.ts: lazily, within its deadline; on failure the text
// reply stands alone). Nothing is drawn for an empty period.
import type { ReplyPayload } from '../../discord/text.js';
import type { CommandContext } from '../../service-types.js';
import { ENGLISH, type Translator } from '../../i18n/translator.js';
import type { RenderedImage } from '../../render/index.js';
import { withPicture } from '../nowplaying/card.js';
import { listeningTimeText, statsAltText, withoutStatsPicture } from './replies.js';
import type { Stats, StatsTop } from './service.js';

/** The picture of these stats, or null (nothing played, or it could not be drawn). */
export type StatsPicture = Promise<RenderedImage | null>;

/**
 * Starts the picture: once the drawing modules are loaded it is drawn before this returns and encoded on libuv's
 * pool, so the caller builds its text reply meanwhile (measured on /serverstats: the text takes ~4 ms, the encoding
 * ~12 ms).
 */
export function startStatsPicture(ctx: Pick<CommandContext, 'pictures'>, stats: Stats, heading: string, tr: Translator = ENGLISH): StatsPicture {
  if (stats.totals.plays === 0) return Promise.resolve(null);
  const row = (item: StatsTop) => ({ name: item.artist ? `${item.name} — ${item.artist}` : item.name, plays: tr.t('history.plays', { count: item.plays }) });
  return ctx.pictures.stats({
    tr,
    heading,
    summary: `${tr.t('history.plays', { count: stats.totals.plays })} · ${listeningTimeText(stats.totals.ms, tr)}`,
    days: stats.days,
    hours: stats.hours,
    timeZone: stats.timeZone,
    topArtists: stats.topArtists.map(row),
    topTracks: stats.topTracks.map(row),
  });
}

/** The text reply with the picture in it; when it could not be drawn, the text alone (saying so). Empty: the text. */
export async function withStatsPicture(text: ReplyPayload, picture: StatsPicture, stats: Stats, heading: string, tr: Translator = ENGLISH): Promise<ReplyPayload> {
  if (stats.totals.plays === 0) return text;
  const image = await picture;
  return image ? withPicture(text, image, statsAltText(heading, stats, tr)) : withoutStatsPicture(text, tr);
}
