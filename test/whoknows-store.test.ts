// The store's /whoknows queries on both engines: finding an item by catalogue id, by what is playing and by a typed
// name (titles shared by two artists, both dash orders, an album by title, LIKE's wildcards taken literally), name
// prefixes for autocomplete (index order, the limit, albums by title or artist), and one listener's plays of a track
// and its artist with the listeners among some members.
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

const A = '130000000000000071' as HistoryUser;
const B = '130000000000000072' as HistoryUser;
const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);

function plays(n: number, artist: string, title: string, album: string | null, from = 0): PlayInput[] {
  return Array.from({ length: n }, (_, i) => {
    const startedAt = T0 + (from + i) * 3_600_000;
    return { title, artist, album, trackId: null, imageId: null, startedAt, endedAt: startedAt + 200_000, msPlayed: 200_000, durationMs: null, source: 'import-extended' };
  });
}

const postgres = await requirePostgres();
const ENGINES: Array<'sqlite' | 'postgres'> = postgres ? ['sqlite', 'postgres'] : ['sqlite'];

let dir = '';
let testDb: TestDatabase | null = null;
let database: SqlDatabase | null = null;

afterEach(async () => {
  await database?.close();
  database = null;
  await testDb?.drop();
  testDb = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

async function open(engine: 'sqlite' | 'postgres'): Promise<HistoryStore> {
  let opened: SqlDatabase;
  if (engine === 'sqlite') {
    dir = mkdtempSync(join(tmpdir(), 'npb-whoknows-store-'));
    opened = await openSqlite(join(dir, 'history.sqlite'));
  } else {
    testDb = await createTestDatabase();
    opened = await openPostgres(testDb.url, silentLogger);
  }
  database = opened;
  return openHistoryStore(opened, { logger: silentLogger });
}

describe.each(ENGINES)('who-knows queries on %s', (engine) => {
  it('find items by id, by what is playing and by name', async () => {
    const store = await open(engine);
    await store.addPlays(A, [...plays(3, 'Dua Lipa', 'Levitating', 'Future Nostalgia'), ...plays(1, 'DaBaby', 'Levitating', 'Remix Album', 10)]);
    await store.addPlays(B, [...plays(2, 'Band', '50% Off', 'Sale_Album', 20), ...plays(1, 'Band', '50x Off', 'SaleXAlbum', 30)]);

    const levitating = await store.findItem('track', { by: 'name', name: '  LEVITATING ' });
    expect(levitating).toMatchObject({ kind: 'track', name: 'Levitating', artist: 'Dua Lipa' });
    expect(await store.findItem('track', { by: 'name', name: 'Levitating - DaBaby' })).toMatchObject({ artist: 'DaBaby' });
    expect(await store.findItem('track', { by: 'name', name: 'DaBaby — Levitating' })).toMatchObject({ artist: 'DaBaby' });
    expect(await store.findItem('track', { by: 'id', id: levitating!.id })).toEqual(levitating);
    expect(await store.findItem('artist', { by: 'id', id: levitating!.id })).toMatchObject({ kind: 'artist', name: 'Dua Lipa', artist: null });
    expect(await store.findItem('album', { by: 'name', name: 'future nostalgia' })).toMatchObject({ name: 'Future Nostalgia', artist: 'Dua Lipa' });
    expect(await store.findItem('album', { by: 'name', name: 'Sale_Album' })).toMatchObject({ name: 'Sale_Album' });
    expect(await store.findItem('album', { by: 'name', name: 'Sale%' })).toBeNull();
    expect(await store.findItem('album', { by: 'playing', track: { title: 'x', artist: 'Dua Lipa', album: 'Future Nostalgia' } })).toMatchObject({ name: 'Future Nostalgia' });
    expect(await store.findItem('artist', { by: 'playing', track: { title: 'x', artist: 'dua lipa', album: null } })).toMatchObject({ name: 'Dua Lipa' });
    expect(await store.findItem('album', { by: 'playing', track: { title: 'x', artist: 'Dua Lipa', album: null } })).toBeNull();
    expect(await store.findItem('artist', { by: 'name', name: 'Nobody' })).toBeNull();
    expect(await store.findItem('track', { by: 'id', id: 999_999 })).toBeNull();
  });

  it('search names by prefix in name order, up to the limit; albums by title or artist; wildcards literal', async () => {
    const store = await open(engine);
    for (let i = 0; i < 30; i++) await store.addPlays(A, plays(1, `Band ${String(29 - i).padStart(2, '0')}`, `Tune ${i}`, `Album ${i}`, i));
    await store.addPlays(B, [...plays(1, 'Dua Lipa', 'Levitating', 'Future Nostalgia'), ...plays(1, 'X', '50% Off', 'Half_Price', 40), ...plays(1, 'X', '50x Off', 'HalfXPrice', 41)]);

    const bands = await store.searchItems('artist', 'BAND', 25);
    expect(bands).toHaveLength(25);
    expect(bands.map((b) => b.name).slice(0, 3)).toEqual(['Band 00', 'Band 01', 'Band 02']);
    expect((await store.searchItems('track', 'lev', 25)).map((t) => [t.name, t.artist])).toEqual([['Levitating', 'Dua Lipa']]);
    expect((await store.searchItems('track', '50%', 25)).map((t) => t.name)).toEqual(['50% Off']);
    expect((await store.searchItems('album', 'future', 25)).map((t) => t.name)).toEqual(['Future Nostalgia']);
    expect((await store.searchItems('album', 'dua', 25)).map((t) => t.name)).toEqual(['Future Nostalgia']);
    expect((await store.searchItems('album', 'half_', 25)).map((t) => t.name)).toEqual(['Half_Price']);
    expect(await store.searchItems('artist', 'zzz', 25)).toEqual([]);
  });

  it("counts a listener's plays of a track and its artist, and the members who played the track", async () => {
    const store = await open(engine);
    await store.addPlays(A, [...plays(12, 'Dua Lipa', 'Levitating', 'Future Nostalgia'), ...plays(5, 'Dua Lipa', 'Houdini', 'Radical Optimism', 20)]);
    await store.addPlays(B, plays(2, 'Dua Lipa', 'Levitating', 'Future Nostalgia'));
    const track = { title: 'Levitating', artist: 'Dua Lipa' };
    expect(await store.playCounts(A, track, [A, B])).toEqual({ track: 12, artist: 17, listeners: 2 });
    expect(await store.playCounts(A, track, [A])).toEqual({ track: 12, artist: 17, listeners: 1 });
    expect(await store.playCounts(A, track, null)).toEqual({ track: 12, artist: 17, listeners: 0 });
    expect(await store.playCounts(B, { title: 'Houdini', artist: 'DUA LIPA' }, [A, B])).toEqual({ track: 0, artist: 2, listeners: 1 });
    expect(await store.playCounts('owner', { title: 'Nothing', artist: 'Nobody' }, [A])).toEqual({ track: 0, artist: 0, listeners: 0 });
  });
});
