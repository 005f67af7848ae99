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

export const LISTENING_TITLE = '🎧 Listening now in this server';
export const NOBODY_LISTENING = 'Nobody here is listening to Spotify right now.';
export const PRESENCES_OFF_HINT =
  "Only linked Spotify accounts (the bot owner's included) are shown: the bot doesn't read members' Discord status. " +
  'To list everyone whose status shows Spotify, the bot owner sets DISCORD_PRESENCES=on and switches on ' +
  'Developer Portal → Bot → Presence Intent.';

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

function who(entry: NowListening): string {
  return entry.userId === null ? 'the bot owner' : `<@${entry.userId}>`;
}

function howFar(entry: NowListening, now: number): string {
  const progress = Math.min(entry.durationMs, Math.max(0, now - entry.startedAt));
  return `${formatDuration(progress)} in`;
}

function trackLink(entry: NowListening): string {
  return mdLink(escapeAndTruncate(entry.title, TITLE_MAX) || 'Untitled', entry.url, URL_MAX);
}

function artistsText(entry: NowListening): string {
  const named = entry.artists.filter((a) => oneLine(a) !== '');
  if (named.length === 0) return 'Unknown artist';
  const first = escapeAndTruncate(named[0]!, ARTIST_MAX);
  return named.length > 1 ? `${first} and ${named.length - 1} more` : first;
}

/** "a · b · c and 4 more" within `budget` characters. */
function joinWithin(parts: readonly string[], budget: number): string {
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const next = i === 0 ? parts[i]! : `${out} · ${parts[i]!}`;
    const rest = parts.length - i - 1;
    const tail = rest > 0 ? ` and ${rest} more` : '';
    if (next.length + tail.length > budget) {
      const left = parts.length - i;
      return i === 0 ? `${left} listeners` : `${out} and ${left} more`;
    }
    out = next;
  }
  return out;
}

function blockText(block: Block, now: number): string {
  switch (block.kind) {
    case 'one': {
      const e = block.entry;
      return `${who(e)} — ${trackLink(e)} by ${artistsText(e)} · ${howFar(e, now)}`;
    }
    case 'track': {
      const first = block.entries[0]!;
      const head = `**${block.entries.length} listening to ${trackLink(first)}** by ${artistsText(first)}`;
      const members = block.entries.map((e) => `${who(e)} ${howFar(e, now)}`);
      return `${head}\n└ ${joinWithin(members, BLOCK_MAX - head.length - 3)}`;
    }
    case 'artist': {
      const head = `**${block.entries.length} listening to ${escapeAndTruncate(block.artist, ARTIST_MAX)}**`;
      const members = block.entries.map((e) => `${who(e)} ${trackLink(e)} ${howFar(e, now)}`);
      return `${head}\n└ ${joinWithin(members, BLOCK_MAX - head.length - 3)}`;
    }
    default: {
      const unknown: never = block;
      throw new Error(`unknown block ${JSON.stringify(unknown)}`);
    }
  }
}

function pageButtons(page: number, pages: number): ButtonRow[] {
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
      components: [button('◀ Previous', page > 1 ? page - 1 : page, page <= 1), button('Next ▶', page < pages ? page + 1 : page, page >= pages)],
    },
  ];
}

export function listeningReply(result: ListeningNowResult, requestedPage: number): ReplyPayload {
  const blocks = groupListening(result.entries);
  const hint = result.presencesEnabled ? undefined : PRESENCES_OFF_HINT;
  if (blocks.length === 0) {
    return embedPayload({
      color: COLORS.neutral,
      title: LISTENING_TITLE,
      description: hint ? `${NOBODY_LISTENING}\n\n${hint}` : NOBODY_LISTENING,
    });
  }
  const pages = Math.min(MAX_PAGE, Math.ceil(blocks.length / LISTENING_PAGE_SIZE));
  const page = Math.min(pages, Math.max(1, Math.floor(requestedPage) || 1));
  const start = (page - 1) * LISTENING_PAGE_SIZE;
  const lines = blocks.slice(start, start + LISTENING_PAGE_SIZE).map((b) => blockText(b, result.at));
  const count = result.entries.length;
  const footer = `${count} listening${pages > 1 ? ` · page ${page}/${pages}` : ''}`;
  return embedPayload(
    {
      color: COLORS.playing,
      title: LISTENING_TITLE,
      description: hint ? `${lines.join('\n')}\n\n-# ${hint}` : lines.join('\n'),
      footer: { text: footer },
    },
    pageButtons(page, pages),
  );
}
