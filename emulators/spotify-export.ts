// Deterministic, realistic stand-ins for Spotify's personal data export, for tests, the demo and the bench.
//
// `extendedHistory` makes Streaming_History_Audio rows with every field a 2024 export has (or, `era: 'endsong'`,
// the pre-2023 field set with username and user agent): IP addresses in the documentation ranges, platforms,
// countries, reasons, shuffle, offline timestamps; podcast and audiobook rows, some incognito, some under 30 s, some
// local files without metadata, a few exact duplicates; artist and track names in Latin, CJK and Arabic scripts.
// Each row's `kinds` entry says what it was made as, so a test can check a reader against the generator's intent
// rather than against a second copy of the reader's rules. `spotifyJson` pretty-prints like Spotify (2-space
// indent): 15,000 rows are ~13 MB. `accountHistory` makes the account-data rows (minute precision, no URI) of the
// same plays; `exportZip` packs files in my_spotify_data.zip's folder layout with the export's other files.
// Track ids are the Spotify emulator's (`spotifyId('track:<artist>:<title>')`), so imported plays match it.

import { zipSync } from 'fflate';
import { spotifyTs } from '../src/history/export-file.js';
import { spotifyId } from './spotify-fixtures.js';

export type GeneratedKind = 'track' | 'short' | 'incognito' | 'untitled' | 'podcast' | 'audiobook' | 'duplicate';

/** A row of the extended streaming history, any era (fields absent in an era are left out). */
export interface ExtendedRow {
  ts: string;
  username?: string;
  platform: string;
  ms_played: number;
  conn_country: string;
  ip_addr?: string;
  ip_addr_decrypted?: string;
  user_agent_decrypted?: string;
  master_metadata_track_name: string | null;
  master_metadata_album_artist_name: string | null;
  master_metadata_album_album_name: string | null;
  spotify_track_uri: string | null;
  episode_name: string | null;
  episode_show_name: string | null;
  spotify_episode_uri: string | null;
  audiobook_title?: string | null;
  audiobook_uri?: string | null;
  audiobook_chapter_uri?: string | null;
  audiobook_chapter_title?: string | null;
  reason_start: string;
  reason_end: string;
  shuffle: boolean;
  skipped: boolean | null;
  offline: boolean;
  offline_timestamp: number | null;
  incognito_mode: boolean;
}

export interface AccountMusicRow {
  endTime: string;
  artistName: string;
  trackName: string;
  msPlayed: number;
}

export interface AccountPodcastRow {
  endTime: string;
  podcastName: string;
  episodeName: string;
  msPlayed: number;
}

export interface GeneratedHistory {
  rows: ExtendedRow[];
  /** What each row was made as (same index). A duplicate repeats the row before it exactly. */
  kinds: GeneratedKind[];
}

export interface ExtendedHistoryOptions {
  rows: number;
  /** Default 1. */
  seed?: number;
  /** Epoch ms or ISO date of the first row; default 2023-01-01. */
  start?: number | string;
  /** Of the last row; default start + 6 min per row (rows are spread evenly, ± a quarter of the gap). */
  end?: number | string;
  /** '2024' (default): ip_addr and audiobook fields; 'endsong': username, ip_addr_decrypted, user_agent_decrypted. */
  era?: '2024' | 'endsong';
  /** Shares of rows that are not plays (or are repeats); the rest are tracks played ≥ 30 s. */
  shares?: Partial<Record<Exclude<GeneratedKind, 'track'>, number>>;
  /** Artists in the catalogue (each with 2 albums of 6 tracks); default 120. */
  artists?: number;
  /** The username of an 'endsong' era export. */
  username?: string;
}

export const DEFAULT_SHARES: Readonly<Record<Exclude<GeneratedKind, 'track'>, number>> = {
  short: 0.12,
  incognito: 0.01,
  untitled: 0.01,
  podcast: 0.04,
  audiobook: 0.005,
  duplicate: 0.005,
};

/** mulberry32: small, fast, good enough for test data. */
function rng(seed: number): () => number {
  let a = seed >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LATIN_A = ['The Midnight', 'Velvet', 'Neon', 'Silver', 'Paper', 'Electric', 'Golden', 'Lunar', 'Crimson', 'Zoë', 'Björk', 'Señor'];
const LATIN_B = ['Owls', 'Harbor', 'Echoes', 'Tides', 'Lanterns', 'Avenue', 'Collective', 'Sparrows', 'Lefèvre', 'Ström', 'Niño', 'Parade'];
const CJK_A = ['夜明け', '星空', '青い', '月光', '城市', '별빛', '바다', '桜', '雨音', '東京'];
const CJK_B = ['バンド', '少女', '乐队', '之歌', '소년', '들', 'ロケット', '花火', '海岸', '物語'];
const ARABIC_A = ['فرقة', 'نجوم', 'أصوات', 'ليالي', 'أغاني'];
const ARABIC_B = ['القمر', 'البحر', 'الصحراء', 'المدينة', 'النور', 'السماء'];
const TITLE_LATIN = [
  'Running Up That Road',
  'Blue Hour',
  'Somewhere in Between',
  'Après Minuit',
  'Golden Days',
  'Glass Hearts',
  'Slow Motion',
  'Corazón',
  'Satellite',
  'Last Train Home',
  'Wildflower',
  'Paper Planes',
];
const TITLE_CJK = ['夜に駆ける', '春の雨', '青空', '月亮代表', '星が降る', '봄날', '밤편지', '花火', 'さよなら', '小幸运'];
const TITLE_ARABIC = ['يا ليل', 'حبيبي', 'على البحر', 'سهرانة', 'قمر', 'بحبك'];
const SHOWS = ['The Daily Drift', 'Deep Dives', 'ラジオの時間', 'بودكاست الصباح', 'Science Hour'];
const BOOKS = ['The Long Way Round', 'A Quiet Garden', 'Stories of the Sea'];
const COUNTRIES = ['DE', 'JP', 'EG', 'US', 'BR', 'KR', 'FR'];
const PLATFORMS_2024 = ['android', 'ios', 'windows', 'osx', 'linux'];
const PLATFORMS_OLD = [
  'Android OS 11 API 30 (Google, Pixel 4a)',
  'iOS 15.1 (iPhone12,1)',
  'Windows 10 (10.0.19041; x64)',
  'OS X 10.15.7 [x86 8]',
  'WebPlayer (websocket RFC6455)',
];
const USER_AGENTS = ['unknown', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/96.0 Safari/537.36'];
const REASON_START = ['trackdone', 'clickrow', 'fwdbtn', 'playbtn', 'appload', 'backbtn'];
const REASON_END_PARTIAL = ['fwdbtn', 'endplay', 'logout', 'unexpected-exit-while-paused', 'backbtn'];

interface CatalogTrack {
  artist: string;
  album: string;
  title: string;
  uri: string;
  durationMs: number;
}

function catalog(artists: number, random: () => number): CatalogTrack[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const tracks: CatalogTrack[] = [];
  for (let a = 0; a < artists; a++) {
    const script = a % 10 < 6 ? 'latin' : a % 10 < 9 ? 'cjk' : 'arabic';
    const name =
      script === 'latin'
        ? `${LATIN_A[a % LATIN_A.length]} ${LATIN_B[Math.floor(a / LATIN_A.length) % LATIN_B.length]}${a >= 144 ? ` ${a}` : ''}`
        : script === 'cjk'
          ? `${CJK_A[a % CJK_A.length]}${CJK_B[Math.floor(a / CJK_A.length) % CJK_B.length]}${a >= 100 ? a : ''}`
          : `${ARABIC_A[a % ARABIC_A.length]} ${ARABIC_B[Math.floor(a / ARABIC_A.length) % ARABIC_B.length]}${a >= 30 ? ` ${a}` : ''}`;
    const titles = script === 'latin' ? TITLE_LATIN : script === 'cjk' ? TITLE_CJK : TITLE_ARABIC;
    for (let al = 0; al < 2; al++) {
      const album = al === 0 ? `${pick(titles)} (Deluxe Edition)` : `${pick(titles)} — Live`;
      for (let t = 0; t < 6; t++) {
        const title = `${titles[(a + al * 6 + t) % titles.length]}${t >= titles.length - 6 ? ` ${t + 1}` : ''}${t === 5 ? ' (feat. Sparrows)' : ''}`;
        tracks.push({
          artist: name,
          album,
          title,
          uri: `spotify:track:${spotifyId(`track:${name}:${title}`)}`,
          durationMs: 120_000 + Math.floor(random() * 240_000),
        });
      }
    }
  }
  return tracks;
}

function epoch(value: number | string): number {
  return typeof value === 'number' ? value : Date.parse(value);
}

/** Extended streaming-history rows, ascending by `ts`. */
export function extendedHistory(options: ExtendedHistoryOptions): GeneratedHistory {
  const random = rng(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const era = options.era ?? '2024';
  const shares = { ...DEFAULT_SHARES, ...options.shares };
  const tracks = catalog(options.artists ?? 120, random);
  const start = epoch(options.start ?? '2023-01-01T00:00:00Z');
  const end = options.end === undefined ? start + options.rows * 360_000 : epoch(options.end);
  const gap = options.rows > 1 ? (end - start) / (options.rows - 1) : 0;
  const username = options.username ?? 'listener4711';
  const rows: ExtendedRow[] = [];
  const kinds: GeneratedKind[] = [];

  const base = (ts: number, ms: number): ExtendedRow => {
    const offline = random() < 0.05;
    const platform = era === '2024' ? pick(PLATFORMS_2024) : pick(PLATFORMS_OLD);
    const ip = random() < 0.8 ? `203.0.113.${1 + Math.floor(random() * 254)}` : `2001:db8::${Math.floor(random() * 65535).toString(16)}`;
    const offlineTs = random() < 0.1 ? 0 : era === '2024' ? ts - ms : Math.floor((ts - ms) / 1000);
    const row: ExtendedRow =
      era === '2024'
        ? {
            ts: spotifyTs(ts),
            platform,
            ms_played: ms,
            conn_country: pick(COUNTRIES),
            ip_addr: ip,
            master_metadata_track_name: null,
            master_metadata_album_artist_name: null,
            master_metadata_album_album_name: null,
            spotify_track_uri: null,
            episode_name: null,
            episode_show_name: null,
            spotify_episode_uri: null,
            audiobook_title: null,
            audiobook_uri: null,
            audiobook_chapter_uri: null,
            audiobook_chapter_title: null,
            reason_start: pick(REASON_START),
            reason_end: 'trackdone',
            shuffle: random() < 0.4,
            skipped: false,
            offline,
            offline_timestamp: offlineTs,
            incognito_mode: false,
          }
        : {
            ts: spotifyTs(ts),
            username,
            platform,
            ms_played: ms,
            conn_country: pick(COUNTRIES),
            ip_addr_decrypted: ip,
            user_agent_decrypted: pick(USER_AGENTS),
            master_metadata_track_name: null,
            master_metadata_album_artist_name: null,
            master_metadata_album_album_name: null,
            spotify_track_uri: null,
            episode_name: null,
            episode_show_name: null,
            spotify_episode_uri: null,
            reason_start: pick(REASON_START),
            reason_end: 'trackdone',
            shuffle: random() < 0.4,
            skipped: random() < 0.5 ? false : null,
            offline,
            offline_timestamp: offlineTs,
            incognito_mode: false,
          };
    return row;
  };

  const withTrack = (row: ExtendedRow, track: CatalogTrack): ExtendedRow => {
    row.master_metadata_track_name = track.title;
    row.master_metadata_album_artist_name = track.artist;
    row.master_metadata_album_album_name = track.album;
    row.spotify_track_uri = track.uri;
    return row;
  };

  const cumulative: Array<[Exclude<GeneratedKind, 'track'>, number]> = [];
  let sum = 0;
  for (const kind of ['short', 'incognito', 'untitled', 'podcast', 'audiobook', 'duplicate'] as const) {
    sum += shares[kind];
    cumulative.push([kind, sum]);
  }

  for (let i = 0; i < options.rows; i++) {
    const ts = Math.round(start + i * gap + (i > 0 && i < options.rows - 1 ? (random() - 0.5) * gap * 0.5 : 0));
    const roll = random();
    let kind: GeneratedKind = cumulative.find(([, upTo]) => roll < upTo)?.[0] ?? 'track';
    if (kind === 'duplicate' && kinds.at(-1) !== 'track') kind = 'track';
    if (kind === 'duplicate') {
      rows.push({ ...rows.at(-1)! });
      kinds.push(kind);
      continue;
    }
    // Popular artists come up more often, as in anyone's history.
    const track = tracks[Math.floor(random() * random() * tracks.length)]!;
    let row: ExtendedRow;
    switch (kind) {
      case 'track': {
        const full = random() < 0.7;
        const ms = full ? track.durationMs : 30_000 + Math.floor(random() * (track.durationMs - 30_000));
        row = withTrack(base(ts, ms), track);
        if (!full) {
          row.reason_end = pick(REASON_END_PARTIAL);
          if (row.skipped !== null) row.skipped = row.reason_end === 'fwdbtn';
        }
        break;
      }
      case 'short':
        row = withTrack(base(ts, Math.floor(random() * 30_000)), track);
        row.reason_end = 'fwdbtn';
        if (row.skipped !== null) row.skipped = true;
        break;
      case 'incognito':
        row = withTrack(base(ts, track.durationMs), track);
        row.incognito_mode = true;
        break;
      case 'untitled':
        // A local file: no metadata, no URI.
        row = base(ts, 30_000 + Math.floor(random() * 200_000));
        break;
      case 'podcast': {
        const show = pick(SHOWS);
        row = base(ts, 60_000 + Math.floor(random() * 3_000_000));
        row.episode_name = `#${1 + Math.floor(random() * 300)} — ${pick(TITLE_LATIN)}`;
        row.episode_show_name = show;
        row.spotify_episode_uri = `spotify:episode:${spotifyId(`episode:${show}:${row.episode_name}`)}`;
        break;
      }
      case 'audiobook': {
        const book = pick(BOOKS);
        row = base(ts, 60_000 + Math.floor(random() * 1_800_000));
        if (era === '2024') {
          const chapter = 1 + Math.floor(random() * 30);
          row.audiobook_title = book;
          row.audiobook_uri = `spotify:show:${spotifyId(`audiobook:${book}`)}`;
          row.audiobook_chapter_uri = `spotify:episode:${spotifyId(`chapter:${book}:${chapter}`)}`;
          row.audiobook_chapter_title = `Chapter ${chapter}`;
        } else {
          // Before audiobooks had fields of their own, a chapter looked like a podcast episode.
          kind = 'podcast';
          row.episode_name = `Chapter ${1 + Math.floor(random() * 30)}`;
          row.episode_show_name = book;
          row.spotify_episode_uri = `spotify:episode:${spotifyId(`chapter:${book}`)}`;
        }
        break;
      }
    }
    rows.push(row);
    kinds.push(kind);
  }
  return { rows, kinds };
}

/** Rows pretty-printed as Spotify does (2-space indent), as UTF-8. */
export function spotifyJson(rows: readonly unknown[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(rows, null, 2));
}

/**
 * Extended-history files as an export names them: `Streaming_History_Audio_<first year>-<last year>_<n>.json`
 * (`endsong_<n>.json` for the old era), `perFile` rows each (Spotify: ~15,000).
 */
export function extendedFiles(history: GeneratedHistory, options: { perFile?: number; era?: '2024' | 'endsong' } = {}): Record<string, Uint8Array> {
  const perFile = options.perFile ?? 15_000;
  const files: Record<string, Uint8Array> = {};
  for (let n = 0; n * perFile < history.rows.length || n === 0; n++) {
    const rows = history.rows.slice(n * perFile, (n + 1) * perFile);
    const years = rows.length ? `${rows[0]!.ts.slice(0, 4)}-${rows.at(-1)!.ts.slice(0, 4)}` : '2024';
    files[options.era === 'endsong' ? `endsong_${n}.json` : `Streaming_History_Audio_${years}_${n}.json`] = spotifyJson(rows);
  }
  return files;
}

/**
 * The account-data rows of the same listening: every track row that is not incognito (short ones too: the account
 * data lists them), `endTime` cut to the minute; podcast rows separately. Duplicates and local files are left out.
 * `since` keeps only rows ending from then on (account data covers the past year).
 */
export function accountHistory(history: GeneratedHistory, options: { since?: number | string } = {}): { music: AccountMusicRow[]; podcast: AccountPodcastRow[] } {
  const since = options.since === undefined ? -Infinity : epoch(options.since);
  const music: AccountMusicRow[] = [];
  const podcast: AccountPodcastRow[] = [];
  history.rows.forEach((row, i) => {
    const kind = history.kinds[i];
    if (Date.parse(row.ts) < since) return;
    const endTime = `${row.ts.slice(0, 10)} ${row.ts.slice(11, 16)}`;
    if ((kind === 'track' || kind === 'short') && row.master_metadata_track_name && row.master_metadata_album_artist_name) {
      music.push({ endTime, artistName: row.master_metadata_album_artist_name, trackName: row.master_metadata_track_name, msPlayed: row.ms_played });
    } else if (kind === 'podcast' && row.episode_show_name && row.episode_name) {
      podcast.push({ endTime, podcastName: row.episode_show_name, episodeName: row.episode_name, msPlayed: row.ms_played });
    }
  });
  return { music, podcast };
}

/** Account-data files as the export names them, `perFile` rows each (Spotify: 10,000). */
export function accountFiles(rows: { music: AccountMusicRow[]; podcast: AccountPodcastRow[] }, perFile = 10_000): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (let n = 0; n * perFile < rows.music.length || n === 0; n++) {
    files[`StreamingHistory_music_${n}.json`] = spotifyJson(rows.music.slice(n * perFile, (n + 1) * perFile));
  }
  if (rows.podcast.length) files['StreamingHistory_podcast_0.json'] = spotifyJson(rows.podcast);
  return files;
}

export const EXTENDED_FOLDER = 'Spotify Extended Streaming History';
export const ACCOUNT_FOLDER = 'Spotify Account Data';

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value, null, 2));

/** The export's other files (what the importer must ignore), by path in the zip. */
export function otherExportFiles(): Record<string, Uint8Array> {
  const uri = `spotify:track:${spotifyId('track:Velvet Owls:Blue Hour')}`;
  return {
    [`${ACCOUNT_FOLDER}/Userdata.json`]: encode({
      username: 'listener4711',
      email: 'listener@example.com',
      country: 'DE',
      createdFromFacebook: false,
      facebookUid: null,
      birthdate: '1990-01-01',
      gender: 'neutral',
      postalCode: null,
      mobileNumber: null,
      mobileOperator: null,
      mobileBrand: null,
      creationTime: '2014-05-03',
    }),
    [`${ACCOUNT_FOLDER}/Playlist1.json`]: encode({
      playlists: [
        {
          name: 'Road trip',
          lastModifiedDate: '2024-03-01',
          items: [
            {
              track: { trackName: 'Blue Hour', artistName: 'Velvet Owls', albumName: 'Blue Hour', trackUri: uri },
              episode: null,
              localTrack: null,
              addedDate: '2024-02-11',
            },
          ],
          description: null,
          numberOfFollowers: 0,
        },
      ],
    }),
    [`${ACCOUNT_FOLDER}/SearchQueries.json`]: encode([
      { platform: 'ANDROID', searchTime: '2024-05-06T18:43:07.123Z[UTC]', searchQuery: 'blue hour', searchInteractionURIs: [uri] },
    ]),
    [`${ACCOUNT_FOLDER}/YourLibrary.json`]: encode({
      tracks: [{ artist: 'Velvet Owls', album: 'Blue Hour', track: 'Blue Hour', uri }],
      ...Object.fromEntries(['albums', 'shows', 'episodes', 'bannedTracks', 'artists', 'bannedArtists', 'other'].map((k) => [k, []])),
    }),
    [`${ACCOUNT_FOLDER}/Read_Me_First.pdf`]: new TextEncoder().encode('%PDF-1.4\n% stand-in for Spotify\'s ReadMe\n%%EOF\n'),
    [`${EXTENDED_FOLDER}/ReadMeFirst_ExtendedStreamingHistory.pdf`]: new TextEncoder().encode('%PDF-1.4\n% stand-in\n%%EOF\n'),
    [`${EXTENDED_FOLDER}/Streaming_History_Video_2023-2024.json`]: spotifyJson(
      extendedHistory({ rows: 3, seed: 99, start: '2024-01-01T00:00:00Z', shares: { short: 0, incognito: 0, untitled: 0, podcast: 1 } }).rows,
    ),
  };
}

/**
 * `my_spotify_data.zip`: each file under its folder (extended history under `Spotify Extended Streaming History/`,
 * account data under `Spotify Account Data/`; a name with a `/` is used as it is), with the export's other files
 * unless `others` is false. Deterministic bytes.
 */
export function exportZip(files: Record<string, Uint8Array | string>, options: { others?: boolean; level?: 0 | 6 } = {}): Uint8Array {
  const entries: Record<string, [Uint8Array, { mtime: string }]> = {};
  const mtime = '2024-06-01T00:00:00Z';
  for (const [name, data] of Object.entries(files)) {
    const path = name.includes('/') ? name : `${/^StreamingHistory/i.test(name) ? ACCOUNT_FOLDER : EXTENDED_FOLDER}/${name}`;
    entries[path] = [typeof data === 'string' ? new TextEncoder().encode(data) : data, { mtime }];
  }
  if (options.others !== false) for (const [path, data] of Object.entries(otherExportFiles())) entries[path] ??= [data, { mtime }];
  return zipSync(entries, { level: options.level ?? 6 });
}

/** The first `fraction` of a zip, as a download cut short leaves it. */
export function truncatedZip(zip: Uint8Array, fraction = 0.5): Uint8Array {
  return zip.slice(0, Math.floor(zip.length * fraction));
}

/** A copy with bytes flipped in its middle (inside the largest entry's data), as a bad disk or transfer leaves it. */
export function damagedZip(zip: Uint8Array): Uint8Array {
  const copy = zip.slice();
  const middle = Math.floor(copy.length / 2);
  for (let i = middle; i < middle + 16 && i < copy.length; i++) copy[i] = copy[i]! ^ 0x5a;
  return copy;
}

/**
 * A copy whose directory (and local header) declares `size` as the uncompressed size of the entry at `path`: a zip
 * bomb's lie, or an entry over a size cap, without making one.
 */
export function withDeclaredSize(zip: Uint8Array, path: string, size: number): Uint8Array {
  const copy = zip.slice();
  const view = new DataView(copy.buffer, copy.byteOffset, copy.byteLength);
  const name = new TextEncoder().encode(path);
  let patched = false;
  for (let p = 0; p + 46 <= copy.length; p++) {
    if (view.getUint32(p, true) !== 0x02014b50) continue;
    const length = view.getUint16(p + 28, true);
    if (length !== name.length || !name.every((byte, i) => copy[p + 46 + i] === byte)) continue;
    view.setUint32(p + 24, size, true);
    view.setUint32(view.getUint32(p + 42, true) + 22, size, true);
    patched = true;
  }
  if (!patched) throw new Error(`no entry ${path} in the zip`);
  return copy;
}
