// Folded keys on PostgreSQL compare by code point whatever the database's default collation, as they do on SQLite:
// autocomplete and /whoknows by name find keys by prefix as a range ending in U+10FFFF, which glibc's linguistic
// collations (en_US.UTF-8, a common default for a cluster) sort low.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryUser, PlayInput } from '../src/history/play.js';
import { openPostgres } from '../src/sql/engines.js';
import { openHistoryStore } from '../src/sql/history-store.js';
import { silentLogger } from '../src/logger.js';
import { createTestDatabase, requirePostgres, type TestDatabase } from './support/postgres.js';

const MEMBER = '130000000000000042' as HistoryUser;
const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const LINGUISTIC = 'en_US.UTF-8';

const play = (artist: string, i: number): PlayInput => ({
  title: `Song ${i}`,
  artist,
  album: null,
  trackId: null,
  imageId: null,
  startedAt: T0 + i * 600_000,
  endedAt: T0 + i * 600_000 + 200_000,
  msPlayed: 200_000,
  durationMs: null,
  source: 'import-extended',
});

// Two spellings of one artist: the name shown is the least by code point, "Ab", on either engine.
const ARTISTS = ['ab', 'Ab', 'A B', 'Ab-C', 'Abc', 'Abz', 'Aç', 'B'];

async function artistsStartingWith(url: string, prefix: string): Promise<{ found: string[]; collations: Array<{ column: string; collation: string | null }> }> {
  const database = await openPostgres(url, silentLogger);
  try {
    const store = await openHistoryStore(database, { logger: silentLogger });
    await store.setRecording(MEMBER, true);
    await store.addPlays(MEMBER, ARTISTS.map(play));
    const found = (await store.searchNames('artist', prefix, 25)).map((item) => item.name);
    const { rows } = await database.pool.query<{ column: string; collation: string | null }>(
      `select table_name || '.' || column_name as column, collation_name as collation from information_schema.columns
        where table_schema = 'public' and table_name in ('tracks', 'user_artists') and data_type = 'text' order by 1`,
    );
    await store.close();
    return { found, collations: rows };
  } finally {
    await database.close();
  }
}

describe('folded keys on PostgreSQL', () => {
  let run = false;
  const databases: TestDatabase[] = [];
  beforeAll(async () => {
    run = await requirePostgres();
  });
  afterAll(async () => {
    for (const db of databases) await db.drop();
  });

  it('compare by code point: every key and name column is collated "C"', async () => {
    if (!run) return;
    const db = await createTestDatabase();
    databases.push(db);
    const { found, collations } = await artistsStartingWith(db.url, 'ab');
    expect(collations.map((c) => c.column)).toEqual([
      'tracks.album',
      'tracks.album_key',
      'tracks.artist',
      'tracks.artist_key',
      'tracks.image_id',
      'tracks.key',
      'tracks.spotify_id',
      'tracks.title',
      'tracks.title_key',
      'user_artists.artist_key',
    ]);
    // Ids (Spotify's, covers') are only ever compared for equality.
    for (const c of collations.filter((x) => !x.column.endsWith('_id'))) expect(c, c.column).toEqual({ column: c.column, collation: 'C' });
    expect(found).toEqual(['Ab', 'Ab-C', 'Abc', 'Abz']);
  });

  it(`find names by prefix in a database whose default collation is ${LINGUISTIC}`, async (ctx) => {
    if (!run) return;
    let db: TestDatabase;
    try {
      db = await createTestDatabase({ collation: LINGUISTIC });
    } catch (error) {
      // The server's operating system has no such locale (Debian: locales, or localedef -i en_US -f UTF-8).
      console.warn(`[skip] no ${LINGUISTIC} locale on the PostgreSQL server: ${(error as Error).message}`);
      ctx.skip();
      return;
    }
    databases.push(db);
    const { found } = await artistsStartingWith(db.url, 'ab');
    // In the database's own collation the range [ab, ab + U+10FFFF) held "ab" alone, shown as "ab" (lower case first).
    expect(found).toEqual(['Ab', 'Ab-C', 'Abc', 'Abz']);
  });
});
