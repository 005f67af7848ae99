// /chart (#12): whose top list → ranked entries → the text reply, with the cover chart drawn in as its image.
// The data comes through Services (over RPC in a shard); the picture is drawn in the process that answers, with its
// one cover cache (src/render/pictures.ts): a 5×5 chart asks for at most 25 covers, each fetched once, in parallel
// with a cap. A chart that can't be drawn leaves the list (logged once per cause).
import type { ReplyPayload } from '../../discord/text.js';
import { ENGLISH, type Translator } from '../../i18n/translator.js';
import type { Listener } from '../../listeners/listener.js';
import type { CommandContext } from '../../service-types.js';
import type { TimeRange } from '../../spotify/types.js';
import { withPicture } from '../nowplaying/card.js';
import { chartAltText, chartEntries, chartHeading, chartTextReply, withoutPicture, type ChartKind, type ChartSize } from './replies.js';

export interface ChartRequest {
  listener: Listener;
  /** Whose chart it is, as the reply names them. */
  name: string;
  kind: ChartKind;
  range: TimeRange;
  size: ChartSize;
}

export async function chartReply(ctx: Pick<CommandContext, 'services' | 'pictures'>, request: ChartRequest, tr: Translator = ENGLISH): Promise<ReplyPayload> {
  const { listener, name, kind, range, size } = request;
  const source =
    kind === 'artists'
      ? { artists: (await ctx.services.top.artists(listener, range)).items }
      : { tracks: (await ctx.services.top.tracks(listener, range)).items };
  const entries = chartEntries(kind, source, tr).slice(0, size * size);
  const text = chartTextReply({ name, kind, range, size, entries }, tr);
  if (entries.length === 0) return text;
  const heading = chartHeading(name, kind, range, tr);
  const image = await ctx.pictures.chart({ kind, size, heading, tiles: entries.map((e) => e.tile) });
  return image ? withPicture(text, image, chartAltText(heading, entries, size, tr)) : withoutPicture(text, tr);
}
