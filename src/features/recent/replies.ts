// /recent as a Discord payload: the last plays, newest first, ten per page with Previous/Next, each with when it
// was played ("3 min ago", "vor 3 Min.") and links (none for local files). Pure, within every limit (see discord/text).
// The buttons carry their whole state in the custom id — `recent:<limit>:<page>` (the owner's) or
// `recent:<limit>:<page>:<discord id>` (a linked member's) — so they work after a restart and on any shard; anything
// else is refused by decodeRecentPageId.
import { ButtonStyle, ComponentType, type APIButtonComponentWithCustomId, type APIEmbed } from 'discord.js';
import {
  COLORS,
  EMBED_LIMITS,
  embedPayload,
  escapeAndTruncate,
  formatArtists,
  mdLink,
  thumbnail,
  type ButtonRow,
  type ReplyPayload,
} from '../../discord/text.js';
import { SNOWFLAKE } from '../../config.js';
import { messages as englishMessages } from '../../i18n/locales/en.js';
import { relativeTime } from '../../i18n/time.js';
import type { Translator } from '../../i18n/translator.js';
import { SPOTIFY_MAX_LIMIT } from '../../spotify/types.js';
import type { RecentPlay, RecentPlays } from './service.js';

export const RECENT_PAGE_SIZE = 10;
export const RECENT_DEFAULT_LIMIT = 10;
export const RECENT_ID_PREFIX = 'recent:';

/** Everything needed to render one page again. */
export interface RecentPageState {
  /** How many plays were asked for (1–50). */
  limit: number;
  /** 1-based. */
  page: number;
  /** Whose plays: a linked member's Discord id; absent for the owner's. */
  userId?: string;
}

export function recentPageCount(itemCount: number): number {
  return Math.max(1, Math.ceil(itemCount / RECENT_PAGE_SIZE));
}

function isValidState(state: RecentPageState): boolean {
  return (
    Number.isInteger(state.limit) &&
    state.limit >= 1 &&
    state.limit <= SPOTIFY_MAX_LIMIT &&
    Number.isInteger(state.page) &&
    state.page >= 1 &&
    state.page <= recentPageCount(state.limit) &&
    (state.userId === undefined || SNOWFLAKE.test(state.userId))
  );
}

/** `recent:25:2`. Throws RangeError on a state decodeRecentPageId would reject. */
export function encodeRecentPageId(state: RecentPageState): string {
  if (!isValidState(state)) throw new RangeError(`invalid recent page state: ${JSON.stringify(state)}`);
  return `${RECENT_ID_PREFIX}${state.limit}:${state.page}${state.userId === undefined ? '' : `:${state.userId}`}`;
}

const RECENT_ID = /^recent:([1-9][0-9]?):([1-9][0-9]?)(?::(\d{17,20}))?$/;

/** The state a Previous/Next button carries, or null for anything encodeRecentPageId didn't make. */
export function decodeRecentPageId(customId: string): RecentPageState | null {
  if (typeof customId !== 'string' || customId.length > EMBED_LIMITS.customId) return null;
  const match = RECENT_ID.exec(customId);
  if (!match) return null;
  const state: RecentPageState = { limit: Number(match[1]), page: Number(match[2]), ...(match[3] ? { userId: match[3] } : {}) };
  return isValidState(state) ? state : null;
}

/** Per-line budgets keep ten lines under the 4096-character description whatever the names. */
const LINE_URL_MAX = 160;
const LINE_TITLE_MAX = 80;
const LINE_ARTISTS_MAX = 100;

function playLine(index: number, play: RecentPlay, now: number, tr: Translator): string {
  const title = escapeAndTruncate(play.title, LINE_TITLE_MAX) || tr.t('common.untitledTrack');
  const linked = play.isLocal ? title : mdLink(title, play.url, LINE_URL_MAX);
  const artists = formatArtists(play.artists, LINE_ARTISTS_MAX, { linked: false, maxName: 60, tr });
  const local = play.isLocal ? ` · ${tr.t('common.localFile')}` : '';
  return `${index}. ${linked} — ${artists} · ${relativeTime(tr, play.playedAt, now)}${local}`;
}

function pageButtons(limit: number, page: number, pages: number, userId: string | undefined, tr: Translator): ButtonRow[] {
  if (pages <= 1) return [];
  // A disabled button still needs a valid, distinct custom id: it points at the current page.
  const button = (label: string, target: number, disabled: boolean): APIButtonComponentWithCustomId => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label,
    custom_id: encodeRecentPageId({ limit, page: target, ...(userId === undefined ? {} : { userId }) }),
    disabled,
  });
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        button(tr.t('common.previous'), page > 1 ? page - 1 : page, page <= 1),
        button(tr.t('common.next'), page < pages ? page + 1 : page, page >= pages),
      ],
    },
  ];
}

function clampInt(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min;
  return Math.min(max, Math.max(min, Math.floor(value)));
}

/** The English text (tests compare against it), read from the English file: no translator is made at import. */
export const NOTHING_RECENT = englishMessages['recent.nothing'];

export function recentReply(plays: RecentPlays, opts: RecentPageState & { now: number }, tr: Translator): ReplyPayload {
  const limit = clampInt(opts.limit, 1, SPOTIFY_MAX_LIMIT);
  const items = plays.items.slice(0, limit);
  const title = tr.t('recent.title');
  if (items.length === 0) return embedPayload({ color: COLORS.neutral, title, description: tr.t('recent.nothing') });
  const pages = recentPageCount(items.length);
  const page = clampInt(opts.page, 1, pages);
  const start = (page - 1) * RECENT_PAGE_SIZE;
  const pageItems = items.slice(start, start + RECENT_PAGE_SIZE);
  const span = tr.t('common.span', { from: start + 1, to: start + pageItems.length, total: items.length });
  const embed: APIEmbed = {
    color: COLORS.top,
    title,
    description: pageItems.map((play, i) => playLine(start + i + 1, play, opts.now, tr)).join('\n'),
    footer: { text: pages > 1 ? tr.t('common.pageSpan', { page, pages, span }) : span },
    ...thumbnail(pageItems[0]?.imageUrl ?? null),
  };
  return embedPayload(embed, pageButtons(limit, page, pages, opts.userId, tr));
}
