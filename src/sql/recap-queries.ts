// The weekly recap's own query: the artists a group of listeners first heard in a period. Thin delegation from
// src/sql/history-store.ts (`newArtists`); the rest of a recap reuses the store's server-view queries.
import type { Kysely } from 'kysely';
import type { HistoryTables } from './history-schema.js';

export interface NewArtistRow {
  key: string;
  name: string;
  /** Plays of the artist in the period (all of their plays by these listeners, since they are new). */
  plays: number;
}

/**
 * Artists these listeners (row ids) played in [from, to) and never before: an artist is new when the listeners'
 * all-time plays of it (the per-track roll-up `user_tracks`) are all in the period. Plays after `to` count as
 * "before" too, which is right for a period that ends now. Two indexed reads: the period's artists through the
 * covering index on plays, then their all-time totals per listener and track.
 */
export async function newArtists(db: Kysely<HistoryTables>, userIds: readonly number[], period: { from: number; to: number }): Promise<NewArtistRow[]> {
  if (userIds.length === 0) return [];
  const listened = await db
    .selectFrom('plays')
    .innerJoin('tracks', 'tracks.id', 'plays.track_id')
    .select((eb) => ['tracks.artist_key as key', eb.fn.min('tracks.artist').as('name'), eb.fn.countAll<number>().as('plays')])
    .where('plays.user_id', 'in', userIds)
    .where('plays.started_at', '>=', period.from)
    .where('plays.started_at', '<', period.to)
    .groupBy('tracks.artist_key')
    .execute();
  if (listened.length === 0) return [];
  const inPeriod = new Map(listened.map((r) => [String(r.key), { key: String(r.key), name: String(r.name), plays: Number(r.plays) }]));
  const allTime = new Map<string, number>();
  const keys = [...inPeriod.keys()];
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await db
      .selectFrom('user_tracks')
      .innerJoin('tracks', 'tracks.id', 'user_tracks.track_id')
      .select((eb) => ['tracks.artist_key as key', eb.fn.sum<number>('user_tracks.plays').as('plays')])
      .where('tracks.artist_key', 'in', keys.slice(i, i + 500))
      .where('user_tracks.user_id', 'in', userIds)
      .groupBy('tracks.artist_key')
      .execute();
    for (const r of rows) allTime.set(String(r.key), Number(r.plays));
  }
  return [...inPeriod.values()]
    .filter((a) => (allTime.get(a.key) ?? 0) <= a.plays)
    .sort((a, b) => b.plays - a.plays || a.name.localeCompare(b.name));
}

