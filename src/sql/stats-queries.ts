// SQL for /stats and /serverstats: a period's plays read once through the covering index plays_user_time_track, a
// row per listener with their plays as text built in the database, counted in JS (period-counts.ts: per track, per
// quarter hour, then per artist and album through the store's remembered catalogue, track-groups.ts), names looked up
// for the top few only, the period before counted in SQL. Measured at 1M plays, a server's month (~25k plays of 300
// members, ~7,800 tracks): grouping per track in SQL joined to the catalogue, with the quarter hours and listeners
// grouped by further statements, took 75–105 ms on SQLite and 80–120 ms on PostgreSQL; this takes about a third.
import { sql, type Kysely } from 'kysely';
import type { HistoryUser } from '../history/play.js';
import { SLICE_MS, type ItemKind, type ListenerCount, type PeriodSummary, type Period, type PeriodSummaryQuery, type PlaySlice, type TopItem } from '../history/store.js';
import type { HistoryTables } from './history-schema.js';
import { PeriodCounts, type Counted } from './period-counts.js';
import type { TrackGroups } from './track-groups.js';

type Db = Kysely<HistoryTables>;

const listened = () => sql<number>`coalesce(plays.ms_played, plays.duration_ms, 0)`;

const byKey = (a: { key: string }, b: { key: string }): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

const NAME_COLUMN = { artist: 'artist', track: 'title', album: 'album' } as const;
const KEY_COLUMN = { artist: 'artist_key', track: 'key', album: 'album_key' } as const;

/**
 * The top groups as the store's top items: names, covers and Spotify ids from the catalogue rows played in the
 * period (as topItems gives them), looked up for these few only.
 */
async function named(db: Db, kind: ItemKind, groups: Counted[]): Promise<TopItem[]> {
  if (groups.length === 0) return [];
  const key = KEY_COLUMN[kind];
  const rows = await db
    .selectFrom('tracks')
    .select((eb) => [
      eb.fn.min('id').as('id'),
      eb.ref(key).as('key'),
      eb.fn.min(NAME_COLUMN[kind]).as('name'),
      eb.fn.min('artist').as('artist'),
      eb.fn.max('image_id').as('imageId'),
      eb.fn.max('spotify_id').as('trackId'),
    ])
    .where('id', 'in', groups.flatMap((g) => g.trackIds))
    .groupBy(key)
    .execute();
  // A track's group is known by its id until here (its key comes with its name).
  const found = new Map(rows.map((r) => [kind === 'track' ? String(r.id) : String(r.key), r]));
  return groups.map((g) => {
    const r = found.get(g.key);
    return {
      kind,
      key: String(r?.key ?? g.key),
      name: String(r?.name ?? ''),
      artist: kind === 'artist' ? null : String(r?.artist ?? ''),
      plays: g.plays,
      ms: g.ms,
      imageId: r?.imageId ?? null,
      trackId: r?.trackId ?? null,
    };
  });
}

/** A stretch of the period read per statement (whole quarter hours): a server's month is one; `all` over years holds one window's lists at a time. */
const WINDOW_MS = 31 * 86_400_000;

/** One listener's plays in a window, each as "track id,quarter hour,time listened,…" */
interface ListenerPlays {
  userId: number;
  list: string;
}

/**
 * The plays of these listeners in [from, to), a row per listener holding their plays as text built in the database —
 * track id, the quarter hour it started in (counted from `base`), time listened, track id, … — read in index order
 * through plays_user_time_track (grouping by listener needs no sort). SQLite's GROUP BY track sorts every play
 * through a temporary b-tree and a row object per group costs a driver round each (at 1M plays, a server's month:
 * 40–63 ms joined to the catalogue; these lists 10–15 ms). A list per listener, not one for all: small strings die
 * young, where one 650 KB string went to the old generation, which --optimize-for-size (as the bot runs) collects
 * often.
 */
async function playLists(db: Db, engine: Engine, ids: readonly number[], span: { from: number; to: number; base: number }): Promise<ListenerPlays[]> {
  const where = sql`plays.user_id in (${sql.join(ids)}) and plays.started_at >= ${span.from} and plays.started_at < ${span.to}`;
  // Literals: integer division of two integers on both engines; bracketed, as SQLite binds || tighter than /.
  const slice = sql`((plays.started_at - ${sql.lit(span.base)}) / ${sql.lit(SLICE_MS)})`;
  const item = sql`plays.track_id || ',' || ${slice} || ',' || ${listened()}`;
  const concat = engine === 'sqlite' ? sql`group_concat(${item})` : sql`string_agg(${item}, ',')`;
  const { rows } = await sql<{ user_id: number | string; list: string }>`select plays.user_id, ${concat} as list
    from plays where ${where} group by plays.user_id`.execute(db);
  return rows.map((r) => ({ userId: Number(r.user_id), list: r.list }));
}

/** When the first of these listeners' plays started (one index probe per listener), or null with none. */
async function firstPlay(db: Db, engine: Engine, ids: readonly number[]): Promise<number | null> {
  const listeners = engine === 'sqlite' ? sql`json_each(${JSON.stringify(ids)}) as u` : sql`unnest(${ids}::bigint[]) as u(value)`;
  const { rows } = await sql<{ first: number | string | null }>`select min((select min(plays.started_at) from plays
    where plays.user_id = u.value)) as first from ${listeners}`.execute(db);
  const first = rows[0]?.first;
  return first == null ? null : Number(first);
}

type Engine = 'sqlite' | 'postgres';

/** Plays and time of these listeners in a period. */
async function countPlays(db: Db, ids: readonly number[], period: Period): Promise<{ plays: number; ms: number }> {
  const row = await db
    .selectFrom('plays')
    .select((eb) => [eb.fn.countAll<number>().as('plays'), eb.fn.sum<number>(listened()).as('ms')])
    .where('plays.user_id', 'in', ids)
    .where('plays.started_at', '>=', period.from)
    .where('plays.started_at', '<', period.to)
    .executeTakeFirstOrThrow();
  return { plays: Number(row.plays), ms: Number(row.ms ?? 0) };
}

export async function periodSummary(
  db: Db,
  engine: Engine,
  groups: TrackGroups,
  users: ReadonlyMap<number, HistoryUser>,
  query: PeriodSummaryQuery,
): Promise<PeriodSummary> {
  const { period, before, limit } = query;
  const ids = [...users.keys()];
  if (ids.length === 0) {
    const totals = { plays: 0, ms: 0, tracks: 0, artists: 0, albums: 0 };
    return { totals, previous: before === null ? null : { plays: 0, ms: 0 }, topArtists: [], topTracks: [], topAlbums: [], slices: [], listeners: query.listeners ? [] : null };
  }
  // A long period starts at the first play, not at 1970, so the windows cover only years with plays.
  const spansWindows = period.to - period.from > WINDOW_MS;
  const first = spansWindows ? await firstPlay(db, engine, ids) : period.from;
  // The period before is counted meanwhile (on PostgreSQL on another connection; SQLite's one queues it).
  const previous = before === null ? Promise.resolve(null) : countPlays(db, ids, before);
  previous.catch(() => undefined);
  const slots = groups.current();
  const counts = new PeriodCounts(slots);
  const perUser = new Map<number, { plays: number; ms: number }>();
  const slices: PlaySlice[] = [];
  // Each window after the first starts on a quarter hour, so no quarter hour is counted in two windows.
  for (let from = Math.max(period.from, first ?? period.to), base = from - (from % SLICE_MS); from < period.to; from = base += WINDOW_MS) {
    const to = Math.min(period.to, base + WINDOW_MS);
    // The window's quarter hours, counted in place (a month has 2,880).
    const slicePlays = new Float64Array(Math.ceil((to - base) / SLICE_MS));
    const sliceMs = new Float64Array(slicePlays.length);
    for (const listener of await playLists(db, engine, ids, { from, to, base })) {
      const counted = counts.addList(listener.list, slicePlays, sliceMs);
      const seen = perUser.get(listener.userId);
      perUser.set(listener.userId, { plays: (seen?.plays ?? 0) + counted.plays, ms: (seen?.ms ?? 0) + counted.ms });
    }
    for (let k = 0; k < slicePlays.length; k++) {
      if (slicePlays[k]! > 0) slices.push({ start: base + k * SLICE_MS, plays: slicePlays[k]!, ms: sliceMs[k]! });
    }
  }
  const played = counts.playedSlots();
  await slots.resolve(db, engine, played.slots, played.count);
  const artists = counts.groups('artist', limit);
  const albums = counts.groups('album', limit);
  const [topArtists, tracksNamed, topAlbums] = await Promise.all([
    named(db, 'artist', artists.top),
    named(db, 'track', counts.tracksAtTheCut(limit)),
    named(db, 'album', albums.top),
  ]);
  // Tracks tie by key too, known only once named: the ones tied at the cut are named and sorted again.
  const topTracks = tracksNamed.sort((a, b) => b.plays - a.plays || b.ms - a.ms || byKey(a, b)).slice(0, limit);

  let listeners: ListenerCount[] | null = null;
  if (query.listeners) {
    listeners = [...perUser]
      .map(([id, counted]) => ({ user: users.get(id)!, ...counted }))
      .sort((a, b) => b.plays - a.plays || b.ms - a.ms || byUser(a, b));
  }

  return {
    totals: { plays: counts.plays, ms: counts.ms, tracks: counts.trackCount(), artists: artists.distinct, albums: albums.distinct },
    previous: await previous,
    topArtists,
    topTracks,
    topAlbums,
    slices,
    listeners,
  };
}

const byUser = (a: { user: string }, b: { user: string }): number => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0);
