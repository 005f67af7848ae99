// Adding a batch of plays to the store (imports, recorders): the batch's tracks found in or added to the catalogue,
// its plays compared with the listener's stored ones and with each other (the same track started or ended within a
// minute is one play), the new ones inserted with the listener's totals (play-writes.ts). The batch is columns
// (PlayBatch): per-play work is a few flat loops over typed arrays, names are folded once per distinct string, and no
// object is made per play — on a fresh SQLite worker that code runs before V8 has optimised it, so each pass and
// object counted (measured on a 13 MB export).
import type { Kysely } from 'kysely';
import { foldedTrackKey, foldName, PLAY_SOURCES, SAME_PLAY_WINDOW_MS, type PlaySource } from '../history/play.js';
import { batchLength, type PlayBatch } from '../history/play-batch.js';
import type { AddResult } from '../history/store.js';
import type { SqlDatabase } from './engines.js';
import type { HistoryTables } from './history-schema.js';
import { findTracks, insertPlays, insertTracks, newPlays, storedPlays, type FoundTrack, type ListenerTotals, type NewPlays } from './play-writes.js';

type Tx = Kysely<HistoryTables>;

/** How a play's source is stored. */
export const SOURCE_CODES: Record<PlaySource, number> = {
  'spotify-recent': 1,
  'discord-status': 2,
  'import-extended': 3,
  'import-account': 4,
};

/** SOURCE_CODES by PlayBatch's source index. */
const CODE_OF_SOURCE = Uint8Array.from(PLAY_SOURCES, (source) => SOURCE_CODES[source]);

/** Catalogue ids remembered between batches (a day's listening of a busy server fits; imports reuse it). */
const TRACK_CACHE_SIZE = 20_000;

interface CachedTrack {
  id: number;
  hasImage: boolean;
  hasSpotifyId: boolean;
}

/** A batch made ready before its write transaction (folding names is CPU the write lock need not wait for). */
export interface PreparedBatch {
  batch: PlayBatch;
  /** The valid plays (named, with finite times) as indices into the batch, by start; plays starting together keep their order. */
  order: Int32Array;
  /** Per entry of `order`, its track: an index into `keys`. */
  track: Int32Array;
  /** The catalogue key of each of the batch's tracks. */
  keys: string[];
  /** Per track, the play (a batch index) that describes it best: the first with a cover, else with a Spotify id, else the first. */
  describedBy: number[];
  /** Per track, its artist folded (the catalogue's artist_key, what per-artist totals count by). */
  artistKeys: string[];
  /** Folded names by string index (each folded on first use). */
  folded: Array<string | undefined>;
}

// Each pass over a batch's plays is a function with one loop and nothing after it: V8 optimises a hot loop while it
// runs (on-stack replacement) together with the code around it, and code that has not run yet deoptimises it on its
// first use (seen with --trace-deopt on a fresh worker: every pass compiled two or three times).

/** The valid plays (named, with finite times) as indices into the batch, and whether they are in start order. */
function validPlays(batch: PlayBatch): { order: Int32Array; sorted: boolean } {
  const { strings, title, artist, startedAt, endedAt } = batch;
  const n = batchLength(batch);
  const all = new Int32Array(n);
  let valid = 0;
  let sorted = true;
  let last = -Infinity;
  for (let i = 0; i < n; i++) {
    const start = startedAt[i]!;
    if (title[i]! < 0 || artist[i]! < 0 || strings[title[i]!] === '' || strings[artist[i]!] === '') continue;
    if (!Number.isFinite(start) || !Number.isFinite(endedAt[i]!)) continue;
    if (start < last) sorted = false;
    last = start;
    all[valid++] = i;
  }
  return { order: all.subarray(0, valid), sorted };
}

/** The batch's tracks: one per catalogue key, each play's among them, and the play that describes each best. */
function batchTracks(
  batch: PlayBatch,
  order: Int32Array,
  fold: (s: number) => string,
): { track: Int32Array; keys: string[]; describedBy: number[]; artistKeys: string[] } {
  const { strings, title, artist, imageId, trackId } = batch;
  const track = new Int32Array(order.length);
  const keys: string[] = [];
  const describedBy: number[] = [];
  const artistKeys: string[] = [];
  const trackOfKey = new Map<string, number>();
  // An (artist, title) pair of strings seen before maps to its track without building its key again.
  const trackOfPair = new Map<number, number>();
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const pair = artist[i]! * strings.length + title[i]!;
    let t = trackOfPair.get(pair);
    if (t === undefined) {
      const artistKey = fold(artist[i]!);
      const key = foldedTrackKey(artistKey, fold(title[i]!));
      t = trackOfKey.get(key);
      if (t === undefined) {
        trackOfKey.set(key, (t = keys.length));
        keys.push(key);
        describedBy.push(i);
        artistKeys.push(artistKey);
      }
      trackOfPair.set(pair, t);
    }
    track[k] = t;
    const d = describedBy[t]!;
    // Prefer the play that knows the most (a Spotify id, a cover) to describe the track.
    if ((imageId[d]! < 0 && imageId[i]! >= 0) || (trackId[d]! < 0 && trackId[i]! >= 0)) describedBy[t] = i;
  }
  return { track, keys, describedBy, artistKeys };
}

/** The batch's valid plays, sorted by start, and each one's track key. */
export function prepareBatch(batch: PlayBatch): PreparedBatch {
  const { strings, startedAt } = batch;
  let { order, sorted } = validPlays(batch);
  // An export is nearly in time order already; Array's sort is stable (a typed array's with a comparator need not be).
  if (!sorted) order = Int32Array.from(Array.from(order).sort((a, b) => startedAt[a]! - startedAt[b]!));
  const folded = new Array<string | undefined>(strings.length);
  const fold = (s: number): string => (folded[s] ??= foldName(strings[s]!));
  return { batch, order, ...batchTracks(batch, order, fold), folded };
}

/** The latest end of these plays. */
function lastEnd(endedAt: Float64Array, order: Int32Array): number {
  let to = -Infinity;
  for (let k = 0; k < order.length; k++) to = Math.max(to, endedAt[order[k]!]!);
  return to;
}

/** Stored plays as a flat list (track id, start, end, …), by track: [start, end, start, end, …]. */
function byTrack(stored: readonly number[]): Map<number, number[]> {
  const known = new Map<number, number[]>();
  for (let i = 0; i < stored.length; i += 3) {
    const list = known.get(stored[i]!);
    if (list === undefined) known.set(stored[i]!, [stored[i + 1]!, stored[i + 2]!]);
    else list.push(stored[i + 1]!, stored[i + 2]!);
  }
  return known;
}

/**
 * The plays (in start order) that are not the same as a known play of their track, nor as one before them: started
 * or ended within a minute of it. `known` gains the new ones; `plays` and `ms` (by track) count them.
 */
function newRows(
  prepared: PreparedBatch,
  ids: readonly number[],
  known: Map<number, number[]>,
  rows: NewPlays,
  totals: { plays: Float64Array; ms: Float64Array },
): void {
  const { batch, order, track } = prepared;
  const { startedAt, endedAt, msPlayed, durationMs, source } = batch;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const trackId = ids[track[k]!]!;
    const start = startedAt[i]!;
    const end = endedAt[i]!;
    const list = known.get(trackId);
    if (list === undefined) {
      known.set(trackId, [start, end]);
    } else {
      let same = false;
      for (let j = 0; j < list.length; j += 2) {
        if (Math.abs(list[j]! - start) <= SAME_PLAY_WINDOW_MS || Math.abs(list[j + 1]! - end) <= SAME_PLAY_WINDOW_MS) {
          same = true;
          break;
        }
      }
      if (same) continue;
      list.push(start, end);
    }
    const n = rows.length++;
    // NaN (not known) stays NaN.
    const ms = Math.round(msPlayed[i]!);
    const duration = Math.round(durationMs[i]!);
    rows.trackId[n] = trackId;
    rows.startedAt[n] = Math.round(start);
    rows.endedAt[n] = Math.round(end);
    rows.msPlayed[n] = ms;
    rows.durationMs[n] = duration;
    rows.source[n] = CODE_OF_SOURCE[source[i]!]!;
    // Listening time: what it played, else the track's length, else nothing (as the views count it).
    totals.plays[track[k]!]! += 1;
    totals.ms[track[k]!]! += Number.isNaN(ms) ? (Number.isNaN(duration) ? 0 : duration) : ms;
  }
}

/** The listener's totals grow by these: per track of the batch with new plays, and per artist of those tracks. */
function listenerTotals(prepared: PreparedBatch, ids: readonly number[], totals: { plays: Float64Array; ms: Float64Array }): ListenerTotals {
  const out: ListenerTotals = { tracks: { id: [], plays: [], ms: [] }, artists: { key: [], plays: [], ms: [] } };
  const artistRow = new Map<string, number>();
  for (let t = 0; t < ids.length; t++) {
    const plays = totals.plays[t]!;
    if (plays === 0) continue;
    const ms = totals.ms[t]!;
    out.tracks.id.push(ids[t]!);
    out.tracks.plays.push(plays);
    out.tracks.ms.push(ms);
    const key = prepared.artistKeys[t]!;
    const row = artistRow.get(key);
    if (row === undefined) {
      artistRow.set(key, out.artists.key.length);
      out.artists.key.push(key);
      out.artists.plays.push(plays);
      out.artists.ms.push(ms);
    } else {
      out.artists.plays[row]! += plays;
      out.artists.ms[row]! += ms;
    }
  }
  return out;
}

/** The write path of plays for one store: its remembered catalogue ids live here. */
export class PlayWriter {
  private readonly tracks = new Map<string, CachedTrack>();

  constructor(private readonly database: SqlDatabase) {}

  /** Remembered catalogue ids may be stale (a track erased or pruned, maybe by another process): look them up again. */
  forgetTracks(): void {
    this.tracks.clear();
  }

  /** Inside the caller's write transaction: the batch's new plays, stored. */
  async write(tx: Tx, userId: number, prepared: PreparedBatch): Promise<AddResult> {
    const { batch, order } = prepared;
    const total = batchLength(batch);
    if (order.length === 0) return { added: 0, duplicates: total };
    const ids = await this.trackIds(tx, prepared);
    // Stored plays that could be the same as one of these: started within the batch's span (plus the window).
    const from = batch.startedAt[order[0]!]! - 2 * SAME_PLAY_WINDOW_MS;
    const to = Math.max(from, lastEnd(batch.endedAt, order)) + 2 * SAME_PLAY_WINDOW_MS;
    const known = byTrack(await storedPlays(this.database, tx, userId, from, to));
    const rows = newPlays(userId, order.length);
    const totals = { plays: new Float64Array(ids.length), ms: new Float64Array(ids.length) };
    newRows(prepared, ids, known, rows, totals);
    await insertPlays(this.database, tx, rows, listenerTotals(prepared, ids, totals));
    return { added: rows.length, duplicates: total - rows.length };
  }

  private rememberTrack(key: string, track: CachedTrack): void {
    this.tracks.delete(key);
    this.tracks.set(key, track);
    if (this.tracks.size > TRACK_CACHE_SIZE) this.tracks.delete(this.tracks.keys().next().value as string);
  }

  /** Catalogue ids of the batch's tracks (by index into `keys`), creating the missing ones and filling in ids and covers learnt now. */
  private async trackIds(tx: Tx, prepared: PreparedBatch): Promise<number[]> {
    const { batch, keys, describedBy } = prepared;
    const { strings } = batch;
    const text = (index: Int32Array, i: number): string | null => (index[i]! < 0 ? null : strings[index[i]!]!);
    const ids = new Array<number>(keys.length).fill(-1);
    const trackOfKey = new Map<string, number>();
    const missing: string[] = [];
    const enrich: Array<{ t: number; id: number; cached: CachedTrack }> = [];
    // Whether the describing play knows something the catalogue row lacks.
    const learns = (t: number, track: CachedTrack): boolean => {
      const i = describedBy[t]!;
      return (!track.hasImage && batch.imageId[i]! >= 0) || (!track.hasSpotifyId && batch.trackId[i]! >= 0);
    };
    const known = (row: FoundTrack): void => {
      const t = trackOfKey.get(row.key)!;
      const track = { id: row.id, hasImage: row.image_id !== null, hasSpotifyId: row.spotify_id !== null };
      ids[t] = row.id;
      this.rememberTrack(row.key, track);
      if (learns(t, track)) enrich.push({ t, id: row.id, cached: track });
    };
    for (let t = 0; t < keys.length; t++) {
      const key = keys[t]!;
      trackOfKey.set(key, t);
      const cached = this.tracks.get(key);
      if (cached === undefined) {
        missing.push(key);
        continue;
      }
      ids[t] = cached.id;
      if (learns(t, cached)) enrich.push({ t, id: cached.id, cached });
    }
    // Look up first, then add only the new ones (a re-import finds all of them).
    for (const row of await findTracks(this.database, tx, missing)) known(row);
    const fresh = missing.filter((key) => ids[trackOfKey.get(key)!] === -1);
    const fold = (s: number): string => (prepared.folded[s] ??= foldName(strings[s]!));
    const added = await insertTracks(
      this.database,
      tx,
      fresh.map((key) => {
        const i = describedBy[trackOfKey.get(key)!]!;
        const artistKey = fold(batch.artist[i]!);
        const album = batch.album[i]!;
        return {
          key,
          title: strings[batch.title[i]!]!,
          title_key: fold(batch.title[i]!),
          artist: strings[batch.artist[i]!]!,
          artist_key: artistKey,
          album: album < 0 ? null : strings[album]!,
          album_key: album < 0 ? null : `${artistKey}\u001f${fold(album)}`,
          spotify_id: text(batch.trackId, i),
          image_id: text(batch.imageId, i),
        };
      }),
    );
    for (const row of added) known(row);
    // Added by another writer between the lookup and the insert.
    for (const row of await findTracks(this.database, tx, fresh.filter((key) => ids[trackOfKey.get(key)!] === -1))) known(row);
    for (const { t, id, cached } of enrich) {
      const i = describedBy[t]!;
      const imageId = text(batch.imageId, i);
      const spotifyId = text(batch.trackId, i);
      if (!cached.hasImage && imageId !== null) {
        await tx.updateTable('tracks').set({ image_id: imageId }).where('id', '=', id).where('image_id', 'is', null).execute();
      }
      if (!cached.hasSpotifyId && spotifyId !== null) {
        await tx.updateTable('tracks').set({ spotify_id: spotifyId }).where('id', '=', id).where('spotify_id', 'is', null).execute();
      }
      this.rememberTrack(keys[t]!, { id, hasImage: cached.hasImage || imageId !== null, hasSpotifyId: cached.hasSpotifyId || spotifyId !== null });
    }
    return ids;
  }
}
