// Counting a period's plays for /stats and /serverstats: per track (by its slot, track-groups.ts), per quarter hour and
// in total from the flat lists stats-queries.ts reads, then per artist and album, and the top few of each. Typed
// arrays and plain loops, no object per play or per track: a server's month is ~25k plays of ~8k tracks, and with
// --optimize-for-size (as the bot runs) every megabyte allocated here costs a scavenge of a few milliseconds.
import { NO_ALBUM, UNKNOWN, type TrackSlots } from './track-groups.js';

/** Plays and time of one item, and the catalogue rows that make it up (for naming). */
export interface Counted {
  key: string;
  plays: number;
  ms: number;
  trackIds: number[];
}

function grown(array: Float64Array, size: number): Float64Array {
  if (size <= array.length) return array;
  const bigger = new Float64Array(Math.max(size, array.length * 2));
  bigger.set(array);
  return bigger;
}

/** Plays and time per number (a slot, an artist, an album), and the numbers that have any, in first-seen order. */
class Tallies {
  plays: Float64Array = new Float64Array(0);
  ms: Float64Array = new Float64Array(0);
  touched: Int32Array = new Int32Array(0);
  count = 0;

  reserve(size: number): void {
    this.plays = grown(this.plays, size);
    this.ms = grown(this.ms, size);
    if (size > this.touched.length) {
      const bigger = new Int32Array(Math.max(size, this.touched.length * 2));
      bigger.set(this.touched);
      this.touched = bigger;
    }
  }

  add(at: number, plays: number, ms: number): void {
    if (this.plays[at] === 0) this.touched[this.count++] = at;
    this.plays[at]! += plays;
    this.ms[at]! += ms;
  }
}

/** Ranks numbers by their tallies: more plays, then more time, then `before` (the smaller key). */
type Tiebreak = (a: number, b: number) => boolean;

function above(t: Tallies, before: Tiebreak, a: number, b: number): boolean {
  const plays = t.plays[a]! - t.plays[b]!;
  if (plays !== 0) return plays > 0;
  const ms = t.ms[a]! - t.ms[b]!;
  if (ms !== 0) return ms > 0;
  return before(a, b);
}

/** The best `limit` of these numbers, best first (insertion into a short list: no sort of thousands). */
function best(t: Tallies, candidates: Int32Array, count: number, before: Tiebreak, limit: number): number[] {
  const top: number[] = [];
  for (let i = 0; i < count; i++) {
    const at = candidates[i]!;
    if (top.length === limit && !above(t, before, at, top[limit - 1]!)) continue;
    let j = Math.min(top.length, limit - 1);
    while (j > 0 && above(t, before, at, top[j - 1]!)) j--;
    top.splice(j, 0, at);
    if (top.length > limit) top.pop();
  }
  return top;
}

export class PeriodCounts {
  plays = 0;
  ms = 0;
  private readonly tracks = new Tallies();

  constructor(private readonly slots: TrackSlots) {}

  /**
   * One listener's plays from the text the database built — "track id,quarter hour,time listened,track id,…", the
   * quarter hour an index into the slice arrays — counted per track and per quarter hour. Read digit by digit: parsing
   * it as JSON made an array of every number first. Returns the listener's plays and time.
   */
  addList(text: string, slicePlays: Float64Array, sliceMs: Float64Array): { plays: number; ms: number } {
    this.tracks.reserve(this.slots.size + Math.ceil(text.length / 6));
    let plays = 0;
    let ms = 0;
    let track = 0;
    let slice = 0;
    let value = 0;
    let field = 0;
    for (let i = 0; i <= text.length; i++) {
      const c = i < text.length ? text.charCodeAt(i) : 44;
      if (c >= 48 && c <= 57) {
        value = value * 10 + (c - 48);
        continue;
      }
      if (c !== 44) throw new Error(`unexpected character ${JSON.stringify(text[i])} in a play list`);
      if (field === 0) track = value;
      else if (field === 1) slice = value;
      else {
        this.tracks.add(this.slots.slot(track), 1, value);
        slicePlays[slice]! += 1;
        sliceMs[slice]! += value;
        plays += 1;
        ms += value;
      }
      field = field === 2 ? 0 : field + 1;
      value = 0;
    }
    if (field !== 0) throw new Error('a play list ended part-way through a play');
    this.plays += plays;
    this.ms += ms;
    return { plays, ms };
  }

  /** The slots of the tracks played, and how many (for looking their artists and albums up). */
  playedSlots(): { slots: Int32Array; count: number } {
    return { slots: this.tracks.touched, count: this.tracks.count };
  }

  /** Distinct tracks played that are in the catalogue. */
  trackCount(): number {
    let n = 0;
    for (let i = 0; i < this.tracks.count; i++) if (this.slots.artistOf[this.tracks.touched[i]!] !== UNKNOWN) n++;
    return n;
  }

  /** The top `limit` tracks by plays and time, and every track tied with the last of them (their keys decide). */
  tracksAtTheCut(limit: number): Counted[] {
    const t = this.tracks;
    const known = new Int32Array(t.count);
    let count = 0;
    for (let i = 0; i < t.count; i++) {
      const at = t.touched[i]!;
      if (this.slots.artistOf[at] !== UNKNOWN) known[count++] = at;
    }
    // Ties beyond plays and time go by track key, known only once named: by id here, and every track tied kept.
    const ids = this.slots.trackIds;
    const top = best(t, known, count, (a, b) => ids[a]! < ids[b]!, limit);
    const last = top[top.length - 1];
    if (last !== undefined && top.length === limit) {
      const chosen = new Set(top);
      for (let i = 0; i < count; i++) {
        const at = known[i]!;
        if (!chosen.has(at) && t.plays[at] === t.plays[last] && t.ms[at] === t.ms[last]) top.push(at);
      }
    }
    return top.map((at) => ({ key: String(ids[at]!), plays: t.plays[at]!, ms: t.ms[at]!, trackIds: [ids[at]!] }));
  }

  /** Per artist or album: how many were played, and the top `limit` with the tracks that make them up. */
  groups(kind: 'artist' | 'album', limit: number): { distinct: number; top: Counted[] } {
    const of = kind === 'artist' ? this.slots.artistOf : this.slots.albumOf;
    const keys = kind === 'artist' ? this.slots.artists.keys : this.slots.albums.keys;
    const t = this.tracks;
    const groups = new Tallies();
    groups.reserve(keys.length);
    for (let i = 0; i < t.count; i++) {
      const at = t.touched[i]!;
      const group = of[at]!;
      if (group === UNKNOWN || group === NO_ALBUM) continue;
      groups.add(group, t.plays[at]!, t.ms[at]!);
    }
    const top = best(groups, groups.touched, groups.count, (a, b) => keys[a]! < keys[b]!, limit);
    const trackIds = new Map(top.map((group) => [group, [] as number[]]));
    for (let i = 0; i < t.count; i++) {
      const at = t.touched[i]!;
      trackIds.get(of[at]!)?.push(this.slots.trackIds[at]!);
    }
    return {
      distinct: groups.count,
      top: top.map((group) => ({ key: keys[group]!, plays: groups.plays[group]!, ms: groups.ms[group]!, trackIds: trackIds.get(group)! })),
    };
  }
}
