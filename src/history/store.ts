// The history store: what features, recorders and the import script call. One implementation
// (src/sql/history-store.ts) over SQLite or PostgreSQL; nothing outside src/sql/ writes SQL. Every method takes plain
// data a worker thread can receive (the SQLite store runs behind one); all but addPlayBatch (typed arrays) are JSON.
import type { HistoryUser, PlayInput, PlaySource } from './play.js';
import type { PlayBatch } from './play-batch.js';

export interface AddResult {
  added: number;
  /** Plays already stored (same listener, same track, started or ended within a minute). */
  duplicates: number;
}

/** What a person chose about recording. `recording` null: never chose (owner and linked members: recorded). */
export interface RecordingChoice {
  recording: boolean | null;
  onlyMe: boolean;
}

export interface UserChoice extends RecordingChoice {
  user: HistoryUser;
}

export interface ImportRecord {
  fileName: string;
  importedAt: number;
  added: number;
  duplicates: number;
  skipped: number;
  firstAt: number | null;
  lastAt: number | null;
}

export interface HistoryStatus {
  plays: number;
  /** Start of the oldest stored play. */
  firstAt: number | null;
  lastAt: number | null;
  bySource: Partial<Record<PlaySource, number>>;
  imports: ImportRecord[];
  choice: RecordingChoice;
}

/** A stored play with its catalogue fields, as /history export writes it. */
export interface StoredPlay {
  id: number;
  title: string;
  artist: string;
  album: string | null;
  trackId: string | null;
  startedAt: number;
  endedAt: number;
  msPlayed: number | null;
  durationMs: number | null;
  source: PlaySource;
}

export interface ErasedHistory {
  plays: number;
  imports: number;
  /** Whether a recording choice or cursor existed. */
  user: boolean;
}

/** What a view groups plays by. */
export type ItemKind = 'artist' | 'track' | 'album';

/** A period: plays that started in [from, to). */
export interface Period {
  from: number;
  to: number;
}

export interface TopItem {
  kind: ItemKind;
  /** The folded key the store groups by (pass it back to `listeners`). */
  key: string;
  name: string;
  /** The artist of a track or album; null for an artist. */
  artist: string | null;
  plays: number;
  /** Listening time (ms played, else the track's length). */
  ms: number;
  /** A cover seen with it (Spotify image id), if any. */
  imageId: string | null;
  /** A Spotify track id seen with it (a track's own; an album's or artist's: one of their tracks). */
  trackId: string | null;
}

export interface Totals {
  plays: number;
  ms: number;
  tracks: number;
  artists: number;
  albums: number;
}

export interface ListenerCount {
  user: HistoryUser;
  plays: number;
  ms: number;
}

/** A moment of listening, for per-day and per-hour charts. */
export interface PlayMoment {
  startedAt: number;
  ms: number;
}

/** Where a charted item's cover comes from: a stored cover, else a Spotify track id to look one up with. */
export interface CoverSource {
  /** The item's key (as `TopItem.key`). */
  key: string;
  /** A cover stored with its plays, or with another track of its album. */
  imageId: string | null;
  /** A Spotify track id of the item (a track's own; an album's or artist's: one of their tracks). */
  trackId: string | null;
  /** The catalogue key of the track `trackId` belongs to. */
  trackKey: string | null;
  /** The album that track is on (folded key): one lookup serves the whole album. */
  albumKey: string | null;
}

/** One track's plays and time in a period, with its catalogue fields (a year's view computes everything from these). */
export interface TrackTotal {
  /** The folded track key (unique per track). */
  key: string;
  title: string;
  artist: string;
  artistKey: string;
  albumKey: string | null;
  imageId: string | null;
  plays: number;
  ms: number;
}

/** An artist first heard in a period, with its plays there. */
export interface NewArtist {
  key: string;
  name: string;
  plays: number;
}

/** An artist, track or album as the catalogue names it: /whoknows and its autocomplete. */
export interface KnownItem {
  kind: ItemKind;
  /** A catalogue id of one of its tracks (stands for the item in an autocomplete choice). */
  id: number;
  /** The folded key the store groups by (pass it to `listeners`). */
  key: string;
  name: string;
  /** A track's or album's artist; null for an artist. */
  artist: string | null;
}

/** How to find an item: an autocomplete choice (catalogue id), what someone plays now, or a typed name. */
export type ItemQuery =
  | { by: 'id'; id: number }
  | { by: 'playing'; track: { title: string; artist: string; album: string | null } }
  | { by: 'name'; name: string };

/** One listener's stored plays of a track and its artist, and how many of some members played the track. */
export interface PlayCounts {
  track: number;
  artist: number;
  listeners: number;
}

export interface HistoryStore {
  readonly engine: 'sqlite' | 'postgres';
  /** Add plays (any order, any source); duplicates of stored plays and of each other are dropped. */
  addPlays(user: HistoryUser, plays: readonly PlayInput[]): Promise<AddResult>;
  /** `addPlays` of a batch in columns: for large batches (an import), cheap to copy to the SQLite worker thread. */
  addPlayBatch(user: HistoryUser, batch: PlayBatch): Promise<AddResult>;
  /** Remember one imported file's outcome (after its plays were added). */
  recordImport(user: HistoryUser, record: ImportRecord): Promise<void>;
  choice(user: HistoryUser): Promise<RecordingChoice>;
  setRecording(user: HistoryUser, recording: boolean): Promise<void>;
  setOnlyMe(user: HistoryUser, onlyMe: boolean): Promise<void>;
  /** Everyone who chose /history on. */
  optedIn(): Promise<HistoryUser[]>;
  /** The choices of these users, for those who have any stored (one query for many). */
  choicesAmong(users: readonly HistoryUser[]): Promise<UserChoice[]>;
  /** The recently-played cursor: the newest `played_at` already recorded for this account. */
  recentCursor(user: HistoryUser): Promise<number | null>;
  setRecentCursor(user: HistoryUser, playedAt: number): Promise<void>;
  status(user: HistoryUser): Promise<HistoryStatus>;
  /** A page of a listener's plays, oldest first, after the play with id `afterId` (0: from the start). */
  playsPage(user: HistoryUser, afterId: number, limit: number): Promise<StoredPlay[]>;
  /** The most played artists, tracks or albums of these listeners in a period. */
  topItems(users: readonly HistoryUser[], kind: ItemKind, period: Period, limit: number): Promise<TopItem[]>;
  totals(users: readonly HistoryUser[], period: Period): Promise<Totals>;
  /** Each listener's plays of one artist, track or album (by key), most first; listeners with none are left out. */
  listeners(users: readonly HistoryUser[], kind: ItemKind, key: string, period?: Period): Promise<ListenerCount[]>;
  /** Plays per listener in a period, most first. */
  listenerTotals(users: readonly HistoryUser[], period: Period): Promise<ListenerCount[]>;
  /** When each play started and how long it lasted, for charts by day and hour. */
  moments(users: readonly HistoryUser[], period: Period): Promise<PlayMoment[]>;
  /** A period's totals, top items, quarter-hour slices and (asked) listeners and the period before's totals, at once. */
  periodSummary(users: readonly HistoryUser[], query: PeriodSummaryQuery): Promise<PeriodSummary>;
  /** Stored names starting with `prefix` (folded), for autocomplete, in name order (one index range, no counting). */
  searchNames(kind: ItemKind, prefix: string, limit: number): Promise<TopItem[]>;
  /** Where the covers of these items (keys of `kind`, as top items give them) come from. */
  coverSources(kind: ItemKind, keys: readonly string[]): Promise<CoverSource[]>;
  /** Keep a looked-up cover for good: on that track and every track of its album without one. */
  saveCover(target: { trackKey: string | null; albumKey: string | null }, imageId: string): Promise<number>;
  /** Each track these listeners played in a period, with its plays and time (src/sql/wrapped-queries.ts). */
  trackTotals(users: readonly HistoryUser[], period: Period): Promise<TrackTotal[]>;
  /** Artists these listeners played in the period and never before (the recap's "new this week"), most played first. */
  newArtists(users: readonly HistoryUser[], period: Period): Promise<NewArtist[]>;
  /** The artist, track or album a query means, or null when nothing of it is stored. */
  findItem(kind: ItemKind, query: ItemQuery): Promise<KnownItem | null>;
  /** Stored items whose name starts with `prefix` (folded), in name order: autocomplete (index ranges, no counting). */
  searchItems(kind: ItemKind, prefix: string, limit: number): Promise<KnownItem[]>;
  /** A listener's plays of a track and its artist, and how many of `members` (null: none asked) played the track. */
  playCounts(user: HistoryUser, track: { title: string; artist: string }, members: readonly HistoryUser[] | null): Promise<PlayCounts>;
  /** Everything kept about this person's listening: plays, imports, cursor, choices. */
  erase(user: HistoryUser): Promise<ErasedHistory>;
  /** Delete plays that started before this time (retention); returns how many. */
  prune(before: number): Promise<number>;
  close(): Promise<void>;
}

export class HistoryStoreError extends Error {
  override name = 'HistoryStoreError';
}

/** Plays and time in one slice of a period (see `PeriodSummary.slices`). */
export interface PlaySlice {
  /** The slice's start: a multiple of `SLICE_MS` since the epoch. */
  start: number;
  plays: number;
  ms: number;
}

/**
 * Listening time is summed per quarter hour: every time zone's offset and daylight-saving change falls on one, so
 * each slice lies in a single local day and hour wherever the bot runs.
 */
export const SLICE_MS = 15 * 60_000;

/** Everything /stats and /serverstats show of a period, read in one call (src/sql/stats-queries.ts). */
export interface PeriodSummary {
  totals: Totals;
  /** Plays and time of `before`, when asked. */
  previous: { plays: number; ms: number } | null;
  topArtists: TopItem[];
  topTracks: TopItem[];
  topAlbums: TopItem[];
  /** Plays and time per quarter hour with any, oldest first. */
  slices: PlaySlice[];
  /** Each listener's plays and time, when asked (`listeners: true`). */
  listeners: ListenerCount[] | null;
}

export interface PeriodSummaryQuery {
  period: Period;
  before: Period | null;
  limit: number;
  listeners: boolean;
}
