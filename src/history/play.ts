// A play: one listen that counts, as every source delivers it to the history store. Plain data (crosses the
// sharding IPC as JSON). The store derives its grouping keys from it (see `trackKey`), so sources only say what
// they saw.

/** Where a play came from. */
export type PlaySource = 'spotify-recent' | 'discord-status' | 'import-extended' | 'import-account';

export const PLAY_SOURCES: readonly PlaySource[] = ['spotify-recent', 'discord-status', 'import-extended', 'import-account'];

/** Whose history: the bot owner's own account, or a Discord user id. */
export type HistoryUser = 'owner' | `${bigint}`;

export interface PlayInput {
  /** Track title, as the source spells it. */
  title: string;
  /** The primary (or album) artist. */
  artist: string;
  album: string | null;
  /** Spotify track id (base62) when the source gives one. */
  trackId: string | null;
  /** Spotify image id of the album cover (the part after `/image/`), when the source gives one. */
  imageId: string | null;
  /** Epoch ms when the track started playing. */
  startedAt: number;
  /** Epoch ms when it stopped (ended, skipped or paused for good). */
  endedAt: number;
  /** How long it played, when the source knows (imports, Discord status); null: the track's duration stands in. */
  msPlayed: number | null;
  /** The track's length, when known. */
  durationMs: number | null;
  source: PlaySource;
}

/** Case, width and spacing folded, so "Dua Lipa" and "dua  lipa" group together. */
export function foldName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The identity of a track for counting and de-duplication: artist and title, folded (ids differ across sources). */
export function trackKey(artist: string, title: string): string {
  return foldedTrackKey(foldName(artist), foldName(title));
}

/** `trackKey` of an artist and a title already folded (a bulk write folds each distinct name once). */
export function foldedTrackKey(artistKey: string, titleKey: string): string {
  return `${artistKey}\u001f${titleKey}`;
}

/** Listening time of a play: what it played when known, else the track's length, else nothing. */
export function listenedMs(play: Pick<PlayInput, 'msPlayed' | 'durationMs'>): number {
  return play.msPlayed ?? play.durationMs ?? 0;
}

/** Plays of the same track this close together (start or end) are one play seen twice. */
export const SAME_PLAY_WINDOW_MS = 60_000;
