// `Services['wrapped']`: a member's calendar year from stored history (any year it covers: imports go back years),
// in the bot's time zone (TZ; UTC by default): minutes listened, top 5 artists and tracks, the top artist's cover, the
// month and the day listened most, and — given a server's current members — that server's biggest fan of the top
// artist. Runs where the store is; shards reach it through the RPC.
//
// Consent for the fan: of the members the caller found in its server, only those a server view may count
// (recording, not "only me": the stats feature's rule), checked again here.
import type { HistoryStore, Period, PlayMoment, Totals, TrackTotal } from '../../history/store.js';
import { HistoryDisabledError, type HistoryFeature } from '../history/service.js';
import { botTimeZone, localDay, type StatsFeature } from '../stats/service.js';

export const WRAPPED_TOP_SIZE = 5;

export interface WrappedTop {
  name: string;
  /** A track's artist; null for an artist. */
  artist: string | null;
  plays: number;
  ms: number;
}

export interface WrappedPeak {
  /** A month "2026-03", or a day "2026-03-14" (local, bot's TZ). */
  when: string;
  ms: number;
  plays: number;
}

export interface Wrapped {
  userId: string;
  year: number;
  timeZone: string;
  totals: Totals;
  topArtists: WrappedTop[];
  topTracks: WrappedTop[];
  /** A cover seen with the top artist's plays (Spotify image id), if any. */
  topArtistImageId: string | null;
  /** Listening time per month, January first (12 entries). */
  months: number[];
  busiestMonth: WrappedPeak | null;
  busiestDay: WrappedPeak | null;
  /** The server's member with the most plays of the top artist this year (may be the member themselves). */
  fan: { userId: string; plays: number } | null;
  /** The span of everything stored for this member (to say which years exist when this one is empty). */
  stored: { firstAt: number; lastAt: number } | null;
}

export interface WrappedNamespace {
  /**
   * One member's year. `memberIds`: the current members of the server asked in (null outside a server): the fan is
   * sought among those a server view may count.
   */
  year(userId: string, year: number, memberIds: string[] | null): Promise<Wrapped>;
}

export interface WrappedFeatureDeps {
  store: HistoryStore | null;
  history: Pick<HistoryFeature, 'userFor'>;
  consent: Pick<StatsFeature, 'serverCandidates'>;
  ownerId: string | null;
  now: () => number;
}

/** [from, to) of a calendar year in the bot's time zone. */
export function yearRange(year: number): Period {
  const from = new Date(year, 0, 1);
  from.setFullYear(year); // years before 100 would otherwise mean 19xx
  const to = new Date(year + 1, 0, 1);
  to.setFullYear(year + 1);
  return { from: from.getTime(), to: to.getTime() };
}

/** The year holding `ms` in the bot's time zone. */
export const yearOf = (ms: number): number => new Date(ms).getFullYear();

/** The month and the day with the most listening time (earliest on a tie), and time per month. */
export function peaks(moments: readonly PlayMoment[]): { months: number[]; busiestMonth: WrappedPeak | null; busiestDay: WrappedPeak | null } {
  const months = new Map<string, WrappedPeak>();
  const days = new Map<string, WrappedPeak>();
  const perMonth = Array.from({ length: 12 }, () => 0);
  for (const m of moments) {
    const day = localDay(m.startedAt);
    const month = day.slice(0, 7);
    for (const [map, key] of [[months, month], [days, day]] as const) {
      const peak = map.get(key) ?? { when: key, ms: 0, plays: 0 };
      peak.ms += m.ms;
      peak.plays += 1;
      map.set(key, peak);
    }
    perMonth[Number(month.slice(5, 7)) - 1]! += m.ms;
  }
  const best = (map: Map<string, WrappedPeak>): WrappedPeak | null =>
    [...map.values()].reduce<WrappedPeak | null>((top, p) => (top === null || p.ms > top.ms || (p.ms === top.ms && p.when < top.when) ? p : top), null);
  return { months: perMonth, busiestMonth: best(months), busiestDay: best(days) };
}

type Ranked = { name: string; plays: number; ms: number };
/** Most plays, then most time, then by name (so equal rows come in the same order on both engines). */
const byPlays = (a: Ranked, b: Ranked): number => b.plays - a.plays || b.ms - a.ms || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Totals, distinct counts, the top 5 artists and tracks, and a cover of the top artist, from each track's plays in
 * the year (the store's groupings: artists by folded name, named by the first spelling; most plays, then most time).
 */
export function summarize(tracks: readonly TrackTotal[]): {
  totals: Totals;
  topArtists: WrappedTop[];
  topTracks: WrappedTop[];
  topArtistImageId: string | null;
  /** The top artist's folded key (what the fan search asks the store about). */
  topArtistKey: string | null;
} {
  const artists = new Map<string, WrappedTop & { key: string; imageId: string | null }>();
  const albums = new Set<string>();
  let plays = 0;
  let ms = 0;
  for (const t of tracks) {
    plays += t.plays;
    ms += t.ms;
    if (t.albumKey !== null) albums.add(t.albumKey);
    const artist = artists.get(t.artistKey);
    if (!artist) {
      artists.set(t.artistKey, { key: t.artistKey, name: t.artist, artist: null, plays: t.plays, ms: t.ms, imageId: t.imageId });
      continue;
    }
    artist.plays += t.plays;
    artist.ms += t.ms;
    if (t.artist < artist.name) artist.name = t.artist;
    if (t.imageId !== null && (artist.imageId === null || t.imageId > artist.imageId)) artist.imageId = t.imageId;
  }
  const topArtists = [...artists.values()].sort(byPlays).slice(0, WRAPPED_TOP_SIZE);
  const topTracks = tracks
    .map((t) => ({ name: t.title, artist: t.artist, plays: t.plays, ms: t.ms }))
    .sort(byPlays)
    .slice(0, WRAPPED_TOP_SIZE);
  return {
    totals: { plays, ms, tracks: tracks.length, artists: artists.size, albums: albums.size },
    topArtists: topArtists.map(({ key: _key, imageId: _imageId, ...artist }) => artist),
    topTracks,
    topArtistImageId: topArtists[0]?.imageId ?? null,
    topArtistKey: topArtists[0]?.key ?? null,
  };
}


export class WrappedFeature implements WrappedNamespace {
  constructor(private readonly deps: WrappedFeatureDeps) {}

  async year(userId: string, year: number, memberIds: string[] | null): Promise<Wrapped> {
    const store = this.deps.store;
    if (store === null) throw new HistoryDisabledError();
    const user = this.deps.history.userFor(userId);
    const range = yearRange(year);
    // One grouped scan for the numbers and one of the moments (index only) for the peaks.
    const [tracks, moments] = await Promise.all([store.trackTotals([user], range), store.moments([user], range)]);
    const { topArtistKey, ...summary } = summarize(tracks);
    const base = { userId, year, timeZone: botTimeZone(), ...summary };
    if (summary.totals.plays === 0) {
      const status = await store.status(user);
      const stored = status.firstAt !== null && status.lastAt !== null ? { firstAt: status.firstAt, lastAt: status.lastAt } : null;
      return { ...base, months: peaks([]).months, busiestMonth: null, busiestDay: null, fan: null, stored };
    }
    return {
      ...base,
      ...peaks(moments),
      fan: topArtistKey !== null && memberIds !== null ? await this.fan(store, topArtistKey, range, memberIds) : null,
      stored: null,
    };
  }

  /** Of these members, the one a server view may count with the most plays of this artist in the period. */
  private async fan(store: HistoryStore, artistKey: string, range: Period, memberIds: readonly string[]): Promise<Wrapped['fan']> {
    const allowed = new Set(await this.deps.consent.serverCandidates());
    const ids = [...new Set(memberIds)].filter((id) => allowed.has(id));
    if (ids.length === 0) return null;
    const [best] = await store.listeners(ids.map((id) => this.deps.history.userFor(id)), 'artist', artistKey, range);
    if (!best) return null;
    const id = best.user === 'owner' ? this.deps.ownerId : best.user;
    return id === null ? null : { userId: id, plays: best.plays };
  }
}
