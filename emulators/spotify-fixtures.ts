// Builders for realistic Spotify Web API objects (typed with src/spotify/types.ts).
// Ids are 22-char base62 strings derived deterministically from the names, so the same name always gives the
// same id and distinct names give distinct ids. Dev-mode-removed fields (popularity, followers, …) are absent.

import { createHash } from 'node:crypto';
import type {
  Artist,
  CurrentlyPlaying,
  Episode,
  ExternalUrls,
  PlayHistory,
  SimplifiedAlbum,
  SimplifiedArtist,
  SpotifyImage,
  Track,
} from '../src/spotify/types.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Real ids for the defaults, so a default track looks exactly like Spotify's. */
const KNOWN_IDS: Record<string, string> = {
  'artist:The Weeknd': '1Xyo4u8uXC1ZmMpatF05PJ',
  'album:The Weeknd:After Hours': '4yP0hdKOZPNshxUOjY0cZj',
  'track:The Weeknd:Blinding Lights': '0VjIjW4GlUZAMYd2vXMi3b',
};

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

function link(type: string, id: string): ExternalUrls {
  return { spotify: `https://open.spotify.com/${type}/${id}` };
}

function images(seed: string, sizes: ReadonlyArray<readonly [prefix: string, size: number]>): SpotifyImage[] {
  const h = hex(seed, 24);
  return sizes.map(([prefix, size]) => ({ url: `https://i.scdn.co/image/${prefix}${h}`, height: size, width: size }));
}

const COVER_SIZES = [['ab67616d0000b273', 640], ['ab67616d00001e02', 300], ['ab67616d00004851', 64]] as const;
const ARTIST_SIZES = [['ab6761610000e5eb', 640], ['ab67616100005174', 320], ['ab6761610000f178', 160]] as const;
const SHOW_SIZES = [['ab6765630000ba8a', 640], ['ab67656300005f1f', 300], ['ab6765630000f68d', 64]] as const;

export function makeSimplifiedArtist(name: string): SimplifiedArtist {
  const id = spotifyId(`artist:${name}`);
  return { id, name, uri: `spotify:artist:${id}`, external_urls: link('artist', id) };
}

export function makeAlbum(name: string, artistName = 'The Weeknd'): SimplifiedAlbum {
  const id = spotifyId(`album:${artistName}:${name}`);
  return { id, name, uri: `spotify:album:${id}`, images: images(id, COVER_SIZES), external_urls: link('album', id) };
}

export type TrackOverrides = Partial<Track> & { artistName?: string; albumName?: string };

/** A catalogue track. Default: "Blinding Lights" by The Weeknd. `artistName`/`albumName` are shortcuts. */
export function makeTrack(overrides: TrackOverrides = {}): Track {
  const { artistName = 'The Weeknd', albumName = 'After Hours', ...rest } = overrides;
  const name = rest.name ?? 'Blinding Lights';
  const id = rest.id !== undefined ? rest.id : spotifyId(`track:${artistName}:${name}`);
  const idOrLocal = id ?? 'local';
  return {
    type: 'track',
    id,
    name,
    uri: `spotify:track:${idOrLocal}`,
    duration_ms: 200_040,
    explicit: false,
    is_local: false,
    artists: [makeSimplifiedArtist(artistName)],
    album: makeAlbum(albumName, artistName),
    external_urls: link('track', idOrLocal),
    ...rest,
  };
}

/** A local file: ids/hrefs null, no images, uri `spotify:local:Artist:Album:Title:Seconds`. */
export function makeLocalTrack(opts: { title?: string; artist?: string; album?: string; durationMs?: number } = {}): Track {
  const { title = 'One More Time', artist = 'Daft Punk', album = 'Discovery', durationMs = 320_357 } = opts;
  const enc = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+');
  return {
    type: 'track',
    id: null,
    name: title,
    uri: `spotify:local:${enc(artist)}:${enc(album)}:${enc(title)}:${Math.round(durationMs / 1000)}`,
    duration_ms: durationMs,
    explicit: false,
    is_local: true,
    artists: [{ id: null, name: artist, uri: null, external_urls: {} }],
    album: { id: null, name: album, uri: null, images: [], external_urls: {} },
    external_urls: {},
  };
}

export type EpisodeOverrides = Partial<Episode> & { showName?: string; publisher?: string };

/** A podcast episode. Default: an episode of "Hard Fork". */
export function makeEpisode(overrides: EpisodeOverrides = {}): Episode {
  const { showName = 'Hard Fork', publisher = 'The New York Times', ...rest } = overrides;
  const name = rest.name ?? 'The A.I. Agents Are Here';
  const showId = spotifyId(`show:${showName}`);
  const id = rest.id ?? spotifyId(`episode:${showName}:${name}`);
  return {
    type: 'episode',
    id,
    name,
    uri: `spotify:episode:${id}`,
    duration_ms: 3_912_000,
    images: images(id, SHOW_SIZES),
    show: { id: showId, name: showName, publisher, images: images(showId, SHOW_SIZES), external_urls: link('show', showId) },
    external_urls: link('episode', id),
    ...rest,
  };
}

/** A full artist object. Default: The Weeknd. */
export function makeArtist(overrides: Partial<Artist> = {}): Artist {
  const name = overrides.name ?? 'The Weeknd';
  const id = overrides.id ?? spotifyId(`artist:${name}`);
  return {
    type: 'artist',
    id,
    name,
    uri: `spotify:artist:${id}`,
    images: images(id, ARTIST_SIZES),
    external_urls: link('artist', id),
    ...overrides,
  };
}

/**
 * A currently-playing body for `item`. `timestamp` is now (the emulator also fills a 0 timestamp);
 * progress defaults to one minute in (capped at the duration); context is the album/show (null for local files).
 */
export function playing(
  item: Track | Episode,
  opts: { progressMs?: number; isPlaying?: boolean; timestamp?: number } = {},
): CurrentlyPlaying {
  let context: CurrentlyPlaying['context'] = null;
  if (item.type === 'track' && !item.is_local && item.album.uri) {
    context = { type: 'album', uri: item.album.uri, external_urls: item.album.external_urls ?? {} };
  } else if (item.type === 'episode') {
    context = { type: 'show', uri: `spotify:show:${item.show.id}`, external_urls: item.show.external_urls ?? {} };
  }
  return {
    timestamp: opts.timestamp ?? Date.now(),
    context,
    progress_ms: opts.progressMs ?? Math.min(60_000, item.duration_ms),
    item,
    currently_playing_type: item.type,
    is_playing: opts.isPlaying ?? true,
  };
}

/** An advert: Spotify gives no item and no progress. */
export function adPlaying(): CurrentlyPlaying {
  return { timestamp: Date.now(), context: null, progress_ms: null, item: null, currently_playing_type: 'ad', is_playing: true };
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
export function makeTracks(n: number): Track[] {
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
export function makeArtists(n: number): Artist[] {
  const names = [...new Set(SONGS.map(([, artist]) => artist))];
  return Array.from({ length: n }, (_, i) => {
    const base = names[i % names.length] ?? 'The Weeknd';
    const round = Math.floor(i / names.length);
    return makeArtist({ name: round === 0 ? base : `${base} ${round + 1}` });
  });
}

/** Play history for `tracks`, newest first, `gapMs` apart, the newest played at `endAt`. */
export function makePlayHistory(tracks: Track[], opts: { endAt?: number; gapMs?: number } = {}): PlayHistory[] {
  const { endAt = Date.now(), gapMs = 210_000 } = opts;
  return tracks.map((track, i) => ({ track, played_at: new Date(endAt - i * gapMs).toISOString() }));
}
