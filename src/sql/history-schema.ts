// The history database's tables, as Kysely sees them. Times are epoch milliseconds (bigint in PostgreSQL, read back
// as numbers: see postgres.ts); booleans are 0/1 integers on both engines so one set of queries serves both.
import type { Generated } from 'kysely';

export interface HistoryTables {
  /** One row per person whose history the bot keeps, or who made a recording choice. */
  history_users: {
    id: Generated<number>;
    /** `owner` or a Discord user id: the only place a person's id is stored. */
    user_key: string;
    /** 1 recording, 0 stopped (`/history off`), null: the default for their kind (owner and linked: on). */
    recording: number | null;
    /** 1: "only me" (hidden from server views), chosen through /history by a member without a Spotify link. */
    only_me: number;
    /** recently-played cursor: the newest `played_at` (ms) already recorded. */
    recent_after: number | null;
    created_at: number;
  };
  /** The catalogue: one row per track identity (artist + title folded), shared by everyone who played it. */
  tracks: {
    id: Generated<number>;
    key: string;
    title: string;
    /** The title folded, for name search (autocomplete). */
    title_key: string;
    artist: string;
    artist_key: string;
    album: string | null;
    /** artist + album folded: albums of the same name by different artists stay apart. */
    album_key: string | null;
    spotify_id: string | null;
    image_id: string | null;
  };
  plays: {
    id: Generated<number>;
    user_id: number;
    track_id: number;
    started_at: number;
    ended_at: number;
    ms_played: number | null;
    duration_ms: number | null;
    /** PlaySource as a small code (see store.ts). */
    source: number;
  };
  /** Each listener's all-time plays and time per track (maintained with every write, erase and prune). */
  user_tracks: {
    track_id: number;
    user_id: number;
    plays: number;
    ms: number;
  };
  /** Each listener's all-time plays and time per artist (folded name), kept like user_tracks. */
  user_artists: {
    artist_key: string;
    user_id: number;
    plays: number;
    ms: number;
  };
  /** One row per imported file, for /history status and to tell a re-import. */
  imports: {
    id: Generated<number>;
    user_id: number;
    file_name: string;
    imported_at: number;
    added: number;
    duplicates: number;
    skipped: number;
    first_at: number | null;
    last_at: number | null;
  };
}
