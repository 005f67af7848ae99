// Covers for charts drawn from history: where each charted item's cover comes from (a cover stored with its plays,
// one stored for another track of its album, or a Spotify track id to look one up with), and keeping a cover found
// by a lookup with every track of its album, for good. The history store delegates here.
import type { Kysely } from 'kysely';
import type { CoverSource, ItemKind } from '../history/store.js';
import type { HistoryTables } from './history-schema.js';

type Db = Kysely<HistoryTables>;

/** Keys per `IN (…)` (a chart has at most 25 items; this only bounds a caller asking for more). */
const LOOKUP_CHUNK = 500;

/** The catalogue column a chart kind's item key is (the same grouping as the store's top items). */
const KEY_COLUMN = { artist: 'artist_key', track: 'key', album: 'album_key' } as const;

/** Where each item's cover comes from, in the order of `keys` (items the catalogue no longer has are left out). */
export async function coverSources(db: Db, kind: ItemKind, keys: readonly string[]): Promise<CoverSource[]> {
  const column = KEY_COLUMN[kind];
  const wanted = [...new Set(keys)].slice(0, LOOKUP_CHUNK);
  if (wanted.length === 0) return [];
  const groups = await db
    .selectFrom('tracks')
    .select((eb) => [
      eb.ref(column).as('key'),
      eb.fn.max('image_id').as('imageId'),
      eb.fn.max('spotify_id').as('trackId'),
      // A track's album (one row per track key): its cover may be stored with another track of it.
      eb.fn.max('album_key').as('albumKey'),
    ])
    .where(column, 'in', wanted)
    .groupBy(column)
    .execute();
  const byKey = new Map<string, CoverSource>();
  for (const g of groups) {
    if (g.key === null) continue;
    const albumKey = kind === 'album' ? g.key : kind === 'track' ? (g.albumKey ?? null) : null;
    byKey.set(g.key, { key: g.key, imageId: g.imageId ?? null, trackId: g.trackId ?? null, trackKey: null, albumKey });
  }

  // The track behind each Spotify id to look up: its album (a lookup's cover is kept for the whole album) and key.
  const needing = [...byKey.values()].filter((s) => s.imageId === null && s.trackId !== null);
  if (needing.length > 0) {
    const rows = await db
      .selectFrom('tracks')
      .select(['key', 'album_key', 'spotify_id', 'artist_key'])
      .where(column, 'in', needing.map((s) => s.key))
      .where('spotify_id', 'in', needing.map((s) => s.trackId!))
      .execute();
    for (const source of needing) {
      const row = rows.find((r) => r.spotify_id === source.trackId && (kind === 'artist' ? r.artist_key : kind === 'track' ? r.key : r.album_key) === source.key);
      if (!row) continue;
      source.trackKey = row.key;
      source.albumKey = row.album_key;
    }
  }

  // A track or artist without a cover of its own may have one through another track of the album.
  const albums = [...byKey.values()].filter((s) => s.imageId === null && s.albumKey !== null && kind !== 'album').map((s) => s.albumKey!);
  if (albums.length > 0) {
    const covers = await db
      .selectFrom('tracks')
      .select((eb) => ['album_key', eb.fn.max('image_id').as('imageId')])
      .where('album_key', 'in', [...new Set(albums)])
      .groupBy('album_key')
      .execute();
    const coverOf = new Map(covers.map((c) => [c.album_key, c.imageId ?? null]));
    for (const source of byKey.values()) {
      if (source.imageId === null && source.albumKey !== null) source.imageId = coverOf.get(source.albumKey) ?? null;
    }
  }
  return keys.flatMap((key) => byKey.get(key) ?? []);
}

/**
 * Keep a cover found for a track: on it and on every track of its album that has none (covers already stored stay).
 * Returns how many catalogue rows got it.
 */
export async function saveCover(db: Db, target: { trackKey: string | null; albumKey: string | null }, imageId: string): Promise<number> {
  const { trackKey, albumKey } = target;
  if (trackKey === null && albumKey === null) return 0;
  const result = await db
    .updateTable('tracks')
    .set({ image_id: imageId })
    .where('image_id', 'is', null)
    .where((eb) => {
      const matches = [];
      if (trackKey !== null) matches.push(eb('key', '=', trackKey));
      if (albumKey !== null) matches.push(eb('album_key', '=', albumKey));
      return eb.or(matches);
    })
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
