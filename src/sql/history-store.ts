// The history store over SQL (SQLite or PostgreSQL, through Kysely): plays, the track catalogue, recording
// choices, cursors and import records. Writes go in one transaction per batch; plays are de-duplicated and written
// by add-plays.ts.
import { Migrator, sql, type Kysely, type Transaction } from 'kysely';
import type { Logger } from '../logger.js';
import { foldName, type HistoryUser, type PlayInput, type PlaySource } from '../history/play.js';
import { batchLength, playBatch, type PlayBatch } from '../history/play-batch.js';
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
  type UserChoice,
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
import { lockCatalogue } from './play-writes.js';
import { PlayWriter, prepareBatch, SOURCE_CODES } from './add-plays.js';

type Db = Kysely<HistoryTables>;
type Tx = Transaction<HistoryTables> | Kysely<HistoryTables>;

const SOURCES_BY_CODE = new Map<number, PlaySource>(
  Object.entries(SOURCE_CODES).map(([source, code]) => [code, source as PlaySource]),
);

/** Keys per `IN (…)` lookup. */
const LOOKUP_CHUNK = 500;

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

/** A history_users row's recording choice (stored as 0/1, recording null until chosen). */
const storedChoice = (row: { recording: number | null; only_me: number }): RecordingChoice => ({
  recording: row.recording === null ? null : row.recording === 1,
  onlyMe: row.only_me === 1,
});

class SqlHistoryStore implements HistoryStore {
  readonly engine: 'sqlite' | 'postgres';
  private readonly userIds = new Map<string, number>();
  private readonly plays: PlayWriter;
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
    this.plays = new PlayWriter(database);
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

  async addPlays(user: HistoryUser, plays: readonly PlayInput[]): Promise<AddResult> {
    return this.addPlayBatch(user, playBatch(plays));
  }

  async addPlayBatch(user: HistoryUser, batch: PlayBatch): Promise<AddResult> {
    const prepared = prepareBatch(batch);
    if (prepared.order.length === 0) return { added: 0, duplicates: batchLength(batch) };
    return this.write(user, async (tx) => {
      const userId = await this.userId(tx, user);
      try {
        return await this.plays.write(tx, userId, prepared);
      } catch (error) {
        // Remembered ids may be stale (VanishedRowError; SQLite: its foreign keys): look them up again next time.
        this.plays.forgetTracks();
        this.userIds.clear();
        throw error;
      }
    });
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
    return row === undefined ? { recording: null, onlyMe: false } : storedChoice(row);
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

  async choicesAmong(users: readonly HistoryUser[]): Promise<UserChoice[]> {
    const out: UserChoice[] = [];
    for (const part of chunks(users, LOOKUP_CHUNK)) {
      const rows = await this.db.selectFrom('history_users').select(['user_key', 'recording', 'only_me']).where('user_key', 'in', part).execute();
      for (const r of rows) out.push({ user: r.user_key as HistoryUser, ...storedChoice(r) });
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
    return [...(await this.listenersOf(users)).keys()];
  }

  /** The stored listeners among these users, by row id (users never recorded have none and are left out). */
  private async listenersOf(users: readonly HistoryUser[]): Promise<Map<number, HistoryUser>> {
    const listeners = new Map<number, HistoryUser>();
    const missing: HistoryUser[] = [];
    for (const user of users) {
      const id = this.userIds.get(user);
      if (id === undefined) missing.push(user);
      else listeners.set(id, user);
    }
    for (const part of chunks(missing, LOOKUP_CHUNK)) {
      const rows = await this.db.selectFrom('history_users').select(['id', 'user_key']).where('user_key', 'in', part).execute();
      for (const row of rows) {
        this.userIds.set(row.user_key, row.id);
        listeners.set(row.id, row.user_key as HistoryUser);
      }
    }
    return listeners;
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
    return periodSummary(this.db, this.engine, this.groups, await this.listenersOf(users), query);
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
      this.plays.forgetTracks();
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
        this.plays.forgetTracks();
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
