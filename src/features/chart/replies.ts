// /chart as Discord payloads (#12): pure. The chart is the embed's image; the embed's text is the same ranking as a
// numbered list (search, screen readers, clients that don't load images, and the fallback when it can't be drawn).
import type { APIEmbed } from 'discord.js';
import {
  COLORS,
  embedPayload,
  escapeAndTruncate,
  formatArtists,
  mdLink,
  oneLine,
  truncate,
  type ReplyPayload,
} from '../../discord/text.js';
import { ENGLISH, type Translator } from '../../i18n/translator.js';
import { albumTiles, type ChartKind, type ChartSize, type ChartTile } from '../../render/chart.js';
import type { TimeRange } from '../../spotify/types.js';
import type { TopArtist, TopTrack } from '../top/service.js';
import { periodInline, periodLabel } from '../stats/replies.js';
import type { StatsPeriod } from '../stats/service.js';
import type { HistoryChart, HistoryChartItem, ServerChart } from './service.js';

export type { ChartKind, ChartSize } from '../../render/chart.js';

export const KIND_CHOICES = [
  { name: 'Albums (from your top tracks)', value: 'albums' },
  { name: 'Tracks', value: 'tracks' },
  { name: 'Artists', value: 'artists' },
] as const satisfies ReadonlyArray<{ name: string; value: ChartKind }>;

/** The same kinds for a chart from stored history (albums are counted from plays there, not derived). */
export const HISTORY_KIND_CHOICES = [
  { name: 'Albums', value: 'albums' },
  { name: 'Tracks', value: 'tracks' },
  { name: 'Artists', value: 'artists' },
] as const satisfies ReadonlyArray<{ name: string; value: ChartKind }>;

export const SIZE_CHOICES = [
  { name: '3×3', value: '3x3' },
  { name: '4×4', value: '4x4' },
  { name: '5×5', value: '5x5' },
] as const;

export type SizeChoice = (typeof SIZE_CHOICES)[number]['value'];

export const DEFAULT_KIND: ChartKind = 'albums';
export const DEFAULT_SIZE: ChartSize = 3;

export function sizeOf(choice: SizeChoice | null): ChartSize {
  switch (choice) {
    case null:
      return DEFAULT_SIZE;
    case '3x3':
      return 3;
    case '4x4':
      return 4;
    case '5x5':
      return 5;
    default: {
      const unknown: never = choice;
      throw new Error(`unknown size ${String(unknown)}`);
    }
  }
}

/** One ranked entry: what the tile draws, and the line the text lists. */
export interface ChartEntry {
  tile: ChartTile;
  /** Markdown, escaped, one line. */
  line: string;
}

const NAME_MAX = 60;
const ARTISTS_MAX = 60;
const URL_MAX = 120;

/** The entries of a chart of `kind`, in rank order (albums derived from the top tracks; Spotify has no top albums). */
export function chartEntries(
  kind: ChartKind,
  source: { tracks: readonly TopTrack[] } | { artists: readonly TopArtist[] },
  tr: Translator = ENGLISH,
): ChartEntry[] {
  switch (kind) {
    case 'albums': {
      const tracks = 'tracks' in source ? source.tracks : [];
      return albumTiles(tracks).map((tile) => ({
        tile,
        line: `${escapeAndTruncate(tile.title, NAME_MAX) || tr.t('chart.untitledAlbum')} — ${escapeAndTruncate(tile.subtitle ?? '', ARTISTS_MAX)}`,
      }));
    }
    case 'tracks': {
      const tracks = 'tracks' in source ? source.tracks : [];
      return tracks.map((t) => ({
        tile: { title: t.title, subtitle: t.artists.map((a) => a.name).join(', '), imageUrl: t.imageUrl },
        line: `${mdLink(escapeAndTruncate(t.title, NAME_MAX) || tr.t('common.untitledTrack'), t.url, URL_MAX)} — ${formatArtists(t.artists, ARTISTS_MAX, { linked: false, maxName: 40 })}`,
      }));
    }
    case 'artists': {
      const artists = 'artists' in source ? source.artists : [];
      return artists.map((a) => ({
        tile: { title: a.name, imageUrl: a.imageUrl },
        line: mdLink(escapeAndTruncate(a.name, NAME_MAX) || tr.t('common.unknownArtist'), a.url, URL_MAX),
      }));
    }
    default: {
      const unknown: never = kind;
      throw new Error(`unknown chart kind ${String(unknown)}`);
    }
  }
}

/** "Zoë's top albums · Last 4 weeks": whose (capitalised: it starts the heading), what, and over which period. */
function heading(tr: Translator, name: string, kind: ChartKind, period: string): string {
  const who = truncate(oneLine(name), 60);
  // English says "James'" for a name ending in s; the other languages' files say it their way in both keys.
  const whose = tr.t(/s$/i.test(who) ? 'chart.whoseS' : 'chart.whose', { name: who });
  const text = tr.t(`chart.heading.${kind}`, { whose, period });
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Zoë's top albums · Last 4 weeks" (the picture's heading and the embed's title). */
export function chartHeading(name: string, kind: ChartKind, range: TimeRange, tr: Translator = ENGLISH): string {
  return heading(tr, name, kind, tr.t(`range.${range}`));
}

/** "Zoë's top albums · Last 7 days": a chart from stored history, over one of /stats' periods. */
export function historyChartHeading(name: string, kind: ChartKind, period: StatsPeriod, tr: Translator = ENGLISH): string {
  return heading(tr, name, kind, periodLabel(tr, period));
}

const LRM = '\u200e';

/** A history chart's entries: each tile names its plays too; each line ends with them ("· 12 plays"). */
export function historyChartEntries(items: readonly HistoryChartItem[], tr: Translator = ENGLISH): ChartEntry[] {
  return items.map((item) => {
    const plays = tr.t('history.plays', { count: item.plays });
    const name = escapeAndTruncate(item.name, NAME_MAX) || tr.t('chart.untitled');
    return {
      // Left-to-right marks around the artist keep "1 play" after an Arabic or Hebrew name (else the bidi rules make
      // the number Arabic and draw "play 1").
      tile: { title: item.name, subtitle: item.artist ? `${LRM}${item.artist}${LRM} · ${plays}` : plays, imageUrl: item.imageUrl },
      line: item.artist ? `${name} — ${escapeAndTruncate(item.artist, ARTISTS_MAX)} · ${plays}` : `${name} · ${plays}`,
    };
  });
}

/**
 * A chart from stored history as text: the heading, the ranked items with their plays, and whose history it is. For a
 * server, how many members it counts. An empty period says so (and gets no picture).
 */
export function historyChartTextReply(
  args: { name: string; chart: HistoryChart | ServerChart; size: ChartSize; entries: readonly ChartEntry[] },
  tr: Translator = ENGLISH,
): ReplyPayload {
  const { chart, size } = args;
  const title = historyChartHeading(args.name, chart.kind, chart.period, tr);
  const shown = args.entries.slice(0, size * size);
  const server = 'members' in chart;
  const period = periodInline(tr, chart.period);
  if (shown.length === 0) {
    const description = server ? tr.t('chart.emptyServer', { period }) : tr.t('chart.emptyMember', { name: escapeAndTruncate(args.name, NAME_MAX), period });
    return embedPayload({ color: COLORS.neutral, title, description });
  }
  const counted = server ? `${tr.t('chart.members', { count: chart.members })}\n` : '';
  return embedPayload({
    color: COLORS.top,
    title,
    description: counted + shown.map((e, i) => `${i + 1}. ${e.line}`).join('\n'),
    footer: { text: `${sizeText(tr, size, shown.length)} · ${tr.t('chart.fromHistory')}` },
  });
}

/** "3×3", "3×3 · 7 of 9 filled". */
function sizeText(tr: Translator, size: ChartSize, shown: number): string {
  return `${size}×${size}${shown < size * size ? ` · ${tr.t('chart.filled', { shown, total: size * size })}` : ''}`;
}

/** The text reply: the heading and the first size² entries as a numbered list. */
export function chartTextReply(
  args: { name: string; kind: ChartKind; range: TimeRange; size: ChartSize; entries: readonly ChartEntry[] },
  tr: Translator = ENGLISH,
): ReplyPayload {
  const { kind, range, size, entries } = args;
  const title = chartHeading(args.name, kind, range, tr);
  const shown = entries.slice(0, size * size);
  if (shown.length === 0) {
    return embedPayload({
      color: COLORS.neutral,
      title,
      description: tr.t(`chart.emptySpotify.${kind}`),
    });
  }
  const embed: APIEmbed = {
    color: COLORS.top,
    title,
    description: shown.map((e, i) => `${i + 1}. ${e.line}`).join('\n'),
    footer: { text: sizeText(tr, size, shown.length) },
  };
  return embedPayload(embed);
}

/** Alt text for the chart picture. */
export function chartAltText(heading: string, entries: readonly ChartEntry[], size: ChartSize, tr: Translator = ENGLISH): string {
  const names = entries.slice(0, size * size).map((e, i) => `${i + 1}. ${e.tile.title}`);
  return tr.t('chart.alt', { heading, names: names.join('; ') });
}

/** What a chart says when its picture could not be drawn: the list, and why there's no picture. */
export function withoutPicture(text: ReplyPayload, tr: Translator = ENGLISH): ReplyPayload {
  const [first, ...rest] = text.embeds;
  if (!first) return text;
  const note = tr.t('chart.noPicture');
  return { ...text, embeds: [{ ...first, footer: { text: first.footer?.text ? `${first.footer.text} · ${note}` : note } }, ...rest] };
}
