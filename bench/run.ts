// npm run bench — performance check of the REAL bot against the loopback Discord and Spotify emulators.
//
//   npm run bench -- [--latency 80[,200,…]] [--iterations 50] [--guilds 1,1000,10000|none] [--rss-runs 3]
//                    [--storage URL] [--json]
//
// Everything runs on this machine, loopback only, no account needed. Each section is one function in
// bench/sections/ that adds rows to the table (what it measures is described at its top):
//  · latency.ts  — /nowplaying and /toptracks dispatch→reply, cold and warm, Spotify and Discord requests per
//                  command: the in-process bot with production timings (test/support/harness.ts, the tests' harness,
//                  with `timings: 'production'`; only the clock is injected).
//  · presence.ts — 3 simulated hours of presence polling: token refreshes, reads per tick, op 3 frames per change.
//  · memory.ts   — RSS 3 s after ready and start-to-ready of `node dist/src/index.js` at 1 / 1,000 / 10,000 realistic
//                  guilds, next to a bare discord.js client with the same options and Node flags.
//  · ../history.ts — listening history on an SQLite file and on PostgreSQL (127.0.0.1:5432; its rows say "not
//                  measured" when nothing answers): import speed vs a floor, import memory, Discord-status
//                  recording at 20,000 PRESENCE_UPDATE/s, and 1,000,000 stored plays (write time, idle RSS, views).
//  · ../history-views.ts — /stats, /whoknows, /serverstats and autocomplete through the bot at 1,000,000 plays.
//  · ../wrapped.ts — the /wrapped numbers and picture for a year of ~15,000 plays, warm.
//  · ../recap.ts  — the weekly recap for 1,000 servers against the emulator's rate limits (posts per second, 429s).
//  · ../i18n.ts  — RSS idle, after English replies, and with German and Japanese members (languages load on use).
// A new row: write a section (`(ctx: BenchContext) => Promise<void>`, see bench/lib/context.ts) and list it below.
//
// Prints a markdown table (metric | result | target | ✓/✗), the command line and machine facts; --json adds the raw
// numbers as a fenced JSON block. Progress goes to stderr. Exits 0 even when a target is missed. Every temp file
// (SQLite files, the spawned bots' folders) lives under one npb-bench-* folder that is removed at the end, also on
// a failure or Ctrl+C.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startBenchBot, tempDirUnder, type BenchBot, type BenchContext, type BenchOptions, type Section } from './lib/context.js';
import { Report } from './lib/report.js';
import { latencySection } from './sections/latency.js';
import { memorySection } from './sections/memory.js';
import { presenceSection } from './sections/presence.js';
import { historySection } from './history.js';
import { historyViewsSection } from './history-views.js';
import { recapRows } from './recap.js';
import { wrappedRows } from './wrapped.js';
import { i18nSection } from './i18n.js';
import { membersSection } from './members.js';
import { picturesRows } from './pictures.js';
import { listeningRows, presenceMemoryRows, presenceUpdateRows } from './server-view.js';

/** In order; the in-process sections first (they share one bot), then the spawned processes. */
const SECTIONS: readonly Section[] = [
  latencySection,
  presenceSection,
  memorySection,
  membersSection,
  serverViewSection,
  picturesSection,
  historySection,
  historyViewsSection,
  wrappedSection,
  recapSection,
  i18nSection,
];

/** #11: members' Discord status (store cost per PRESENCE_UPDATE, /listening from memory, RSS with the intent on). */
async function serverViewSection(ctx: BenchContext): Promise<void> {
  ctx.progress('server view (#11): PRESENCE_UPDATE cost, /listening at 10,000 members, RSS with the presence intent…');
  const guilds = ctx.options.guilds.filter((g) => g >= 1_000);
  const rows = [...presenceUpdateRows(), ...(await listeningRows()), ...(guilds.length > 0 ? await presenceMemoryRows(guilds) : [])];
  for (const r of rows) ctx.report.row(r.metric, r.result, r.target, r.ok);
}

/** /wrapped: a year's numbers and its tall picture, warm. */
async function wrappedSection(ctx: BenchContext): Promise<void> {
  ctx.progress('/wrapped: a year of ~15,000 plays, numbers and picture, warm…');
  for (const r of await wrappedRows()) ctx.report.row(r.metric, r.result, r.target, r.ok);
}

/** /recap: 1,000 servers' weekly posts within Discord's rate limits. */
async function recapSection(ctx: BenchContext): Promise<void> {
  ctx.progress('/recap: 1,000 servers posted against the emulator\'s rate limits…');
  for (const r of await recapRows()) ctx.report.row(r.metric, r.result, r.target, r.ok);
}

/** #12: the now-playing card and the cover chart (render times, covers fetched once, sizes, RSS after many renders). */
async function picturesSection(ctx: BenchContext): Promise<void> {
  ctx.progress('pictures (#12): card and 5×5 chart renders, cover fetches, image sizes, RSS after 200 + 200 renders…');
  for (const r of await picturesRows()) ctx.report.row(r.metric, r.result, r.target, r.ok);
}

function usage(): string {
  return 'usage: npm run bench -- [--latency MS[,MS…]] [--iterations N] [--guilds 1,1000,10000|none] [--rss-runs N] [--storage URL] [--only SECTION[,…]] [--json]';
}

/** --help: what each flag changes, and what a run costs (the full run's wall time is printed under its table). */
function help(): string {
  return `${usage()}

Runs the real bot against the loopback Discord, Spotify and image emulators (no accounts, no internet) and prints a
markdown table: metric | result | target | ✓/✗. Progress goes to stderr. A full run with the defaults takes about
5½ minutes on a 2-core machine (320 s in the README's run); much of that is spawning bots with 1,000 and 10,000
guilds, which --guilds none skips. The listening-history rows (bench/history.ts, also runnable alone:
npx tsx bench/history.ts [--plays N] [--engines sqlite,postgres]) take a few minutes more, most of it writing
1,000,000 plays into SQLite and then PostgreSQL; PostgreSQL is the server on 127.0.0.1:5432 (user postgres, or
POSTGRES_URL), in a database npb_bench_<pid> of its own that is dropped at the end. When nothing answers there,
its rows say "not measured: no PostgreSQL".

  --latency MS[,MS…]   How long the Spotify emulator takes to answer, in ms. Each value runs the latency rows
                       (/nowplaying, /toptracks: dispatch→reply, requests per command) again. Default 80.
  --iterations N       Samples per latency row: N cold + N warm /nowplaying, N cold + N cached /toptracks.
                       Default 50.
  --guilds LIST|none   Guild counts for the memory and start-up rows: builds with tsc, then spawns
                       node dist/src/index.js and a bare discord.js client at each count. Counts of 1,000 or more
                       also measure RSS with the presence intent on. none skips all of that. Default 1,1000,10000.
  --rss-runs N         Spawns per guild count, for the bot and for the bare client; the median and range are
                       reported. Default 3.
  --storage URL        Storage of the in-process bot (a STORAGE_URL, e.g. redis://127.0.0.1:6379).
                       Default: an SQLite file in a temp folder, removed at the end.
  --only SECTION[,…]   Only these sections (latency, presence, memory, members, serverView, pictures, history,
                       historyViews, wrapped, recap, i18n), e.g. --only memory,wrapped.
  --json               After the table, the raw numbers as a fenced JSON block.
  -h, --help           This text.
`;
}

/** A flag mistake: printed as its message and the usage line, without a stack. */
class UsageError extends Error {}

function parseOptions(argv: string[]): BenchOptions {
  try {
    return parseFlags(argv);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${usage()}\n(npm run bench -- --help explains each flag)`);
  }
}

function parseFlags(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      latency: { type: 'string', default: '80' },
      iterations: { type: 'string', default: '50' },
      guilds: { type: 'string', default: '1,1000,10000' },
      'rss-runs': { type: 'string', default: '3' },
      storage: { type: 'string' },
      json: { type: 'boolean', default: false },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(help());
    process.exit(0);
  }
  const list = (raw: string, what: string, min: number): number[] => {
    const out = raw.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
    if (out.length === 0 || out.some((n) => !Number.isInteger(n) || n < min)) {
      throw new Error(`--${what} must be integers ≥ ${min}, comma-separated (got "${raw}")`);
    }
    return out;
  };
  return {
    latencies: list(values.latency, 'latency', 0),
    iterations: list(values.iterations, 'iterations', 1)[0] ?? 50,
    guilds: values.guilds.trim().toLowerCase() === 'none' ? [] : list(values.guilds, 'guilds', 1),
    rssRuns: list(values['rss-runs'], 'rss-runs', 1)[0] ?? 3,
    storage: values.storage ?? null,
    json: values.json,
    only: values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : null,
  };
}

const progress = (text: string): void => void process.stderr.write(`[bench] ${text}\n`);

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv);
  const started = performance.now();
  const root = mkdtempSync(join(tmpdir(), 'npb-bench-'));
  const removeRoot = (): void => rmSync(root, { recursive: true, force: true });
  process.once('SIGINT', () => {
    removeRoot();
    process.exit(130);
  });
  // Anything that asks os.tmpdir() from here on (the harness's SQLite folder included) lands under the root.
  process.env.TMPDIR = root;

  const report = new Report();
  let bot: Promise<BenchBot> | null = null;
  const ctx: BenchContext = {
    options,
    report,
    progress,
    tempDir: (prefix) => tempDirUnder(root, prefix),
    bot: () => {
      if (!bot) progress('starting the bot in-process against both emulators (production timings)…');
      bot ??= startBenchBot(options.storage);
      return bot;
    },
  };
  try {
    // --only memory,historyViews: the sections whose function name starts with one of these.
    const chosen = options.only ? SECTIONS.filter((section) => options.only!.some((name) => section.name.startsWith(name))) : SECTIONS;
    if (chosen.length === 0) throw new Error(`--only ${options.only!.join(',')} names no section (${SECTIONS.map((x) => x.name.replace(/Section$/, '')).join(', ')})`);
    for (const section of chosen) await section(ctx);
  } finally {
    if (bot) {
      const running = await (bot as Promise<BenchBot>).catch(() => null);
      if (running) {
        const problems = running.logs.lines.filter((l) => / (error|warn) /.test(l.slice(24, 32)));
        if (problems.length > 0) progress(`bot logged ${problems.length} warning/error line(s), e.g.: ${problems[0]}`);
        await running.stop();
      }
    }
    removeRoot();
  }
  const effective =
    `--latency ${options.latencies.join(',')} --iterations ${options.iterations} --guilds ${options.guilds.join(',') || 'none'} ` +
    `--rss-runs ${options.rssRuns}${options.storage ? ` --storage ${options.storage}` : ''}${options.json ? ' --json' : ''}`;
  const command = `${`npx tsx bench/run.ts ${argv.join(' ')}`.trimEnd()}  (effective: ${effective})`;
  process.stdout.write(report.render(command, performance.now() - started, options.json ? { command: ['tsx', 'bench/run.ts', ...argv], options } : null));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
