// /toptracks and /topartists as Discord payloads: one page of ten, with Previous/Next buttons (see ./page-id).
// Pure, within every limit (see discord/text).
import { ButtonStyle, ComponentType } from 'discord.js';
import type { APIButtonComponentWithCustomId, APIEmbed } from 'discord.js';
import {
  COLORS,
  embedPayload,
  escapeAndTruncate,
  formatArtists,
  mdLink,
  thumbnail,
  type ButtonRow,
  type ReplyPayload,
} from '../../discord/text.js';
import type { Translator } from '../../i18n/translator.js';
import type { TopArtist, TopKind, TopList, TopTrack } from './service.js';
import { TOP_MAX_LIMIT, TOP_PAGE_SIZE, encodeTopPageId, topPageCount, type TopPageState } from './page-id.js';

export interface TopReplyOptions {
  /** How many items were asked for (1–50); the list may hold fewer. */
  limit: number;
  /** 1-based; clamped to the pages that exist. */
  page: number;
  /** Whose list (a linked member's Discord id), carried by the page buttons; absent for the owner's. */
  userId?: string;
}

/** Per-line budgets keep 10 lines under the 4096-character description whatever the names. */
const LIST_URL_MAX = 200;
const LIST_TITLE_MAX = 80;
const LIST_ARTISTS_MAX = 100;

function clampInt(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min;
  return Math.min(max, Math.max(min, Math.floor(value)));
}

function trackLine(rank: number, track: TopTrack, tr: Translator): string {
  const title = mdLink(escapeAndTruncate(track.title, LIST_TITLE_MAX) || tr.t('common.untitledTrack'), track.url, LIST_URL_MAX);
  return `${rank}. ${title} — ${formatArtists(track.artists, LIST_ARTISTS_MAX, { linked: false, maxName: 60, tr })}`;
}

function artistLine(rank: number, artist: TopArtist, tr: Translator): string {
  const name = escapeAndTruncate(artist.name, LIST_TITLE_MAX + LIST_ARTISTS_MAX) || tr.t('common.unknownArtist');
  return `${rank}. ${mdLink(name, artist.url, LIST_URL_MAX)}`;
}

function pageButtons(state: Omit<TopPageState, 'page'>, page: number, pages: number, tr: Translator): ButtonRow[] {
  if (pages <= 1) return [];
  // A disabled button still needs a valid, distinct custom id: it points at the current page.
  const previous: APIButtonComponentWithCustomId = {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: tr.t('common.previous'),
    custom_id: encodeTopPageId({ ...state, page: page > 1 ? page - 1 : page }),
    disabled: page <= 1,
  };
  const next: APIButtonComponentWithCustomId = {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: tr.t('common.next'),
    custom_id: encodeTopPageId({ ...state, page: page < pages ? page + 1 : page }),
    disabled: page >= pages,
  };
  return [{ type: ComponentType.ActionRow, components: [previous, next] }];
}

function topReply<T>(
  kind: TopKind,
  list: TopList<T>,
  opts: TopReplyOptions,
  line: (rank: number, item: T, tr: Translator) => string,
  imageOf: (item: T) => string | null,
  tr: Translator,
): ReplyPayload {
  const limit = clampInt(opts.limit, 1, TOP_MAX_LIMIT);
  const title = `${tr.t(kind === 'tracks' ? 'top.tracks' : 'top.artists')} · ${tr.t(`range.${list.range}`)}`;
  const items = list.items.slice(0, limit);
  if (items.length === 0) {
    return embedPayload({
      color: COLORS.neutral,
      title,
      description: tr.t(kind === 'tracks' ? 'top.noTracks' : 'top.noArtists'),
    });
  }
  const pages = topPageCount(items.length);
  const page = clampInt(opts.page, 1, pages);
  const start = (page - 1) * TOP_PAGE_SIZE;
  const pageItems = items.slice(start, start + TOP_PAGE_SIZE);
  const end = start + pageItems.length;
  const first = pageItems[0];
  const span = tr.t('common.span', { from: start + 1, to: end, total: items.length });
  const embed: APIEmbed = {
    color: COLORS.top,
    title,
    description: pageItems.map((item, i) => line(start + i + 1, item, tr)).join('\n'),
    footer: { text: pages > 1 ? tr.t('common.pageSpan', { page, pages, span }) : span },
    ...(first === undefined ? {} : thumbnail(imageOf(first))),
  };
  return embedPayload(embed, pageButtons({ kind, range: list.range, limit, ...(opts.userId === undefined ? {} : { userId: opts.userId }) }, page, pages, tr));
}

export function topTracksReply(list: TopList<TopTrack>, opts: TopReplyOptions, tr: Translator): ReplyPayload {
  return topReply('tracks', list, opts, trackLine, (t) => t.imageUrl, tr);
}

export function topArtistsReply(list: TopList<TopArtist>, opts: TopReplyOptions, tr: Translator): ReplyPayload {
  return topReply('artists', list, opts, artistLine, (a) => a.imageUrl, tr);
}
