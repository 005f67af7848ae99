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

/**
 * A listener's new plays as columns, in the order they are inserted (row ids follow it): the first `length` entries
 * of each. `msPlayed` and `durationMs` are NaN when not known.
 */
export interface NewPlays {
  userId: number;
  length: number;
  trackId: Float64Array;
  startedAt: Float64Array;
  endedAt: Float64Array;
  msPlayed: Float64Array;
  durationMs: Float64Array;
  /** Stored source codes. */
  source: Uint8Array;
}

/** Room for up to `capacity` new plays of one listener. */
export function newPlays(userId: number, capacity: number): NewPlays {
  return {
    userId,
    length: 0,
    trackId: new Float64Array(capacity),
    startedAt: new Float64Array(capacity),
    endedAt: new Float64Array(capacity),
    msPlayed: new Float64Array(capacity),
    durationMs: new Float64Array(capacity),
    source: new Uint8Array(capacity),
  };
}

/** What a listener's all-time totals grow by: per track (catalogue id) and per artist (folded name), plays and ms. */
export interface ListenerTotals {
  tracks: { id: number[]; plays: number[]; ms: number[] };
  artists: { key: string[]; plays: number[]; ms: number[] };
}

/** A new catalogue row. */
export type TrackRow = Omit<HistoryTables['tracks'], 'id'>;

/** A catalogue row as the store remembers it. */
export interface FoundTrack {
  id: number;
  key: string;
  image_id: string | null;
  spotify_id: string | null;
}

/** Rows per prepared multi-row statement on SQLite (at most 9 variables a row: far under SQLite's 32,766). */
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
  /** The statement named `key`, its text built only the first time (a multi-row statement's text is long). */
  named(key: string, text: () => string): SqliteStatement {
    let statement = this.cache.get(key);
    if (statement === undefined) this.cache.set(key, (statement = this.raw.prepare(text())));
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

/** A number column's value for SQL: NaN is null. */
const orNull = (value: number): number | null => (Number.isNaN(value) ? null : value);

/**
 * A multi-row INSERT of plays. The listener is parameter ?1 for every row; each row binds its track, start, end, ms
 * played, duration and source — or, when every row of the chunk has an ms played, no duration and one source (an
 * import's), only the first four, the other two written into the statement: binding a value through libsql costs
 * about as much as SQLite's work per value (measured: 12,000 plays, 7 values a row 47 ms, 4 a row 38 ms).
 */
function insertPlaysText(rows: number, source: number | null): string {
  const perRow = source === null ? 6 : 4;
  const values = Array.from({ length: rows }, (_, j) => {
    const p = Array.from({ length: perRow }, (_, k) => `?${2 + j * perRow + k}`);
    return source === null ? `(?1, ${p.join(', ')})` : `(?1, ${p.join(', ')}, null, ${source})`;
  });
  return `insert into plays ${PLAY_COLUMNS} values ${values.join(', ')}`;
}

/** The one source of rows [from, to) when each has an ms played and no duration, else null. */
function importShape(rows: NewPlays, from: number, to: number): number | null {
  const source = rows.source[from]!;
  for (let r = from; r < to; r++) {
    if (rows.source[r] !== source || Number.isNaN(rows.msPlayed[r]!) || !Number.isNaN(rows.durationMs[r]!)) return null;
  }
  return source;
}

/** Rows [from, from + size) into `values` after the listener (?1): 6 values a row, or 4 in the import shape. */
function bindPlays(values: unknown[], rows: NewPlays, from: number, size: number, importShape: boolean): void {
  const { trackId, startedAt, endedAt, msPlayed, durationMs, source } = rows;
  let v = 1;
  for (let r = from; r < from + size; r++) {
    values[v++] = trackId[r];
    values[v++] = startedAt[r];
    values[v++] = endedAt[r];
    values[v++] = orNull(msPlayed[r]!);
    if (!importShape) {
      values[v++] = orNull(durationMs[r]!);
      values[v++] = source[r];
    }
  }
}

/** SQLite: the plays in chunks of SQLITE_CHUNK rows, each chunk one prepared statement. */
function insertSqlitePlays(s: SqliteStatements, rows: NewPlays): void {
  // One values array per chunk size and shape, filled again for each chunk.
  const buffers = new Map<number, unknown[]>();
  for (let i = 0; i < rows.length; i += SQLITE_CHUNK) {
    const size = Math.min(SQLITE_CHUNK, rows.length - i);
    const shape = importShape(rows, i, i + size);
    const length = 1 + size * (shape === null ? 6 : 4);
    let values = buffers.get(length);
    if (values === undefined) buffers.set(length, (values = new Array<unknown>(length)));
    values[0] = rows.userId;
    bindPlays(values, rows, i, size, shape !== null);
    s.named(`plays:${shape ?? 'any'}:${size}`, () => insertPlaysText(size, shape)).run(values);
  }
}

const INSERT_TRACKS = (values: string): string =>
  `insert into tracks ${TRACK_COLUMNS} values ${values} on conflict (key) do nothing returning id, key, image_id, spotify_id`;

const ADD_TRACK_TOTALS = (values: string): string =>
  `insert into user_tracks (track_id, user_id, plays, ms) values ${values} ` +
  'on conflict (track_id, user_id) do update set plays = user_tracks.plays + excluded.plays, ms = user_tracks.ms + excluded.ms';
const ADD_ARTIST_TOTALS = (values: string): string =>
  `insert into user_artists (artist_key, user_id, plays, ms) values ${values} ` +
  'on conflict (artist_key, user_id) do update set plays = user_artists.plays + excluded.plays, ms = user_artists.ms + excluded.ms';

/** SQLite: rows of (key, listener, plays, ms) upserted in chunks of SQLITE_CHUNK, the listener bound once (?1). */
function addSqliteTotals(
  s: SqliteStatements,
  name: string,
  text: (values: string) => string,
  userId: number,
  totals: { plays: number[]; ms: number[] },
  keys: ReadonlyArray<number | string>,
): void {
  for (let i = 0; i < keys.length; i += SQLITE_CHUNK) {
    const size = Math.min(SQLITE_CHUNK, keys.length - i);
    const values: unknown[] = [userId];
    for (let r = i; r < i + size; r++) values.push(keys[r], totals.plays[r], totals.ms[r]);
    s.named(`${name}:${size}`, () => text(Array.from({ length: size }, (_, j) => `(?${2 + 3 * j}, ?1, ?${3 + 3 * j}, ?${4 + 3 * j})`).join(', '))).run(values);
  }
}

// PostgreSQL arrays are sent in their text form, built here in one pass: pg would quote and escape every element
// with two regular expressions (a third of the import's PostgreSQL time in JavaScript, profiled).

/** The text form of an integer array (NaN: NULL). */
function pgArray(values: Float64Array | Uint8Array, length: number): string {
  let nulls = 0;
  for (let i = 0; i < length; i++) if (Number.isNaN(values[i]!)) nulls++;
  if (nulls === 0) return `{${values.subarray(0, length).join(',')}}`;
  if (nulls === length) return `{${'NULL,'.repeat(length - 1)}NULL}`;
  return `{${Array.from(values.subarray(0, length), (v) => (Number.isNaN(v) ? 'NULL' : String(v))).join(',')}}`;
}

const QUOTE_OR_BACKSLASH = /["\\]/;
const QUOTES_AND_BACKSLASHES = /["\\]/g;

/** The text form of a text array: each element quoted (a quote or backslash in it escaped), null as NULL. */
function pgTextArray(values: ReadonlyArray<string | null>): string {
  let text = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (i > 0) text += ',';
    text += v === null ? 'NULL' : `"${QUOTE_OR_BACKSLASH.test(v) ? v.replace(QUOTES_AND_BACKSLASHES, '\\$&') : v}"`;
  }
  return `${text}}`;
}

/**
 * Inserts the listener's new plays and adds to their per-track and per-artist totals (counted by the caller: summing
 * them in SQL from the inserted rows took 7× as long on SQLite). SQLite: prepared 100-row statements. PostgreSQL: one
 * statement — the listener's row and the batch's tracks locked FOR KEY SHARE (the per-batch stand-in for a foreign
 * key, see migration 0004: erase and prune lock the catalogue first; one that got there before leaves fewer rows to
 * lock, and the batch fails), the plays from arrays (unnest) in their order, and the totals.
 */
export async function insertPlays(database: SqlDatabase, tx: Tx, rows: NewPlays, totals: ListenerTotals): Promise<void> {
  const n = rows.length;
  if (n === 0) return;
  const { userId, trackId, startedAt, endedAt, msPlayed, durationMs, source } = rows;
  if (database.engine === 'sqlite') {
    const s = statements(database.raw);
    insertSqlitePlays(s, rows);
    addSqliteTotals(s, 'track-totals', ADD_TRACK_TOTALS, userId, totals.tracks, totals.tracks.id);
    addSqliteTotals(s, 'artist-totals', ADD_ARTIST_TOTALS, userId, totals.artists, totals.artists.key);
    return;
  }
  const tracks = [...new Set(trackId.subarray(0, n))];
  const result = await sql<{ tracks: number; users: number; added: number }>`with locked_tracks as (
      select id from tracks where id = any(${`{${tracks.join(',')}}`}::bigint[]) for key share
    ), locked_user as (
      select id from history_users where id = ${userId}::bigint for key share
    ), added as (
      insert into plays ${sql.raw(PLAY_COLUMNS)}
      select ${userId}::bigint, p.track_id, p.started_at, p.ended_at, p.ms_played, p.duration_ms, p.source
      from unnest(${pgArray(trackId, n)}::bigint[], ${pgArray(startedAt, n)}::bigint[], ${pgArray(endedAt, n)}::bigint[],
        ${pgArray(msPlayed, n)}::integer[], ${pgArray(durationMs, n)}::integer[], ${pgArray(source, n)}::integer[])
        with ordinality as p (track_id, started_at, ended_at, ms_played, duration_ms, source, n)
      order by p.n
      returning 1
    ), track_totals as (
      insert into user_tracks (track_id, user_id, plays, ms)
      select t.track_id, ${userId}::bigint, t.plays, t.ms
      from unnest(${`{${totals.tracks.id.join(',')}}`}::bigint[], ${`{${totals.tracks.plays.join(',')}}`}::integer[],
        ${`{${totals.tracks.ms.join(',')}}`}::bigint[]) as t (track_id, plays, ms)
      on conflict (track_id, user_id) do update set plays = user_tracks.plays + excluded.plays, ms = user_tracks.ms + excluded.ms
    ), artist_totals as (
      insert into user_artists (artist_key, user_id, plays, ms)
      select a.artist_key, ${userId}::bigint, a.plays, a.ms
      from unnest(${pgTextArray(totals.artists.key)}::text[], ${`{${totals.artists.plays.join(',')}}`}::integer[],
        ${`{${totals.artists.ms.join(',')}}`}::bigint[]) as a (artist_key, plays, ms)
      on conflict (artist_key, user_id) do update set plays = user_artists.plays + excluded.plays, ms = user_artists.ms + excluded.ms
    )
    select (select count(*) from locked_tracks)::integer as tracks, (select count(*) from locked_user)::integer as users,
      (select count(*) from added)::integer as added`.execute(tx);
  const counts = result.rows[0];
  if (counts === undefined || Number(counts.tracks) !== tracks.length || Number(counts.users) !== 1 || Number(counts.added) !== n) {
    throw new VanishedRowError();
  }
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
  const { rows } = await sql<FoundTrack>`select id, key, image_id, spotify_id from tracks where key = any(${pgTextArray(keys)}::text[])`.execute(tx);
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
      const statement = s.named(`tracks:${part.length}`, () => INSERT_TRACKS(placeholders(9, part.length)));
      const values: unknown[] = [];
      for (const r of part) values.push(r.key, r.title, r.title_key, r.artist, r.artist_key, r.album, r.album_key, r.spotify_id, r.image_id);
      for (const row of statement.all(values)) added.push(row as FoundTrack);
    }
    return added;
  }
  const column = (pick: (r: TrackRow) => string | null): string => pgTextArray(rows.map(pick));
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
