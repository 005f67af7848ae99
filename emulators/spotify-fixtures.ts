// Builders for complete Spotify Web API objects, in the shape a development-mode app receives them (per the
// published OpenAPI schemas, sonallux/spotify-web-api fixed-spotify-open-api.yml 2026.5.31, with the fields that
// spec marks deprecated left out: dev-mode apps no longer get them since the February 2026 changes).
//
// Everything is deterministic: ids are 22-char base62 strings derived from names, image ids from the object's id,
// release dates, ISRCs and track numbers from hashes. The same names always give the same objects.
//
// The bot reads a subset of these objects (src/spotify/types.ts); every object here is also assignable to the
// bot's types. The complete* functions turn a bot-typed (possibly cut-down) object into a complete one, keeping
// every field it has: the emulator runs whatever a test hands it through them, so what goes on the wire is
// always complete.

import { createHash } from 'node:crypto';
import type {
  Artist,
  CurrentlyPlaying,
  Episode,
  PlayHistory,
  Show,
  SimplifiedAlbum,
  SimplifiedArtist,
  Track,
} from '../src/spotify/types.js';

// ---------------------------------------------------------------- wire types

export interface ImageObject {
  url: string;
  height: number | null;
  width: number | null;
}
export interface ExternalUrlObject {
  spotify?: string;
}
export interface SimplifiedArtistObject {
  external_urls: ExternalUrlObject;
  href: string | null;
  id: string | null;
  name: string;
  type: 'artist';
  uri: string | null;
}
export type AlbumType = 'album' | 'single' | 'compilation';
export type DatePrecision = 'year' | 'month' | 'day';
export interface SimplifiedAlbumObject {
  album_type: AlbumType | null;
  total_tracks: number;
  external_urls: ExternalUrlObject;
  href: string | null;
  id: string | null;
  images: ImageObject[];
  name: string;
  release_date: string | null;
  release_date_precision: DatePrecision | null;
  restrictions?: { reason: 'market' | 'product' | 'explicit' };
  type: 'album';
  uri: string | null;
  artists: SimplifiedArtistObject[];
}
export interface TrackObject {
  album: SimplifiedAlbumObject;
  artists: SimplifiedArtistObject[];
  disc_number: number;
  duration_ms: number;
  explicit: boolean;
  external_ids: { isrc?: string; ean?: string; upc?: string };
  external_urls: ExternalUrlObject;
  href: string | null;
  id: string | null;
  /** Only with a `market` (track relinking). */
  is_playable?: boolean;
  restrictions?: { reason: string };
  name: string;
  track_number: number;
  type: 'track';
  uri: string;
  is_local: boolean;
}
export interface ArtistObject {
  external_urls: ExternalUrlObject;
  href: string;
  id: string;
  images: ImageObject[];
  name: string;
  type: 'artist';
  uri: string;
}
export interface CopyrightObject {
  text: string;
  type: string;
}
export interface SimplifiedShowObject {
  copyrights: CopyrightObject[];
  description: string;
  html_description: string;
  explicit: boolean;
  external_urls: ExternalUrlObject;
  href: string;
  id: string;
  images: ImageObject[];
  is_externally_hosted: boolean;
  languages: string[];
  media_type: string;
  name: string;
  /** Deprecated in the spec and gone for dev-mode apps; present only when a test asks for it. */
  publisher?: string;
  type: 'show';
  uri: string;
  total_episodes: number;
}
export interface EpisodeObject {
  description: string;
  html_description: string;
  duration_ms: number;
  explicit: boolean;
  external_urls: ExternalUrlObject;
  href: string;
  id: string;
  images: ImageObject[];
  is_externally_hosted: boolean;
  is_playable: boolean;
  languages: string[];
  name: string;
  release_date: string;
  release_date_precision: DatePrecision;
  resume_point?: { fully_played: boolean; resume_position_ms: number };
  type: 'episode';
  uri: string;
  show: SimplifiedShowObject;
}
export interface ContextObject {
  type: string;
  href: string | null;
  external_urls: ExternalUrlObject;
  uri: string;
}
export type Disallows = Partial<
  Record<
    | 'interrupting_playback' | 'pausing' | 'resuming' | 'seeking' | 'skipping_next' | 'skipping_prev'
    | 'toggling_repeat_context' | 'toggling_shuffle' | 'toggling_repeat_track' | 'transferring_playback',
    boolean
  >
>;
export interface CurrentlyPlayingObject {
  timestamp: number;
  context: ContextObject | null;
  progress_ms: number | null;
  is_playing: boolean;
  item: TrackObject | EpisodeObject | null;
  currently_playing_type: 'track' | 'episode' | 'ad' | 'unknown';
  actions: { disallows: Disallows };
  /** Emulator-only: never sent. A private session makes currently-playing answer 204. */
  device?: { is_private_session?: boolean } | null;
}
export interface PlayHistoryObject {
  track: TrackObject;
  played_at: string;
  context: ContextObject | null;
}
export interface PrivateUserObject {
  account_id: string;
  display_name: string | null;
  external_urls: ExternalUrlObject;
  href: string;
  id: string;
  images: ImageObject[];
  type: 'user';
  uri: string;
}

// ---------------------------------------------------------------- ids and images

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Where Spotify's objects point their own `href` (the bot never follows them). */
export const SPOTIFY_API_BASE = 'https://api.spotify.com/v1';
/** Cover art host; every image URL in these fixtures is `${IMAGE_CDN_BASE}<40 hex chars>`. */
export const IMAGE_CDN_BASE = 'https://i.scdn.co/image/';

/** Real ids for the defaults, so a default track looks exactly like Spotify's. */
const KNOWN_IDS: Record<string, string> = {
  'artist:The Weeknd': '1Xyo4u8uXC1ZmMpatF05PJ',
  'album:The Weeknd:After Hours': '4yP0hdKOZPNshxUOjY0cZj',
  'track:The Weeknd:Blinding Lights': '0VjIjW4GlUZAMYd2vXMi3b',
};
const KNOWN_RELEASES: Record<string, string> = { '4yP0hdKOZPNshxUOjY0cZj': '2020-03-20' };

/** A 22-char base62 id derived from `seed`. */
export function spotifyId(seed: string): string {
  const known = KNOWN_IDS[seed];
  if (known) return known;
  const bytes = createHash('sha256').update(seed).digest();
  let id = '';
  for (let i = 0; i < 22; i++) id += BASE62[(bytes[i] ?? 0) % 62];
  return id;
}

function hex(seed: string, length: number): string {
  return createHash('sha1').update(seed).digest('hex').slice(0, length);
}

/** A deterministic integer in [min, max] from `seed`. */
function pick(seed: string, min: number, max: number): number {
  return min + (createHash('sha1').update(seed).digest().readUInt32BE(0) % (max - min + 1));
}

function link(type: string, id: string): ExternalUrlObject {
  return { spotify: `https://open.spotify.com/${type}/${id}` };
}

function href(type: string, id: string): string {
  return `${SPOTIFY_API_BASE}/${type}s/${id}`;
}

/**
 * Spotify's image id = a 16-hex-char size prefix + 24 hex chars of the picture. Every prefix used here, with the
 * square size in px it stands for, so an image CDN emulator can serve any id at the right size.
 */
export const IMAGE_SIZE_BY_PREFIX: Readonly<Record<string, number>> = {
  ab67616d0000b273: 640, // album cover
  ab67616d00001e02: 300,
  ab67616d00004851: 64,
  ab6761610000e5eb: 640, // artist picture
  ab67616100005174: 320,
  ab6761610000f178: 160,
  ab6765630000ba8a: 640, // show/episode art
  ab67656300005f1f: 300,
  ab6765630000f68d: 64,
  ab6775700000ee85: 300, // user avatar
  ab67757000003b82: 64,
};
const COVER_PREFIXES = ['ab67616d0000b273', 'ab67616d00001e02', 'ab67616d00004851'] as const;
const ARTIST_PREFIXES = ['ab6761610000e5eb', 'ab67616100005174', 'ab6761610000f178'] as const;
const SHOW_PREFIXES = ['ab6765630000ba8a', 'ab67656300005f1f', 'ab6765630000f68d'] as const;
const USER_PREFIXES = ['ab6775700000ee85', 'ab67757000003b82'] as const;

/** Images for the object `seed` (its id), largest first. */
function images(seed: string, prefixes: readonly string[]): ImageObject[] {
  const h = hex(seed, 24);
  return prefixes.map((prefix) => {
    const size = IMAGE_SIZE_BY_PREFIX[prefix] ?? null;
    return { url: `${IMAGE_CDN_BASE}${prefix}${h}`, height: size, width: size };
  });
}

/** The image id of an i.scdn.co URL (null for any other URL). */
export function imageIdOf(url: string): string | null {
  return url.startsWith(IMAGE_CDN_BASE) ? url.slice(IMAGE_CDN_BASE.length) : null;
}

function releaseDate(seed: string): string {
  const known = KNOWN_RELEASES[seed];
  if (known) return known;
  const y = pick(`${seed}:y`, 1975, 2025);
  const m = pick(`${seed}:m`, 1, 12);
  const d = pick(`${seed}:d`, 1, 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function isrc(seed: string): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const code = [0, 1, 2].map((i) => letters[pick(`${seed}:isrc${i}`, 0, 25)]).join('');
  return `US${code}${String(pick(`${seed}:isrcy`, 0, 99)).padStart(2, '0')}${String(pick(`${seed}:isrcn`, 0, 99_999)).padStart(5, '0')}`;
}

function htmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

// ---------------------------------------------------------------- builders

export function makeSimplifiedArtist(name: string): SimplifiedArtistObject {
  const id = spotifyId(`artist:${name}`);
  return { external_urls: link('artist', id), href: href('artist', id), id, name, type: 'artist', uri: `spotify:artist:${id}` };
}

export interface AlbumOptions {
  albumType?: AlbumType;
  totalTracks?: number;
  releaseDate?: string;
  artists?: SimplifiedArtistObject[];
}

export function makeAlbum(name: string, artistName = 'The Weeknd', opts: AlbumOptions = {}): SimplifiedAlbumObject {
  const id = spotifyId(`album:${artistName}:${name}`);
  const date = opts.releaseDate ?? releaseDate(id);
  return {
    album_type: opts.albumType ?? 'album',
    total_tracks: opts.totalTracks ?? pick(`${id}:tracks`, 8, 18),
    external_urls: link('album', id),
    href: href('album', id),
    id,
    images: images(id, COVER_PREFIXES),
    name,
    release_date: date,
    release_date_precision: date.length === 4 ? 'year' : date.length === 7 ? 'month' : 'day',
    type: 'album',
    uri: `spotify:album:${id}`,
    artists: opts.artists ?? [makeSimplifiedArtist(artistName)],
  };
}

export type TrackOverrides = Partial<TrackObject> & { artistName?: string; albumName?: string };

/** A catalogue track. Default: "Blinding Lights" by The Weeknd. `artistName`/`albumName` are shortcuts. */
export function makeTrack(overrides: TrackOverrides = {}): TrackObject {
  const { artistName = 'The Weeknd', albumName = 'After Hours', ...rest } = overrides;
  const name = rest.name ?? 'Blinding Lights';
  const id = rest.id !== undefined ? rest.id : spotifyId(`track:${artistName}:${name}`);
  const idOrLocal = id ?? 'local';
  const album = rest.album ?? makeAlbum(albumName, artistName);
  return {
    album,
    artists: [makeSimplifiedArtist(artistName)],
    disc_number: 1,
    duration_ms: 200_040,
    explicit: false,
    external_ids: { isrc: isrc(idOrLocal) },
    external_urls: link('track', idOrLocal),
    href: href('track', idOrLocal),
    id,
    name,
    track_number: pick(`${idOrLocal}:no`, 1, Math.max(1, album.total_tracks)),
    type: 'track',
    uri: `spotify:track:${idOrLocal}`,
    is_local: false,
    ...rest,
  };
}

function localPart(s: string): string {
  return encodeURIComponent(s).replace(/%20/g, '+');
}

/**
 * A local file, with the null pattern Spotify uses: track/album/artist id, href and uri null (the track's uri is
 * `spotify:local:Artist:Album:Title:Seconds`), no images, no external urls or ids, album_type and release date
 * null, disc/track number 0.
 */
export function makeLocalTrack(opts: { title?: string; artist?: string; album?: string; durationMs?: number } = {}): TrackObject {
  const { title = 'One More Time', artist = 'Daft Punk', album = 'Discovery', durationMs = 320_357 } = opts;
  return {
    album: {
      album_type: null,
      total_tracks: 0,
      external_urls: {},
      href: null,
      id: null,
      images: [],
      name: album,
      release_date: null,
      release_date_precision: null,
      type: 'album',
      uri: null,
      artists: [],
    },
    artists: [{ external_urls: {}, href: null, id: null, name: artist, type: 'artist', uri: null }],
    disc_number: 0,
    duration_ms: durationMs,
    explicit: false,
    external_ids: {},
    external_urls: {},
    href: null,
    id: null,
    name: title,
    track_number: 0,
    type: 'track',
    uri: `spotify:local:${localPart(artist)}:${localPart(album)}:${localPart(title)}:${Math.round(durationMs / 1000)}`,
    is_local: true,
  };
}

export interface ShowOptions {
  name?: string;
  /** Gone for dev-mode apps; only included when given. */
  publisher?: string;
  description?: string;
  /** No art: `images: []`. */
  withoutArt?: boolean;
}

export function makeShow(opts: ShowOptions = {}): SimplifiedShowObject {
  const name = opts.name ?? 'Hard Fork';
  const id = spotifyId(`show:${name}`);
  const description = opts.description ?? `${name}: a weekly show.`;
  return {
    copyrights: [],
    description,
    html_description: `<p>${htmlEscape(description)}</p>`,
    explicit: false,
    external_urls: link('show', id),
    href: href('show', id),
    id,
    images: opts.withoutArt ? [] : images(id, SHOW_PREFIXES),
    is_externally_hosted: false,
    languages: ['en'],
    media_type: 'audio',
    name,
    ...(opts.publisher !== undefined ? { publisher: opts.publisher } : {}),
    type: 'show',
    uri: `spotify:show:${id}`,
    total_episodes: pick(`${id}:episodes`, 20, 400),
  };
}

export type EpisodeOverrides = Partial<EpisodeObject> & { showName?: string; publisher?: string; withoutArt?: boolean };

/** A podcast episode. Default: an episode of "Hard Fork". `withoutArt` gives the episode and its show `images: []`. */
export function makeEpisode(overrides: EpisodeOverrides = {}): EpisodeObject {
  const { showName = 'Hard Fork', publisher, withoutArt = false, ...rest } = overrides;
  const name = rest.name ?? 'The A.I. Agents Are Here';
  const id = rest.id ?? spotifyId(`episode:${showName}:${name}`);
  const description = rest.description ?? `In this episode of ${showName}: ${name}.`;
  return {
    description,
    html_description: `<p>${htmlEscape(description)}</p>`,
    duration_ms: 3_912_000,
    explicit: false,
    external_urls: link('episode', id),
    href: href('episode', id),
    id,
    images: withoutArt ? [] : images(id, SHOW_PREFIXES),
    is_externally_hosted: false,
    is_playable: true,
    languages: ['en'],
    name,
    release_date: releaseDate(id),
    release_date_precision: 'day',
    type: 'episode',
    uri: `spotify:episode:${id}`,
    show: makeShow({ name: showName, withoutArt, ...(publisher !== undefined ? { publisher } : {}) }),
    ...rest,
  };
}

/** A full artist object (no followers, popularity or genres: gone for dev-mode apps). Default: The Weeknd. */
export function makeArtist(overrides: Partial<ArtistObject> = {}): ArtistObject {
  const name = overrides.name ?? 'The Weeknd';
  const id = overrides.id ?? spotifyId(`artist:${name}`);
  return {
    external_urls: link('artist', id),
    href: href('artist', id),
    id,
    images: images(id, ARTIST_PREFIXES),
    name,
    type: 'artist',
    uri: `spotify:artist:${id}`,
    ...overrides,
  };
}

/** The `/me` object of a user (no country, email, product, followers or explicit_content: removed). */
export function makeUser(opts: { id?: string; displayName?: string | null; accountId?: string; images?: ImageObject[]; withAvatar?: boolean } = {}): PrivateUserObject {
  const id = opts.id ?? 'emulatoruser';
  return {
    account_id: opts.accountId ?? spotifyId(`account:${id}`),
    display_name: opts.displayName === undefined ? id : opts.displayName,
    external_urls: { spotify: `https://open.spotify.com/user/${encodeURIComponent(id)}` },
    href: `${SPOTIFY_API_BASE}/users/${encodeURIComponent(id)}`,
    id,
    images: opts.images ?? (opts.withAvatar ? images(`user:${id}`, USER_PREFIXES) : []),
    type: 'user',
    uri: `spotify:user:${id}`,
  };
}

/** The context a track or episode plays in by default: its album (none for local files) or its show. */
export function contextOf(item: TrackObject | EpisodeObject): ContextObject | null {
  if (item.type === 'episode') return { type: 'show', href: item.show.href, external_urls: item.show.external_urls, uri: item.show.uri };
  const album = item.album;
  if (item.is_local || !album.uri) return null;
  return { type: 'album', href: album.href, external_urls: album.external_urls, uri: album.uri };
}

function actionsFor(isPlaying: boolean): { disallows: Disallows } {
  return { disallows: isPlaying ? { resuming: true } : { pausing: true } };
}

/**
 * A currently-playing body for `item`. `timestamp` is now (the emulator also fills a 0 timestamp);
 * progress defaults to one minute in (capped at the duration); context is the album/show (null for local files).
 */
export function playing(
  item: Track | Episode | TrackObject | EpisodeObject,
  opts: { progressMs?: number; isPlaying?: boolean; timestamp?: number; context?: ContextObject | null } = {},
): CurrentlyPlayingObject {
  const full = item.type === 'track' ? completeTrack(item) : completeEpisode(item);
  const isPlaying = opts.isPlaying ?? true;
  return {
    timestamp: opts.timestamp ?? Date.now(),
    context: opts.context !== undefined ? opts.context : contextOf(full),
    progress_ms: opts.progressMs ?? Math.min(60_000, full.duration_ms),
    item: full,
    currently_playing_type: full.type,
    actions: actionsFor(isPlaying),
    is_playing: isPlaying,
  };
}

/** An advert: Spotify gives no item and no progress. */
export function adPlaying(): CurrentlyPlayingObject {
  return {
    timestamp: Date.now(),
    context: null,
    progress_ms: null,
    item: null,
    currently_playing_type: 'ad',
    actions: actionsFor(true),
    is_playing: true,
  };
}

const SONGS: ReadonlyArray<readonly [title: string, artist: string, album: string]> = [
  ['Blinding Lights', 'The Weeknd', 'After Hours'],
  ['Anti-Hero', 'Taylor Swift', 'Midnights'],
  ['As It Was', 'Harry Styles', "Harry's House"],
  ['bad guy', 'Billie Eilish', 'WHEN WE ALL FALL ASLEEP, WHERE DO WE GO?'],
  ['Levitating', 'Dua Lipa', 'Future Nostalgia'],
  ['HUMBLE.', 'Kendrick Lamar', 'DAMN.'],
  ['Get Lucky', 'Daft Punk', 'Random Access Memories'],
  ['Flowers', 'Miley Cyrus', 'Endless Summer Vacation'],
  ['Heat Waves', 'Glass Animals', 'Dreamland'],
  ['good 4 u', 'Olivia Rodrigo', 'SOUR'],
  ['Espresso', 'Sabrina Carpenter', "Short n' Sweet"],
  ['Do I Wanna Know?', 'Arctic Monkeys', 'AM'],
  ['Kill Bill', 'SZA', 'SOS'],
  ['Titi Me Preguntó', 'Bad Bunny', 'Un Verano Sin Ti'],
  ['Redbone', 'Childish Gambino', 'Awaken, My Love!'],
  ['Motion Sickness', 'Phoebe Bridgers', 'Stranger in the Alps'],
  ['Nights', 'Frank Ocean', 'Blonde'],
  ['Dreams', 'Fleetwood Mac', 'Rumours'],
  ['Midnight City', 'M83', "Hurry Up, We're Dreaming"],
  ['Mr. Brightside', 'The Killers', 'Hot Fuss'],
];

/** `n` distinct tracks (distinct names and ids), in rank order. */
export function makeTracks(n: number): TrackObject[] {
  return Array.from({ length: n }, (_, i) => {
    const [title, artistName, albumName] = SONGS[i % SONGS.length] ?? SONGS[0]!;
    const round = Math.floor(i / SONGS.length);
    return makeTrack({
      name: round === 0 ? title : `${title} (Take ${round + 1})`,
      artistName,
      albumName,
      duration_ms: 150_000 + ((i * 7_919) % 120_000),
      explicit: i % 4 === 1,
    });
  });
}

/** `n` distinct artists (distinct names and ids), in rank order. */
export function makeArtists(n: number): ArtistObject[] {
  const names = [...new Set(SONGS.map(([, artist]) => artist))];
  return Array.from({ length: n }, (_, i) => {
    const base = names[i % names.length] ?? 'The Weeknd';
    const round = Math.floor(i / names.length);
    return makeArtist({ name: round === 0 ? base : `${base} ${round + 1}` });
  });
}

/**
 * Play history for `tracks` (given newest first), `gapMs` apart (default 3.5 min). Either the newest play is at
 * `endAt` (default now), or, with `startAt`, the oldest play is at `startAt` and the rest follow it. Each play's
 * context is the track's album (null for local files).
 */
export function makePlayHistory(
  tracks: ReadonlyArray<Track | TrackObject>,
  opts: { startAt?: number; endAt?: number; gapMs?: number } = {},
): PlayHistoryObject[] {
  const gapMs = opts.gapMs ?? 210_000;
  const newest = opts.startAt !== undefined ? opts.startAt + Math.max(0, tracks.length - 1) * gapMs : (opts.endAt ?? Date.now());
  return tracks.map((t, i) => {
    const track = completeTrack(t);
    return { track, played_at: new Date(newest - i * gapMs).toISOString(), context: contextOf(track) };
  });
}

// ---------------------------------------------------------------- completion of bot-typed objects

type Loose<Full, Bot> = Bot & Partial<Omit<Full, keyof Bot>>;
export type ArtistRefInput = Loose<SimplifiedArtistObject, SimplifiedArtist>;
export type AlbumInput = Omit<Loose<SimplifiedAlbumObject, SimplifiedAlbum>, 'artists'> & { artists?: ArtistRefInput[] };
export type TrackInput = Omit<Loose<TrackObject, Track>, 'album' | 'artists'> & { album: AlbumInput; artists: ArtistRefInput[] };
export type ShowInput = Loose<SimplifiedShowObject, Show>;
export type EpisodeInput = Omit<Loose<EpisodeObject, Episode>, 'show'> & { show: ShowInput };
export type ArtistInput = Loose<ArtistObject, Artist>;
export type PlayHistoryInput = PlayHistory & { track: TrackInput; context?: ContextObject | null };
export type CurrentlyPlayingInput = Omit<CurrentlyPlaying, 'item' | 'context'> & {
  item: TrackInput | EpisodeInput | null;
  context?: CurrentlyPlaying['context'] | ContextObject;
  actions?: { disallows: Disallows };
};

export function completeSimplifiedArtist(a: ArtistRefInput): SimplifiedArtistObject {
  return {
    external_urls: a.external_urls ?? (a.id ? link('artist', a.id) : {}),
    href: a.href !== undefined ? a.href : a.id ? href('artist', a.id) : null,
    id: a.id,
    name: a.name,
    type: 'artist',
    uri: a.uri,
  };
}

export function completeAlbum(a: AlbumInput, fallbackArtists: readonly ArtistRefInput[] = []): SimplifiedAlbumObject {
  if (a.id === null) {
    // A local file's album: the null pattern.
    return {
      album_type: a.album_type ?? null,
      total_tracks: a.total_tracks ?? 0,
      external_urls: a.external_urls ?? {},
      href: a.href ?? null,
      id: null,
      images: a.images,
      name: a.name,
      release_date: a.release_date ?? null,
      release_date_precision: a.release_date_precision ?? null,
      type: 'album',
      uri: a.uri,
      artists: (a.artists ?? []).map(completeSimplifiedArtist),
    };
  }
  const date = a.release_date ?? releaseDate(a.id);
  const complete: SimplifiedAlbumObject = {
    album_type: a.album_type !== undefined ? a.album_type : 'album',
    total_tracks: a.total_tracks ?? pick(`${a.id}:tracks`, 8, 18),
    external_urls: a.external_urls ?? link('album', a.id),
    href: a.href !== undefined ? a.href : href('album', a.id),
    id: a.id,
    images: a.images,
    name: a.name,
    release_date: date,
    release_date_precision: a.release_date_precision !== undefined ? a.release_date_precision : date.length === 4 ? 'year' : date.length === 7 ? 'month' : 'day',
    type: 'album',
    uri: a.uri,
    artists: (a.artists ?? fallbackArtists).map(completeSimplifiedArtist),
  };
  if (a.restrictions) complete.restrictions = a.restrictions;
  return complete;
}

export function completeTrack(t: TrackInput): TrackObject {
  const key = t.id ?? t.uri;
  const album = completeAlbum(t.album, t.artists);
  const complete: TrackObject = {
    album,
    artists: t.artists.map(completeSimplifiedArtist),
    disc_number: t.disc_number ?? (t.is_local ? 0 : 1),
    duration_ms: t.duration_ms,
    explicit: t.explicit ?? false,
    external_ids: t.external_ids ?? (t.is_local ? {} : { isrc: isrc(key) }),
    external_urls: t.external_urls ?? (t.id ? link('track', t.id) : {}),
    href: t.href !== undefined ? t.href : t.id ? href('track', t.id) : null,
    id: t.id,
    name: t.name,
    track_number: t.track_number ?? (t.is_local ? 0 : pick(`${key}:no`, 1, Math.max(1, album.total_tracks))),
    type: 'track',
    uri: t.uri,
    is_local: t.is_local,
  };
  if (t.is_playable !== undefined) complete.is_playable = t.is_playable;
  if (t.restrictions) complete.restrictions = t.restrictions;
  return complete;
}

export function completeShow(s: ShowInput): SimplifiedShowObject {
  const description = s.description ?? `${s.name}: a weekly show.`;
  const complete: SimplifiedShowObject = {
    copyrights: s.copyrights ?? [],
    description,
    html_description: s.html_description ?? `<p>${htmlEscape(description)}</p>`,
    explicit: s.explicit ?? false,
    external_urls: s.external_urls ?? link('show', s.id),
    href: s.href ?? href('show', s.id),
    id: s.id,
    images: s.images,
    is_externally_hosted: s.is_externally_hosted ?? false,
    languages: s.languages ?? ['en'],
    media_type: s.media_type ?? 'audio',
    name: s.name,
    type: 'show',
    uri: s.uri ?? `spotify:show:${s.id}`,
    total_episodes: s.total_episodes ?? pick(`${s.id}:episodes`, 20, 400),
  };
  if (s.publisher !== undefined) complete.publisher = s.publisher;
  return complete;
}

export function completeEpisode(e: EpisodeInput): EpisodeObject {
  const description = e.description ?? `In this episode of ${e.show.name}: ${e.name}.`;
  const date = e.release_date ?? releaseDate(e.id);
  const complete: EpisodeObject = {
    description,
    html_description: e.html_description ?? `<p>${htmlEscape(description)}</p>`,
    duration_ms: e.duration_ms,
    explicit: e.explicit ?? false,
    external_urls: e.external_urls ?? link('episode', e.id),
    href: e.href ?? href('episode', e.id),
    id: e.id,
    images: e.images,
    is_externally_hosted: e.is_externally_hosted ?? false,
    is_playable: e.is_playable ?? true,
    languages: e.languages ?? ['en'],
    name: e.name,
    release_date: date,
    release_date_precision: e.release_date_precision ?? 'day',
    type: 'episode',
    uri: e.uri,
    show: completeShow(e.show),
  };
  if (e.resume_point) complete.resume_point = e.resume_point;
  return complete;
}

export function completeArtist(a: ArtistInput): ArtistObject {
  return {
    external_urls: a.external_urls ?? link('artist', a.id),
    href: a.href ?? href('artist', a.id),
    id: a.id,
    images: a.images ?? [],
    name: a.name,
    type: 'artist',
    uri: a.uri,
  };
}

function completeContext(c: CurrentlyPlayingInput['context'], item: TrackObject | EpisodeObject | null): ContextObject | null {
  if (c === undefined) return item ? contextOf(item) : null;
  if (c === null) return null;
  const id = c.uri.split(':').pop() ?? '';
  return {
    type: c.type,
    href: 'href' in c && c.href !== undefined ? c.href : href(c.type, id),
    external_urls: c.external_urls ?? link(c.type, id),
    uri: c.uri,
  };
}

export function completeCurrentlyPlaying(body: CurrentlyPlayingInput): CurrentlyPlayingObject {
  const item = body.item === null ? null : body.item.type === 'track' ? completeTrack(body.item) : completeEpisode(body.item);
  const complete: CurrentlyPlayingObject = {
    timestamp: body.timestamp,
    context: completeContext(body.context, item),
    progress_ms: body.progress_ms,
    item,
    currently_playing_type: body.currently_playing_type,
    actions: body.actions ?? actionsFor(body.is_playing),
    is_playing: body.is_playing,
  };
  if (body.device) complete.device = body.device;
  return complete;
}

export function completePlayHistory(p: PlayHistoryInput): PlayHistoryObject {
  const track = completeTrack(p.track);
  return { track, played_at: p.played_at, context: p.context !== undefined ? p.context : contextOf(track) };
}
