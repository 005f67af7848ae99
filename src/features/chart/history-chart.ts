// Charts from stored history (/chart period:, /serverchart, and the weekly recap's picture): the top items of a period
// through Services (over RPC in a shard; covers looked up there), then the picture drawn by the process that
// answers (src/render/pictures.ts, within its deadline). An empty period is text alone; a picture that can't be drawn
// leaves the list.
import type { ReplyPayload } from '../../discord/text.js';
import type { RenderedImage } from '../../render/draw-kit.js';
import type { CommandContext } from '../../service-types.js';
import { ENGLISH, type Translator } from '../../i18n/translator.js';
import type { StatsPeriod } from '../stats/service.js';
import { withPicture } from '../nowplaying/card.js';
import { chartAltText, historyChartEntries, historyChartHeading, historyChartTextReply, withoutPicture, type ChartKind, type ChartSize } from './replies.js';
import type { HistoryChart, ServerChart } from './service.js';

type ChartContext = { services: Pick<CommandContext['services'], 'chart'>; pictures: Pick<CommandContext['pictures'], 'chart'> };

/** A chart from history, ready to send or to attach. */
export interface HistoryChartPicture<C extends HistoryChart = HistoryChart> {
  chart: C;
  /** The whole reply: the list (with the picture as the embed's image when there is one). */
  reply: ReplyPayload;
  /** The picture (JPEG), null when the period is empty or it couldn't be drawn. */
  image: RenderedImage | null;
  /** Its alt text (the ranked names), null without a picture. */
  alt: string | null;
}

async function draw<C extends HistoryChart>(ctx: ChartContext, name: string, chart: C, size: ChartSize, tr: Translator): Promise<HistoryChartPicture<C>> {
  const entries = historyChartEntries(chart.items, tr).slice(0, size * size);
  const text = historyChartTextReply({ name, chart, size, entries }, tr);
  if (entries.length === 0) return { chart, reply: text, image: null, alt: null };
  const heading = historyChartHeading(name, chart.kind, chart.period, tr);
  const image = await ctx.pictures.chart({ kind: chart.kind, size, heading, tiles: entries.map((e) => e.tile) });
  if (!image) return { chart, reply: withoutPicture(text, tr), image: null, alt: null };
  const alt = chartAltText(heading, entries, size, tr);
  return { chart, reply: withPicture(text, image, alt), image, alt };
}

export interface UserChartRequest {
  /** Whose history (a Discord id; the owner's id means the owner's own): the caller checked they may be shown. */
  userId: string;
  /** Whose chart it is, as the reply names them. */
  name: string;
  kind: ChartKind;
  period: StatsPeriod;
  size: ChartSize;
}

/** /chart with a period: a member's top items of that period from their stored history. */
export async function userHistoryChart(ctx: ChartContext, request: UserChartRequest, tr: Translator = ENGLISH): Promise<HistoryChartPicture> {
  const { userId, name, kind, period, size } = request;
  return draw(ctx, name, await ctx.services.chart.user(userId, kind, period, size * size), size, tr);
}

/**
 * The server chart: the top items of a period of these members together (the caller's current members of the
 * server; only those recording and not "only me" are counted), as a picture and a reply. `name` names the server in
 * the heading (default: "This server" in `tr`'s language). /serverchart sends `reply` in the asker's language; the
 * weekly recap attaches `image` in the server's.
 */
export async function serverChart(
  ctx: ChartContext,
  userIds: readonly string[],
  period: StatsPeriod,
  kind: ChartKind,
  size: ChartSize,
  name?: string,
  tr: Translator = ENGLISH,
): Promise<HistoryChartPicture<ServerChart>> {
  return draw(ctx, name ?? tr.t('chart.thisServer'), await ctx.services.chart.server([...userIds], kind, period, size * size), size, tr);
}
