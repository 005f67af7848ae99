// The store's per-track totals of a period (src/sql/wrapped-queries.ts), on SQLite and PostgreSQL: plays and time
// per track (ms played, else the track's length), catalogue fields, only the listeners and the period asked about;
// and the year summary /wrapped computes from them matches the store's own top lists and totals.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../src/features/wrapped/service.js';
import type { HistoryUser, PlayInput } from '../src/history/play.js';
import type { HistoryStore } from '../src/history/store.js';
import { silentLogger } from '../src/logger.js';
import { openPostgres, openSqlite } from '../src/sql/engines.js';
import { openHistoryStore } from '../src/sql/history-store.js';
import { createTestDatabase, requirePostgres, type TestDatabase } from './support/postgres.js';

const MIA = '130000000000000051' as HistoryUser;
const LEO = '130000000000000052' as HistoryUser;
const T0 = Date.UTC(2026, 2, 1, 12);
const HOUR = 3_600_000;

function play(title: string, artist: string, album: string | null, at: number, ms: { played?: number; duration?: number }, imageId: string | null = null): PlayInput {
  return {
    title,
    artist,
    album,
    trackId: null,
    imageId,
    startedAt: at,
    endedAt: at + (ms.played ?? ms.duration ?? 0),
    msPlayed: ms.played ?? null,
    durationMs: ms.duration ?? null,
    source: 'import-extended',
  };
}

const postgres = await requirePostgres();
const ENGINES: Array<'sqlite' | 'postgres'> = postgres ? ['sqlite', 'postgres'] : ['sqlite'];

describe.each(ENGINES)('per-track totals on %s', (engine) => {
  let store: HistoryStore;
  let dir = '';
  let database: TestDatabase | null = null;

  beforeAll(async () => {
    if (engine === 'sqlite') {
      dir = mkdtempSync(join(tmpdir(), 'npb-wrapped-queries-'));
      store = await openHistoryStore(await openSqlite(join(dir, 'history.sqlite')), { logger: silentLogger });
    } else {
      database = await createTestDatabase();
      store = await openHistoryStore(await openPostgres(database.url, silentLogger), { logger: silentLogger });
    }
    await store.addPlays(MIA, [
      play('Levitating', 'Dua Lipa', 'Future Nostalgia', T0, { played: 200_000 }, 'cover1'),
      play('Levitating', 'Dua Lipa', 'Future Nostalgia', T0 + HOUR, { duration: 180_000 }),
      play('Houdini', 'DUA LIPA', 'Radical Optimism', T0 + 2 * HOUR, { played: 100_000 }, 'cover2'),
      play('First Love', '宇多田ヒカル', null, T0 + 3 * HOUR, { played: 240_000 }),
      // Outside the period.
      play('Old', 'Old Band', 'Old Album', T0 - 40 * 24 * HOUR, { played: 100_000 }),
    ]);
    await store.addPlays(LEO, [play('Levitating', 'Dua Lipa', 'Future Nostalgia', T0, { played: 200_000 })]);
  });

  afterAll(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await database?.drop();
  });

  const period = { from: T0 - 24 * HOUR, to: T0 + 24 * HOUR };

  it("gives each track's plays and time with its catalogue fields, for the listeners and period asked", async () => {
    const rows = (await store.trackTotals([MIA], period)).sort((a, b) => a.title.localeCompare(b.title));
    expect(rows.map((r) => [r.title, r.artist, r.plays, r.ms, r.albumKey === null, r.imageId])).toEqual([
      ['First Love', '宇多田ヒカル', 1, 240_000, true, null],
      ['Houdini', 'DUA LIPA', 1, 100_000, false, 'cover2'],
      ['Levitating', 'Dua Lipa', 2, 380_000, false, 'cover1'],
    ]);
    // "DUA LIPA" and "Dua Lipa" are one artist (folded).
    expect(rows[1]!.artistKey).toBe(rows[2]!.artistKey);
    expect((await store.trackTotals([MIA, LEO], period)).find((r) => r.title === 'Levitating')?.plays).toBe(3);
    expect(await store.trackTotals(['130000000000000059' as HistoryUser], period)).toEqual([]);
  });

  it('the year summary agrees with the store\'s own totals and top lists', async () => {
    const summary = summarize(await store.trackTotals([MIA], period));
    expect(summary.totals).toEqual(await store.totals([MIA], period));
    const artists = await store.topItems([MIA], 'artist', period, 5);
    expect(summary.topArtists.map((a) => [a.plays, a.ms])).toEqual(artists.map((a) => [a.plays, a.ms]));
    expect(summary.topArtists[0]!.name).toBe(artists[0]!.name);
    expect(summary.topArtistKey).toBe(artists[0]!.key);
    expect(summary.topArtistImageId).toBe(artists[0]!.imageId);
    const tracks = await store.topItems([MIA], 'track', period, 5);
    expect(summary.topTracks.map((t) => [t.name, t.artist, t.plays, t.ms])).toEqual(tracks.map((t) => [t.name, t.artist, t.plays, t.ms]));
  });
});
