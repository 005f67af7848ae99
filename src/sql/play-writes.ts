// The bulk writes of a batch of plays — the import's hot path — per engine, inside the caller's transaction.
// SQLite: statements prepared once per database and run on the raw handle (the connection Kysely's transaction
// holds), rows bound in fixed multi-row chunks (measured: a 100-row INSERT costs half the CPU per row of one row per
// statement; Kysely would compile and prepare every batch anew). PostgreSQL: each step is one statement over arrays
// (unnest), one round trip and no parameter limit.
import { sql, type Kysely } from 'kysely';
import { HistoryStoreError } from '../history/store.js';
import type { SqlDatabase, SqliteHandle, SqliteStatement } from './engines.js';
import type { HistoryTables } from './history-schema.js';

/** The caller's transaction (a Transaction is a Kysely; on SQLite, the connection its BEGIN ran on). */
type Tx = Kysely<HistoryTables>;

/** A play row as it is inserted. */
export interface PlayRow {
  user_id: number;
  track_id: number;
  started_at: number;
  ended_at: number;
  ms_played: number | null;
  duration_ms: number | null;
  source: number;
}

/** A new catalogue row. */
export interface TrackRow {
  key: string;
  title: string;
  title_key: string;
  artist: string;
  artist_key: string;
  album: string | null;
  album_key: string | null;
  spotify_id: string | null;
  image_id: string | null;
}

/** A catalogue row as the store remembers it. */
export interface FoundTrack {
  id: number;
  key: string;
  image_id: string | null;
  spotify_id: string | null;
}

/** One listener's plays and time of one track, added to its all-time totals. */
export interface TotalsRow {
  track_id: number;
  user_id: number;
  plays: number;
  ms: number;
}

/** Rows per prepared multi-row statement on SQLite (×7 or ×4 variables: far under SQLite's 32,766). */
const SQLITE_CHUNK = 100;

const PLAY_COLUMNS = '(user_id, track_id, started_at, ended_at, ms_played, duration_ms, source)';
const TRACK_COLUMNS = '(key, title, title_key, artist, artist_key, album, album_key, spotify_id, image_id)';

/** Statements prepared once per SQLite handle (a store reopened on the same handle reuses them). */
class SqliteStatements {
  private readonly cache = new Map<string, SqliteStatement>();
  constructor(private readonly raw: SqliteHandle) {}
  get(text: string): SqliteStatement {
    let statement = this.cache.get(text);
    if (statement === undefined) this.cache.set(text, (statement = this.raw.prepare(text)));
    return statement;
  }
}

const statementsByHandle = new WeakMap<SqliteHandle, SqliteStatements>();

function statements(raw: SqliteHandle): SqliteStatements {
  let s = statementsByHandle.get(raw);
  if (s === undefined) statementsByHandle.set(raw, (s = new SqliteStatements(raw)));
  return s;
}

const placeholders = (columns: number, rows: number): string =>
  Array.from({ length: rows }, () => `(${Array.from({ length: columns }, () => '?').join(', ')})`).join(', ');

/** Runs `text(n)` over `rows` in chunks of SQLITE_CHUNK rows and one statement for the remainder's size. */
function runChunked<T>(raw: SqliteHandle, rows: readonly T[], columns: number, text: (values: string) => string, bind: (row: T, out: unknown[]) => void): void {
  const s = statements(raw);
  let i = 0;
  while (i < rows.length) {
    const n = Math.min(SQLITE_CHUNK, rows.length - i);
    // Remainders use statements of 1–99 rows: each prepared once too.
    const statement = s.get(text(placeholders(columns, n)));
    const values: unknown[] = [];
    for (let j = i; j < i + n; j++) bind(rows[j]!, values);
    statement.run(values);
    i += n;
  }
}

export async function insertPlayRows(database: SqlDatabase, tx: Tx, rows: readonly PlayRow[]): Promise<void> {
  if (rows.length === 0) return;
  if (database.engine === 'sqlite') {
    runChunked(database.raw, rows, 7, (values) => `insert into plays ${PLAY_COLUMNS} values ${values}`, (r, out) => {
      out.push(r.user_id, r.track_id, r.started_at, r.ended_at, r.ms_played, r.duration_ms, r.source);
    });
    return;
  }
  const column = <T>(pick: (r: PlayRow) => T): T[] => rows.map(pick);
  // Joined to the listener and the catalogue FOR KEY SHARE: the per-batch stand-in for a foreign key (see migration
  // 0004); in the batch's order, so row ids still follow time.
  const result = await sql`insert into plays ${sql.raw(PLAY_COLUMNS)}
    select p.user_id, p.track_id, p.started_at, p.ended_at, p.ms_played, p.duration_ms, p.source from unnest(${column((r) => r.user_id)}::bigint[], ${column((r) => r.track_id)}::bigint[],
      ${column((r) => r.started_at)}::bigint[], ${column((r) => r.ended_at)}::bigint[], ${column((r) => r.ms_played)}::integer[],
      ${column((r) => r.duration_ms)}::integer[], ${column((r) => r.source)}::integer[])
      with ordinality as p (user_id, track_id, started_at, ended_at, ms_played, duration_ms, source, n)
    join tracks on tracks.id = p.track_id join history_users on history_users.id = p.user_id
    order by p.n for key share of tracks, history_users`.execute(tx);
  if (Number(result.numAffectedRows ?? 0) !== rows.length) throw new VanishedRowError();
}

/**
 * A listener or track a batch refers to was deleted meanwhile (another process erased or pruned it, and this one
 * still remembered its id): the batch is rolled back, like a foreign key would.
 */
export class VanishedRowError extends HistoryStoreError {
  override name = 'VanishedRowError';
  constructor() {
    super('a listener or track was deleted while plays of it were being written; try again');
  }
}

/** PostgreSQL: erase and prune delete tracks no play refers to; this waits for batches in flight and holds new ones off. */
export async function lockCatalogue(database: SqlDatabase, tx: Tx): Promise<void> {
  if (database.engine === 'postgres') await sql`lock table tracks in exclusive mode`.execute(tx);
}

/** Listeners' per-track totals grow by these amounts (rows with the same track and listener at most once). */
export async function addTrackTotals(database: SqlDatabase, tx: Tx, rows: readonly TotalsRow[]): Promise<void> {
  if (rows.length === 0) return;
  if (database.engine === 'sqlite') {
    runChunked(
      database.raw,
      rows,
      4,
      (values) =>
        `insert into user_tracks (track_id, user_id, plays, ms) values ${values} ` +
        'on conflict (track_id, user_id) do update set plays = plays + excluded.plays, ms = ms + excluded.ms',
      (r, out) => {
        out.push(r.track_id, r.user_id, r.plays, r.ms);
      },
    );
    return;
  }
  await sql`insert into user_tracks (track_id, user_id, plays, ms)
    select * from unnest(${rows.map((r) => r.track_id)}::bigint[], ${rows.map((r) => r.user_id)}::bigint[],
      ${rows.map((r) => r.plays)}::integer[], ${rows.map((r) => r.ms)}::bigint[])
    on conflict (track_id, user_id) do update set plays = user_tracks.plays + excluded.plays, ms = user_tracks.ms + excluded.ms`.execute(tx);
}

/** One listener's plays and time of one artist (folded name), added to its all-time totals. */
export interface ArtistTotalsRow {
  artist_key: string;
  user_id: number;
  plays: number;
  ms: number;
}

/** Listeners' per-artist totals grow by these amounts (rows with the same artist and listener at most once). */
export async function addArtistTotals(database: SqlDatabase, tx: Tx, rows: readonly ArtistTotalsRow[]): Promise<void> {
  if (rows.length === 0) return;
  if (database.engine === 'sqlite') {
    runChunked(
      database.raw,
      rows,
      4,
      (values) =>
        `insert into user_artists (artist_key, user_id, plays, ms) values ${values} ` +
        'on conflict (artist_key, user_id) do update set plays = plays + excluded.plays, ms = ms + excluded.ms',
      (r, out) => {
        out.push(r.artist_key, r.user_id, r.plays, r.ms);
      },
    );
    return;
  }
  await sql`insert into user_artists (artist_key, user_id, plays, ms)
    select * from unnest(${rows.map((r) => r.artist_key)}::text[], ${rows.map((r) => r.user_id)}::bigint[],
      ${rows.map((r) => r.plays)}::integer[], ${rows.map((r) => r.ms)}::bigint[])
    on conflict (artist_key, user_id) do update set plays = user_artists.plays + excluded.plays, ms = user_artists.ms + excluded.ms`.execute(tx);
}

/** The catalogue rows of these keys that exist. */
export async function findTracks(database: SqlDatabase, tx: Tx, keys: readonly string[]): Promise<FoundTrack[]> {
  if (keys.length === 0) return [];
  if (database.engine === 'sqlite') {
    const statement = statements(database.raw).get('select id, key, image_id, spotify_id from tracks where key = ?');
    const found: FoundTrack[] = [];
    for (const key of keys) {
      const row = statement.get([key]) as FoundTrack | undefined;
      if (row !== undefined) found.push(row);
    }
    return found;
  }
  const { rows } = await sql<FoundTrack>`select id, key, image_id, spotify_id from tracks where key = any(${keys}::text[])`.execute(tx);
  return rows;
}

/** Adds these catalogue rows and returns the ones added (a key another writer added meanwhile is left out: look it up). */
export async function insertTracks(database: SqlDatabase, tx: Tx, rows: readonly TrackRow[]): Promise<FoundTrack[]> {
  if (rows.length === 0) return [];
  if (database.engine === 'sqlite') {
    const s = statements(database.raw);
    const added: FoundTrack[] = [];
    for (let i = 0; i < rows.length; i += SQLITE_CHUNK) {
      const part = rows.slice(i, i + SQLITE_CHUNK);
      const statement = s.get(
        `insert into tracks ${TRACK_COLUMNS} values ${placeholders(9, part.length)} on conflict (key) do nothing returning id, key, image_id, spotify_id`,
      );
      const values: unknown[] = [];
      for (const r of part) values.push(r.key, r.title, r.title_key, r.artist, r.artist_key, r.album, r.album_key, r.spotify_id, r.image_id);
      for (const row of statement.all(values)) added.push(row as FoundTrack);
    }
    return added;
  }
  const column = (pick: (r: TrackRow) => string | null): Array<string | null> => rows.map(pick);
  const { rows: added } = await sql<FoundTrack>`insert into tracks ${sql.raw(TRACK_COLUMNS)}
    select * from unnest(${column((r) => r.key)}::text[], ${column((r) => r.title)}::text[], ${column((r) => r.title_key)}::text[],
      ${column((r) => r.artist)}::text[], ${column((r) => r.artist_key)}::text[], ${column((r) => r.album)}::text[],
      ${column((r) => r.album_key)}::text[], ${column((r) => r.spotify_id)}::text[], ${column((r) => r.image_id)}::text[])
    on conflict (key) do nothing returning id, key, image_id, spotify_id`.execute(tx);
  return added;
}

/**
 * A listener's stored plays that started in [from, to], as one flat list: track id, start, end, track id, …
 * One row comes back, the list as JSON text built in the database: a re-import compares against every play it
 * brings, and a row object per stored play (a driver round per row on SQLite) cost more than the comparison.
 */
export async function storedPlays(database: SqlDatabase, tx: Tx, userId: number, from: number, to: number): Promise<number[]> {
  let text: string | null | undefined;
  if (database.engine === 'sqlite') {
    const statement = statements(database.raw).get(
      "select '[' || group_concat(track_id || ',' || started_at || ',' || ended_at) || ']' as list from plays " +
        'where user_id = ? and started_at >= ? and started_at <= ?',
    );
    text = (statement.get([userId, from, to]) as { list: string | null } | undefined)?.list;
  } else {
    const { rows } = await sql<{ list: string | null }>`select '[' || string_agg(track_id || ',' || started_at || ',' || ended_at, ',') || ']' as list
      from plays where user_id = ${userId} and started_at >= ${from} and started_at <= ${to}`.execute(tx);
    text = rows[0]?.list;
  }
  return text == null ? [] : (JSON.parse(text) as number[]);
}
