// The year's view (/wrapped) in one grouped scan: each track a listener played in a period, with its plays, time and
// catalogue fields. Totals, distinct counts and the top artists and tracks all follow from these few thousand rows in
// the caller, instead of one scan of the period's plays for each (measured: bench/wrapped.ts).
import { sql, type Kysely } from 'kysely';
import type { Period, TrackTotal } from '../history/store.js';
import type { HistoryTables } from './history-schema.js';

export async function trackTotals(db: Kysely<HistoryTables>, userIds: readonly number[], period: Period): Promise<TrackTotal[]> {
  if (userIds.length === 0) return [];
  // Grouped by track id from the covering index alone (no table row per play), then the catalogue row per track.
  const grouped = db
    .selectFrom('plays')
    .select((eb) => [
      'plays.track_id as trackId',
      eb.fn.countAll<number>().as('plays'),
      eb.fn.sum<number>(sql<number>`coalesce(plays.ms_played, plays.duration_ms, 0)`).as('ms'),
    ])
    .where('plays.user_id', 'in', userIds)
    .where('plays.started_at', '>=', period.from)
    .where('plays.started_at', '<', period.to)
    .groupBy('plays.track_id')
    .as('g');
  const rows = await db
    .selectFrom(grouped)
    .innerJoin('tracks', 'tracks.id', 'g.trackId')
    .select([
      'tracks.key as key',
      'tracks.title as title',
      'tracks.artist as artist',
      'tracks.artist_key as artistKey',
      'tracks.album_key as albumKey',
      'tracks.image_id as imageId',
      'g.plays as plays',
      'g.ms as ms',
    ])
    .execute();
  return rows.map((r) => ({
    key: r.key,
    title: r.title,
    artist: r.artist,
    artistKey: r.artistKey,
    albumKey: r.albumKey ?? null,
    imageId: r.imageId ?? null,
    plays: Number(r.plays),
    ms: Number(r.ms ?? 0),
  }));
}
