// Which artist and album each catalogue track belongs to, remembered by the store between calls, each track under a
// small dense number (its slot) so a period's plays are counted in typed arrays instead of maps and objects. A server's
// period groups thousands of tracks by artist and album: looking their keys up each time cost more than the rest of
// /serverstats (measured at 1M plays, a server's month of ~7,800 tracks: 14 ms on SQLite, 36 ms on PostgreSQL).
// A track's keys never change; a track id can be reused only after its row is deleted (SQLite reuses the highest
// rowid), and rows are deleted only by erase and prune, which start a new table here (a call already counting keeps
// the one it began with: it read its plays before the delete).
import { sql, type Kysely } from 'kysely';
import type { HistoryTables } from './history-schema.js';

/** About a busy server's year of distinct tracks; past it the table starts again empty. */
const REMEMBERED = 30_000;
/** A slot whose track has not been looked up yet (or is not in the catalogue). */
export const UNKNOWN = -2;
/** A track without an album. */
export const NO_ALBUM = -1;

/** Keys under dense numbers (0, 1, 2, … in the order first seen), each stored once. */
class DenseIndex<K> {
  readonly keys: K[] = [];
  private readonly index = new Map<K, number>();

  of(key: K): number {
    let at = this.index.get(key);
    if (at === undefined) {
      at = this.keys.length;
      this.index.set(key, at);
      this.keys.push(key);
    }
    return at;
  }
}

/** One table of slots; replaced, never emptied, when rows are deleted. */
export class TrackSlots {
  private readonly slots = new DenseIndex<number>();
  /** Slot → track id. */
  readonly trackIds: number[] = this.slots.keys;
  /** Slot → artist number (UNKNOWN until looked up). */
  readonly artistOf: number[] = [];
  /** Slot → album number, NO_ALBUM, or UNKNOWN. */
  readonly albumOf: number[] = [];
  readonly artists = new DenseIndex<string>();
  readonly albums = new DenseIndex<string>();

  get size(): number {
    return this.trackIds.length;
  }

  /** This track's slot, given one if it has none. */
  slot(trackId: number): number {
    const at = this.slots.of(trackId);
    if (at === this.artistOf.length) {
      this.artistOf.push(UNKNOWN);
      this.albumOf.push(UNKNOWN);
    }
    return at;
  }

  /** Look up, in one statement, the artist and album of these slots' tracks not known yet. */
  async resolve(db: Kysely<HistoryTables>, engine: 'sqlite' | 'postgres', slots: ArrayLike<number>, count: number): Promise<void> {
    const missing: number[] = [];
    for (let i = 0; i < count; i++) {
      const slot = slots[i]!;
      if (this.artistOf[slot] === UNKNOWN) missing.push(this.trackIds[slot]!);
    }
    if (missing.length === 0) return;
    const list =
      engine === 'sqlite'
        ? sql<{ list: string | null }>`select json_group_array(json_array(t.id, t.artist_key, t.album_key)) as list
            from json_each(${JSON.stringify(missing)}) as j join tracks as t on t.id = j.value`
        : sql<{ list: string | null }>`select json_agg(json_build_array(t.id, t.artist_key, t.album_key))::text as list
            from tracks as t where t.id = any(${missing}::bigint[])`;
    const text = (await list.execute(db)).rows[0]?.list;
    if (text == null) return;
    for (const [id, artistKey, albumKey] of JSON.parse(text) as Array<[number, string, string | null]>) {
      const slot = this.slot(id);
      this.artistOf[slot] = this.artists.of(artistKey);
      this.albumOf[slot] = albumKey === null ? NO_ALBUM : this.albums.of(albumKey);
    }
  }
}

export class TrackGroups {
  private table = new TrackSlots();

  /** The table a call counts with from start to end (a big one is started afresh between calls). */
  current(): TrackSlots {
    if (this.table.size > REMEMBERED) this.table = new TrackSlots();
    return this.table;
  }

  /** Rows were deleted: an id may come back as another track. */
  forget(): void {
    this.table = new TrackSlots();
  }
}
