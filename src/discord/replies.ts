// Pure functions: domain objects → Discord message payloads (plain API JSON), always within Discord's embed limits.
// No I/O, no Client. Every reply is a single embed plus (possibly empty) button rows, so a payload can replace
// any earlier one through interaction.reply / editReply / update without leaving stale content behind.
import { ButtonStyle, ComponentType } from 'discord.js';
import type {
  APIActionRowComponent,
  APIButtonComponent,
  APIButtonComponentWithCustomId,
  APIButtonComponentWithURL,
  APIEmbed,
} from 'discord.js';
import type { EpisodeState, Link, ListeningState, TrackState } from '../listening-state.js';
import { atTime } from '../listening-state.js';
import { RANGE_LABELS } from '../top-items.js';
import type { TopArtist, TopKind, TopList, TopTrack } from '../top-items.js';
import {
  SpotifyAuthError,
  SpotifyForbiddenError,
  SpotifyRateLimitError,
  SpotifyUnavailableError,
} from '../spotify/errors.js';
import { TIME_RANGES } from '../spotify/types.js';
import type { TimeRange } from '../spotify/types.js';

/** Works for interaction.reply, editReply and update (and channel.send). */
export interface ReplyPayload {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
}

/** Discord's embed limits (a message over any of them is rejected with a 400). */
export const EMBED_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  total: 6000,
  embeds: 10,
  content: 2000,
  customId: 100,
  buttonLabel: 80,
  buttonUrl: 512,
} as const;

export const COLORS = {
  /** Spotify green: something is playing. */
  playing: 0x1db954,
  paused: 0x747f8d,
  ad: 0xfaa61a,
  neutral: 0x4f545c,
  top: 0x1db954,
  error: 0xed4245,
} as const;

export const ELLIPSIS = '…';

// ---------------------------------------------------------------------------------------------------------------
// Text helpers

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Cut `text` to at most `max` UTF-16 code units (Discord counts characters; code units are never fewer), ending in
 * "…" when cut. Cuts between grapheme clusters (never inside an emoji or a surrogate pair), trims trailing spaces,
 * and never leaves a dangling markdown escape (`\`) before the ellipsis. Not link-aware: use it on plain or
 * escaped text, not on text that contains markdown links.
 */
export function truncate(text: string, max: number): string {
  const limit = Math.max(0, Math.floor(max));
  if (text.length <= limit) return text;
  if (limit === 0) return '';
  let out = '';
  for (const { segment } of graphemes.segment(text)) {
    if (out.length + segment.length > limit - 1) break;
    out += segment;
  }
  out = out.trimEnd();
  const trailingBackslashes = /\\*$/.exec(out)?.[0].length ?? 0;
  if (trailingBackslashes % 2 === 1) out = out.slice(0, -1).trimEnd();
  return out + ELLIPSIS;
}

const MARKDOWN_SPECIALS = /[\\[\]*_~`|<>]/g;

/**
 * Escape Discord markdown so a name is shown as typed: `\`, `[`, `]`, `*`, `_`, `~`, `` ` ``, `|`, plus `<` and `>`
 * (so "<@123>" is not rendered as a mention). Safe inside masked-link text: "Song [Live]" stays one link.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(MARKDOWN_SPECIALS, (ch) => `\\${ch}`);
}

/** Names are shown on one line: collapse line breaks and tabs. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\t\v\f\u2028\u2029]+/g, ' ').trim();
}

/**
 * Escape a raw name and fit it in `max` characters (escapes included). Cuts the raw text, never an escape sequence.
 */
export function escapeAndTruncate(raw: string, max: number): string {
  const clean = oneLine(raw);
  const escaped = escapeMarkdown(clean);
  const limit = Math.max(0, Math.floor(max));
  if (escaped.length <= limit) return escaped;
  if (limit === 0) return '';
  let out = '';
  for (const { segment } of graphemes.segment(clean)) {
    const piece = escapeMarkdown(segment);
    if (out.length + piece.length > limit - 1) break;
    out += piece;
  }
  return out.trimEnd() + ELLIPSIS;
}

/**
 * An http(s) URL that can go in a markdown link or a button, or null. Parentheses are percent-encoded so they can't
 * close a masked link early; over-long URLs are refused (the caller then shows plain text).
 */
export function safeUrl(url: string | null | undefined, maxLength: number = EMBED_LIMITS.buttonUrl): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  const href = parsed.href.replace(/\(/g, '%28').replace(/\)/g, '%29');
  return href.length <= maxLength ? href : null;
}

/** `[text](url)`, or just the text when there is no usable URL. `text` must already be escaped. */
function mdLink(text: string, url: string | null | undefined, maxUrlLength?: number): string {
  const href = safeUrl(url, maxUrlLength);
  return href ? `[${text}](${href})` : text;
}

/** Markdown links → their text. For cutting text that contains links without breaking one. */
export function stripLinks(markdown: string): string {
  return markdown.replace(/\[((?:\\.|[^\\\]])*)\]\([^)\s]*\)/g, '$1');
}

/**
 * Fit markdown text (which may contain links) into `max` characters: keep whole lines while they fit, then "…".
 * A first line that alone is too long loses its links and is cut as text, so a link is never cut in half.
 */
export function truncateMarkdown(markdown: string, max: number): string {
  if (markdown.length <= max) return markdown;
  const lines = markdown.split('\n');
  const kept: string[] = [];
  let length = 0;
  for (const line of lines) {
    const added = (kept.length > 0 ? 1 : 0) + line.length;
    if (length + added + 2 > max) break; // room for "\n…"
    kept.push(line);
    length += added;
  }
  if (kept.length === 0) return truncate(stripLinks(lines[0] ?? ''), max);
  while (kept.length > 0 && kept[kept.length - 1]!.trim() === '') kept.pop();
  return kept.length > 0 ? `${kept.join('\n')}\n${ELLIPSIS}` : truncate(stripLinks(lines[0] ?? ''), max);
}

export function formatDuration(ms: number): string {
  const totalSeconds = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const ss = String(seconds).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`;
}

export const BAR_TRACK = '▬';
export const BAR_KNOB = '🔘';

/** A `width`-segment bar with the knob at the current position: `▬▬▬🔘▬▬▬▬`. */
export function progressBar(progressMs: number, durationMs: number, width = 20): string {
  const segments = Math.max(2, Math.floor(Number.isFinite(width) ? width : 20));
  const ratio =
    Number.isFinite(progressMs) && Number.isFinite(durationMs) && durationMs > 0
      ? Math.min(1, Math.max(0, progressMs / durationMs))
      : 0;
  const position = Math.round(ratio * (segments - 1));
  return BAR_TRACK.repeat(position) + BAR_KNOB + BAR_TRACK.repeat(segments - 1 - position);
}

/** `1:02 ▬▬▬🔘▬▬▬▬ 3:45` */
export function progressLine(progressMs: number, durationMs: number, width = 20): string {
  return `${formatDuration(progressMs)} ${progressBar(progressMs, durationMs, width)} ${formatDuration(durationMs)}`;
}

/**
 * "A, B and 3 more" within `budget` characters. Names are escaped (and linked when `linked` and a URL exists);
 * each name is cut to `maxName` characters.
 */
export function formatArtists(
  artists: readonly Link[],
  budget: number,
  opts: { linked: boolean; maxName?: number; maxUrlLength?: number } = { linked: true },
): string {
  const maxName = opts.maxName ?? 100;
  const named = artists.filter((a) => oneLine(a.name) !== '');
  if (named.length === 0) return truncate('Unknown artist', budget);
  const pieces = named.map((a) => {
    const text = escapeAndTruncate(a.name, maxName);
    return opts.linked ? mdLink(text, a.url, opts.maxUrlLength) : text;
  });
  let joined = '';
  let best = '';
  for (let k = 1; k <= pieces.length; k++) {
    joined = k === 1 ? pieces[0]! : `${joined}, ${pieces[k - 1]!}`;
    if (joined.length > budget) break;
    const rest = pieces.length - k;
    const candidate = rest > 0 ? `${joined} and ${rest} more` : joined;
    if (candidate.length <= budget) best = candidate;
  }
  if (best !== '') return best;
  // Not even the first name fits as it is: shorten its text (no link) and keep the count of the others.
  const rest = named.length - 1;
  const suffix = rest > 0 ? ` and ${rest} more` : '';
  return escapeAndTruncate(named[0]!.name, Math.max(1, budget - suffix.length)) + suffix;
}

/** Characters Discord counts towards the 6000 total: title, description, field names and values, footer, author. */
export function embedLength(embed: APIEmbed): number {
  let length = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  length += (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
  for (const field of embed.fields ?? []) length += field.name.length + field.value.length;
  return length;
}

/** Safety net: enforce every per-part limit on one embed (builders already stay within them). */
export function clampEmbed(embed: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...embed };
  if (out.title !== undefined) out.title = truncate(out.title, EMBED_LIMITS.title);
  if (out.description !== undefined) out.description = truncateMarkdown(out.description, EMBED_LIMITS.description);
  if (out.author) out.author = { ...out.author, name: truncate(out.author.name, EMBED_LIMITS.author) };
  if (out.footer) out.footer = { ...out.footer, text: truncate(out.footer.text, EMBED_LIMITS.footer) };
  if (out.fields) {
    out.fields = out.fields.slice(0, EMBED_LIMITS.fields).map((f) => ({
      ...f,
      name: truncate(f.name, EMBED_LIMITS.fieldName),
      value: truncateMarkdown(f.value, EMBED_LIMITS.fieldValue),
    }));
  }
  return out;
}

/** Safety net over a whole message: per-embed limits, at most 10 embeds, 6000 characters in total. */
export function clampEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  const out = embeds.slice(0, EMBED_LIMITS.embeds).map(clampEmbed);
  let excess = out.reduce((sum, e) => sum + embedLength(e), 0) - EMBED_LIMITS.total;
  // Shorten descriptions, last embed first, then drop fields if that was not enough.
  for (let i = out.length - 1; i >= 0 && excess > 0; i--) {
    const embed = out[i]!;
    if (embed.description) {
      const before = embed.description.length;
      const target = Math.max(0, before - excess);
      if (target > 0) embed.description = truncateMarkdown(embed.description, target);
      else delete embed.description;
      excess -= before - (embed.description?.length ?? 0);
    }
    while (excess > 0 && embed.fields && embed.fields.length > 0) {
      const field = embed.fields.pop()!;
      excess -= field.name.length + field.value.length;
    }
  }
  return out;
}

function payload(embed: APIEmbed, components: APIActionRowComponent<APIButtonComponent>[] = []): ReplyPayload {
  return { embeds: clampEmbeds([embed]), components };
}

function linkButtonRow(label: string, url: string | null): APIActionRowComponent<APIButtonComponent>[] {
  const href = safeUrl(url, EMBED_LIMITS.buttonUrl);
  if (!href) return [];
  const button: APIButtonComponentWithURL = { type: ComponentType.Button, style: ButtonStyle.Link, label, url: href };
  return [{ type: ComponentType.ActionRow, components: [button] }];
}

// ---------------------------------------------------------------------------------------------------------------
// /nowplaying

export const OPEN_IN_SPOTIFY = 'Open in Spotify';
export const NOTHING_PLAYING = 'Nothing is playing right now (or the owner is in a private session).';
export const AD_PLAYING = 'An ad is playing on Spotify — music resumes shortly.';

const TITLE_MAX = EMBED_LIMITS.title;
const ARTISTS_BUDGET = 1000;
const ALBUM_NAME_MAX = 200;

function statusLine(isPlaying: boolean, what: string | null): string {
  const base = isPlaying ? '▶ Now playing' : '⏸ Paused';
  return what ? `${base} · ${what}` : base;
}

function thumbnail(url: string | null): Pick<APIEmbed, 'thumbnail'> {
  const href = safeUrl(url, 2048);
  return href ? { thumbnail: { url: href } } : {};
}

function trackReply(state: TrackState): ReplyPayload {
  const local = state.isLocal;
  const lines: string[] = [];
  lines.push(`by ${formatArtists(local ? state.artists.map((a) => ({ ...a, url: null })) : state.artists, ARTISTS_BUDGET, { linked: true })}`);
  const albumName = oneLine(state.album.name);
  if (albumName !== '') {
    lines.push(`on ${mdLink(escapeAndTruncate(albumName, ALBUM_NAME_MAX), local ? null : state.album.url)}`);
  }
  lines.push('', progressLine(state.progressMs, state.durationMs));
  if (local) lines.push('', "📁 Local file — it isn't on Spotify, so there's no link or cover art.");
  const url = local ? null : safeUrl(state.url);
  const embed: APIEmbed = {
    color: state.isPlaying ? COLORS.playing : COLORS.paused,
    author: { name: statusLine(state.isPlaying, local ? 'Local file' : null) },
    title: escapeAndTruncate(state.title, TITLE_MAX) || 'Untitled track',
    ...(url ? { url } : {}),
    description: lines.join('\n'),
    ...(local ? {} : thumbnail(state.imageUrl)),
  };
  return payload(embed, local ? [] : linkButtonRow(OPEN_IN_SPOTIFY, url));
}

function episodeReply(state: EpisodeState): ReplyPayload {
  const lines: string[] = [];
  const showName = oneLine(state.show.name);
  if (showName !== '') lines.push(`from ${mdLink(escapeAndTruncate(showName, ALBUM_NAME_MAX), state.show.url)}`);
  const publisher = state.publisher ? oneLine(state.publisher) : '';
  if (publisher !== '' && publisher !== showName) lines.push(`by ${escapeAndTruncate(publisher, ALBUM_NAME_MAX)}`);
  if (lines.length > 0) lines.push('');
  lines.push(progressLine(state.progressMs, state.durationMs));
  const url = safeUrl(state.url);
  const embed: APIEmbed = {
    color: state.isPlaying ? COLORS.playing : COLORS.paused,
    author: { name: statusLine(state.isPlaying, 'Podcast episode') },
    title: escapeAndTruncate(state.title, TITLE_MAX) || 'Untitled episode',
    ...(url ? { url } : {}),
    description: lines.join('\n'),
    ...thumbnail(state.imageUrl),
  };
  return payload(embed, linkButtonRow(OPEN_IN_SPOTIFY, url));
}

/** The reply to /nowplaying, with progress extrapolated to `now` (epoch ms). */
export function nowPlayingReply(state: ListeningState, now: number): ReplyPayload {
  const current = atTime(state, now);
  switch (current.kind) {
    case 'track':
      return trackReply(current);
    case 'episode':
      return episodeReply(current);
    case 'ad':
      return payload({ color: COLORS.ad, description: `📢 ${AD_PLAYING}` });
    case 'nothing':
      return payload({ color: COLORS.neutral, description: `🔇 ${NOTHING_PLAYING}` });
    case 'unknown':
      return payload({
        color: COLORS.neutral,
        description: current.isPlaying
          ? "🎵 Something is playing on Spotify, but Spotify didn't say what it is."
          : "⏸ Something is paused on Spotify, but Spotify didn't say what it is.",
      });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// /toptracks and /topartists

export const TOP_PAGE_SIZE = 10;
export const TOP_MAX_LIMIT = 50;
const TOP_KINDS: readonly TopKind[] = ['tracks', 'artists'];

/** Everything needed to render one page of a top list again, even after a restart. */
export interface TopPageState {
  kind: TopKind;
  range: TimeRange;
  /** How many items were asked for (1–50). */
  limit: number;
  /** 1-based. */
  page: number;
}

export function topPageCount(itemCount: number): number {
  return Math.max(1, Math.ceil(itemCount / TOP_PAGE_SIZE));
}

function isValidTopState(state: TopPageState): boolean {
  return (
    TOP_KINDS.includes(state.kind) &&
    TIME_RANGES.includes(state.range) &&
    Number.isInteger(state.limit) &&
    state.limit >= 1 &&
    state.limit <= TOP_MAX_LIMIT &&
    Number.isInteger(state.page) &&
    state.page >= 1 &&
    state.page <= topPageCount(state.limit)
  );
}

/** `top:tracks:short_term:50:2`. Throws RangeError on a state decodeTopPageId would reject. */
export function encodeTopPageId(state: TopPageState): string {
  if (!isValidTopState(state)) throw new RangeError(`invalid top page state: ${JSON.stringify(state)}`);
  return `top:${state.kind}:${state.range}:${state.limit}:${state.page}`;
}

const TOP_ID = /^top:([a-z]+):([a-z_]+):([1-9][0-9]?):([1-9][0-9]?)$/;

/** The state carried by a Previous/Next button's custom id, or null for anything not made by encodeTopPageId. */
export function decodeTopPageId(customId: string): TopPageState | null {
  if (typeof customId !== 'string' || customId.length > EMBED_LIMITS.customId) return null;
  const match = TOP_ID.exec(customId);
  if (!match) return null;
  const kind = TOP_KINDS.find((k) => k === match[1]);
  const range = TIME_RANGES.find((r) => r === match[2]);
  if (!kind || !range) return null;
  const state: TopPageState = { kind, range, limit: Number(match[3]), page: Number(match[4]) };
  return isValidTopState(state) ? state : null;
}

/** True for custom ids this module owns (so a router can send them here). */
export function isTopPageId(customId: string): boolean {
  return customId.startsWith('top:');
}

export interface TopReplyOptions {
  /** How many items were asked for (1–50); the list may hold fewer. */
  limit: number;
  /** 1-based; clamped to the pages that exist. */
  page: number;
}

const KIND_LABEL: Record<TopKind, string> = { tracks: 'Top tracks', artists: 'Top artists' };
/** Per-line budgets keep 10 lines under the 4096-character description whatever the names. */
const LIST_URL_MAX = 200;
const LIST_TITLE_MAX = 80;
const LIST_ARTISTS_MAX = 100;

function clampInt(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min;
  return Math.min(max, Math.max(min, Math.floor(value)));
}

function trackLine(rank: number, track: TopTrack): string {
  const title = mdLink(escapeAndTruncate(track.title, LIST_TITLE_MAX) || 'Untitled track', track.url, LIST_URL_MAX);
  return `${rank}. ${title} — ${formatArtists(track.artists, LIST_ARTISTS_MAX, { linked: false, maxName: 60 })}`;
}

function artistLine(rank: number, artist: TopArtist): string {
  const name = escapeAndTruncate(artist.name, LIST_TITLE_MAX + LIST_ARTISTS_MAX) || 'Unknown artist';
  return `${rank}. ${mdLink(name, artist.url, LIST_URL_MAX)}`;
}

function pageButtons(state: Omit<TopPageState, 'page'>, page: number, pages: number): APIActionRowComponent<APIButtonComponent>[] {
  if (pages <= 1) return [];
  // A disabled button still needs a valid, distinct custom id: it points at the current page.
  const previous: APIButtonComponentWithCustomId = {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: '◀ Previous',
    custom_id: encodeTopPageId({ ...state, page: page > 1 ? page - 1 : page }),
    disabled: page <= 1,
  };
  const next: APIButtonComponentWithCustomId = {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: 'Next ▶',
    custom_id: encodeTopPageId({ ...state, page: page < pages ? page + 1 : page }),
    disabled: page >= pages,
  };
  return [{ type: ComponentType.ActionRow, components: [previous, next] }];
}

function topReply<T>(
  kind: TopKind,
  list: TopList<T>,
  opts: TopReplyOptions,
  line: (rank: number, item: T) => string,
  imageOf: (item: T) => string | null,
): ReplyPayload {
  const limit = clampInt(opts.limit, 1, TOP_MAX_LIMIT);
  const title = `${KIND_LABEL[kind]} · ${RANGE_LABELS[list.range]}`;
  const items = list.items.slice(0, limit);
  if (items.length === 0) {
    return payload({
      color: COLORS.neutral,
      title,
      description: `No top ${kind} yet for this period — Spotify needs a bit more listening history.`,
    });
  }
  const pages = topPageCount(items.length);
  const page = clampInt(opts.page, 1, pages);
  const start = (page - 1) * TOP_PAGE_SIZE;
  const pageItems = items.slice(start, start + TOP_PAGE_SIZE);
  const end = start + pageItems.length;
  const first = pageItems[0];
  const span = `${start + 1}–${end} of ${items.length}`;
  const embed: APIEmbed = {
    color: COLORS.top,
    title,
    description: pageItems.map((item, i) => line(start + i + 1, item)).join('\n'),
    footer: { text: pages > 1 ? `Page ${page}/${pages} · ${span}` : span },
    ...(first === undefined ? {} : thumbnail(imageOf(first))),
  };
  return payload(embed, pageButtons({ kind, range: list.range, limit }, page, pages));
}

export function topTracksReply(list: TopList<TopTrack>, opts: TopReplyOptions): ReplyPayload {
  return topReply('tracks', list, opts, trackLine, (t) => t.imageUrl);
}

export function topArtistsReply(list: TopList<TopArtist>, opts: TopReplyOptions): ReplyPayload {
  return topReply('artists', list, opts, artistLine, (a) => a.imageUrl);
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

export const GENERIC_ERROR = "Something went wrong. The owner can check the bot's log.";

/** "42 s", "about 5 min", "about 3 h". */
export function formatWait(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return 'a moment';
  const s = Math.ceil(seconds);
  if (s < 120) return `${s} s`;
  if (s < 2 * 3600) return `about ${Math.round(s / 60)} min`;
  return `about ${Math.round(s / 3600)} h`;
}

/** The message a user sees for a failure. Never includes internals (messages of unknown errors, tokens, stacks). */
export function errorMessage(error: unknown): string {
  if (error instanceof SpotifyAuthError) {
    return error.reason === 'invalid_client'
      ? "Spotify rejected the bot's app credentials — the bot owner needs to check the Spotify client ID and secret."
      : 'The bot owner needs to re-authorize Spotify (`npm run authorize`).';
  }
  if (error instanceof SpotifyRateLimitError) {
    const wait = formatWait(error.retryAfterSeconds);
    const when = wait === 'a moment' ? 'in a moment' : `in ${wait}`;
    return error.quotaExceeded
      ? `The bot has used up its Spotify request quota for now — try again ${when}.`
      : `Spotify is rate-limiting the bot — try again ${when}.`;
  }
  if (error instanceof SpotifyUnavailableError) {
    return "Spotify isn't answering right now — try again in a moment.";
  }
  if (error instanceof SpotifyForbiddenError) {
    return (
      "Spotify refused the request for the owner's account. If the Spotify app is in development mode, the owner's " +
      'account must be on its allow-list (User Management in the Spotify dashboard), and some features need Premium.'
    );
  }
  return GENERIC_ERROR;
}

export function errorReply(error: unknown): ReplyPayload {
  return payload({ color: COLORS.error, description: `⚠️ ${errorMessage(error)}` });
}
