// The history store over SQL (SQLite or PostgreSQL, through Kysely): plays, the track catalogue, recording
// choices, cursors and import records. Writes are batched and de-duplicated here, in one transaction per batch.
import { Migrator, sql, type Kysely, type Transaction } from 'kysely';
import type { Logger } from '../logger.js';
import { foldName, SAME_PLAY_WINDOW_MS, trackKey, type HistoryUser, type PlayInput, type PlaySource } from '../history/play.js';
import {
  HistoryStoreError,
  type AddResult,
  type ErasedHistory,
  type HistoryStatus,
  type HistoryStore,
  type ImportRecord,
  type ItemKind,
  type ItemQuery,
  type KnownItem,
  type PlayCounts,
  type ListenerCount,
  type Period,
  type PlayMoment,
  type TopItem,
  type Totals,
  type NewArtist,
  type RecordingChoice,
  type StoredPlay,
  type CoverSource,
  type TrackTotal,
  type PeriodSummary,
  type PeriodSummaryQuery,
} from '../history/store.js';
import { kyselyFor, type SqlDatabase } from './engines.js';
import { migrationProvider } from './history-migrations.js';
import { coverSources, saveCover } from './chart-queries.js';
import { newArtists } from './recap-queries.js';
import * as whoKnows from './whoknows-queries.js';
import type { HistoryTables } from './history-schema.js';
import { trackTotals } from './wrapped-queries.js';
import { periodSummary } from './stats-queries.js';
import { TrackGroups } from './track-groups.js';
import {
  addArtistTotals,
  addTrackTotals,
  findTracks,
  insertPlayRows,
  storedPlays,
  insertTracks,
  lockCatalogue,
  type ArtistTotalsRow,
  type FoundTrack,
  type PlayRow,
  type TotalsRow,
} from './play-writes.js';

type Db = Kysely<HistoryTables>;
type Tx = Transaction<HistoryTables> | Kysely<HistoryTables>;

const SOURCE_CODES: Record<PlaySource, number> = {
  'spotify-recent': 1,
  'discord-status': 2,
  'import-extended': 3,
  'import-account': 4,
};
const SOURCES_BY_CODE = new Map<number, PlaySource>(
  Object.entries(SOURCE_CODES).map(([source, code]) => [code, source as PlaySource]),
);

/** Keys per `IN (…)` lookup. */
const LOOKUP_CHUNK = 500;
/** Catalogue ids remembered between batches (a day's listening of a busy server fits; imports reuse it). */
const TRACK_CACHE_SIZE = 20_000;

interface CachedTrack {
  id: number;
  hasImage: boolean;
  hasSpotifyId: boolean;
}

/** The catalogue column a kind groups by, and the one that names it. */
const GROUPS = {
  artist: { key: 'tracks.artist_key', name: 'tracks.artist' },
  track: { key: 'tracks.key', name: 'tracks.title' },
  album: { key: 'tracks.album_key', name: 'tracks.album' },
} as const;

/** The end of a prefix range over folded keys: every key that starts with `prefix` sorts below it. */
const PREFIX_END = '\u{10FFFF}';

/** A grouped row of listeners' plays as the store answers it (PostgreSQL sums come back as numbers or strings). */
const listenerCount = (r: { user: string; plays: unknown; ms: unknown }): ListenerCount => ({
  user: r.user as HistoryUser,
  plays: Number(r.plays),
  ms: Number(r.ms),
});

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface OpenHistoryStoreOptions {
  logger: Logger;
  now?: () => number;
}

export async function openHistoryStore(database: SqlDatabase, options: OpenHistoryStoreOptions): Promise<HistoryStore> {
  const db: Db = kyselyFor<HistoryTables>(database);
  const migrator = new Migrator({ db, provider: migrationProvider(database.engine) });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new HistoryStoreError(
      `can't prepare the listening-history tables${failed ? ` (migration ${failed})` : ''}: ${(error as Error).message}`,
    );
  }
  for (const r of results ?? []) {
    if (r.status === 'Success') options.logger.info('history: migrated', { migration: r.migrationName });
  }
  return new SqlHistoryStore(db, database, options.now ?? Date.now);
}

class SqlHistoryStore implements HistoryStore {
  readonly engine: 'sqlite' | 'postgres';
  private readonly userIds = new Map<string, number>();
  private readonly tracks = new Map<string, CachedTrack>();
  /** Each track's artist and album, for grouping a period's plays (forgotten when catalogue rows are deleted). */
  private readonly groups: TrackGroups;
  /** SQLite has one connection: writes queue here instead of contending for it. */
  private writing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly database: SqlDatabase,
    private readonly now: () => number,
  ) {
    this.engine = database.engine;
    this.groups = new TrackGroups();
  }

  /**
   * One write transaction. SQLite: BEGIN IMMEDIATE takes the write lock up front, so a second process (the import
   * script) waits for it instead of failing on a lock upgrade. PostgreSQL: a transaction-scoped advisory lock per
   * listener, so two imports of one listener can't both miss each other's rows.
   */
  private async write<T>(user: HistoryUser | null, work: (tx: Tx) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.database.engine === 'sqlite') {
        return this.db.connection().execute(async (conn) => {
          await sql`begin immediate`.execute(conn);
          try {
            const result = await work(conn);
            await sql`commit`.execute(conn);
            return result;
          } catch (error) {
            await sql`rollback`.execute(conn).catch(() => {});
            throw error;
          }
        });
      }
      return this.db.transaction().execute(async (tx) => {
        if (user !== null) await sql`select pg_advisory_xact_lock(hashtext(${`history:${user}`}))`.execute(tx);
        return work(tx);
      });
    };
    const result = this.writing.then(run, run);
    this.writing = result.catch(() => {});
    return result;
  }

  private async existingUserId(tx: Tx, user: HistoryUser): Promise<number | null> {
    const cached = this.userIds.get(user);
    if (cached !== undefined) return cached;
    const row = await tx.selectFrom('history_users').select('id').where('user_key', '=', user).executeTakeFirst();
    if (row === undefined) return null;
    this.userIds.set(user, row.id);
    return row.id;
  }

  private async userId(tx: Tx, user: HistoryUser): Promise<number> {
    const existing = await this.existingUserId(tx, user);
    if (existing !== null) return existing;
    await tx
      .insertInto('history_users')
      .values({ user_key: user, recording: null, only_me: 0, recent_after: null, created_at: this.now() })
      .onConflict((oc) => oc.column('user_key').doNothing())
      .execute();
    const id = await this.existingUserId(tx, user);
    if (id === null) throw new HistoryStoreError(`history user ${user} vanished while being created`);
    return id;
  }

  private rememberTrack(key: string, track: CachedTrack): void {
    this.tracks.delete(key);
    this.tracks.set(key, track);
    if (this.tracks.size > TRACK_CACHE_SIZE) this.tracks.delete(this.tracks.keys().next().value as string);
  }

  /** Catalogue ids for these plays' tracks (`keys[i]` is `plays[i]`'s), creating the missing ones and filling in ids and covers learnt now. */
  private async trackIds(tx: Tx, plays: readonly PlayInput[], keys: readonly string[]): Promise<Map<string, number>> {
    const wanted = new Map<string, PlayInput>();
    for (let i = 0; i < plays.length; i++) {
      const play = plays[i]!;
      const key = keys[i]!;
      const seen = wanted.get(key);
      // Prefer the play that knows the most (a Spotify id, a cover) to describe the track.
      if (seen === undefined || (seen.imageId === null && play.imageId !== null) || (seen.trackId === null && play.trackId !== null)) {
        wanted.set(key, play);
      }
    }
    const ids = new Map<string, number>();
    const missing: string[] = [];
    const enrich: Array<{ id: number; play: PlayInput; cached: CachedTrack; key: string }> = [];
    const known = (row: FoundTrack): void => {
      const track = { id: row.id, hasImage: row.image_id !== null, hasSpotifyId: row.spotify_id !== null };
      ids.set(row.key, row.id);
      this.rememberTrack(row.key, track);
      const play = wanted.get(row.key)!;
      if ((!track.hasImage && play.imageId !== null) || (!track.hasSpotifyId && play.trackId !== null)) {
        enrich.push({ id: row.id, play, cached: track, key: row.key });
      }
    };
    for (const [key, play] of wanted) {
      const cached = this.tracks.get(key);
      if (cached === undefined) {
        missing.push(key);
        continue;
      }
      ids.set(key, cached.id);
      if ((!cached.hasImage && play.imageId !== null) || (!cached.hasSpotifyId && play.trackId !== null)) {
        enrich.push({ id: cached.id, play, cached, key });
      }
    }
    // Look up first, then add only the new ones (a re-import finds all of them).
    for (const row of await findTracks(this.database, tx, missing)) known(row);
    const fresh = missing.filter((key) => !ids.has(key));
    const added = await insertTracks(
      this.database,
      tx,
      fresh.map((key) => {
        const play = wanted.get(key)!;
        const artistKey = foldName(play.artist);
        return {
          key,
          title: play.title,
          title_key: foldName(play.title),
          artist: play.artist,
          artist_key: artistKey,
          album: play.album,
          album_key: play.album === null ? null : `${artistKey}\u001f${foldName(play.album)}`,
          spotify_id: play.trackId,
          image_id: play.imageId,
        };
      }),
    );
    for (const row of added) known(row);
    // Added by another writer between the lookup and the insert.
    for (const row of await findTracks(this.database, tx, fresh.filter((key) => !ids.has(key)))) known(row);
    for (const { id, play, cached, key } of enrich) {
      if (!cached.hasImage && play.imageId !== null) {
        await tx.updateTable('tracks').set({ image_id: play.imageId }).where('id', '=', id).where('image_id', 'is', null).execute();
      }
      if (!cached.hasSpotifyId && play.trackId !== null) {
        await tx.updateTable('tracks').set({ spotify_id: play.trackId }).where('id', '=', id).where('spotify_id', 'is', null).execute();
      }
      this.rememberTrack(key, {
        id,
        hasImage: cached.hasImage || play.imageId !== null,
        hasSpotifyId: cached.hasSpotifyId || play.trackId !== null,
      });
    }
    return ids;
  }

  async addPlays(user: HistoryUser, plays: readonly PlayInput[]): Promise<AddResult> {
    const valid = plays.filter(
      (p) => p.title !== '' && p.artist !== '' && Number.isFinite(p.startedAt) && Number.isFinite(p.endedAt),
    );
    if (valid.length === 0) return { added: 0, duplicates: plays.length - valid.length };
    const sorted = [...valid].sort((a, b) => a.startedAt - b.startedAt);
    // Folding names (NFKC) is a good part of a batch's CPU: once per distinct name in the batch.
    const folded = new Map<string, string>();
    const fold = (name: string): string => {
      let f = folded.get(name);
      if (f === undefined) folded.set(name, (f = foldName(name)));
      return f;
    };
    // By artist, then title: no string is built per play to look its key up (hashing a fresh concatenation per play
    // was the batch's largest cost in the profile).
    const trackKeys = new Map<string, Map<string, string>>();
    const keyOf = (artist: string, title: string): string => {
      let byTitle = trackKeys.get(artist);
      if (byTitle === undefined) trackKeys.set(artist, (byTitle = new Map()));
      let key = byTitle.get(title);
      if (key === undefined) byTitle.set(title, (key = trackKey(artist, title)));
      return key;
    };
    const artistKeys = sorted.map((p) => fold(p.artist));
    const keys = sorted.map((p) => keyOf(p.artist, p.title));
    return this.write(user, async (tx) => {
      const userId = await this.userId(tx, user);
      const ids = await this.trackIds(tx, sorted, keys);
      const from = sorted[0]!.startedAt - 2 * SAME_PLAY_WINDOW_MS;
      let to = from;
      for (const p of sorted) to = Math.max(to, p.endedAt);
      to += 2 * SAME_PLAY_WINDOW_MS;
      // Stored plays that could be the same as one of these: started within the batch's span (plus the window).
      const stored = await storedPlays(this.database, tx, userId, from, to);
      // Per track, the starts and ends of its plays seen so far, flat: [start, end, start, end, …].
      const known = new Map<number, number[]>();
      const remember = (trackId: number, start: number, end: number): void => {
        const list = known.get(trackId);
        if (list === undefined) known.set(trackId, [start, end]);
        else list.push(start, end);
      };
      for (let i = 0; i < stored.length; i += 3) remember(stored[i]!, stored[i + 1]!, stored[i + 2]!);
      const rows: PlayRow[] = [];
      const rowArtists: string[] = [];
      let duplicates = plays.length - valid.length;
      for (let i = 0; i < sorted.length; i++) {
        const play = sorted[i]!;
        const trackId = ids.get(keys[i]!)!;
        const list = known.get(trackId);
        let same = false;
        if (list !== undefined) {
          for (let k = 0; k < list.length; k += 2) {
            if (Math.abs(list[k]! - play.startedAt) <= SAME_PLAY_WINDOW_MS || Math.abs(list[k + 1]! - play.endedAt) <= SAME_PLAY_WINDOW_MS) {
              same = true;
              break;
            }
          }
        }
        if (same) {
          duplicates++;
          continue;
        }
        remember(trackId, play.startedAt, play.endedAt);
        rowArtists.push(artistKeys[i]!);
        rows.push({
          user_id: userId,
          track_id: trackId,
          started_at: Math.round(play.startedAt),
          ended_at: Math.round(play.endedAt),
          ms_played: play.msPlayed === null ? null : Math.round(play.msPlayed),
          duration_ms: play.durationMs === null ? null : Math.round(play.durationMs),
          source: SOURCE_CODES[play.source],
        });
      }
      try {
        await insertPlayRows(this.database, tx, rows);
      } catch (error) {
        // Remembered ids may be stale (VanishedRowError; SQLite: its foreign keys): look them up again next time.
        this.tracks.clear();
        this.userIds.clear();
        throw error;
      }
      await this.addToTotals(tx, userId, rows, rowArtists);
      return { added: rows.length, duplicates };
    });
  }

  /** The listener's per-track and per-artist totals grow by these new plays (`artists[i]` is `rows[i]`'s artist key). */
  private async addToTotals(tx: Tx, userId: number, rows: readonly PlayRow[], artists: readonly string[]): Promise<void> {
    const byTrack = new Map<number, TotalsRow>();
    const byArtist = new Map<string, ArtistTotalsRow>();
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const ms = row.ms_played ?? row.duration_ms ?? 0;
      let track = byTrack.get(row.track_id);
      if (track === undefined) byTrack.set(row.track_id, (track = { track_id: row.track_id, user_id: userId, plays: 0, ms: 0 }));
      track.plays += 1;
      track.ms += ms;
      const key = artists[i]!;
      let artist = byArtist.get(key);
      if (artist === undefined) byArtist.set(key, (artist = { artist_key: key, user_id: userId, plays: 0, ms: 0 }));
      artist.plays += 1;
      artist.ms += ms;
    }
    await addTrackTotals(this.database, tx, [...byTrack.values()]);
    await addArtistTotals(this.database, tx, [...byArtist.values()]);
  }

  async recordImport(user: HistoryUser, record: ImportRecord): Promise<void> {
    await this.write(user, async (tx) => {
      const userId = await this.userId(tx, user);
      await tx
        .insertInto('imports')
        .values({
          user_id: userId,
          file_name: record.fileName,
          imported_at: record.importedAt,
          added: record.added,
          duplicates: record.duplicates,
          skipped: record.skipped,
          first_at: record.firstAt,
          last_at: record.lastAt,
        })
        .execute();
    });
  }

  async choice(user: HistoryUser): Promise<RecordingChoice> {
    const row = await this.db
      .selectFrom('history_users')
      .select(['recording', 'only_me'])
      .where('user_key', '=', user)
      .executeTakeFirst();
    if (row === undefined) return { recording: null, onlyMe: false };
    return { recording: row.recording === null ? null : row.recording === 1, onlyMe: row.only_me === 1 };
  }

  async setRecording(user: HistoryUser, recording: boolean): Promise<void> {
    await this.write(user, async (tx) => {
      const id = await this.userId(tx, user);
      await tx.updateTable('history_users').set({ recording: recording ? 1 : 0 }).where('id', '=', id).execute();
    });
  }

  async setOnlyMe(user: HistoryUser, onlyMe: boolean): Promise<void> {
    await this.write(user, async (tx) => {
      const id = await this.userId(tx, user);
      await tx.updateTable('history_users').set({ only_me: onlyMe ? 1 : 0 }).where('id', '=', id).execute();
    });
  }

  async optedIn(): Promise<HistoryUser[]> {
    const rows = await this.db.selectFrom('history_users').select('user_key').where('recording', '=', 1).execute();
    return rows.map((r) => r.user_key as HistoryUser);
  }

  async onlyMeAmong(users: readonly HistoryUser[]): Promise<HistoryUser[]> {
    const out: HistoryUser[] = [];
    for (const part of chunks(users, LOOKUP_CHUNK)) {
      const rows = await this.db
        .selectFrom('history_users')
        .select('user_key')
        .where('only_me', '=', 1)
        .where('user_key', 'in', part)
        .execute();
      for (const r of rows) out.push(r.user_key as HistoryUser);
    }
    return out;
  }

  async recentCursor(user: HistoryUser): Promise<number | null> {
    const row = await this.db.selectFrom('history_users').select('recent_after').where('user_key', '=', user).executeTakeFirst();
    return row?.recent_after ?? null;
  }

  async setRecentCursor(user: HistoryUser, playedAt: number): Promise<void> {
    await this.write(user, async (tx) => {
      const id = await this.userId(tx, user);
      await tx.updateTable('history_users').set({ recent_after: Math.round(playedAt) }).where('id', '=', id).execute();
    });
  }

  async status(user: HistoryUser): Promise<HistoryStatus> {
    const choice = await this.choice(user);
    const userId = await this.existingUserId(this.db, user);
    if (userId === null) return { plays: 0, firstAt: null, lastAt: null, bySource: {}, imports: [], choice };
    const bySourceRows = await this.db
      .selectFrom('plays')
      .select((eb) => ['source', eb.fn.countAll<number>().as('plays'), eb.fn.min('started_at').as('first'), eb.fn.max('started_at').as('last')])
      .where('user_id', '=', userId)
      .groupBy('source')
      .execute();
    const bySource: Partial<Record<PlaySource, number>> = {};
    let plays = 0;
    let firstAt: number | null = null;
    let lastAt: number | null = null;
    for (const row of bySourceRows) {
      const source = SOURCES_BY_CODE.get(row.source);
      const count = Number(row.plays);
      if (source !== undefined) bySource[source] = count;
      plays += count;
      const first = Number(row.first);
      const last = Number(row.last);
      firstAt = firstAt === null ? first : Math.min(firstAt, first);
      lastAt = lastAt === null ? last : Math.max(lastAt, last);
    }
    const imports = await this.db
      .selectFrom('imports')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('imported_at', 'desc')
      .limit(10)
      .execute();
    return {
      plays,
      firstAt,
      lastAt,
      bySource,
      imports: imports.map((r) => ({
        fileName: r.file_name,
        importedAt: r.imported_at,
        added: r.added,
        duplicates: r.duplicates,
        skipped: r.skipped,
        firstAt: r.first_at,
        lastAt: r.last_at,
      })),
      choice,
    };
  }

  async playsPage(user: HistoryUser, afterId: number, limit: number): Promise<StoredPlay[]> {
    const userId = await this.existingUserId(this.db, user);
    if (userId === null) return [];
    const rows = await this.db
      .selectFrom('plays')
      .innerJoin('tracks', 'tracks.id', 'plays.track_id')
      .select([
        'plays.id as id',
        'tracks.title as title',
        'tracks.artist as artist',
        'tracks.album as album',
        'tracks.spotify_id as trackId',
        'plays.started_at as startedAt',
        'plays.ended_at as endedAt',
        'plays.ms_played as msPlayed',
        'plays.duration_ms as durationMs',
        'plays.source as source',
      ])
      .where('plays.user_id', '=', userId)
      .where('plays.id', '>', afterId)
      .orderBy('plays.id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ ...r, source: SOURCES_BY_CODE.get(r.source) ?? 'import-extended' }));
  }

  /** Row ids of these listeners (unknown ones have no plays and are left out). */
  private async idsOf(users: readonly HistoryUser[]): Promise<number[]> {
    const ids: number[] = [];
    const missing: HistoryUser[] = [];
    for (const user of users) {
      const id = this.userIds.get(user);
      if (id === undefined) missing.push(user);
      else ids.push(id);
    }
    for (const part of chunks(missing, LOOKUP_CHUNK)) {
      const rows = await this.db.selectFrom('history_users').select(['id', 'user_key']).where('user_key', 'in', part).execute();
      for (const row of rows) {
        this.userIds.set(row.user_key, row.id);
        ids.push(row.id);
      }
    }
    return ids;
  }

  private static listened() {
    return sql<number>`coalesce(plays.ms_played, plays.duration_ms, 0)`;
  }

  async topItems(users: readonly HistoryUser[], kind: ItemKind, period: Period, limit: number): Promise<TopItem[]> {
    const ids = await this.idsOf(users);
    if (ids.length === 0) return [];
    const group = GROUPS[kind];
    // Counted per track first, then joined to the catalogue: a server's month is ~20k plays of ~7k tracks at 1M
    // plays, and joining every play made PostgreSQL hash the whole catalogue for them (measured: 108 → 78 ms).
    const rows = await this.db
      .with('per_track', (db) =>
        db
          .selectFrom('plays')
          .select((eb) => ['plays.track_id as track_id', eb.fn.countAll<number>().as('plays'), eb.fn.sum<number>(SqlHistoryStore.listened()).as('ms')])
          .where('plays.user_id', 'in', ids)
          .where('plays.started_at', '>=', period.from)
          .where('plays.started_at', '<', period.to)
          .groupBy('plays.track_id'),
      )
      .selectFrom('per_track')
      .innerJoin('tracks', 'tracks.id', 'per_track.track_id')
      .select((eb) => [
        eb.ref(group.key).as('key'),
        eb.fn.min(group.name).as('name'),
        eb.fn.min('tracks.artist').as('artist'),
        eb.fn.sum<number>('per_track.plays').as('plays'),
        eb.fn.sum<number>('per_track.ms').as('ms'),
        eb.fn.max('tracks.image_id').as('imageId'),
        eb.fn.max('tracks.spotify_id').as('trackId'),
      ])
      .$if(kind === 'album', (q) => q.where('tracks.album_key', 'is not', null))
      .groupBy(group.key)
      .orderBy('plays', 'desc')
      .orderBy('ms', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      kind,
      key: String(r.key),
      name: String(r.name),
      artist: kind === 'artist' ? null : String(r.artist),
      plays: Number(r.plays),
      ms: Number(r.ms),
      imageId: r.imageId ?? null,
      trackId: r.trackId ?? null,
    }));
  }

  async totals(users: readonly HistoryUser[], period: Period): Promise<Totals> {
    const ids = await this.idsOf(users);
    if (ids.length === 0) return { plays: 0, ms: 0, tracks: 0, artists: 0, albums: 0 };
    const row = await this.db
      .selectFrom('plays')
      .innerJoin('tracks', 'tracks.id', 'plays.track_id')
      .select((eb) => [
        eb.fn.countAll<number>().as('plays'),
        eb.fn.sum<number>(SqlHistoryStore.listened()).as('ms'),
        eb.fn.count<number>('plays.track_id').distinct().as('tracks'),
        eb.fn.count<number>('tracks.artist_key').distinct().as('artists'),
        eb.fn.count<number>('tracks.album_key').distinct().as('albums'),
      ])
      .where('plays.user_id', 'in', ids)
      .where('plays.started_at', '>=', period.from)
      .where('plays.started_at', '<', period.to)
      .executeTakeFirstOrThrow();
    return {
      plays: Number(row.plays),
      ms: Number(row.ms ?? 0),
      tracks: Number(row.tracks),
      artists: Number(row.artists),
      albums: Number(row.albums),
    };
  }

  async listeners(users: readonly HistoryUser[], kind: ItemKind, key: string, period?: Period): Promise<ListenerCount[]> {
    const ids = await this.idsOf(users);
    if (ids.length === 0) return [];
    if (period === undefined && kind === 'artist') {
      // All time, an artist: the per-artist totals, one row per listener.
      const totals = await this.db
        .selectFrom('user_artists')
        .innerJoin('history_users', 'history_users.id', 'user_artists.user_id')
        .select(['history_users.user_key as user', 'user_artists.plays as plays', 'user_artists.ms as ms'])
        .where('user_artists.artist_key', '=', key)
        .where('user_artists.user_id', 'in', ids)
        .orderBy('plays', 'desc')
        .orderBy('ms', 'desc')
        .execute();
      return totals.map(listenerCount);
    }
    if (period === undefined) {
      // All time: the per-track totals, a few rows per listener.
      const column = kind === 'artist' ? 'artist_key' : kind === 'track' ? 'key' : 'album_key';
      const totals = await this.db
        .selectFrom('user_tracks')
        .innerJoin('history_users', 'history_users.id', 'user_tracks.user_id')
        .select((eb) => ['history_users.user_key as user', eb.fn.sum<number>('user_tracks.plays').as('plays'), eb.fn.sum<number>('user_tracks.ms').as('ms')])
        .where('user_tracks.track_id', 'in', (eb) => eb.selectFrom('tracks').select('tracks.id').where(column, '=', key))
        .where('user_tracks.user_id', 'in', ids)
        .groupBy('history_users.user_key')
        .orderBy('plays', 'desc')
        .orderBy('ms', 'desc')
        .execute();
      return totals.map(listenerCount);
    }
    const rows = await this.db
      .selectFrom('plays')
      .innerJoin('tracks', 'tracks.id', 'plays.track_id')
      .innerJoin('history_users', 'history_users.id', 'plays.user_id')
      .select((eb) => ['history_users.user_key as user', eb.fn.countAll<number>().as('plays'), eb.fn.sum<number>(SqlHistoryStore.listened()).as('ms')])
      .where(GROUPS[kind].key, '=', key)
      .where('plays.user_id', 'in', ids)
      .$if(period !== undefined, (q) => q.where('plays.started_at', '>=', period!.from).where('plays.started_at', '<', period!.to))
      .groupBy('history_users.user_key')
      .orderBy('plays', 'desc')
      .orderBy('ms', 'desc')
      .execute();
    return rows.map(listenerCount);
  }

  async listenerTotals(users: readonly HistoryUser[], period: Period): Promise<ListenerCount[]> {
    const ids = await this.idsOf(users);
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('plays')
      .innerJoin('history_users', 'history_users.id', 'plays.user_id')
      .select((eb) => ['history_users.user_key as user', eb.fn.countAll<number>().as('plays'), eb.fn.sum<number>(SqlHistoryStore.listened()).as('ms')])
      .where('plays.user_id', 'in', ids)
      .where('plays.started_at', '>=', period.from)
      .where('plays.started_at', '<', period.to)
      .groupBy('history_users.user_key')
      .orderBy('plays', 'desc')
      .execute();
    return rows.map(listenerCount);
  }

  async moments(users: readonly HistoryUser[], period: Period): Promise<PlayMoment[]> {
    const ids = await this.idsOf(users);
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('plays')
      .select(['plays.started_at as startedAt', SqlHistoryStore.listened().as('ms')])
      .where('plays.user_id', 'in', ids)
      .where('plays.started_at', '>=', period.from)
      .where('plays.started_at', '<', period.to)
      .execute();
    return rows.map((r) => ({ startedAt: Number(r.startedAt), ms: Number(r.ms) }));
  }

  async periodSummary(users: readonly HistoryUser[], query: PeriodSummaryQuery): Promise<PeriodSummary> {
    return periodSummary(this.db, this.engine, this.groups, await this.idsOf(users), query);
  }

  async searchNames(kind: ItemKind, prefix: string, limit: number): Promise<TopItem[]> {
    const folded = foldName(prefix);
    const column = kind === 'artist' ? 'artist_key' : kind === 'track' ? 'title_key' : 'album_key';
    const name = kind === 'artist' ? 'artist' : kind === 'track' ? 'title' : 'album';
    const key = kind === 'artist' ? 'artist_key' : kind === 'track' ? 'key' : 'album_key';
    const rows = await this.db
      .selectFrom('tracks')
      .select((eb) => [
        eb.ref(key).as('key'),
        eb.fn.min(name).as('name'),
        eb.fn.min('artist').as('artist'),
        eb.fn.max('image_id').as('imageId'),
        eb.fn.max('spotify_id').as('trackId'),
      ])
      .where(column, '>=', folded)
      .where(column, '<', folded + PREFIX_END)
      .groupBy(key)
      .orderBy(key)
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      kind,
      key: String(r.key),
      name: String(r.name),
      artist: kind === 'artist' ? null : String(r.artist),
      plays: 0,
      ms: 0,
      imageId: r.imageId ?? null,
      trackId: r.trackId ?? null,
    }));
  }

  coverSources(kind: ItemKind, keys: readonly string[]): Promise<CoverSource[]> {
    return coverSources(this.db, kind, keys);
  }

  saveCover(target: { trackKey: string | null; albumKey: string | null }, imageId: string): Promise<number> {
    return this.write(null, (tx) => saveCover(tx, target, imageId));
  }

  async trackTotals(users: readonly HistoryUser[], period: Period): Promise<TrackTotal[]> {
    return trackTotals(this.db, await this.idsOf(users), period);
  }

  async newArtists(users: readonly HistoryUser[], period: Period): Promise<NewArtist[]> {
    return newArtists(this.db, await this.idsOf(users), period);
  }

  async findItem(kind: ItemKind, query: ItemQuery): Promise<KnownItem | null> {
    if (query.by === 'id') return whoKnows.itemById(this.db, kind, query.id);
    if (query.by === 'playing') return whoKnows.itemPlaying(this.db, kind, query.track);
    return whoKnows.itemNamed(this.db, kind, query.name);
  }

  async searchItems(kind: ItemKind, prefix: string, limit: number): Promise<KnownItem[]> {
    return whoKnows.searchItems(this.db, kind, prefix, limit);
  }

  async playCounts(user: HistoryUser, track: { title: string; artist: string }, members: readonly HistoryUser[] | null): Promise<PlayCounts> {
    return whoKnows.playCounts(this.db, user, track, members);
  }

  async erase(user: HistoryUser): Promise<ErasedHistory> {
    return this.write(user, async (tx) => {
      await lockCatalogue(this.database, tx);
      const userId = await this.existingUserId(tx, user);
      this.userIds.delete(user);
      if (userId === null) return { plays: 0, imports: 0, user: false };
      const theirTracks = tx.selectFrom('plays').select('track_id').where('user_id', '=', userId).distinct();
      const orphanable = (await theirTracks.execute()).map((r) => r.track_id);
      const plays = await tx.deleteFrom('plays').where('user_id', '=', userId).executeTakeFirst();
      await tx.deleteFrom('user_tracks').where('user_id', '=', userId).execute();
      await tx.deleteFrom('user_artists').where('user_id', '=', userId).execute();
      const imports = await tx.deleteFrom('imports').where('user_id', '=', userId).executeTakeFirst();
      await tx.deleteFrom('history_users').where('id', '=', userId).execute();
      // Tracks only this person played would still say what they listened to: they go too.
      for (const part of chunks(orphanable, LOOKUP_CHUNK)) {
        await tx
          .deleteFrom('tracks')
          .where('id', 'in', part)
          .where(({ not, exists, selectFrom }) => not(exists(selectFrom('plays').select('plays.id').whereRef('plays.track_id', '=', 'tracks.id'))))
          .execute();
      }
      this.tracks.clear();
      return { plays: Number(plays.numDeletedRows), imports: Number(imports.numDeletedRows), user: true };
    }).then(async (erased) => {
      if (erased.user) this.groups.forget();
      await this.forgetDeletedPages();
      return erased;
    });
  }

  /** SQLite's write-ahead log still holds pages as they were before a delete: fold it into the file and empty it. */
  private async forgetDeletedPages(): Promise<void> {
    if (this.database.engine === 'sqlite') await sql`pragma wal_checkpoint(truncate)`.execute(this.db);
  }

  async prune(before: number): Promise<number> {
    return this.write(null, async (tx) => {
      await lockCatalogue(this.database, tx);
      // What leaves each listener's per-track totals, before the plays go.
      const leaving = await tx
        .selectFrom('plays')
        .select((eb) => ['track_id', 'user_id', eb.fn.countAll<number>().as('plays'), eb.fn.sum<number>(SqlHistoryStore.listened()).as('ms')])
        .where('started_at', '<', before)
        .groupBy(['track_id', 'user_id'])
        .execute();
      for (const row of leaving) {
        await tx
          .updateTable('user_tracks')
          .set((eb) => ({ plays: eb('plays', '-', Number(row.plays)), ms: eb('ms', '-', Number(row.ms)) }))
          .where('track_id', '=', row.track_id)
          .where('user_id', '=', row.user_id)
          .execute();
      }
      await tx.deleteFrom('user_tracks').where('plays', '<=', 0).execute();
      const leavingArtists = await tx
        .selectFrom('plays')
        .innerJoin('tracks', 'tracks.id', 'plays.track_id')
        .select((eb) => [
          'tracks.artist_key as artist_key',
          'plays.user_id as user_id',
          eb.fn.countAll<number>().as('plays'),
          eb.fn.sum<number>(SqlHistoryStore.listened()).as('ms'),
        ])
        .where('plays.started_at', '<', before)
        .groupBy(['tracks.artist_key', 'plays.user_id'])
        .execute();
      for (const row of leavingArtists) {
        await tx
          .updateTable('user_artists')
          .set((eb) => ({ plays: eb('plays', '-', Number(row.plays)), ms: eb('ms', '-', Number(row.ms)) }))
          .where('artist_key', '=', row.artist_key)
          .where('user_id', '=', row.user_id)
          .execute();
      }
      await tx.deleteFrom('user_artists').where('plays', '<=', 0).execute();
      const deleted = await tx.deleteFrom('plays').where('started_at', '<', before).executeTakeFirst();
      const count = Number(deleted.numDeletedRows);
      if (count > 0) {
        await tx
          .deleteFrom('tracks')
          .where(({ not, exists, selectFrom }) => not(exists(selectFrom('plays').select('plays.id').whereRef('plays.track_id', '=', 'tracks.id'))))
          .execute();
        this.tracks.clear();
      }
      return count;
    }).then(async (count) => {
      if (count > 0) this.groups.forget();
      if (count > 0) await this.forgetDeletedPages();
      return count;
    });
  }

  /** Waits for pending writes; the database itself is closed by its owner (it may hold the key-value store too). */
  async close(): Promise<void> {
    await this.writing;
  }
}
