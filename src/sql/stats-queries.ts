// SQL for /stats and /serverstats: a period's plays read a few times through the covering index
// plays_user_time_track, each statement grouping them so only small results leave the database — per track (joined
// to its artist and album keys; totals and top items are counted from these), per quarter hour (the day and hour
// series), per listener — and names looked up for the top few only. Measured at 1M plays on SQLite, a server's month
// (~17k plays of 300 members): seven separate statements (totals twice, three top lists, every play shipped for the
// series, listeners) took ~250 ms; these take a fraction of it.
import { sql, type Kysely } from 'kysely';
import type { HistoryUser } from '../history/play.js';
import { SLICE_MS, type ItemKind, type ListenerCount, type PeriodSummary, type PeriodSummaryQuery, type PlaySlice, type TopItem } from '../history/store.js';
import type { HistoryTables } from './history-schema.js';

type Db = Kysely<HistoryTables>;

const listened = () => sql<number>`coalesce(plays.ms_played, plays.duration_ms, 0)`;

interface Group {
  key: string;
  plays: number;
  ms: number;
  trackIds: number[];
}

function add(groups: Map<string, Group>, key: string, trackId: number, plays: number, ms: number): void {
  const group = groups.get(key);
  if (group) {
    group.plays += plays;
    group.ms += ms;
    group.trackIds.push(trackId);
  } else {
    groups.set(key, { key, plays, ms, trackIds: [trackId] });
  }
}

const byKey = (a: { key: string }, b: { key: string }): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Most played first, then most time; ties by key so the order is the same on both engines. */
function topGroups(groups: Iterable<Group>, limit: number): Group[] {
  return [...groups].sort((a, b) => b.plays - a.plays || b.ms - a.ms || byKey(a, b)).slice(0, limit);
}

/** The top `limit` tracks by plays and time, and every track tied with the last of them (their keys decide). */
function tracksAtTheCut(tracks: Group[], limit: number): Group[] {
  const sorted = [...tracks].sort((a, b) => b.plays - a.plays || b.ms - a.ms);
  const last = sorted[limit - 1];
  if (last === undefined) return sorted;
  let end = limit;
  while (end < sorted.length && sorted[end]!.plays === last.plays && sorted[end]!.ms === last.ms) end++;
  return sorted.slice(0, end);
}

const NAME_COLUMN = { artist: 'artist', track: 'title', album: 'album' } as const;
const KEY_COLUMN = { artist: 'artist_key', track: 'key', album: 'album_key' } as const;

/**
 * The top groups as the store's top items: names, covers and Spotify ids from the catalogue rows played in the
 * period (as topItems gives them), looked up for these few only.
 */
async function named(db: Db, kind: ItemKind, groups: Group[]): Promise<TopItem[]> {
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

export async function periodSummary(db: Db, ids: readonly number[], query: PeriodSummaryQuery): Promise<PeriodSummary> {
  const { period, before, limit } = query;
  if (ids.length === 0) {
    const totals = { plays: 0, ms: 0, tracks: 0, artists: 0, albums: 0 };
    return { totals, previous: before === null ? null : { plays: 0, ms: 0 }, topArtists: [], topTracks: [], topAlbums: [], slices: [], listeners: query.listeners ? [] : null };
  }
  // The period's plays counted per track, with the track's artist and album: ~8k rows for a server's month at 1M
  // plays, from which the totals and each kind's top items are counted here (grouping them by name in SQL cost SQLite
  // 4× more: its temporary b-trees compare the strings).
  const perTrack = await db
    .with('per_track', (w) =>
      w
        .selectFrom('plays')
        .select((eb) => ['plays.track_id as track_id', eb.fn.countAll<number>().as('plays'), eb.fn.sum<number>(listened()).as('ms')])
        .where('plays.user_id', 'in', ids)
        .where('plays.started_at', '>=', period.from)
        .where('plays.started_at', '<', period.to)
        .groupBy('plays.track_id'),
    )
    .selectFrom('per_track')
    .innerJoin('tracks', 'tracks.id', 'per_track.track_id')
    .select(['per_track.track_id as id', 'per_track.plays as plays', 'per_track.ms as ms', 'tracks.artist_key as artistKey', 'tracks.album_key as albumKey'])
    .execute();
  const artists = new Map<string, Group>();
  const albums = new Map<string, Group>();
  const tracks: Group[] = [];
  let plays = 0;
  let ms = 0;
  for (const r of perTrack) {
    const id = Number(r.id);
    const p = Number(r.plays);
    const m = Number(r.ms ?? 0);
    plays += p;
    ms += m;
    tracks.push({ key: String(id), plays: p, ms: m, trackIds: [id] });
    add(artists, r.artistKey, id, p, m);
    if (r.albumKey !== null) add(albums, r.albumKey, id, p, m);
  }
  const topArtists = await named(db, 'artist', topGroups(artists.values(), limit));
  // Tracks tie by key too, known only once named: the ones tied at the cut are named and sorted again.
  const topTracks = (await named(db, 'track', tracksAtTheCut(tracks, limit)))
    .sort((a, b) => b.plays - a.plays || b.ms - a.ms || byKey(a, b))
    .slice(0, limit);
  const topAlbums = await named(db, 'album', topGroups(albums.values(), limit));

  // A literal, not a parameter: PostgreSQL matches the grouped expression to the selected one by its text.
  const start = sql<number>`plays.started_at - plays.started_at % ${sql.lit(SLICE_MS)}`;
  const sliceRows = await db
    .selectFrom('plays')
    .select((eb) => [start.as('start'), eb.fn.countAll<number>().as('plays'), eb.fn.sum<number>(listened()).as('ms')])
    .where('plays.user_id', 'in', ids)
    .where('plays.started_at', '>=', period.from)
    .where('plays.started_at', '<', period.to)
    .groupBy(start)
    .orderBy('start')
    .execute();
  const slices: PlaySlice[] = sliceRows.map((r) => ({ start: Number(r.start), plays: Number(r.plays), ms: Number(r.ms ?? 0) }));

  let previous: PeriodSummary['previous'] = null;
  if (before !== null) {
    const row = await db
      .selectFrom('plays')
      .select((eb) => [eb.fn.countAll<number>().as('plays'), eb.fn.sum<number>(listened()).as('ms')])
      .where('plays.user_id', 'in', ids)
      .where('plays.started_at', '>=', before.from)
      .where('plays.started_at', '<', before.to)
      .executeTakeFirstOrThrow();
    previous = { plays: Number(row.plays), ms: Number(row.ms ?? 0) };
  }

  let listeners: ListenerCount[] | null = null;
  if (query.listeners) {
    const rows = await db
      .with('per_user', (w) =>
        w
          .selectFrom('plays')
          .select((eb) => ['plays.user_id as user_id', eb.fn.countAll<number>().as('plays'), eb.fn.sum<number>(listened()).as('ms')])
          .where('plays.user_id', 'in', ids)
          .where('plays.started_at', '>=', period.from)
          .where('plays.started_at', '<', period.to)
          .groupBy('plays.user_id'),
      )
      .selectFrom('per_user')
      .innerJoin('history_users', 'history_users.id', 'per_user.user_id')
      .select(['history_users.user_key as user', 'per_user.plays as plays', 'per_user.ms as ms'])
      .orderBy('plays', 'desc')
      .execute();
    listeners = rows.map((r) => ({ user: r.user as HistoryUser, plays: Number(r.plays), ms: Number(r.ms) }));
  }

  return {
    totals: { plays, ms, tracks: tracks.length, artists: artists.size, albums: albums.size },
    previous,
    topArtists,
    topTracks,
    topAlbums,
    slices,
    listeners,
  };
}
