// Benchmark rows for listening history (the store, the import, the Discord-status recorder): run alone with
// `npx tsx bench/history.ts [--plays 1000000] [--engines sqlite,postgres] [--only import,memory,recording,scale] [--json]`,
// or as a section of `npm run bench` (every part). `--only` runs just the parts named (numbered below: import is 1,
// memory 2, recording 3, scale 4). Each part runs on an SQLite file and on PostgreSQL (127.0.0.1:5432, trust auth,
// user postgres, or POSTGRES_URL): a database npb_bench_<pid> is created and dropped at the end, also on a failure (and a leftover
// one of a process that no longer runs is dropped at the next start); when nothing answers the PostgreSQL rows say
// "not measured: no PostgreSQL".
//
//  1. Import of the extended format: a generated Streaming_History_Audio file (emulators/spotify-export.ts, 15,000
//     rows ≈ 13 MB) through the real path (collectPaths + importEntries + the store as the bot opens it: SQLite in its
//     worker thread, src/sql/history-thread.ts) into an empty store, then again from a fresh store instance (a second
//     run of the script: every play a duplicate). Three runs of each, each into an empty store, the median reported.
//     Next to it the floor measured in the same run, also three times (median): the same file JSON.parse'd and its plays inserted in one
//     transaction into a table shaped like `plays` with its two indexes — on SQLite one prepared statement run per
//     row (libsql directly); on PostgreSQL one prepared INSERT … SELECT FROM unnest(7 array parameters) (a multi-row
//     VALUES list would need 7 parameters per row, over PostgreSQL's 65,535 at this size; COPY is not used).
//  2. Memory of that import: a child process (bench/history-probe.ts on the build in dist/, production Node flags)
//     measures RSS idle, the peak during the import and after a gc and a settle.
//  3. Recording: StatusRecorder fed 20,000 PRESENCE_UPDATEs per simulated second for 10 simulated minutes, from
//     10,000 members of whom 300 opted in (opted-in members change tracks every ~3 min, skip, pause, and are seen in
//     1–3 servers; everyone else's updates are games, custom statuses, Spotify or nothing), a real store behind a
//     minimal history object, flushed every 10 simulated seconds as in the bot. CPU time per update, and every
//     store write counted: writes happen only in flushes and only for completed plays.
//  4. At 1,000,000 plays (300 members, 5 years; bench/history-data.ts: Zipf over ~50k tracks / ~8k artists / ~15k
//     albums, favourite artists, sessions at realistic hours) written through store.addPlays in batches of ≤ 5,000:
//     the write time (then, on PostgreSQL, the VACUUM ANALYZE autovacuum would have run by then); idle RSS of a child that opens the store and runs one query, 1M vs empty; a member's month
//     (totals + top 10 artists), the server's month (top 10 artists of 300 members), an artist's listeners in the
//     server (all time), n=40 each with varied members, months and artists (artists drawn by popularity, as people
//     ask about the ones they play), and the event-loop delay while they run (one query per event-loop turn, as
//     commands arrive).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'libsql';
import pg from 'pg';
import { extendedFiles, extendedHistory } from '../emulators/spotify-export.js';
import { spotifyActivity } from '../emulators/discord.js';
import { importEntries, storeTarget, type ImportSummary } from '../src/history/import/importer.js';
import { collectPaths } from '../src/history/import/sources.js';
import { foldName, type HistoryUser, type PlayInput } from '../src/history/play.js';
import { StatusRecorder } from '../src/history/recorders/status-recorder.js';
import type { HistoryStore, Period } from '../src/history/store.js';
import type { RawActivity } from '../src/listeners/discord-status.js';
import { silentLogger } from '../src/logger.js';
import { LEAN_NODE_FLAGS, MALLOC_ENV } from '../src/node-flags.js';
import { openHistoryStore } from '../src/sql/history-store.js';
import { openHistoryInWorker } from '../src/sql/history-thread.js';
import { openHistoryDatabase } from '../src/sql/open.js';
import { ensureBuilt } from '../scripts/build-if-stale.mjs';
import { DAY_MS, makeCatalogue, makeMembers, memberPlays, rng, type Catalogue, type Member } from './history-data.js';
import { rowsTable, runWhenMain, type BenchRow } from './lib/report.js';
import { fmt, percentile } from './lib/stats.js';

export type { BenchRow } from './lib/report.js';

const ADMIN_URL = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PROBE = join(import.meta.dirname, 'history-probe.ts');
const noPostgres = (what: string): BenchRow => ({ metric: `${what}, PostgreSQL`, result: 'not measured: no PostgreSQL', target: '—', ok: null });

/** The bench's parts, in the order they run (numbered as in the header). */
export const HISTORY_PARTS = ['import', 'memory', 'recording', 'scale'] as const;
export type HistoryPart = (typeof HISTORY_PARTS)[number];

export interface HistoryBenchOptions {
  /** Plays stored for the scale rows; default 1,000,000. */
  plays?: number;
  engines?: ReadonlyArray<'sqlite' | 'postgres'>;
  /** The parts to run; default all. */
  only?: ReadonlyArray<HistoryPart>;
  progress?: (text: string) => void;
  /** A folder for the SQLite files and the export file (removed by the caller); default: one of our own. */
  tempDir?: string;
}

interface Engine {
  name: 'SQLite' | 'PostgreSQL';
  /** A fresh, empty history database, as a HISTORY_URL. */
  fresh(label: string): Promise<string>;
}

// ------------------------------------------------------------------------------------------------ engines

function sqliteEngine(dir: string): Engine {
  return { name: 'SQLite', fresh: async (label) => `sqlite://${join(dir, `${label}.sqlite`)}` };
}

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The bench's own PostgreSQL database, or null when nothing answers. */
async function postgresEngine(): Promise<(Engine & { url: string; drop(): Promise<void> }) | null> {
  try {
    await admin(ADMIN_URL, (c) => c.query('select 1'));
  } catch {
    return null;
  }
  const name = `npb_bench_${process.pid}`;
  await admin(ADMIN_URL, async (c) => {
    // A bench killed before its cleanup left its database behind: drop those of processes that are gone.
    const { rows } = await c.query<{ datname: string }>("select datname from pg_database where datname ~ '^npb_bench_[0-9]+$'");
    for (const { datname } of rows) {
      if (datname === name || !alive(Number(datname.slice('npb_bench_'.length)))) await c.query(`drop database if exists ${datname} with (force)`);
    }
    await c.query(`create database ${name}`);
  });
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name: 'PostgreSQL',
    url: url.toString(),
    async fresh() {
      // Every part gets empty tables (migrations run again): the schema is dropped and made anew.
      await admin(url.toString(), (c) => c.query('drop schema public cascade; create schema public'));
      return url.toString();
    },
    async drop() {
      if (dropped) return;
      dropped = true;
      await admin(ADMIN_URL, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/**
 * The store as the bot opens it: SQLite in its worker thread (src/sql/history-thread.ts), PostgreSQL on this one.
 * The worker is kept from its start checks on, as a bot serving history calls has it running: the import rows time
 * the import, not a thread's start (measured apart: a cold worker adds ~0.3–0.6 s once).
 */
async function openStore(url: string): Promise<{ store: HistoryStore; close(): Promise<void> }> {
  if (url.startsWith('sqlite://')) {
    const store = await openHistoryInWorker(url, { logger: silentLogger, openedIdleMs: 60_000 });
    return { store, close: () => store.close() };
  }
  const database = await openHistoryDatabase(url, silentLogger);
  const store = await openHistoryStore(database, { logger: silentLogger });
  return {
    store,
    async close() {
      await store.close();
      await database.close();
    },
  };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

// ------------------------------------------------------------------------------------------------ 1. import

interface ExportFile {
  path: string;
  bytes: number;
  rows: number;
}

function writeExportFile(dir: string): ExportFile {
  const history = extendedHistory({ rows: 15_000, seed: 16, start: '2022-01-01T00:00:00Z' });
  const [[name, bytes]] = Object.entries(extendedFiles(history)) as [[string, Uint8Array]];
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, bytes: bytes.length, rows: history.rows.length };
}

async function timedImport(url: string, file: string): Promise<{ ms: number; summary: ImportSummary }> {
  const { store, close } = await openStore(url);
  try {
    const started = performance.now();
    const entries = await collectPaths([file]);
    const summary = await importEntries(
      entries,
      storeTarget(store, 'owner'),
      { now: Date.now },
    );
    return { ms: performance.now() - started, summary };
  } finally {
    await close();
  }
}

/** The rows the importer keeps, by its rules, reduced to what the floor inserts (read from the parsed JSON). */
interface FloorRow {
  uri: string;
  startedAt: number;
  endedAt: number;
  ms: number;
}

function floorRows(file: string): FloorRow[] {
  const rows = JSON.parse(readFileSync(file, 'utf8')) as Array<Record<string, unknown>>;
  const out: FloorRow[] = [];
  for (const r of rows) {
    const ms = r.ms_played as number;
    if (typeof r.master_metadata_track_name !== 'string' || r.episode_name != null || r.audiobook_title != null || r.incognito_mode === true || ms < 30_000) continue;
    const endedAt = Date.parse(r.ts as string);
    out.push({ uri: `${r.master_metadata_album_artist_name as string}\u001f${r.master_metadata_track_name}`, startedAt: endedAt - ms, endedAt, ms });
  }
  return out;
}

/** The floor on SQLite: parse + one prepared statement per row in one transaction, libsql directly. Plays/s. */
function sqliteFloor(dir: string, file: string): { ms: number; plays: number } {
  const path = join(dir, 'floor.sqlite');
  const db = new Database(path);
  try {
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL');
    db.exec(
      'create table plays (id integer primary key, user_id integer not null, track_id integer not null, started_at integer not null, ' +
        'ended_at integer not null, ms_played integer, duration_ms integer, source integer not null); ' +
        'create index plays_user_time on plays (user_id, started_at); create index plays_track_user on plays (track_id, user_id)',
    );
    const started = performance.now();
    const rows = floorRows(file);
    const tracks = new Map<string, number>();
    const insert = db.prepare('insert into plays (user_id, track_id, started_at, ended_at, ms_played, duration_ms, source) values (?, ?, ?, ?, ?, ?, ?)');
    db.exec('begin');
    for (const r of rows) {
      let track = tracks.get(r.uri);
      if (track === undefined) tracks.set(r.uri, (track = tracks.size + 1));
      insert.run([1, track, r.startedAt, r.endedAt, r.ms, null, 3]);
    }
    db.exec('commit');
    return { ms: performance.now() - started, plays: rows.length };
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  }
}

/** The floor on PostgreSQL: parse + one prepared INSERT … SELECT FROM unnest(…) in one transaction. */
async function postgresFloor(url: string, file: string): Promise<{ ms: number; plays: number }> {
  return admin(url, async (c) => {
    await c.query(
      'create table floor_plays (id bigint generated by default as identity primary key, user_id bigint not null, track_id bigint not null, ' +
        'started_at bigint not null, ended_at bigint not null, ms_played integer, duration_ms integer, source integer not null); ' +
        'create index floor_user_time on floor_plays (user_id, started_at); create index floor_track_user on floor_plays (track_id, user_id)',
    );
    try {
      const started = performance.now();
      const rows = floorRows(file);
      const tracks = new Map<string, number>();
      const trackIds = rows.map((r) => {
        let track = tracks.get(r.uri);
        if (track === undefined) tracks.set(r.uri, (track = tracks.size + 1));
        return track;
      });
      await c.query('begin');
      await c.query({
        name: 'floor-insert',
        text:
          'insert into floor_plays (user_id, track_id, started_at, ended_at, ms_played, duration_ms, source) ' +
          'select * from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::integer[], $6::integer[], $7::integer[])',
        values: [rows.map(() => 1), trackIds, rows.map((r) => r.startedAt), rows.map((r) => r.endedAt), rows.map((r) => r.ms), rows.map(() => null), rows.map(() => 3)],
      });
      await c.query('commit');
      return { ms: performance.now() - started, plays: rows.length };
    } finally {
      await c.query('drop table floor_plays');
    }
  });
}

/**
 * Runs of each import row and of its floor, the median reported: one import is ~0.15–0.3 s, and on a shared 2-core
 * machine a single run of either side moved by ±25% between runs.
 */
const IMPORT_RUNS = 3;

const medianBy = <T>(runs: T[], ms: (run: T) => number): T => [...runs].sort((a, b) => ms(a) - ms(b))[runs.length >> 1]!;

async function importRows(engine: Engine, file: ExportFile, dir: string, progress: (text: string) => void): Promise<BenchRow[]> {
  progress(`${engine.name}: import of ${fmt(file.bytes / 1e6, 1)} MB (${fmt(file.rows)} rows), then again (all duplicates), then the floor; ${IMPORT_RUNS} runs, each into an empty store…`);
  const firsts: Array<{ ms: number; summary: ImportSummary }> = [];
  const agains: Array<{ ms: number; summary: ImportSummary }> = [];
  const floors: Array<{ ms: number; plays: number }> = [];
  for (let run = 0; run < IMPORT_RUNS; run++) {
    const url = await engine.fresh(`import-${run}`);
    firsts.push(await timedImport(url, file.path));
    agains.push(await timedImport(url, file.path));
    floors.push(engine.name === 'SQLite' ? sqliteFloor(dir, file.path) : await postgresFloor(url, file.path));
  }
  const first = medianBy(firsts, (r) => r.ms);
  const again = medianBy(agains, (r) => r.ms);
  const floor = medianBy(floors, (r) => r.ms);
  const floorRate = floor.plays / (floor.ms / 1000);
  const floorText = engine.name === 'SQLite' ? 'one prepared INSERT per row, one transaction' : 'one prepared INSERT … SELECT FROM unnest(…), one transaction';
  const row = (label: string, run: { ms: number; summary: ImportSummary }, check: boolean): BenchRow => {
    const plays = run.summary.added + run.summary.duplicates;
    const rate = plays / (run.ms / 1000);
    const ratio = floorRate / rate;
    return {
      metric: `Import, extended format (${fmt(file.bytes / 1e6, 1)} MB, ${fmt(file.rows)} rows → ${fmt(plays)} plays), ${label}, ${engine.name}: real path vs floor (JSON.parse + ${floorText}), median of ${IMPORT_RUNS} runs each`,
      result: `${fmt(rate)} plays/s (${fmt(run.ms / 1000, 2)} s; ${fmt(run.summary.added)} added, ${fmt(run.summary.duplicates)} already there) vs floor ${fmt(floorRate)} plays/s → ${fmt(ratio, 2)}×${check ? '' : ' — WRONG COUNTS'}`,
      target: '≥ 50,000 plays/s and ≤ 2× the floor',
      ok: check && rate >= 50_000 && ratio <= 2,
    };
  };
  // Every first import adds the same plays (the export repeats a few: "already there"); every re-import adds none.
  const firstsRight = firsts.every((r) => r.summary.added === first.summary.added && r.summary.added + r.summary.duplicates === floor.plays);
  const againsRight = agains.every((r) => r.summary.added === 0 && r.summary.duplicates === floor.plays);
  return [row('into an empty store', first, firstsRight), row('re-imported (all duplicates)', again, againsRight)];
}

// ------------------------------------------------------------------------------------------------ 2. memory

interface ProbeResult {
  rssMb?: number;
  idleMb?: number;
  peakMb?: number;
  afterMb?: number;
}

/** A job of bench/history-probe.ts in a child process, on the build in dist/ (made first when stale). */
function probe(args: string[]): Promise<ProbeResult> {
  ensureBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...LEAN_NODE_FLAGS, '--expose-gc', '--import', import.meta.resolve('tsx'), PROBE, ...args], {
      env: { ...process.env, ...MALLOC_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as ProbeResult);
      else reject(new Error(`history probe ${args[0]} exited ${code}: ${err.slice(-400) || out.slice(-400)}`));
    });
  });
}

async function importMemoryRow(engine: Engine, file: ExportFile, progress: (text: string) => void): Promise<BenchRow> {
  progress(`${engine.name}: memory of the import, in a child process (the build in dist/, made if stale)…`);
  const r = await probe(['import', await engine.fresh('import-memory'), file.path]);
  const idle = r.idleMb!;
  const peak = r.peakMb! - idle;
  const after = r.afterMb! - idle;
  return {
    metric: `Import memory, ${fmt(file.bytes / 1e6, 1)} MB file, ${engine.name} (child process: the build in dist/, production Node flags): RSS idle / peak / after gc`,
    result: `${fmt(idle, 1)} / ${fmt(r.peakMb!, 1)} (+${fmt(peak, 1)}) / ${fmt(r.afterMb!, 1)} (${after >= 0 ? '+' : ''}${fmt(after, 1)}) MB`,
    target: 'peak ≤ +80 MB, after ≤ +10 MB',
    ok: peak <= 80 && after <= 10,
  };
}

// ------------------------------------------------------------------------------------------------ 3. recording

const RATE = 20_000;
const SIMULATED_S = 600;
const FLUSH_S = 10;

interface OptedMember {
  id: string;
  copies: number;
  activities: RawActivity[];
  /** When the current track changes (or the pause ends). */
  nextAt: number;
  track: { n: number; start: number; duration: number } | null;
  pausedListened: number | null;
  resendAt: number;
}

function trackActivity(n: number, start: number, duration: number): RawActivity[] {
  return [
    spotifyActivity({
      trackId: `${String(n).padStart(8, '0')}AbCdEfGhIjKlMn`,
      title: `Song ${n}`,
      artists: [`Artist ${n % 211}`, 'Featured'],
      album: `Album ${n % 97}`,
      imageId: 'ab67616d0000b273aaaaaaaaaaaaaaaaaaaaaaaa',
      startMs: start,
      endMs: start + duration,
    }) as RawActivity,
  ];
}

async function recordingRows(engine: Engine, progress: (text: string) => void): Promise<BenchRow[]> {
  progress(`${engine.name}: recording — ${fmt(RATE)} PRESENCE_UPDATE/s for ${SIMULATED_S / 60} simulated min, 300 of 10,000 members opted in…`);
  const { store, close } = await openStore(await engine.fresh('recording'));
  const random = rng(3);
  const t0 = Date.UTC(2026, 5, 1, 18, 0, 0);
  let now = t0;
  const opted: OptedMember[] = Array.from({ length: 300 }, (_, i) => ({
    id: `14000000000000${String(i).padStart(4, '0')}`,
    copies: 1 + Math.floor(random() * 3),
    activities: [],
    nextAt: t0 + Math.floor(random() * 180_000),
    track: null,
    pausedListened: null,
    resendAt: t0 + Math.floor(random() * 60_000),
  }));
  const others = Array.from({ length: 9_700 }, (_, i) => `15000000000000${String(i).padStart(4, '0')}`);
  const game: RawActivity = { type: 0, name: 'A Game' };
  const custom: RawActivity = { type: 4, name: 'Custom Status' };
  const pool: RawActivity[][] = Array.from({ length: 64 }, (_, i) =>
    i % 4 === 0 ? [] : i % 4 === 1 ? [game] : i % 4 === 2 ? [custom, ...trackActivity(i, t0, 200_000)] : trackActivity(i + 64, t0, 200_000),
  );
  let writes = 0;
  let writesOutsideFlush = 0;
  let emptyWrites = 0;
  let completed = 0;
  let added = 0;
  let inFlush = false;
  const recorder = new StatusRecorder({
    history: {
      statusRecorded: async () => opted.map((m) => m.id),
      async recordStatusPlays(batch) {
        let n = 0;
        for (const { userId, plays } of batch) {
          completed += plays.length;
          writes++;
          if (!inFlush) writesOutsideFlush++;
          if (plays.length === 0) emptyWrites++;
          n += (await store.addPlays(userId as HistoryUser, plays)).added;
        }
        added += n;
        return n;
      },
    },
    logger: silentLogger,
    now: () => now,
  });
  await recorder.refresh();
  let trackNo = 0;
  let cpuUs = 0;
  let updates = 0;
  let flushes = 0;
  const due: Array<[string, RawActivity[]]> = [];
  try {
    for (let s = 0; s < SIMULATED_S; s++) {
      now = t0 + s * 1_000;
      // The opted-in members' updates of this second (untimed: building them is the gateway's work, not ours).
      due.length = 0;
      for (const m of opted) {
        let changed = false;
        if (now >= m.nextAt) {
          changed = true;
          if (m.pausedListened !== null && m.track) {
            // Resumed: Discord's start moves so that now − start is what was heard before the pause.
            const start = now - m.pausedListened;
            m.track.start = start;
            m.activities = trackActivity(m.track.n, start, m.track.duration);
            m.pausedListened = null;
            m.nextAt = start + m.track.duration;
          } else if (m.track && random() < 0.05) {
            m.pausedListened = now - m.track.start;
            m.activities = [];
            m.nextAt = now + 60_000 + Math.floor(random() * 240_000);
          } else {
            const duration = 120_000 + Math.floor(random() * 240_000);
            m.track = { n: trackNo++, start: now, duration };
            m.activities = trackActivity(m.track.n, now, duration);
            // A quarter are skipped (some early enough not to count).
            m.nextAt = now + (random() < 0.25 ? 10_000 + Math.floor(random() * duration) : duration);
          }
        } else if (now >= m.resendAt) {
          changed = true; // a status or game change: the same Spotify activity again
        }
        if (now >= m.resendAt) m.resendAt = now + 60_000;
        if (changed) for (let c = 0; c < m.copies; c++) due.push([m.id, m.activities]);
      }
      const cpu = process.cpuUsage();
      for (let i = 0; i < due.length; i++) recorder.observe(due[i]![0], due[i]![1]);
      for (let i = due.length; i < RATE; i++) recorder.observe(others[(i * 7_919 + s * 13) % others.length]!, pool[(i + s) % 64]);
      const spent = process.cpuUsage(cpu);
      cpuUs += spent.user + spent.system;
      updates += RATE;
      if ((s + 1) % FLUSH_S === 0) {
        inFlush = true;
        await recorder.flush();
        inFlush = false;
        flushes++;
      }
    }
    inFlush = true;
    await recorder.stop();
    inFlush = false;
    flushes++;
    const stored = (await Promise.all(opted.map((m) => store.status(m.id as HistoryUser)))).reduce((n, st) => n + st.plays, 0);
    const perSecond = updates / (cpuUs / 1e6);
    return [
      {
        metric: `Recording, ${engine.name}: StatusRecorder.observe, ${fmt(updates)} PRESENCE_UPDATEs (${fmt(RATE)}/s × ${SIMULATED_S / 60} simulated min), 300 of 10,000 members opted in`,
        result: `${fmt(perSecond)} updates/s of CPU (${fmt((cpuUs * 1000) / updates)} ns per update)`,
        target: '≥ 20,000 updates/s',
        ok: perSecond >= 20_000,
      },
      {
        metric: `Recording, ${engine.name}: store writes vs plays completed (flush every ${FLUSH_S} simulated s)`,
        result:
          `${fmt(completed)} plays completed → ${fmt(writes)} addPlays calls in ${fmt(flushes)} flushes (one per member with plays), ` +
          `${fmt(writesOutsideFlush)} between flushes, ${fmt(emptyWrites)} without a play; ${fmt(added)} added, ${fmt(stored)} stored`,
        target: 'writes only on completed plays, 0 between flushes',
        ok: writesOutsideFlush === 0 && emptyWrites === 0 && completed > 0 && added === completed && stored === completed,
      },
    ];
  } finally {
    await close();
  }
}

// ------------------------------------------------------------------------------------------------ 4. at scale

const SCALE_TO = Date.UTC(2026, 5, 1);
const SCALE_FROM = SCALE_TO - 5 * 365 * DAY_MS;
const MONTH_MS = 30 * DAY_MS;
const SAMPLES = 40;

interface ScaleData {
  catalogue: Catalogue;
  members: Member[];
}

function scaleData(plays: number): ScaleData {
  const catalogue = makeCatalogue();
  return { catalogue, members: makeMembers(catalogue, 300, plays, { from: SCALE_FROM, to: SCALE_TO }) };
}

/** p50 / p95 over the samples of one view; each sample its own event-loop turn. */
async function sampled(run: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 3; i++) await run(SAMPLES + i); // warm-up: statements prepared, pages cached
  const ms: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    await turn();
    const started = performance.now();
    await run(i);
    ms.push(performance.now() - started);
  }
  return ms;
}

const pp = (ms: number[]): string => `p50 ${fmt(percentile(ms, 50), 1)} / p95 ${fmt(percentile(ms, 95), 1)} ms (n=${ms.length})`;

async function scaleRows(engine: Engine, data: ScaleData, progress: (text: string) => void): Promise<BenchRow[]> {
  const total = data.members.reduce((n, m) => n + m.plays, 0);
  const label = `${fmt(total)} plays`;
  const url = await engine.fresh('scale');
  const someone = data.members[0]!;
  const probeArgs = (): string[] => ['idle', url, someone.user, String(SCALE_TO - MONTH_MS), String(SCALE_TO)];
  progress(`${engine.name}: idle RSS of an empty history (child process)…`);
  const { store, close } = await openStore(url);
  const rows: BenchRow[] = [];
  let empty: ProbeResult = {};
  try {
    empty = await probe(probeArgs());
    progress(`${engine.name}: writing ${label} (300 members, 5 years) through store.addPlays…`);
    let writeMs = 0;
    let added = 0;
    let batches = 0;
    for (const [i, member] of data.members.entries()) {
      for (const batch of memberPlays(data.catalogue, member, SCALE_TO, 5_000, 1_000 + i)) {
        const started = performance.now();
        added += (await store.addPlays(member.user, batch)).added;
        writeMs += performance.now() - started;
        batches++;
      }
      if (i % 50 === 49) progress(`${engine.name}: ${i + 1} of 300 members written (${fmt(writeMs / 1000, 1)} s so far)`);
    }
    // A history that grew over five years has been vacuumed and analysed by autovacuum many times; one loaded in
    // minutes has not (and this machine's server runs with autovacuum off): without it PostgreSQL plans with no
    // statistics and its index-only scans visit the table. Do what autovacuum would have done, untimed.
    let maintained = '';
    if (engine.name === 'PostgreSQL') {
      const started = performance.now();
      const autovacuum = await admin(url, async (c) => {
        await c.query('vacuum analyze');
        return (await c.query<{ autovacuum: string }>('show autovacuum')).rows[0]?.autovacuum ?? '?';
      });
      maintained = `; then VACUUM ANALYZE, ${fmt((performance.now() - started) / 1000, 1)} s (autovacuum is ${autovacuum} on this server)`;
    }
    rows.push({
      metric: `${label} written through store.addPlays (300 members, 5 years, ${fmt(batches)} batches of ≤ 5,000), ${engine.name}`,
      result: `${fmt(writeMs / 1000, 1)} s → ${fmt(total / (writeMs / 1000))} plays/s (${fmt(added)} added; the rest: the same track twice within a minute)${maintained}`,
      target: '—',
      ok: null,
    });

    progress(`${engine.name}: queries at ${label}, n=${SAMPLES} each…`);
    const random = rng(99);
    const users = data.members.map((m) => m.user);
    const monthOf = (from: number, to: number): Period => {
      const end = from + MONTH_MS + Math.floor(random() * (to - from - MONTH_MS));
      return { from: end - MONTH_MS, to: end };
    };
    const memberViews = Array.from({ length: SAMPLES + 3 }, () => {
      const member = data.members[Math.floor(random() * data.members.length)]!;
      return { user: member.user, period: monthOf(member.joinedAt, SCALE_TO) };
    });
    const serverMonths = Array.from({ length: SAMPLES + 3 }, () => monthOf(SCALE_FROM, SCALE_TO));
    const artists = Array.from({ length: SAMPLES + 3 }, () => foldName(data.catalogue.tracks[data.catalogue.charts.pick(random)]!.artist));
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    let memberPlaysSeen = 0;
    let listenersSeen = 0;
    const member = await sampled(async (i) => {
      const v = memberViews[i]!;
      const totals = await store.totals([v.user], v.period);
      await store.topItems([v.user], 'artist', v.period, 10);
      memberPlaysSeen += totals.plays;
    });
    const server = await sampled((i) => store.topItems(users, 'artist', serverMonths[i]!, 10));
    const listeners = await sampled(async (i) => {
      listenersSeen += (await store.listeners(users, 'artist', artists[i]!)).length;
    });
    loop.disable();
    const loopP99 = loop.percentile(99) / 1e6;
    rows.push(
      {
        metric: `A member's month at ${label} (totals + top 10 artists, varied members and months), ${engine.name}`,
        result: `${pp(member)}; ${fmt(memberPlaysSeen / (SAMPLES + 3))} plays per month on average`,
        target: 'p50 ≤ 20 ms',
        ok: percentile(member, 50) <= 20,
      },
      {
        metric: `The server's month at ${label}: top 10 artists of 300 members, ${engine.name}`,
        result: pp(server),
        target: 'p50 ≤ 50 ms',
        ok: percentile(server, 50) <= 50,
      },
      {
        metric: `An artist's listeners in the server at ${label} (300 members, all time; artists drawn by popularity), ${engine.name}`,
        result: `${pp(listeners)}; ${fmt(listenersSeen / (SAMPLES + 3), 1)} listeners per artist on average`,
        target: 'p50 ≤ 20 ms',
        ok: percentile(listeners, 50) <= 20,
      },
      {
        metric: `Event-loop delay while those ${fmt(3 * (SAMPLES + 3))} views ran, ${engine.name}`,
        result: `p99 ${fmt(loopP99, 1)} ms, max ${fmt(loop.max / 1e6, 1)} ms`,
        target: 'p99 ≤ 50 ms',
        ok: loopP99 <= 50,
      },
    );
  } finally {
    await close();
  }
  progress(`${engine.name}: idle RSS at ${label} (child process)…`);
  const full = await probe(probeArgs());
  const size = engine.name === 'SQLite' ? ` (file ${fmt(statSync(url.slice('sqlite://'.length)).size / 1e6)} MB)` : '';
  const delta = full.rssMb! - empty.rssMb!;
  rows.splice(1, 0, {
    metric: `Idle RSS at ${label} vs an empty history, ${engine.name} (child: open the store + one member's month)${size}`,
    result: `${fmt(full.rssMb!, 1)} − ${fmt(empty.rssMb!, 1)} = ${delta >= 0 ? '+' : ''}${fmt(delta, 1)} MB`,
    target: '≤ +10 MB',
    ok: delta <= 10,
  });
  return rows;
}

// ------------------------------------------------------------------------------------------------ all

export async function historyRows(options: HistoryBenchOptions = {}): Promise<BenchRow[]> {
  const progress = options.progress ?? ((text: string) => void process.stderr.write(`[bench:history] ${text}\n`));
  const wanted = options.engines ?? ['sqlite', 'postgres'];
  const parts = new Set<HistoryPart>(options.only ?? HISTORY_PARTS);
  const own = options.tempDir === undefined;
  const dir = options.tempDir ?? mkdtempSync(join(tmpdir(), 'npb-bench-history-'));
  const postgres = wanted.includes('postgres') ? await postgresEngine() : null;
  if (wanted.includes('postgres') && postgres === null) progress(`PostgreSQL does not answer at ${ADMIN_URL}: its rows are not measured`);
  const engines: Array<Engine | null> = [...(wanted.includes('sqlite') ? [sqliteEngine(dir)] : []), ...(wanted.includes('postgres') ? [postgres] : [])];
  const rows: BenchRow[] = [];
  try {
    const file = parts.has('import') || parts.has('memory') ? writeExportFile(dir) : null;
    const data = parts.has('scale') ? scaleData(options.plays ?? 1_000_000) : null;
    for (const engine of engines) {
      if (engine === null) {
        const skipped = { import: 'Import, extended format', memory: 'Import memory', recording: 'Recording', scale: 'At 1,000,000 plays' } as const;
        for (const part of HISTORY_PARTS) if (parts.has(part)) rows.push(noPostgres(skipped[part]));
        continue;
      }
      if (file !== null && parts.has('import')) rows.push(...(await importRows(engine, file, dir, progress)));
      if (file !== null && parts.has('memory')) rows.push(await importMemoryRow(engine, file, progress));
      if (parts.has('recording')) rows.push(...(await recordingRows(engine, progress)));
      if (data !== null) rows.push(...(await scaleRows(engine, data, progress)));
    }
  } finally {
    await postgres?.drop();
    if (own) rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/** The section `npm run bench` runs (bench/run.ts): rows into the shared report, files under its temp root. */
export async function historySection(ctx: {
  report: { row(metric: string, result: string, target?: string, ok?: boolean | null): void };
  progress(text: string): void;
  tempDir(prefix: string): string;
}): Promise<void> {
  ctx.progress('history (#16): import, its memory, Discord-status recording, 1,000,000 plays — SQLite and PostgreSQL…');
  for (const r of await historyRows({ progress: ctx.progress, tempDir: ctx.tempDir('npb-bench-history-') })) ctx.report.row(r.metric, r.result, r.target, r.ok);
}

// ------------------------------------------------------------------------------------------------ alone

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      plays: { type: 'string', default: '1000000' },
      engines: { type: 'string', default: 'sqlite,postgres' },
      only: { type: 'string', default: HISTORY_PARTS.join(',') },
      json: { type: 'boolean', default: false },
    },
  });
  const plays = Number(values.plays);
  if (!Number.isInteger(plays) || plays < 300) throw new Error(`--plays must be an integer ≥ 300 (got "${values.plays}")`);
  const engines = values.engines.split(',').map((s) => s.trim());
  if (engines.some((e) => e !== 'sqlite' && e !== 'postgres')) throw new Error(`--engines takes sqlite and/or postgres (got "${values.engines}")`);
  const only = values.only.split(',').map((s) => s.trim());
  const unknown = only.filter((part) => !(HISTORY_PARTS as readonly string[]).includes(part));
  if (only.length === 0 || unknown.length > 0) throw new Error(`--only takes some of ${HISTORY_PARTS.join(', ')} (got "${values.only}")`);
  const started = performance.now();
  const rows = await historyRows({ plays, engines: engines as Array<'sqlite' | 'postgres'>, only: only as HistoryPart[] });
  process.stdout.write(
    `${rowsTable(rows)}\n\n${`Command: npx tsx bench/history.ts ${process.argv.slice(2).join(' ')}`.trimEnd()}\nWall time ${fmt((performance.now() - started) / 1000, 1)} s\n`,
  );
  if (values.json) process.stdout.write(`\n\`\`\`json\n${JSON.stringify(rows, null, 2)}\n\`\`\`\n`);
}

runWhenMain(import.meta.url, main);
