// The history store on both real engines: an SQLite file and a PostgreSQL database of its own. The same tests run
// on each, so the two can't drift.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryUser, PlayInput } from '../src/history/play.js';
import { playBatch } from '../src/history/play-batch.js';
import { SLICE_MS, type HistoryStore, type TopItem } from '../src/history/store.js';
import { kyselyFor, openPostgres, openSqlite, type SqlDatabase } from '../src/sql/engines.js';
import type { HistoryTables } from '../src/sql/history-schema.js';
import { openHistoryStore } from '../src/sql/history-store.js';
import { importEntries } from '../src/history/import/importer.js';
import { extendedFiles, extendedHistory } from '../emulators/spotify-export.js';
import { openHistoryInWorker } from '../src/sql/history-thread.js';
import { silentLogger } from '../src/logger.js';
import { createTestDatabase, databaseText, requirePostgres, type TestDatabase } from './support/postgres.js';

const MEMBER = '130000000000000042' as HistoryUser;
const OTHER = '130000000000000043' as HistoryUser;
const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);

function play(over: Partial<PlayInput> = {}): PlayInput {
  const startedAt = over.startedAt ?? T0;
  return {
    title: 'Levitating',
    artist: 'Dua Lipa',
    album: 'Future Nostalgia',
    trackId: null,
    imageId: null,
    startedAt,
    endedAt: startedAt + 200_000,
    msPlayed: 200_000,
    durationMs: null,
    source: 'import-extended',
    ...over,
  };
}

interface Engine {
  name: 'sqlite' | 'postgres';
  open(): Promise<{ database: Pick<SqlDatabase, 'close'>; store: HistoryStore }>;
  /** Every stored text value, to prove an id is gone. */
  scan(): Promise<string>;
  /** A connection of its own to the same database, to look at rows the store doesn't show. */
  inspect(): Promise<SqlDatabase>;
  cleanup(): Promise<void>;
}

/** SQLite in this thread, or behind the worker thread the bot runs it in (the store closes its own database there). */
function sqliteEngine(inWorker = false): Engine {
  let dir = '';
  let file = '';
  return {
    name: 'sqlite',
    async open() {
      dir ||= mkdtempSync(join(tmpdir(), 'npb-history-'));
      file = join(dir, 'history.sqlite');
      if (inWorker) return { database: { close: async () => {} }, store: await openHistoryInWorker(`sqlite://${file}`, { logger: silentLogger }) };
      const database = await openSqlite(file);
      return { database, store: await openHistoryStore(database, { logger: silentLogger }) };
    },
    inspect: () => openSqlite(file),
    // The raw bytes of the database and its companions: deleted rows must not linger in free pages or the WAL.
    async scan() {
      return readdirSync(dir)
        .map((name) => readFileSync(join(dir, name)).toString('latin1'))
        .join('\n');
    },
    async cleanup() {
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = '';
    },
  };
}

function postgresEngine(): Engine {
  let db: TestDatabase | null = null;
  return {
    name: 'postgres',
    async open() {
      db ??= await createTestDatabase();
      const database = await openPostgres(db.url, silentLogger);
      return { database, store: await openHistoryStore(database, { logger: silentLogger }) };
    },
    scan: () => databaseText(db!.url),
    inspect: () => openPostgres(db!.url, silentLogger),
    async cleanup() {
      await db?.drop();
      db = null;
    },
  };
}

const engines: Array<[string, () => Engine, () => Promise<boolean>]> = [
  ['sqlite', () => sqliteEngine(), async () => true],
  ['sqlite (worker thread)', () => sqliteEngine(true), async () => true],
  ['postgres', postgresEngine, requirePostgres],
];

describe.each(engines)('history store on %s', (_name, makeEngine, available) => {
  let enabled = false;
  const engine = makeEngine();
  let open: { database: Pick<SqlDatabase, 'close'>; store: HistoryStore } | null = null;
  const store = async (): Promise<HistoryStore> => {
    open ??= await engine.open();
    return open.store;
  };

  beforeAll(async () => {
    enabled = await available();
  });
  afterEach(async () => {
    await open?.store.close();
    await open?.database.close();
    open = null;
    await engine.cleanup();
  });
  afterAll(async () => {
    await engine.cleanup();
  });

  it('adds plays and drops the same play seen again, by start or by end within a minute', async (t) => {
    if (!enabled) return t.skip();
    const s = await store();
    expect(await s.addPlays(MEMBER, [play(), play({ startedAt: T0 + 600_000 })])).toEqual({ added: 2, duplicates: 0 });
    // The same file again, and a live sighting of the first play whose start is off but whose end matches.
    expect(await s.addPlays(MEMBER, [play(), play({ startedAt: T0 + 600_000 })])).toEqual({ added: 0, duplicates: 2 });
    expect(
      await s.addPlays(MEMBER, [play({ startedAt: T0 - 90_000, endedAt: T0 + 200_000 + 30_000, msPlayed: null, source: 'spotify-recent' })]),
    ).toEqual({ added: 0, duplicates: 1 });
    // An account-data row: end rounded down to the minute, the same play.
    const end = T0 + 200_000;
    const minute = end - (end % 60_000);
    expect(
      await s.addPlays(MEMBER, [play({ startedAt: minute - 200_000, endedAt: minute, source: 'import-account' })]),
    ).toEqual({ added: 0, duplicates: 1 });
    // Case and spacing don't make another track; another track at the same time is another play.
    expect(await s.addPlays(MEMBER, [play({ title: 'LEVITATING', artist: 'dua  lipa' })])).toEqual({ added: 0, duplicates: 1 });
    expect(await s.addPlays(MEMBER, [play({ title: 'Houdini' })])).toEqual({ added: 1, duplicates: 0 });
    // Duplicates inside one batch count once.
    expect(await s.addPlays(OTHER, [play(), play(), play({ startedAt: T0 + 5_000 })])).toEqual({ added: 1, duplicates: 2 });
    const status = await s.status(MEMBER);
    expect(status.plays).toBe(3);
    expect(status.bySource).toEqual({ 'import-extended': 3 });
    expect(status.firstAt).toBe(T0);
    expect(status.lastAt).toBe(T0 + 600_000);
  });

  it('two writers adding the same plays at once store them once', async (t) => {
    if (!enabled) return t.skip();
    const s = await store();
    const batch = Array.from({ length: 200 }, (_, i) => play({ title: `Song ${i}`, startedAt: T0 + i * 300_000 }));
    const [a, b] = await Promise.all([s.addPlays(MEMBER, batch), s.addPlays(MEMBER, batch)]);
    expect(a.added + b.added).toBe(200);
    expect(a.duplicates + b.duplicates).toBe(200);
    expect((await s.status(MEMBER)).plays).toBe(200);
  });

  it('keeps choices, the recently-played cursor and import records', async (t) => {
    if (!enabled) return t.skip();
    const s = await store();
    expect(await s.choice(MEMBER)).toEqual({ recording: null, onlyMe: false });
    await s.setRecording(MEMBER, true);
    await s.setOnlyMe(MEMBER, true);
    expect(await s.choice(MEMBER)).toEqual({ recording: true, onlyMe: true });
    await s.setRecording(MEMBER, false);
    expect(await s.choice(MEMBER)).toEqual({ recording: false, onlyMe: true });
    expect(await s.recentCursor(MEMBER)).toBeNull();
    await s.setRecentCursor(MEMBER, T0 + 123);
    expect(await s.recentCursor(MEMBER)).toBe(T0 + 123);
    await s.recordImport(MEMBER, {
      fileName: 'Streaming_History_Audio_2024.json',
      importedAt: T0,
      added: 10,
      duplicates: 2,
      skipped: 3,
      firstAt: T0 - 1000,
      lastAt: T0,
    });
    expect((await s.status(MEMBER)).imports).toEqual([
      { fileName: 'Streaming_History_Audio_2024.json', importedAt: T0, added: 10, duplicates: 2, skipped: 3, firstAt: T0 - 1000, lastAt: T0 },
    ]);
  });

  it('pages through a listener\'s plays oldest first', async (t) => {
    if (!enabled) return t.skip();
    const s = await store();
    await s.addPlays(MEMBER, Array.from({ length: 25 }, (_, i) => play({ title: `Song ${i}`, startedAt: T0 + i * 300_000, trackId: `id${i}` })));
    const first = await s.playsPage(MEMBER, 0, 10);
    const second = await s.playsPage(MEMBER, first.at(-1)!.id, 10);
    const third = await s.playsPage(MEMBER, second.at(-1)!.id, 10);
    expect([first.length, second.length, third.length]).toEqual([10, 10, 5]);
    expect(first[0]).toMatchObject({ title: 'Song 0', artist: 'Dua Lipa', trackId: 'id0', startedAt: T0, source: 'import-extended' });
    expect(third.at(-1)!.title).toBe('Song 24');
    expect(await s.playsPage(OTHER, 0, 10)).toEqual([]);
  });

  it('a batch in columns (as an import writes it) stores exactly what the same plays as objects store', async (t) => {
    if (!enabled) return t.skip();
    const s = await store();
    const sources = ['spotify-recent', 'discord-status', 'import-extended', 'import-account'] as const;
    // Out of order, every source, unknown times and names, a cover on a later play of a track, duplicates, and plays
    // the store refuses (no title, no artist, no start).
    // Names with what a text array must escape (PostgreSQL receives them as one).
    const odd = ['Say "Hello"', 'Back\\slash', '{Braces}, commas', 'NULL', 'Line\nbreak 🌙'];
    const plays: PlayInput[] = Array.from({ length: 230 }, (_, i) =>
      play({
        title: i === 7 ? '' : i % 40 < odd.length ? odd[i % 40]! : `Song ${i % 40}`,
        artist: i === 8 ? '' : i % 3 === 0 ? 'Dua Lipa' : i % 40 === 2 ? 'The "Quoted" \\ Band' : 'Zoë',
        album: i % 5 === 0 ? null : `Album ${i % 4}`,
        trackId: i % 2 === 0 ? null : `id${i % 40}`,
        imageId: i > 100 && i % 7 === 0 ? `cover${i % 40}` : null,
        startedAt: i === 9 ? Number.NaN : T0 + ((i * 37) % 230) * 240_000 + (i % 11 === 0 ? 20_000 : 0),
        msPlayed: i % 4 === 0 ? null : 100_000 + i,
        durationMs: i % 6 === 0 ? null : 200_000 + i,
        source: sources[i % 4]!,
      }),
    );
    plays.push(...plays.slice(20, 30).map((p) => ({ ...p, startedAt: p.startedAt + 30_000, endedAt: p.endedAt + 30_000 })));
    const asObjects = await s.addPlays(MEMBER, plays);
    const asColumns = await s.addPlayBatch(OTHER, playBatch(plays));
    expect(asColumns).toEqual(asObjects);
    expect(asObjects.added).toBeGreaterThan(150);
    expect(asObjects.duplicates).toBeGreaterThanOrEqual(13);
    const stored = async (user: HistoryUser): Promise<unknown[]> => (await s.playsPage(user, 0, 1_000)).map(({ id: _id, ...rest }) => rest);
    expect(await stored(OTHER)).toEqual(await stored(MEMBER));
    const page = await s.playsPage(OTHER, 0, 1_000);
    expect(new Set(page.map((p) => p.title))).toEqual(new Set(plays.filter((p, i) => i !== 7 && i !== 8 && i !== 9).map((p) => p.title)));
    expect(page.some((p) => p.artist === 'The "Quoted" \\ Band')).toBe(true);
    expect(page.find((p) => p.startedAt === plays[44]!.startedAt)).toMatchObject({
      title: odd[4],
      artist: 'Zoë',
      album: 'Album 0',
      trackId: null,
      msPlayed: null,
      durationMs: 200_044,
      source: 'spotify-recent',
    });
    expect(new Set(page.map((p) => p.source))).toEqual(new Set(sources));
    // Row ids follow time.
    expect(page.map((p) => p.startedAt)).toEqual(page.map((p) => p.startedAt).sort((a, b) => a - b));
    const everyone = [MEMBER, OTHER];
    const allTime = { from: 0, to: T0 + 365 * 86_400_000 };
    for (const kind of ['artist', 'track', 'album'] as const) {
      for (const item of await s.topItems(everyone, kind, allTime, 50)) {
        const [member, other] = await Promise.all([s.listeners([MEMBER], kind, item.key), s.listeners([OTHER], kind, item.key)]);
        expect(other.map((l) => ({ plays: l.plays, ms: l.ms })), `${kind} ${item.key}`).toEqual(member.map((l) => ({ plays: l.plays, ms: l.ms })));
      }
    }
    // The catalogue learnt the covers that came with later plays of a track.
    const covered = await s.topItems([OTHER], 'track', allTime, 50);
    expect(covered.filter((item) => item.imageId !== null).length).toBeGreaterThan(0);
  });

  it('erase leaves nothing of the person in the store, and keeps everyone else', async (t) => {
    if (!enabled) return t.skip();
    const s = await store();
    await s.addPlays(MEMBER, [play({ title: 'Only Mine Song' }), play({ title: 'Shared Song', startedAt: T0 + 300_000 })]);
    await s.addPlays(OTHER, [play({ title: 'Shared Song', startedAt: T0 + 300_000 })]);
    await s.setOnlyMe(MEMBER, true);
    await s.setRecentCursor(MEMBER, T0);
    await s.recordImport(MEMBER, { fileName: 'x.json', importedAt: T0, added: 1, duplicates: 0, skipped: 0, firstAt: null, lastAt: null });
    const before = await engine.scan();
    expect(before.includes(MEMBER), MEMBER).toBe(true);
    expect(before.includes('Only Mine Song'), 'Only Mine Song').toBe(true);
    expect(await s.erase(MEMBER)).toEqual({ plays: 2, imports: 1, user: true });
    const after = await engine.scan();
    expect(after.includes(MEMBER), MEMBER).toBe(false);
    expect(after.includes('Only Mine Song'), 'Only Mine Song').toBe(false);
    expect(after.includes('Shared Song'), 'Shared Song').toBe(true);
    expect((await s.status(OTHER)).plays).toBe(1);
    expect(await s.choice(MEMBER)).toEqual({ recording: null, onlyMe: false });
    expect(await s.erase(MEMBER)).toEqual({ plays: 0, imports: 0, user: false });
  });

  it("an item's listeners, all time (kept totals) and in a period (from the plays), stay right through duplicates, erase and prune", async (t) => {
    if (!enabled) return t.skip();
    const s = await store();
    const old = T0 - 400 * 86_400_000;
    await s.addPlays(MEMBER, [
      play({ title: 'Levitating', startedAt: old }),
      play({ title: 'Levitating', startedAt: T0 }),
      play({ title: 'Houdini', startedAt: T0 + 600_000, msPlayed: 100_000 }),
      play({ title: 'Espresso', artist: 'Sabrina Carpenter', album: 'Short n Sweet', startedAt: T0 + 900_000 }),
    ]);
    await s.addPlays(OTHER, [play({ title: 'Houdini', startedAt: T0 })]);
    // The same plays again change nothing.
    await s.addPlays(MEMBER, [play({ title: 'Levitating', startedAt: T0 })]);
    const everyone = [MEMBER, OTHER];
    expect(await s.listeners(everyone, 'artist', 'dua lipa')).toEqual([
      { user: MEMBER, plays: 3, ms: 500_000 },
      { user: OTHER, plays: 1, ms: 200_000 },
    ]);
    expect(await s.listeners(everyone, 'track', 'dua lipa\u001fhoudini')).toEqual([
      { user: MEMBER, plays: 1, ms: 100_000 },
      { user: OTHER, plays: 1, ms: 200_000 },
    ].sort((a, b) => b.plays - a.plays || b.ms - a.ms));
    expect(await s.listeners(everyone, 'album', 'sabrina carpenter\u001fshort n sweet')).toEqual([{ user: MEMBER, plays: 1, ms: 200_000 }]);
    expect(await s.listeners([OTHER], 'artist', 'dua lipa')).toEqual([{ user: OTHER, plays: 1, ms: 200_000 }]);
    // A period counts the plays themselves.
    expect(await s.listeners(everyone, 'artist', 'dua lipa', { from: T0 - 1, to: T0 + 86_400_000 })).toEqual([
      { user: MEMBER, plays: 2, ms: 300_000 },
      { user: OTHER, plays: 1, ms: 200_000 },
    ]);
    expect(await s.prune(T0 - 365 * 86_400_000)).toBe(1);
    expect((await s.listeners(everyone, 'artist', 'dua lipa'))[0]).toEqual({ user: MEMBER, plays: 2, ms: 300_000 });
    await s.erase(OTHER);
    expect(await s.listeners(everyone, 'track', 'dua lipa\u001fhoudini')).toEqual([{ user: MEMBER, plays: 1, ms: 100_000 }]);
  });

  it("kept totals (per track, per artist) equal the plays themselves after adds, an import, prune and erase", async (t) => {
    if (!enabled) return t.skip();
    const s = await store();
    const artists = ['Dua Lipa', 'dua  LIPA', 'Sabrina Carpenter', '宇多田ヒカル', 'عمرو دياب', 'Zoë'];
    const generated = (n: number, seed: number, source: PlayInput['source']): PlayInput[] =>
      Array.from({ length: n }, (_, i) => {
        const k = (i * 7 + seed) % 23;
        return play({
          artist: artists[k % artists.length]!,
          title: `Song ${k % 9}`,
          startedAt: T0 - 500 * 86_400_000 + (i + seed) * 3_600_000,
          msPlayed: 30_000 + ((i * 13 + seed) % 200) * 1_000,
          source,
        });
      });
    // Batches larger than a prepared chunk (100 rows), with a remainder, some plays seen twice.
    const member = generated(263, 1, 'spotify-recent');
    await s.addPlays(MEMBER, member.slice(0, 150));
    await s.addPlays(MEMBER, member.slice(120));
    await s.addPlays(OTHER, generated(41, 200, 'discord-status'));
    // An import: the real importer, reading an export file, writing through the same store.
    const history = extendedHistory({ rows: 700, seed: 3, start: '2025-06-01T00:00:00Z', artists: 4 });
    const [[name, bytes]] = Object.entries(extendedFiles(history)) as [[string, Uint8Array]];
    const summary = await importEntries([{ name, size: bytes.length, load: () => bytes }], {
      addPlays: (plays) => s.addPlays(OTHER, plays),
      recordImport: (record) => s.recordImport(OTHER, record),
    }, { now: () => T0 });
    expect(summary.added).toBeGreaterThan(300);
    const everyone = [MEMBER, OTHER];
    const allTime = { from: 0, to: T0 + 365 * 86_400_000 };
    const items: Array<{ kind: 'artist' | 'track'; key: string }> = [];
    for (const kind of ['artist', 'track'] as const) {
      for (const item of await s.topItems(everyone, kind, allTime, 100)) items.push({ kind, key: item.key });
    }
    expect(items.length).toBeGreaterThan(20);
    // Kept totals (no period) against a count of the plays (a period covering them all), for every item stored at first.
    const check = async (label: string): Promise<number> => {
      let listed = 0;
      for (const { kind, key } of items) {
        const kept = await s.listeners(everyone, kind, key);
        expect(kept, `${label}: ${kind} ${key}`).toEqual(await s.listeners(everyone, kind, key, allTime));
        listed += kept.length;
      }
      return listed;
    };
    const before = await check('after adds and an import');
    // The cut falls inside the member's plays: some of each go.
    expect(await s.prune(T0 - 495 * 86_400_000)).toBeGreaterThan(50);
    const pruned = await check('after prune');
    expect(pruned).toBeGreaterThan(0);
    expect(pruned).toBeLessThan(before);
    await s.erase(OTHER);
    expect(await check('after erase')).toBeGreaterThan(0);
    // Nothing keyed by the erased listener's row id stays behind (SQLite may hand that id to the next listener).
    const inspector = await engine.inspect();
    try {
      const db = kyselyFor<HistoryTables>(inspector);
      for (const table of ['plays', 'user_tracks', 'user_artists', 'imports'] as const) {
        const left = await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('user_id', 'not in', db.selectFrom('history_users').select('id'))
          .executeTakeFirstOrThrow();
        expect(Number(left.n), table).toBe(0);
      }
    } finally {
      await inspector.close();
    }
    expect(await s.listeners([OTHER], 'artist', 'dua lipa')).toEqual([]);
  });

  it("a period's summary in one call equals the separate queries: totals, top items, slices, listeners, the period before", async (t) => {
    if (!enabled) return t.skip();
    const s = await store();
    const artists = ['Dua Lipa', 'dua  LIPA', 'Sabrina Carpenter', '宇多田ヒカル', 'عمرو دياب', 'Zoë'];
    const generated = (n: number, seed: number): PlayInput[] =>
      Array.from({ length: n }, (_, i) => {
        const k = (i * 7 + seed) % 23;
        return play({
          artist: artists[k % artists.length]!,
          title: `Song ${k % 9}`,
          album: k % 4 === 0 ? null : `Album ${k % 3}`,
          startedAt: T0 - 40 * 86_400_000 + (i + seed) * 3_700_000 + (i % 5) * 60_000,
          msPlayed: i % 11 === 0 ? null : 30_000 + ((i * 13 + seed) % 200) * 1_000,
          source: 'import-extended',
        });
      });
    await s.addPlays(MEMBER, generated(900, 1));
    await s.addPlays(OTHER, generated(500, 7));
    // A long period is read in stretches of weeks from the first play: plays every 90 s for two hours around 31 days
    // after it, so a quarter hour cut in two by a stretch's end would show as two slices with the same start.
    const first = T0 - 40 * 86_400_000 + 3_700_000;
    const dense = Array.from({ length: 80 }, (_, i) => play({ title: `Dense ${i % 7}`, artist: 'Zoë', startedAt: first + 31 * 86_400_000 - 3_600_000 + i * 90_000 }));
    await s.addPlays(OTHER, dense);
    const everyone = [MEMBER, OTHER];
    const periods = [
      { period: { from: T0 - 20 * 86_400_000, to: T0 }, before: { from: T0 - 40 * 86_400_000, to: T0 - 20 * 86_400_000 } },
      { period: { from: 0, to: T0 }, before: null },
      { period: { from: T0 - 45 * 86_400_000 + 7 * 60_000, to: T0 - 2 * 86_400_000 }, before: { from: T0 - 90 * 86_400_000, to: T0 - 45 * 86_400_000 } },
    ];
    for (const { period, before } of periods) {
      const summary = await s.periodSummary(everyone, { period, before, limit: 5, listeners: true });
      expect(summary.totals).toEqual(await s.totals(everyone, period));
      expect(summary.totals.plays).toBeGreaterThan(100);
      if (before === null) expect(summary.previous).toBeNull();
      else {
        const previous = await s.totals(everyone, before);
        expect(summary.previous).toEqual({ plays: previous.plays, ms: previous.ms });
      }
      // The same items with the same numbers; ties are ordered by key here (the separate query leaves them open).
      const bySize = (a: TopItem, b: TopItem): number => b.plays - a.plays || b.ms - a.ms || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
      for (const [kind, got] of [['artist', summary.topArtists], ['track', summary.topTracks], ['album', summary.topAlbums]] as const) {
        const all = (await s.topItems(everyone, kind, period, 1000)).sort(bySize);
        expect(got, kind).toEqual(all.slice(0, 5));
      }
      const moments = await s.moments(everyone, period);
      const slices = new Map<number, { plays: number; ms: number }>();
      for (const m of moments) {
        const start = m.startedAt - (m.startedAt % SLICE_MS);
        const slice = slices.get(start) ?? { plays: 0, ms: 0 };
        slice.plays += 1;
        slice.ms += m.ms;
        slices.set(start, slice);
      }
      expect(summary.slices).toEqual([...slices.entries()].sort((a, b) => a[0] - b[0]).map(([start, v]) => ({ start, ...v })));
      const byUser = (a: { user: string }, b: { user: string }): number => (a.user < b.user ? -1 : 1);
      expect([...(summary.listeners ?? [])].sort(byUser)).toEqual((await s.listenerTotals(everyone, period)).sort(byUser));
    }
    const none = await s.periodSummary(['nobody' as HistoryUser], { period: periods[0]!.period, before: null, limit: 5, listeners: false });
    expect(none).toEqual({ totals: { plays: 0, ms: 0, tracks: 0, artists: 0, albums: 0 }, previous: null, topArtists: [], topTracks: [], topAlbums: [], slices: [], listeners: null });
  });

  it("a period's summary groups a track under its own artist after erase deleted an older track with the same id", async (t) => {
    if (!enabled) return t.skip();
    const s = await store();
    const period = { from: T0 - 86_400_000, to: T0 + 86_400_000 };
    const query = { period, before: null, limit: 5, listeners: false };
    await s.addPlays(OTHER, [play({ title: 'Stays', artist: 'Kept Artist' })]);
    await s.addPlays(MEMBER, [play({ title: 'Goes', artist: 'Erased Artist', album: 'Erased Album', startedAt: T0 + 60_000 })]);
    expect((await s.periodSummary([MEMBER, OTHER], query)).topArtists.map((a) => a.name).sort()).toEqual(['Erased Artist', 'Kept Artist']);
    // Erase deletes the member's only track; SQLite gives its id (the highest) to the next new track.
    await s.erase(MEMBER);
    await s.addPlays(OTHER, [play({ title: 'Arrives', artist: 'New Artist', album: 'New Album', startedAt: T0 + 120_000 })]);
    const after = await s.periodSummary([OTHER], query);
    expect(after.topArtists.map((a) => [a.name, a.plays])).toEqual([['Kept Artist', 1], ['New Artist', 1]]);
    expect(after.topAlbums.map((a) => a.name)).toEqual(['Future Nostalgia', 'New Album']);
    expect(after.totals).toEqual({ plays: 2, ms: 400_000, tracks: 2, artists: 2, albums: 2 });
  });

  it('a store that still remembers an erased listener and their tracks writes nothing for them, then recovers', async (t) => {
    if (!enabled) return t.skip();
    const s = await store();
    await s.addPlays(MEMBER, [play({ title: 'Only Mine', artist: 'Nobody Else' }), play({ title: 'Shared', startedAt: T0 + 600_000 })]);
    await s.addPlays(OTHER, [play({ title: 'Shared' })]);
    // Another process (a shard, the import script) erases the member: this store's remembered ids are now stale.
    const other = await engine.open();
    try {
      await other.store.erase(MEMBER);
    } finally {
      await other.store.close();
      await other.database.close();
    }
    // A track that is still there (the listener is not).
    await expect(s.addPlays(MEMBER, [play({ title: 'Shared', startedAt: T0 + 3_600_000 })])).rejects.toThrow();
    const inspector = await engine.inspect();
    try {
      const db = kyselyFor<HistoryTables>(inspector);
      const orphans = await db
        .selectFrom('plays')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where((eb) => eb.or([eb('user_id', 'not in', db.selectFrom('history_users').select('id')), eb('track_id', 'not in', db.selectFrom('tracks').select('id'))]))
        .executeTakeFirstOrThrow();
      expect(Number(orphans.n)).toBe(0);
    } finally {
      await inspector.close();
    }
    // The next batch looks the ids up again.
    expect(await s.addPlays(MEMBER, [play({ title: 'Only Mine', artist: 'Nobody Else', startedAt: T0 + 3_600_000 })])).toEqual({ added: 1, duplicates: 0 });
    expect(await s.listeners([MEMBER], 'artist', 'nobody else')).toEqual([{ user: MEMBER, plays: 1, ms: 200_000 }]);
  });

  it('prunes plays older than the retention', async (t) => {
    if (!enabled) return t.skip();
    const s = await store();
    await s.addPlays(MEMBER, [play({ title: 'Old', startedAt: T0 - 400 * 86_400_000 }), play({ title: 'New' })]);
    expect(await s.prune(T0 - 365 * 86_400_000)).toBe(1);
    expect((await s.status(MEMBER)).plays).toBe(1);
    expect((await engine.scan()).includes('Old'), 'Old').toBe(false);
  });

  it("new artists: played in the period by these listeners and never before by them (another listener's plays don't count)", async (t) => {
    if (!enabled) return t.skip();
    const s = await store();
    const DAY = 86_400_000;
    const week = { from: T0 - 7 * DAY, to: T0 };
    await s.addPlays(MEMBER, [
      play({ artist: 'Dua Lipa', title: 'Houdini', startedAt: T0 - 20 * DAY }),
      play({ artist: 'Dua Lipa', title: 'Levitating', startedAt: T0 - 2 * DAY }),
      play({ artist: 'فيروز', title: 'كيفك إنت', startedAt: T0 - 3 * DAY }),
      play({ artist: '宇多田ヒカル', title: 'First Love', startedAt: T0 - 1 * DAY }),
      play({ artist: '宇多田ヒカル', title: 'Automatic', startedAt: T0 - 2 * DAY }),
    ]);
    // OTHER heard فيروز long ago: new for MEMBER alone, not for the two together.
    await s.addPlays(OTHER, [play({ artist: 'فيروز', title: 'Old', startedAt: T0 - 30 * DAY })]);
    expect(await s.newArtists([MEMBER], week)).toEqual([
      { key: expect.any(String), name: '宇多田ヒカル', plays: 2 },
      { key: expect.any(String), name: 'فيروز', plays: 1 },
    ]);
    expect((await s.newArtists([MEMBER, OTHER], week)).map((a) => a.name)).toEqual(['宇多田ヒカル']);
    expect(await s.newArtists([], week)).toEqual([]);
    expect(await s.newArtists([MEMBER], { from: T0, to: T0 + DAY })).toEqual([]);
  });

  it('migrates once: reopening an existing database keeps its plays', async (t) => {
    if (!enabled) return t.skip();
    const s = await store();
    await s.addPlays(MEMBER, [play()]);
    await open!.store.close();
    await open!.database.close();
    open = await engine.open();
    expect((await open.store.status(MEMBER)).plays).toBe(1);
  });
});
