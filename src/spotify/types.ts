// The subset of Spotify Web API objects this bot reads. Field names follow the API (snake_case).
// Dev-mode apps no longer receive popularity, followers, available_markets or linked_from, and genres is
// deprecated: none of them is read here.

export interface SpotifyImage {
  url: string;
  height: number | null;
  width: number | null;
}

export interface ExternalUrls {
  spotify?: string;
}

export interface SimplifiedArtist {
  id: string | null;
  name: string;
  uri: string | null;
  external_urls?: ExternalUrls;
}

export interface SimplifiedAlbum {
  id: string | null;
  name: string;
  uri: string | null;
  images: SpotifyImage[];
  external_urls?: ExternalUrls;
}

export interface Track {
  type: 'track';
  id: string | null;
  name: string;
  uri: string;
  duration_ms: number;
  explicit?: boolean;
  is_local: boolean;
  artists: SimplifiedArtist[];
  album: SimplifiedAlbum;
  external_urls?: ExternalUrls;
}

export interface Show {
  id: string;
  name: string;
  publisher?: string;
  images: SpotifyImage[];
  external_urls?: ExternalUrls;
}

export interface Episode {
  type: 'episode';
  id: string;
  name: string;
  uri: string;
  duration_ms: number;
  images: SpotifyImage[];
  show: Show;
  external_urls?: ExternalUrls;
}

export interface Artist {
  type: 'artist';
  id: string;
  name: string;
  uri: string;
  images?: SpotifyImage[];
  external_urls?: ExternalUrls;
}

export interface CurrentlyPlaying {
  timestamp: number;
  progress_ms: number | null;
  is_playing: boolean;
  currently_playing_type: 'track' | 'episode' | 'ad' | 'unknown';
  item: Track | Episode | null;
  context?: { type: string; uri: string; external_urls?: ExternalUrls } | null;
  device?: { is_private_session?: boolean } | null;
}

export interface Paging<T> {
  href: string;
  items: T[];
  limit: number;
  next: string | null;
  offset: number;
  previous: string | null;
  total: number;
}

export interface PlayHistory {
  track: Track;
  played_at: string;
}

export interface CursorPaging<T> {
  href: string;
  items: T[];
  limit: number;
  next: string | null;
  cursors: { after?: string; before?: string } | null;
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  scope?: string;
  expires_in: number;
  refresh_token?: string;
}

export type TimeRange = 'short_term' | 'medium_term' | 'long_term';
export const TIME_RANGES: readonly TimeRange[] = ['short_term', 'medium_term', 'long_term'];

/** The most items Spotify returns in one page (top items, recently played). */
export const SPOTIFY_MAX_LIMIT = 50;
