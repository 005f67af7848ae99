// Benchmark rows for the history views through the real bot: run alone with
// `npx tsx bench/history-views.ts [--plays 1000000] [--engines sqlite,postgres] [--iterations 30] [--json]`, or as a
// section of `npm run bench`.
//
// The store gets bench/history-data.ts's plays (default 1,000,000: 300 members, 5 years, Zipf over ~50k tracks),
// every member recording; then the in-process bot (test/support/harness.ts, production timings, HISTORY=on over that
// database; the clock set to the data's last day, running) answers through the Discord emulator, the 300 members in
// its server (membership asked with op 8 as in use, cached 60 s). Measured: dispatch → the interaction callback (a
// direct reply, type 4; when deferred, to the edit) of
//  · /stats (a member's month) as text (the picture's drawer refused, so the reply is the text alone) and with the
//    picture;
//  · /whoknows artist name:<typed> (artists drawn by popularity) and /whoknows track name:<an autocomplete choice>;
//  · /serverstats period:month over the 300 members (with its picture);
//  · autocomplete of /whoknows artist and track (2–3 typed letters of popular names) → the type 8 answer.
// On an SQLite file and on PostgreSQL (127.0.0.1:5432 or POSTGRES_URL, a database npb_views_<pid> created and
// dropped; "not measured" when nothing answers).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { InteractionHandle } from '../emulators/discord.js';
import { silentLogger } from '../src/logger.js';
import { openHistoryStore } from '../src/sql/history-store.js';
import { openHistoryDatabase } from '../src/sql/open.js';
import { startHarness, type Harness } from '../test/support/harness.js';
import { DAY_MS, makeCatalogue, makeMembers, memberPlays, rng, type Catalogue, type Member } from './history-data.js';
import { rowsTable, runWhenMain, type BenchRow } from './lib/report.js';
import { fmt, percentile } from './lib/stats.js';

const ADMIN_URL = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TO = Date.UTC(2026, 5, 1);
export const FROM = TO - 5 * 365 * DAY_MS;
const MEMBERS = 300;
const WARMUP = 3;
const EPHEMERAL = 1 << 6;

export interface HistoryViewsOptions {
  plays?: number;
  engines?: ReadonlyArray<'sqlite' | 'postgres'>;
  iterations?: number;
  progress?: (text: string) => void;
  tempDir?: string;
}

interface Database {
  name: 'SQLite' | 'PostgreSQL';
  url: string;
  drop(): Promise<void>;
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

/** A database of our own on the PostgreSQL server, or null when nothing answers. */
async function postgresDatabase(): Promise<Database | null> {
  try {
    await admin(ADMIN_URL, (c) => c.query('select 1'));
  } catch {
    return null;
  }
  const name = `npb_views_${process.pid}`;
  await admin(ADMIN_URL, (c) => c.query(`drop database if exists ${name} with (force)`).then(() => c.query(`create database ${name}`)));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { name: 'PostgreSQL', url: url.toString(), drop: () => admin(ADMIN_URL, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined) };
}

/** The plays, written through the store as the import does; every member recording. */
export async function fill(url: string, catalogue: Catalogue, members: Member[], progress: (text: string) => void): Promise<number> {
  const database = await openHistoryDatabase(url, silentLogger);
  const store = await openHistoryStore(database, { logger: silentLogger });
  const started = performance.now();
  let added = 0;
  try {
    for (const [i, member] of members.entries()) {
      await store.setRecording(member.user, true);
      for (const batch of memberPlays(catalogue, member, TO, 5_000, 1_000 + i)) added += (await store.addPlays(member.user, batch)).added;
      if (i % 50 === 49) progress(`${i + 1} of ${members.length} members written (${fmt((performance.now() - started) / 1000, 1)} s)`);
    }
  } finally {
    await store.close();
    await database.close();
  }
  return added;
}

/** Dispatch → the bot's answer: the callback, or the edit of a deferred reply. */
async function timed(h: Harness, handle: InteractionHandle): Promise<{ ms: number; ok: boolean }> {
  const rest0 = h.discord.restLog.length;
  // Generous: a busy machine can hold a reply past Discord's 3 s; it is then counted as it came, not as a crash.
  const response = await handle.response(60_000);
  let at = response.at;
  let message = response.data ?? {};
  if (response.type === 5) {
    message = await handle.finalMessage(30_000);
    const edit = h.discord.restLog.slice(rest0).find((e) => e.method === 'PATCH' && e.path.includes(handle.token) && e.path.endsWith('/messages/@original'));
    at = edit?.at ?? Date.now();
  }
  return { ms: at - handle.dispatchedAt, ok: ((message.flags ?? 0) & EPHEMERAL) === 0 && (message.embeds?.length ?? 0) > 0 };
}

interface Samples {
  ms: number[];
  failed: number;
}

async function sample(n: number, run: (i: number) => Promise<{ ms: number; ok: boolean }>): Promise<Samples> {
  for (let i = 0; i < WARMUP; i++) await run(n + i);
  const out: Samples = { ms: [], failed: 0 };
  for (let i = 0; i < n; i++) {
    const r = await run(i);
    out.ms.push(r.ms);
    if (!r.ok) out.failed++;
  }
  return out;
}

const pp = (s: Samples): string =>
  `p50 ${fmt(percentile(s.ms, 50), 1)} / p95 ${fmt(percentile(s.ms, 95), 1)} ms (n=${s.ms.length}${s.failed > 0 ? `, ${s.failed} FAILED` : ''})`;

async function viewRows(db: Database, data: { catalogue: Catalogue; members: Member[] }, iterations: number, progress: (text: string) => void): Promise<BenchRow[]> {
  const total = data.members.reduce((n, m) => n + m.plays, 0);
  const label = `${fmt(total)} plays`;
  progress(`${db.name}: writing ${label} (${MEMBERS} members, 5 years)…`);
  const writeStarted = performance.now();
  await fill(db.url, data.catalogue, data.members, (t) => progress(`${db.name}: ${t}`));
  // As bench/history.ts: a history that grew over years has been vacuumed and analysed by autovacuum; one loaded in
  // minutes has not (this machine's server runs with autovacuum off), so PostgreSQL would plan without statistics
  // and its index-only scans would visit the table. Done untimed.
  if (db.name === 'PostgreSQL') await admin(db.url, (c) => c.query('vacuum analyze'));
  progress(`${db.name}: written in ${fmt((performance.now() - writeStarted) / 1000, 1)} s; starting the bot…`);
  let textOnly = false;
  const offset = TO - Date.now();
  const h = await startHarness({
    timings: 'production',
    env: { HISTORY: 'on', STORAGE_URL: db.url },
    tuning: {
      now: () => Date.now() + offset,
      pictures: {
        drawers: {
          // The text rows: the drawer refuses at once, so the reply is the text alone (logged once).
          stats: async (input) => {
            if (textOnly) throw new Error('text only (bench)');
            return (await import('../src/render/stats.js')).renderStats(input);
          },
        },
      },
    },
  });
  try {
    const guildId = h.discord.guildIds[0]!;
    for (const m of data.members) h.discord.addMember(guildId, { id: m.user, username: `m${m.user.slice(-3)}` });
    const random = rng(7);
    const askers = Array.from({ length: iterations + WARMUP }, () => data.members[Math.floor(random() * data.members.length)]!.user);
    const popular = Array.from({ length: iterations + WARMUP }, () => data.catalogue.tracks[data.catalogue.charts.pick(random)]!);
    const slash = (i: number, name: string, options: Array<{ name: string; type: number; value: string }> = [], subcommand?: string): InteractionHandle =>
      h.discord.slashCommand({ name, userId: askers[i]!, options, ...(subcommand ? { subcommand } : {}) });

    progress(`${db.name}: /stats, /whoknows, /serverstats, autocomplete through the bot, n=${iterations} each…`);
    const month = [{ name: 'period', type: 3, value: 'month' }];
    textOnly = true;
    const statsText = await sample(iterations, (i) => timed(h, slash(i, 'stats', month)));
    textOnly = false;
    const statsPicture = await sample(iterations, (i) => timed(h, slash(i, 'stats', month)));
    const whoArtist = await sample(iterations, (i) => timed(h, slash(i, 'whoknows', [{ name: 'name', type: 3, value: popular[i]!.artist }], 'artist')));
    let choicesSeen = 0;
    const completeMs: Samples = { ms: [], failed: 0 };
    const picked: string[] = [];
    for (let i = 0; i < iterations + WARMUP; i++) {
      for (const [kind, name] of [['artist', popular[i]!.artist], ['track', popular[i]!.title]] as const) {
        const handle = h.discord.autocomplete({ name: 'whoknows', subcommand: kind, userId: askers[i]!, options: [{ name: 'name', type: 3, value: name.slice(0, 2 + (i % 2)), focused: true }] });
        const response = await handle.response(60_000);
        const choices = await handle.choices(60_000);
        if (i < WARMUP) continue;
        completeMs.ms.push(response.at - handle.dispatchedAt);
        choicesSeen += choices.length;
        if (choices.length === 0) completeMs.failed++;
        if (kind === 'track' && choices[0]) picked.push(String(choices[0].value));
      }
    }
    const whoTrack = await sample(Math.min(iterations, picked.length), (i) => timed(h, slash(i, 'whoknows', [{ name: 'name', type: 3, value: picked[i % picked.length]! }], 'track')));
    const server = await sample(iterations, (i) => timed(h, slash(i, 'serverstats', month)));

    const at = `at ${label}, ${db.name}`;
    return [
      { metric: `/stats period:month (a member's) text: dispatch → reply ${at}`, result: pp(statsText), target: 'p50 ≤ 30 ms', ok: percentile(statsText.ms, 50) <= 30 && statsText.failed === 0 },
      { metric: `/stats period:month with the picture: dispatch → reply ${at}`, result: pp(statsPicture), target: 'p50 ≤ 80 ms', ok: percentile(statsPicture.ms, 50) <= 80 && statsPicture.failed === 0 },
      { metric: `/whoknows artist name:<typed, by popularity> (${MEMBERS} members here): dispatch → reply ${at}`, result: pp(whoArtist), target: 'p50 ≤ 30 ms', ok: percentile(whoArtist.ms, 50) <= 30 && whoArtist.failed === 0 },
      { metric: `/whoknows track name:<an autocomplete choice>: dispatch → reply ${at}`, result: pp(whoTrack), target: 'p50 ≤ 30 ms', ok: percentile(whoTrack.ms, 50) <= 30 && whoTrack.failed === 0 },
      { metric: `/serverstats period:month over ${MEMBERS} members (with its picture): dispatch → reply ${at}`, result: pp(server), target: 'p50 ≤ 60 ms', ok: percentile(server.ms, 50) <= 60 && server.failed === 0 },
      {
        metric: `/whoknows autocomplete (artist and track, 2–3 letters typed): dispatch → choices ${at}`,
        result: `${pp(completeMs)}; ${fmt(choicesSeen / Math.max(1, completeMs.ms.length), 1)} choices on average`,
        target: 'p50 ≤ 15 ms',
        ok: percentile(completeMs.ms, 50) <= 15,
      },
    ];
  } finally {
    await h.stop();
  }
}

const notMeasured = (what: string): BenchRow => ({ metric: `${what}, PostgreSQL`, result: 'not measured: no PostgreSQL', target: '—', ok: null });

export async function historyViewRows(options: HistoryViewsOptions = {}): Promise<BenchRow[]> {
  const progress = options.progress ?? ((text: string) => void process.stderr.write(`[bench:history-views] ${text}\n`));
  const wanted = options.engines ?? ['sqlite', 'postgres'];
  const own = options.tempDir === undefined;
  const dir = options.tempDir ?? mkdtempSync(join(tmpdir(), 'npb-bench-views-'));
  const catalogue = makeCatalogue();
  const data = { catalogue, members: makeMembers(catalogue, MEMBERS, options.plays ?? 1_000_000, { from: FROM, to: TO }) };
  const rows: BenchRow[] = [];
  try {
    for (const engine of wanted) {
      const db: Database | null =
        engine === 'sqlite' ? { name: 'SQLite', url: `sqlite://${join(dir, 'views.sqlite')}`, drop: async () => undefined } : await postgresDatabase();
      if (db === null) {
        progress(`PostgreSQL does not answer at ${ADMIN_URL}: its rows are not measured`);
        rows.push(notMeasured('History views through the bot'));
        continue;
      }
      try {
        rows.push(...(await viewRows(db, data, options.iterations ?? 30, progress)));
      } finally {
        await db.drop();
      }
    }
  } finally {
    if (own) rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/** The section `npm run bench` runs (bench/run.ts). */
export async function historyViewsSection(ctx: {
  report: { row(metric: string, result: string, target?: string, ok?: boolean | null): void };
  progress(text: string): void;
  tempDir(prefix: string): string;
}): Promise<void> {
  ctx.progress('history views: /stats, /whoknows, /serverstats and autocomplete through the bot at 1,000,000 plays — SQLite and PostgreSQL…');
  for (const r of await historyViewRows({ progress: ctx.progress, tempDir: ctx.tempDir('npb-bench-views-') })) ctx.report.row(r.metric, r.result, r.target, r.ok);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      plays: { type: 'string', default: '1000000' },
      engines: { type: 'string', default: 'sqlite,postgres' },
      iterations: { type: 'string', default: '30' },
      json: { type: 'boolean', default: false },
    },
  });
  const plays = Number(values.plays);
  const iterations = Number(values.iterations);
  if (!Number.isInteger(plays) || plays < MEMBERS) throw new Error(`--plays must be an integer ≥ ${MEMBERS} (got "${values.plays}")`);
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error(`--iterations must be a positive integer (got "${values.iterations}")`);
  const engines = values.engines.split(',').map((s) => s.trim());
  if (engines.some((e) => e !== 'sqlite' && e !== 'postgres')) throw new Error(`--engines takes sqlite and/or postgres (got "${values.engines}")`);
  const started = performance.now();
  const rows = await historyViewRows({ plays, iterations, engines: engines as Array<'sqlite' | 'postgres'> });
  process.stdout.write(
    `${rowsTable(rows)}\n\n${`Command: npx tsx bench/history-views.ts ${process.argv.slice(2).join(' ')}`.trimEnd()}\nWall time ${fmt((performance.now() - started) / 1000, 1)} s\n`,
  );
  if (values.json) process.stdout.write(`\n\`\`\`json\n${JSON.stringify(rows, null, 2)}\n\`\`\`\n`);
}

runWhenMain(import.meta.url, main);
