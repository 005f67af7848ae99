// /listening as a Discord payload: one block per member, or per group when several play the same track
// ("3 listening to Blinding Lights") or, failing that, the same artist; most recent first; ten blocks a page with
// Previous/Next. The buttons carry only the page (`listening:<page>`): the list is made afresh on each press, so they
// work after a restart and on any shard. Pure, within every limit (see discord/text).
import { ButtonStyle, ComponentType, type APIButtonComponentWithCustomId } from 'discord.js';
import {
  COLORS,
  EMBED_LIMITS,
  embedPayload,
  escapeAndTruncate,
  formatDuration,
  mdLink,
  oneLine,
  type ButtonRow,
  type ReplyPayload,
} from '../../discord/text.js';
import type { Translator } from '../../i18n/translator.js';
import type { ListeningNowResult, NowListening } from './service.js';

export const LISTENING_ID_PREFIX = 'listening:';
export const LISTENING_PAGE_SIZE = 10;
/** The highest page a button may name (a server can't have that many blocks of listeners). */
const MAX_PAGE = 999;
/** Each block stays within this, so ten fit the 4096-character description. */
const BLOCK_MAX = 360;
const TITLE_MAX = 80;
const ARTIST_MAX = 60;
const URL_MAX = 120;

export function encodeListeningPageId(page: number): string {
  if (!Number.isInteger(page) || page < 1 || page > MAX_PAGE) throw new RangeError(`invalid /listening page ${page}`);
  return `${LISTENING_ID_PREFIX}${page}`;
}

const PAGE_ID = /^listening:([1-9][0-9]{0,2})$/;

/** The page a button carries, or null for anything encodeListeningPageId didn't make. */
export function decodeListeningPageId(customId: string): number | null {
  if (typeof customId !== 'string' || customId.length > EMBED_LIMITS.customId) return null;
  const match = PAGE_ID.exec(customId);
  return match ? Number(match[1]) : null;
}

export type Block =
  | { kind: 'one'; entry: NowListening }
  | { kind: 'track'; entries: NowListening[] }
  | { kind: 'artist'; artist: string; entries: NowListening[] };

function firstArtistKey(entry: NowListening): string | null {
  const first = entry.artists[0];
  return first === undefined || oneLine(first) === '' ? null : oneLine(first).toLowerCase();
}

/**
 * Entries (most recent first) → blocks (most recent first): same track together, then same first artist among the
 * rest; a block's place is its most recent member's.
 */
export function groupListening(entries: readonly NowListening[]): Block[] {
  const byTrack = new Map<string, NowListening[]>();
  for (const e of entries) {
    const list = byTrack.get(e.trackKey);
    if (list) list.push(e);
    else byTrack.set(e.trackKey, [e]);
  }
  const singles = new Map<string, NowListening[]>();
  const blocks: Array<{ at: number; block: Block }> = [];
  for (const list of byTrack.values()) {
    if (list.length >= 2) {
      blocks.push({ at: list[0]!.startedAt, block: { kind: 'track', entries: list } });
      continue;
    }
    const entry = list[0]!;
    const key = firstArtistKey(entry) ?? `\u0000${entry.trackKey}`;
    const same = singles.get(key);
    if (same) same.push(entry);
    else singles.set(key, [entry]);
  }
  for (const list of singles.values()) {
    const first = list[0]!;
    if (list.length >= 2) blocks.push({ at: first.startedAt, block: { kind: 'artist', artist: first.artists[0] ?? '', entries: list } });
    else blocks.push({ at: first.startedAt, block: { kind: 'one', entry: first } });
  }
  // Each list kept the entries' order (most recent first), so list[0] is the most recent member of its block.
  return blocks.sort((a, b) => b.at - a.at).map((b) => b.block);
}

function who(entry: NowListening, tr: Translator): string {
  return entry.userId === null ? tr.t('listening.owner') : `<@${entry.userId}>`;
}

function howFar(entry: NowListening, now: number, tr: Translator): string {
  const progress = Math.min(entry.durationMs, Math.max(0, now - entry.startedAt));
  return tr.t('listening.progress', { time: formatDuration(progress) });
}

function trackLink(entry: NowListening, tr: Translator): string {
  return mdLink(escapeAndTruncate(entry.title, TITLE_MAX) || tr.t('listening.untitled'), entry.url, URL_MAX);
}

function artistsText(entry: NowListening, tr: Translator): string {
  const named = entry.artists.filter((a) => oneLine(a) !== '');
  if (named.length === 0) return tr.t('common.unknownArtist');
  const first = escapeAndTruncate(named[0]!, ARTIST_MAX);
  return named.length > 1 ? tr.t('listening.andMore', { first, count: named.length - 1 }) : first;
}

/** "a · b · c and 4 more" within `budget` characters. */
function joinWithin(parts: readonly string[], budget: number, tr: Translator): string {
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const next = i === 0 ? parts[i]! : `${out} · ${parts[i]!}`;
    const rest = parts.length - i - 1;
    const tail = rest > 0 ? tr.t('listening.andMore', { first: '', count: rest }) : '';
    if (next.length + tail.length > budget) {
      const left = parts.length - i;
      return i === 0 ? tr.t('listening.listeners', { count: left }) : tr.t('listening.andMore', { first: out, count: left });
    }
    out = next;
  }
  return out;
}

function blockText(block: Block, now: number, tr: Translator): string {
  switch (block.kind) {
    case 'one': {
      const e = block.entry;
      return tr.t('listening.one', { who: who(e, tr), track: trackLink(e, tr), artists: artistsText(e, tr), progress: howFar(e, now, tr) });
    }
    case 'track': {
      const first = block.entries[0]!;
      const head = tr.t('listening.trackHead', { count: block.entries.length, track: trackLink(first, tr), artists: artistsText(first, tr) });
      const members = block.entries.map((e) => `${who(e, tr)} ${howFar(e, now, tr)}`);
      return `${head}\n└ ${joinWithin(members, BLOCK_MAX - head.length - 3, tr)}`;
    }
    case 'artist': {
      const head = tr.t('listening.artistHead', { count: block.entries.length, artist: escapeAndTruncate(block.artist, ARTIST_MAX) });
      const members = block.entries.map((e) => `${who(e, tr)} ${trackLink(e, tr)} ${howFar(e, now, tr)}`);
      return `${head}\n└ ${joinWithin(members, BLOCK_MAX - head.length - 3, tr)}`;
    }
    default: {
      const unknown: never = block;
      throw new Error(`unknown block ${JSON.stringify(unknown)}`);
    }
  }
}

function pageButtons(page: number, pages: number, tr: Translator): ButtonRow[] {
  if (pages <= 1) return [];
  const button = (label: string, target: number, disabled: boolean): APIButtonComponentWithCustomId => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label,
    custom_id: encodeListeningPageId(target),
    disabled,
  });
  // A disabled button still needs a distinct id; it points at the current page.
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

export function listeningReply(result: ListeningNowResult, requestedPage: number, tr: Translator): ReplyPayload {
  const blocks = groupListening(result.entries);
  const hint = result.presencesEnabled ? undefined : tr.t('listening.presencesOff');
  const title = tr.t('listening.title');
  const nobody = tr.t('listening.nobody');
  if (blocks.length === 0) {
    return embedPayload({ color: COLORS.neutral, title, description: hint ? `${nobody}\n\n${hint}` : nobody });
  }
  const pages = Math.min(MAX_PAGE, Math.ceil(blocks.length / LISTENING_PAGE_SIZE));
  const page = Math.min(pages, Math.max(1, Math.floor(requestedPage) || 1));
  const start = (page - 1) * LISTENING_PAGE_SIZE;
  const lines = blocks.slice(start, start + LISTENING_PAGE_SIZE).map((b) => blockText(b, result.at, tr));
  const count = result.entries.length;
  const footer = tr.t('listening.footer', { count }) + (pages > 1 ? ` · ${tr.t('listening.page', { page, pages })}` : '');
  return embedPayload(
    {
      color: COLORS.playing,
      title,
      description: hint ? `${lines.join('\n')}\n\n-# ${hint}` : lines.join('\n'),
      footer: { text: footer },
    },
    pageButtons(page, pages, tr),
  );
}
