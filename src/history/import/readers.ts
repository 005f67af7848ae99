// Reading one streaming-history file of Spotify's data export into plays. Pure: bytes in, plays and a summary out.
//
// Two formats, recognised by the field names of the rows (the file name is only a hint):
// - extended (`Streaming_History_Audio_*.json`, before mid-2023 `endsong_*.json`): `ts` is the end, UTC, seconds;
// - account data (`StreamingHistory_music_*.json`, older `StreamingHistory*.json`): `endTime` "YYYY-MM-DD HH:mm", UTC.
// A row is a play when it is a track (title and artist set), played at least 30 s and not in a private session; it
// started at end − ms played. Each skipped row is counted once, under the first reason that applies, in this order:
// unreadable, video / podcast / audiobook, untitled, incognito, short. Only title, artist, album, track id and times
// are read from a row, so IP addresses, user agents, usernames, platforms and countries never leave this module.
// Speed: one JSON.parse of a one-byte string (see fileText), then one pass with no Date parsing and no object but the
// play on the common path.

import { Buffer, isUtf8 } from 'node:buffer';
import type { PlayInput, PlaySource } from '../play.js';
import { EXPECTED_FILES, ImportFileError, notHistory } from './errors.js';

/** Spotify's rule: a stream counts from 30 s played. */
export const MIN_PLAY_MS = 30_000;

export type SkipReason = 'podcast' | 'video' | 'audiobook' | 'short' | 'incognito' | 'untitled' | 'unreadable';

export const SKIP_REASONS: readonly SkipReason[] = [
  'podcast',
  'video',
  'audiobook',
  'short',
  'incognito',
  'untitled',
  'unreadable',
];

export type SkipCounts = Record<SkipReason, number>;

export type ImportSource = Extract<PlaySource, 'import-extended' | 'import-account'>;

/** What a file's name says it is (a hint; the rows decide). */
export type HistoryFileKind = 'extended-audio' | 'extended-video' | 'account-music' | 'account-podcast';

export interface HistoryFile {
  /** The file as it was named to the reader. */
  name: string;
  source: ImportSource;
  /** Rows in the file, plays and skipped together. */
  rows: number;
  plays: PlayInput[];
  skipped: SkipCounts;
  /** Earliest and latest `startedAt` of the plays; null when there are none. */
  firstStartedAt: number | null;
  lastStartedAt: number | null;
}

export function emptySkipCounts(): SkipCounts {
  return { podcast: 0, video: 0, audiobook: 0, short: 0, incognito: 0, untitled: 0, unreadable: 0 };
}

/** What the file name says (the last path segment decides), or null for a name that is not streaming history. */
export function historyFileKind(fileName: string): HistoryFileKind | null {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  if (!/\.json$/i.test(base)) return null;
  if (/^(Streaming_History_Audio|endsong)/i.test(base)) return 'extended-audio';
  if (/^(Streaming_History_Video|endvideo)/i.test(base)) return 'extended-video';
  if (/^StreamingHistory_podcast/i.test(base)) return 'account-podcast';
  if (/^StreamingHistory/i.test(base)) return 'account-music';
  return null;
}

// The fields read from a row; everything else in it is ignored.
interface ExtendedRow {
  ts?: unknown;
  ms_played?: unknown;
  master_metadata_track_name?: unknown;
  master_metadata_album_artist_name?: unknown;
  master_metadata_album_album_name?: unknown;
  spotify_track_uri?: unknown;
  episode_name?: unknown;
  episode_show_name?: unknown;
  spotify_episode_uri?: unknown;
  audiobook_title?: unknown;
  audiobook_uri?: unknown;
  audiobook_chapter_uri?: unknown;
  incognito_mode?: unknown;
}

interface AccountRow {
  endTime?: unknown;
  msPlayed?: unknown;
  trackName?: unknown;
  artistName?: unknown;
  podcastName?: unknown;
  episodeName?: unknown;
}

/** A string as the reader keeps it (the identity, or the UTF-8 fix-up of a text read as latin1). */
type Text = (s: string) => string;

const same: Text = (s) => s;

/** A character that was a byte ≥ 0x80 of a multi-byte UTF-8 sequence, in a text read as latin1. */
const HIGH_BYTE = /[\x80-\xff]/;

/** Strings of a text read as latin1, back to what their UTF-8 bytes say: ASCII ones are right already; each other one is decoded once. */
function utf8Strings(): Text {
  const decoded = new Map<string, string>();
  return (s) => {
    if (!HIGH_BYTE.test(s)) return s;
    let text = decoded.get(s);
    if (text === undefined) decoded.set(s, (text = Buffer.from(s, 'latin1').toString('utf8')));
    return text;
  };
}

/**
 * A file's text for JSON.parse, and how to read the strings taken from it. An export is mostly ASCII with names in
 * other scripts here and there; decoded as UTF-8, one such name makes the whole text a two-byte string, and decoding
 * and parsing that took twice as long as reading the bytes as latin1 (one byte, one character: measured on a 13 MB
 * file, ~95 → ~50 ms). So valid UTF-8 without `\u` escapes is read as latin1, and the few strings the reader keeps that
 * hold a byte ≥ 0x80 are decoded again (every multi-byte sequence lies inside one JSON string: its bytes are never
 * ASCII). With a `\u` escape a latin1 character could be either, so such a file is decoded as UTF-8 first.
 */
function fileText(fileName: string, bytes: Uint8Array): { text: string; strings: Text } {
  if (!isUtf8(bytes)) {
    const message = `${fileName} is not text (expected Spotify streaming history: ${EXPECTED_FILES})`;
    throw new ImportFileError(fileName, 'not-utf8', message);
  }
  // A byte order mark is not part of the text.
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.length - start);
  if (buffer.includes('\\u')) return { text: buffer.toString('utf8'), strings: same };
  return { text: buffer.toString('latin1'), strings: utf8Strings() };
}

/**
 * The plays and the skipped rows of one streaming-history file. Throws ImportFileError for bytes that are not UTF-8
 * JSON, or JSON that is not streaming history (another file of the export). An empty array is a file with no plays.
 */
export function readStreamingHistory(fileName: string, bytes: Uint8Array): HistoryFile {
  const { text, strings } = fileText(fileName, bytes);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text: keep the file's contents out of the reply.
    const message = `${fileName} is not JSON (expected Spotify streaming history: ${EXPECTED_FILES})`;
    throw new ImportFileError(fileName, 'not-json', message);
  }
  if (!Array.isArray(data)) throw notHistory(fileName);
  const kind = historyFileKind(fileName);
  const format = formatOf(data) ?? (data.length === 0 ? (kind?.startsWith('account') ? 'account' : 'extended') : null);
  if (format === null) throw notHistory(fileName);
  return format === 'extended' ? readExtended(fileName, data, kind === 'extended-video', strings) : readAccount(fileName, data, strings);
}

/** The format the first object row has the fields of, or null. */
function formatOf(rows: unknown[]): 'extended' | 'account' | null {
  for (const row of rows) {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) continue;
    const extendedContent = 'master_metadata_track_name' in row || 'spotify_episode_uri' in row || 'episode_name' in row;
    if ('ts' in row && 'ms_played' in row && extendedContent) return 'extended';
    const accountContent = ('trackName' in row && 'artistName' in row) || 'podcastName' in row || 'episodeName' in row;
    if ('endTime' in row && 'msPlayed' in row && accountContent) return 'account';
    return null;
  }
  return null;
}

/** What one row gave, when it is a play (a reader fills it in and returns null; else it returns why the row is skipped). */
interface RowPlay {
  title: string;
  artist: string;
  album: string | null;
  trackId: string | null;
  endedAt: number;
  ms: number;
}

/** One pass over a file's rows: each is read by `read` into one reused RowPlay, skipped rows counted by reason, plays collected. */
function collect(name: string, source: ImportSource, rows: unknown[], read: (row: object, out: RowPlay) => SkipReason | null): HistoryFile {
  const plays: PlayInput[] = [];
  const skipped = emptySkipCounts();
  const out: RowPlay = { title: '', artist: '', album: null, trackId: null, endedAt: 0, ms: 0 };
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const reason = typeof row !== 'object' || row === null || Array.isArray(row) ? 'unreadable' : read(row, out);
    if (reason !== null) {
      skipped[reason]++;
      continue;
    }
    const msPlayed = Math.round(out.ms);
    const startedAt = out.endedAt - msPlayed;
    if (startedAt < first) first = startedAt;
    if (startedAt > last) last = startedAt;
    plays.push({
      title: out.title,
      artist: out.artist,
      album: out.album,
      trackId: out.trackId,
      imageId: null,
      startedAt,
      endedAt: out.endedAt,
      msPlayed,
      durationMs: null,
      source,
    });
  }
  const any = plays.length > 0;
  return { name, source, rows: rows.length, plays, skipped, firstStartedAt: any ? first : null, lastStartedAt: any ? last : null };
}

/** Whether a row's end and ms played are readable (ms a number from 0 up to the end). */
const readableTime = (endedAt: number, ms: unknown): ms is number => !Number.isNaN(endedAt) && typeof ms === 'number' && ms >= 0 && ms <= endedAt;

const named = (title: unknown, artist: unknown): title is string =>
  typeof title === 'string' && title !== '' && typeof artist === 'string' && artist !== '';

function readExtended(name: string, rows: unknown[], video: boolean, text: Text): HistoryFile {
  return collect(name, 'import-extended', rows, (row, out) => {
    const r = row as ExtendedRow;
    const endedAt = typeof r.ts === 'string' ? parseTs(r.ts) : Number.NaN;
    const ms = r.ms_played;
    if (!readableTime(endedAt, ms)) return 'unreadable';
    if (video) return 'video';
    if (r.spotify_episode_uri != null || r.episode_name != null || r.episode_show_name != null) return 'podcast';
    if (r.audiobook_uri != null || r.audiobook_title != null || r.audiobook_chapter_uri != null) return 'audiobook';
    const title = r.master_metadata_track_name;
    const artist = r.master_metadata_album_artist_name;
    if (!named(title, artist)) return 'untitled';
    if (r.incognito_mode === true) return 'incognito';
    if (ms < MIN_PLAY_MS) return 'short';
    const album = r.master_metadata_album_album_name;
    out.title = text(title);
    out.artist = text(artist as string);
    out.album = typeof album === 'string' && album !== '' ? text(album) : null;
    out.trackId = trackIdOf(r.spotify_track_uri);
    out.endedAt = endedAt;
    out.ms = ms;
    return null;
  });
}

function readAccount(name: string, rows: unknown[], text: Text): HistoryFile {
  return collect(name, 'import-account', rows, (row, out) => {
    const r = row as AccountRow;
    const endedAt = typeof r.endTime === 'string' ? parseEndTime(r.endTime) : Number.NaN;
    const ms = r.msPlayed;
    if (!readableTime(endedAt, ms)) return 'unreadable';
    if (r.podcastName != null || r.episodeName != null) return 'podcast';
    const title = r.trackName;
    const artist = r.artistName;
    if (!named(title, artist)) return 'untitled';
    if (ms < MIN_PLAY_MS) return 'short';
    out.title = text(title);
    out.artist = text(artist as string);
    out.album = null;
    out.trackId = null;
    out.endedAt = endedAt;
    out.ms = ms;
    return null;
  });
}

const TRACK_URI_PREFIX = 'spotify:track:';

/** The base62 id of a `spotify:track:<id>` URI, else null (local files, podcasts, anything else). */
export function trackIdOf(uri: unknown): string | null {
  if (typeof uri !== 'string' || uri.length !== TRACK_URI_PREFIX.length + 22 || !uri.startsWith(TRACK_URI_PREFIX)) return null;
  for (let i = TRACK_URI_PREFIX.length; i < uri.length; i++) {
    const c = uri.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return null;
  }
  return uri.slice(TRACK_URI_PREFIX.length);
}

/** Two decimal digits at `i`, or -1. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Epoch ms of a UTC date and time whose parts are in range, else NaN (e.g. month 13, 30 February, -1 from `two`). */
function utc(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return Number.NaN;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > DAYS_IN_MONTH[mo - 1]! + (leap ? 1 : 0)) return Number.NaN;
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

// Other ISO 8601 spellings some tools write when they re-export (fractions, offsets); rare, so a regex is fine.
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):?(\d{2}))$/;

/** Epoch ms of an extended-history `ts` ("2014-07-27T20:34:47Z"), or NaN. */
export function parseTs(ts: string): number {
  if (
    ts.length === 20 &&
    ts.charCodeAt(4) === 45 &&
    ts.charCodeAt(7) === 45 &&
    ts.charCodeAt(10) === 84 &&
    ts.charCodeAt(13) === 58 &&
    ts.charCodeAt(16) === 58 &&
    ts.charCodeAt(19) === 90
  ) {
    const hi = two(ts, 0);
    const lo = two(ts, 2);
    if (hi < 0 || lo < 0) return Number.NaN;
    return utc(hi * 100 + lo, two(ts, 5), two(ts, 8), two(ts, 11), two(ts, 14), two(ts, 17));
  }
  const m = ISO.exec(ts);
  if (!m) return Number.NaN;
  const base = utc(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  const fraction = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const offset = m[9] ? (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) * 60_000 : 0;
  if (m[9] && (Number(m[10]) > 23 || Number(m[11]) > 59)) return Number.NaN;
  return base + fraction - offset;
}

/** Epoch ms of an account-data `endTime` ("2024-05-06 18:43", UTC), or NaN. */
export function parseEndTime(endTime: string): number {
  if (
    endTime.length !== 16 ||
    endTime.charCodeAt(4) !== 45 ||
    endTime.charCodeAt(7) !== 45 ||
    endTime.charCodeAt(10) !== 32 ||
    endTime.charCodeAt(13) !== 58
  ) {
    return Number.NaN;
  }
  const hi = two(endTime, 0);
  const lo = two(endTime, 2);
  if (hi < 0 || lo < 0) return Number.NaN;
  return utc(hi * 100 + lo, two(endTime, 5), two(endTime, 8), two(endTime, 11), two(endTime, 14), 0);
}
