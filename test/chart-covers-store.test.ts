// Where a chart's covers come from, in the history store on SQLite and PostgreSQL: a cover stored with a play, one
// stored with another track of the album, or a Spotify track id to look one up with; a looked-up cover kept with every
// track of that album (the artist's album only), never over a cover already stored.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryUser, PlayInput } from '../src/history/play.js';
import type { HistoryStore } from '../src/history/store.js';
import { silentLogger } from '../src/logger.js';
import { openPostgres, openSqlite, type SqlDatabase } from '../src/sql/engines.js';
import { openHistoryStore } from '../src/sql/history-store.js';
import { createTestDatabase, requirePostgres, type TestDatabase } from './support/postgres.js';

const postgres = await requirePostgres();
const ENGINES: Array<'sqlite' | 'postgres'> = postgres ? ['sqlite', 'postgres'] : ['sqlite'];

let dir = '';
let database: TestDatabase | null = null;
let store: HistoryStore | null = null;
let sql: SqlDatabase | null = null;

afterEach(async () => {
  await store?.close();
  store = null;
  await sql?.close();
  sql = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
  await database?.drop();
  database = null;
});

async function open(engine: 'sqlite' | 'postgres'): Promise<HistoryStore> {
  if (engine === 'sqlite') {
    dir = mkdtempSync(join(tmpdir(), 'npb-chart-covers-'));
    const opened = await openSqlite(join(dir, 'history.sqlite'));
    sql = opened;
    store = await openHistoryStore(opened, { logger: silentLogger });
  } else {
    database = await createTestDatabase();
    const opened = await openPostgres(database.url, silentLogger);
    sql = opened;
    store = await openHistoryStore(opened, { logger: silentLogger });
  }
  return store;
}

let clock = Date.UTC(2026, 10, 1);
function play(artist: string, title: string, album: string, trackId: string | null, imageId: string | null = null): PlayInput {
  clock += 600_000;
  return { title, artist, album, trackId, imageId, startedAt: clock, endedAt: clock + 200_000, msPlayed: 200_000, durationMs: null, source: 'import-extended' };
}

const ALBUM = 'dua lipa\u001ffuture nostalgia';
const OTHER_ALBUM = 'someone else\u001ffuture nostalgia';

describe.each(ENGINES)('chart covers in the store on %s', (engine) => {
  it('say where each cover comes from, and keep a looked-up one with its album only', async () => {
    const s = await open(engine);
    await s.addPlays('owner' as HistoryUser, [
      play('Dua Lipa', 'Levitating', 'Future Nostalgia', 'LEVITATING000000000000'),
      play('Dua Lipa', 'Houdini', 'Future Nostalgia', null),
      play('Someone Else', 'Cover Song', 'Future Nostalgia', 'COVERSONG0000000000000'),
      play('宇多田ヒカル', 'First Love', 'First Love', 'FIRSTLOVE0000000000000', 'ab67616d0000b273firstlove'),
      play('宇多田ヒカル', 'Automatic', 'First Love', null),
    ]);

    const albums = await s.coverSources('album', [ALBUM, '宇多田ヒカル\u001ffirst love', 'nobody\u001fnothing']);
    expect(albums).toEqual([
      { key: ALBUM, imageId: null, trackId: 'LEVITATING000000000000', trackKey: 'dua lipa\u001flevitating', albumKey: ALBUM },
      { key: '宇多田ヒカル\u001ffirst love', imageId: 'ab67616d0000b273firstlove', trackId: 'FIRSTLOVE0000000000000', trackKey: null, albumKey: '宇多田ヒカル\u001ffirst love' },
    ]);
    // A track without a cover of its own gets its album's.
    const [automatic] = await s.coverSources('track', ['宇多田ヒカル\u001fautomatic']);
    expect(automatic?.imageId).toBe('ab67616d0000b273firstlove');

    expect(await s.saveCover({ trackKey: 'dua lipa\u001flevitating', albumKey: ALBUM }, 'ab67616d00001e02future')).toBe(2);
    const tracks = await s.coverSources('track', ['dua lipa\u001flevitating', 'dua lipa\u001fhoudini', 'someone else\u001fcover song']);
    expect(tracks.map((t) => t.imageId)).toEqual(['ab67616d00001e02future', 'ab67616d00001e02future', null]);
    const [other] = await s.coverSources('album', [OTHER_ALBUM]);
    expect(other).toMatchObject({ imageId: null, trackId: 'COVERSONG0000000000000', albumKey: OTHER_ALBUM });
    // A cover already stored stays.
    expect(await s.saveCover({ trackKey: null, albumKey: '宇多田ヒカル\u001ffirst love' }, 'ab67616d00001e02other')).toBe(1);
    const [firstLove] = await s.coverSources('track', ['宇多田ヒカル\u001ffirst love']);
    expect(firstLove?.imageId).toBe('ab67616d0000b273firstlove');
    // The artist's cover: one of their albums'.
    const [artist] = await s.coverSources('artist', ['dua lipa']);
    expect(artist?.imageId).toBe('ab67616d00001e02future');
    // And the top items read it back.
    const top = await s.topItems(['owner' as HistoryUser], 'album', { from: 0, to: clock + 86_400_000 }, 5);
    expect(top.find((t) => t.key === ALBUM)?.imageId).toBe('ab67616d00001e02future');
  });
});
