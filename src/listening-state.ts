// What the owner is listening to, normalized from Spotify's currently-playing object.
// Pure: no I/O. Shared by /nowplaying and the presence job.
import type { CurrentlyPlaying, Episode, SpotifyImage, Track } from './spotify/types.js';

export interface Link {
  name: string;
  /** open.spotify.com URL, or null for local files. */
  url: string | null;
}

interface Playback {
  isPlaying: boolean;
  /** Milliseconds into the item, at `observedAt`. */
  progressMs: number;
  durationMs: number;
  /** Epoch ms at which progressMs was true (our clock, when the answer arrived). */
  observedAt: number;
}

export interface TrackState extends Playback {
  kind: 'track';
  title: string;
  url: string | null;
  uri: string;
  artists: Link[];
  album: Link;
  imageUrl: string | null;
  isLocal: boolean;
  explicit: boolean;
}

export interface EpisodeState extends Playback {
  kind: 'episode';
  title: string;
  url: string | null;
  uri: string;
  show: Link;
  publisher: string | null;
  imageUrl: string | null;
}

export interface AdState {
  kind: 'ad';
  isPlaying: boolean;
  observedAt: number;
}

export interface NothingState {
  kind: 'nothing';
  /** Spotify answered 204: nothing playing, or a private session (Spotify does not tell which). */
  observedAt: number;
}

/** An item Spotify reported without details (currently_playing_type "unknown", or an episode without item). */
export interface UnknownState {
  kind: 'unknown';
  isPlaying: boolean;
  observedAt: number;
}

export type ListeningState = TrackState | EpisodeState | AdState | NothingState | UnknownState;

const OPEN_SPOTIFY = 'https://open.spotify.com';

function spotifyUrl(type: string, id: string | null | undefined, external?: string): string | null {
  if (external) return external;
  return id ? `${OPEN_SPOTIFY}/${type}/${id}` : null;
}

/**
 * Width of the cover picked for drawing and embed thumbnails: the largest thing drawn is a 320 px chart tile (the card's
 * cover is 240 px). Spotify lists album and episode art at 640/300/64 px and artists at 640/320/160; the 300 px file
 * is about a quarter of the 640's bytes and decoded pixels.
 */
export const COVER_MIN_WIDTH = 300;

/**
 * The smallest image at least `minWidth` px wide; the widest one when none is (or none gives a width: then the first,
 * as Spotify lists them widest first). Null when there are none.
 */
export function coverImage(images: readonly SpotifyImage[] | undefined, minWidth = COVER_MIN_WIDTH): string | null {
  if (!images || images.length === 0) return null;
  let fit: SpotifyImage | undefined;
  let widest = images[0]!;
  for (const image of images) {
    const width = image.width ?? 0;
    if (width > (widest.width ?? 0)) widest = image;
    if (width >= minWidth && (!fit || width < (fit.width ?? 0))) fit = image;
  }
  return (fit ?? widest).url;
}

function trackState(item: Track, playback: Playback): TrackState {
  const isLocal = item.is_local === true;
  return {
    kind: 'track',
    ...playback,
    title: item.name,
    url: isLocal ? null : spotifyUrl('track', item.id, item.external_urls?.spotify),
    uri: item.uri,
    artists: item.artists.map((a) => ({
      name: a.name,
      url: isLocal ? null : spotifyUrl('artist', a.id, a.external_urls?.spotify),
    })),
    album: {
      name: item.album.name,
      url: isLocal ? null : spotifyUrl('album', item.album.id, item.album.external_urls?.spotify),
    },
    imageUrl: coverImage(item.album.images),
    isLocal,
    explicit: item.explicit === true,
  };
}

function episodeState(item: Episode, playback: Playback): EpisodeState {
  return {
    kind: 'episode',
    ...playback,
    title: item.name,
    url: spotifyUrl('episode', item.id, item.external_urls?.spotify),
    uri: item.uri,
    show: { name: item.show.name, url: spotifyUrl('show', item.show.id, item.show.external_urls?.spotify) },
    publisher: item.show.publisher ?? null,
    imageUrl: coverImage(item.images) ?? coverImage(item.show.images),
  };
}

/**
 * Normalize Spotify's answer. `body` is null for a 204 (nothing playing / private session).
 * `observedAt` is our clock when the answer arrived; Spotify's `timestamp` is when playback last changed state,
 * not when progress was measured, so it is not used for extrapolation.
 */
export function normalizeCurrentlyPlaying(body: CurrentlyPlaying | null, observedAt: number): ListeningState {
  if (body === null) return { kind: 'nothing', observedAt };
  const isPlaying = body.is_playing === true;
  if (body.currently_playing_type === 'ad') return { kind: 'ad', isPlaying, observedAt };
  const item = body.item;
  if (!item) return { kind: 'unknown', isPlaying, observedAt };
  const durationMs = Math.max(0, item.duration_ms ?? 0);
  const playback: Playback = {
    isPlaying,
    progressMs: clamp(body.progress_ms ?? 0, 0, durationMs),
    durationMs,
    observedAt,
  };
  if (item.type === 'episode') return episodeState(item, playback);
  if (item.type === 'track') return trackState(item, playback);
  return { kind: 'unknown', isPlaying, observedAt };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** The state as of `now`: progress moves on while playing, never past the end. */
export function atTime<S extends ListeningState>(state: S, now: number): S {
  if ((state.kind !== 'track' && state.kind !== 'episode') || !state.isPlaying) return state;
  const elapsed = Math.max(0, now - state.observedAt);
  return { ...state, progressMs: clamp(state.progressMs + elapsed, 0, state.durationMs), observedAt: now };
}
