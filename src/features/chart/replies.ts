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
import { albumTiles, type ChartKind, type ChartSize, type ChartTile } from '../../render/chart.js';
import type { TimeRange } from '../../spotify/types.js';
import { RANGE_LABELS, type TopArtist, type TopTrack } from '../top/service.js';
import { playsText } from '../history/replies.js';
import { PERIOD_LABELS } from '../stats/replies.js';
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
): ChartEntry[] {
  switch (kind) {
    case 'albums': {
      const tracks = 'tracks' in source ? source.tracks : [];
      return albumTiles(tracks).map((tile) => ({
        tile,
        line: `${escapeAndTruncate(tile.title, NAME_MAX) || 'Untitled album'} — ${escapeAndTruncate(tile.subtitle ?? '', ARTISTS_MAX)}`,
      }));
    }
    case 'tracks': {
      const tracks = 'tracks' in source ? source.tracks : [];
      return tracks.map((t) => ({
        tile: { title: t.title, subtitle: t.artists.map((a) => a.name).join(', '), imageUrl: t.imageUrl },
        line: `${mdLink(escapeAndTruncate(t.title, NAME_MAX) || 'Untitled track', t.url, URL_MAX)} — ${formatArtists(t.artists, ARTISTS_MAX, { linked: false, maxName: 40 })}`,
      }));
    }
    case 'artists': {
      const artists = 'artists' in source ? source.artists : [];
      return artists.map((a) => ({
        tile: { title: a.name, imageUrl: a.imageUrl },
        line: mdLink(escapeAndTruncate(a.name, NAME_MAX) || 'Unknown artist', a.url, URL_MAX),
      }));
    }
    default: {
      const unknown: never = kind;
      throw new Error(`unknown chart kind ${String(unknown)}`);
    }
  }
}

const KIND_WORD: Record<ChartKind, string> = { albums: 'albums', tracks: 'tracks', artists: 'artists' };

/** "Zoë's", "James'" (capitalised: it starts the heading). */
function possessiveOf(name: string): string {
  const who = truncate(oneLine(name), 60);
  const possessive = /s$/i.test(who) ? `${who}'` : `${who}'s`;
  return possessive.charAt(0).toUpperCase() + possessive.slice(1);
}

/** "Zoë's top albums · Last 4 weeks" (the picture's heading and the embed's title). */
export function chartHeading(name: string, kind: ChartKind, range: TimeRange): string {
  return `${possessiveOf(name)} top ${KIND_WORD[kind]} · ${RANGE_LABELS[range]}`;
}

/** "Zoë's top albums · Last 7 days": a chart from stored history, over one of /stats' periods. */
export function historyChartHeading(name: string, kind: ChartKind, period: StatsPeriod): string {
  return `${possessiveOf(name)} top ${KIND_WORD[kind]} · ${PERIOD_LABELS[period]}`;
}

const LRM = '\u200e';

/** A history chart's entries: each tile names its plays too; each line ends with them ("· 12 plays"). */
export function historyChartEntries(items: readonly HistoryChartItem[]): ChartEntry[] {
  return items.map((item) => {
    const plays = playsText(item.plays);
    const name = escapeAndTruncate(item.name, NAME_MAX) || 'Untitled';
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
export function historyChartTextReply(args: { name: string; chart: HistoryChart | ServerChart; size: ChartSize; entries: readonly ChartEntry[] }): ReplyPayload {
  const { chart, size } = args;
  const title = historyChartHeading(args.name, chart.kind, chart.period);
  const shown = args.entries.slice(0, size * size);
  const server = 'members' in chart;
  const period = PERIOD_LABELS[chart.period].toLowerCase();
  if (shown.length === 0) {
    const who = server ? "This server's recorded members have" : `**${escapeAndTruncate(args.name, NAME_MAX)}** has`;
    return embedPayload({ color: COLORS.neutral, title, description: `Nothing to chart: ${who} no plays in this period (${period}).` });
  }
  const counted = server ? `${chart.members} recorded ${chart.members === 1 ? 'member' : 'members'} together\n` : '';
  const filled = shown.length < size * size ? ` · ${shown.length} of ${size * size} filled` : '';
  return embedPayload({
    color: COLORS.top,
    title,
    description: counted + shown.map((e, i) => `${i + 1}. ${e.line}`).join('\n'),
    footer: { text: `${size}×${size}${filled} · from stored listening history` },
  });
}

/** The text reply: the heading and the first size² entries as a numbered list. */
export function chartTextReply(args: { name: string; kind: ChartKind; range: TimeRange; size: ChartSize; entries: readonly ChartEntry[] }): ReplyPayload {
  const { kind, range, size, entries } = args;
  const title = chartHeading(args.name, kind, range);
  const shown = entries.slice(0, size * size);
  if (shown.length === 0) {
    return embedPayload({
      color: COLORS.neutral,
      title,
      description: `Nothing to chart yet: Spotify has no top ${KIND_WORD[kind]} for this period (it needs some listening first).`,
    });
  }
  const embed: APIEmbed = {
    color: COLORS.top,
    title,
    description: shown.map((e, i) => `${i + 1}. ${e.line}`).join('\n'),
    footer: { text: `${size}×${size}${shown.length < size * size ? ` · ${shown.length} of ${size * size} filled` : ''}` },
  };
  return embedPayload(embed);
}

/** Alt text for the chart picture. */
export function chartAltText(heading: string, entries: readonly ChartEntry[], size: ChartSize): string {
  const names = entries.slice(0, size * size).map((e, i) => `${i + 1}. ${e.tile.title}`);
  return `Cover chart, ${heading}: ${names.join('; ')}`;
}

/** What a chart says when its picture could not be drawn: the list, and why there's no picture. */
export function withoutPicture(text: ReplyPayload): ReplyPayload {
  const [first, ...rest] = text.embeds;
  if (!first) return text;
  const note = "The chart picture couldn't be drawn this time; here is the list.";
  return { ...text, embeds: [{ ...first, footer: { text: first.footer?.text ? `${first.footer.text} · ${note}` : note } }, ...rest] };
}
