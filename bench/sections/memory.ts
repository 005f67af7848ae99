// RSS and start-to-ready of the production entry, next to a bare discord.js client.
//
// Builds once (`npm run build --silent`, plus `tsc -p bench/tsconfig.json` for bench/bare-client.ts), then for each
// guild count starts a Discord emulator whose guilds look like real ones (guildShape 'realistic': a category,
// 3 text channels, 2 roles besides @everyone and the bot's own member each) and spawns, `--rss-runs` times each and
// alternating so both see the same machine load:
//  · the bot: `MALLOC_ENV node <LEAN_NODE_FLAGS> dist/src/index.js` (SQLite storage, the default presence schedule), and
//  · the bare client: `MALLOC_ENV node <LEAN_NODE_FLAGS> dist/bench/bare-client.js` (the bot's client options, nothing else).
// Each run times spawn → "connected to Discord" (discord.js has every GUILD_CREATE), reads VmRSS from
// /proc/<pid>/status at ready and 3 s later (reported: median and range over the runs), the peak (VmHWM) and how
// much of the RSS is the node binary's own pages (ICU data, built-in JS: shared, file-backed, but counted in RSS),
// then SIGTERMs it and waits for the exit. The emulator serves every guild on one shard (real Discord would require
// sharding above 2,500 guilds).
// Target (issue #9): the bot ≤ 90 MB RSS 3 s after ready at 1,000 such guilds.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LEAN_NODE_FLAGS, MALLOC_ENV } from '../../src/node-flags.js';
import { DiscordEmulator, guildIdForShard } from '../../emulators/discord.js';
import { makeTrack, playing } from '../../emulators/spotify-fixtures.js';
import { SpotifyEmulator } from '../../emulators/spotify.js';
import {
  emulatorEnv,
  TEST_DISCORD_TOKEN,
  TEST_REFRESH_TOKEN,
  TEST_SPOTIFY_CLIENT_ID,
  TEST_SPOTIFY_CLIENT_SECRET,
  validEnv,
} from '../../emulators/env.js';
import type { BenchContext } from '../lib/context.js';
import { fmt, median, sleep, spread } from '../lib/stats.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SETTLE_MS = 3_000;
const TARGET_GUILDS = 1_000;
const TARGET_MB = 90;

type Kind = 'bot' | 'bare';

const ENTRY: Record<Kind, string> = {
  bot: join(ROOT, 'dist/src/index.js'),
  bare: join(ROOT, 'dist/bench/bare-client.js'),
};

interface Run {
  kind: Kind;
  guilds: number;
  readyMs: number;
  syncedMs: number | null;
  guildsSeen: number | null;
  rssAtReadyMb: number;
  rssMb: number;
  peakMb: number;
  /** Resident pages of the node executable itself (ICU data, built-in JS). */
  nodeBinaryMb: number;
  exitCode: number | null;
  exitMs: number;
  error?: string;
}

function procStatus(pid: number): { rssKb: number; hwmKb: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? Number.NaN);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return null;
  }
}

/** Resident kB of the mappings of the node executable (from /proc/<pid>/smaps). */
function nodeBinaryKb(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
    let inBinary = false;
    let kb = 0;
    for (const line of text.split('\n')) {
      const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (head) {
        inBinary = head[1] === process.execPath;
        continue;
      }
      const rss = inBinary ? /^Rss:\s+(\d+)/.exec(line) : null;
      if (rss) kb += Number(rss[1]);
    }
    return kb;
  } catch {
    return Number.NaN;
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<{ code: number | null; ms: number }> {
  const start = performance.now();
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, ms: 0 });
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, ms: performance.now() - start });
    });
  });
}

async function spawnOnce(ctx: BenchContext, kind: Kind, discord: DiscordEmulator, spotify: SpotifyEmulator): Promise<Run> {
  const dir = ctx.tempDir(`rss-${kind}-`);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    TMPDIR: dir,
    // As deployed (npm start, the Docker image, the systemd unit): glibc returns large freed blocks, among them the
    // history worker thread's arena after it stops.
    ...MALLOC_ENV,
    ...(validEnv({
      ...emulatorEnv(discord, spotify),
      STORAGE_URL: `sqlite://${join(dir, 'bot.sqlite')}`,
      LOG_LEVEL: 'info',
    }) as Record<string, string>),
  };
  const run: Run = {
    kind,
    guilds: discord.guildIds.length,
    readyMs: Number.NaN,
    syncedMs: null,
    guildsSeen: null,
    rssAtReadyMb: Number.NaN,
    rssMb: Number.NaN,
    peakMb: Number.NaN,
    nodeBinaryMb: Number.NaN,
    exitCode: null,
    exitMs: Number.NaN,
  };
  let output = '';
  let readyAt: number | null = null;
  let syncedAt: number | null = null;
  const started = performance.now();
  // cwd is an empty folder, so no .env is read: the environment above is the whole configuration.
  const child = spawn(process.execPath, [...LEAN_NODE_FLAGS, ENTRY[kind]], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve) => {
    const onData = (chunk: Buffer): void => {
      if (output.length < 200_000) output += chunk.toString();
      if (readyAt === null && output.includes('connected to Discord')) {
        readyAt = performance.now();
        run.guildsSeen = Number(/connected to Discord.*guilds=(\d+)/.exec(output)?.[1] ?? Number.NaN);
        resolve();
      }
      if (syncedAt === null && /registered slash commands|slash commands already up to date/.test(output)) syncedAt = performance.now();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
  try {
    const outcome = await Promise.race([
      ready.then(() => 'ready' as const),
      exited.then(() => 'exited' as const),
      sleep(120_000).then(() => 'timeout' as const),
    ]);
    if (outcome !== 'ready' || readyAt === null) {
      run.error = `${kind} did not get ready (${outcome}): ${output.slice(-600)}`;
      return run;
    }
    run.readyMs = (readyAt as number) - started;
    const atReady = procStatus(child.pid!);
    await sleep(SETTLE_MS);
    const later = procStatus(child.pid!);
    run.nodeBinaryMb = nodeBinaryKb(child.pid!) / 1024;
    run.syncedMs = syncedAt === null ? null : (syncedAt as number) - started;
    run.rssAtReadyMb = (atReady?.rssKb ?? Number.NaN) / 1024;
    run.rssMb = (later?.rssKb ?? Number.NaN) / 1024;
    run.peakMb = (later?.hwmKb ?? Number.NaN) / 1024;
    return run;
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const exit = await waitForExit(child, 10_000);
    run.exitCode = exit.code;
    run.exitMs = exit.ms;
  }
}

function build(ctx: BenchContext): string | null {
  ctx.progress('building (npm run build --silent; tsc -p bench/tsconfig.json)…');
  const problems: string[] = [];
  for (const [cmd, args] of [
    ['npm', ['run', 'build', '--silent']],
    [process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'bench/tsconfig.json')]],
  ] as const) {
    const result = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8' });
    if (result.status !== 0) problems.push(`${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(0, 3).join(' '));
  }
  return problems.length > 0 ? problems.join(' / ') : null;
}

/** The flags `npm start` passes to node (package.json), to check they are LEAN_NODE_FLAGS. */
function npmStartFlags(): string[] | null {
  try {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    const start = pkg.scripts?.start ?? '';
    return start.split(/\s+/).filter((w) => w.startsWith('--'));
  } catch {
    return null;
  }
}

const plural = (n: number): string => `${fmt(n)} guild${n === 1 ? '' : 's'}`;

export async function memorySection(ctx: BenchContext): Promise<void> {
  const { options, report } = ctx;
  if (options.guilds.length === 0) return;
  const buildProblem = build(ctx);
  // tsc writes its output even when it finds type errors (other work in progress): measure what was built, say so.
  if (buildProblem) ctx.progress(`build reported problems (measuring the emitted JavaScript anyway): ${buildProblem}`);

  const startFlags = npmStartFlags();
  const missing = LEAN_NODE_FLAGS.filter((f) => !startFlags?.includes(f));
  report.row(
    'Node flags: `npm start` (package.json) passes LEAN_NODE_FLAGS (src/node-flags.ts), which the bench and shards use',
    missing.length === 0 ? LEAN_NODE_FLAGS.join(' ') : `npm start lacks ${missing.join(' ')}`,
    'same flags',
    missing.length === 0,
  );

  const spotify = await SpotifyEmulator.start({ clientId: TEST_SPOTIFY_CLIENT_ID, clientSecret: TEST_SPOTIFY_CLIENT_SECRET });
  spotify.addRefreshToken(TEST_REFRESH_TOKEN);
  spotify.setCurrentlyPlaying(playing(makeTrack()));
  const runs: Run[] = [];
  try {
    for (const count of options.guilds) {
      const guildIds = Array.from({ length: count }, (_, i) => guildIdForShard(0, 1, i + 1));
      const discord = await DiscordEmulator.start({ token: TEST_DISCORD_TOKEN, guildIds, guildShape: 'realistic' });
      try {
        for (let i = 0; i < options.rssRuns; i++) {
          for (const kind of ['bot', 'bare'] as const) {
            ctx.progress(`spawning the ${kind === 'bot' ? 'bot' : 'bare client'} with ${plural(count)} (run ${i + 1}/${options.rssRuns})…`);
            runs.push(await spawnOnce(ctx, kind, discord, spotify));
          }
        }
      } finally {
        await discord.close();
      }
    }
  } finally {
    await spotify.close();
  }

  const flags = LEAN_NODE_FLAGS.join(' ');
  const mallocText = Object.entries(MALLOC_ENV).map(([k, v]) => `${k}=${v}`).join(' ');
  const built = buildProblem ? ' [build reported type errors]' : '';
  for (const count of options.guilds) {
    const of = (kind: Kind): Run[] => runs.filter((r) => r.kind === kind && r.guilds === count);
    const ok = (kind: Kind): Run[] => of(kind).filter((r) => !r.error);
    const bot = ok('bot');
    const bare = ok('bare');
    const failed = [...of('bot'), ...of('bare')].find((r) => r.error);
    const target = count === TARGET_GUILDS ? `≤ ${TARGET_MB} MB` : '—';
    if (bot.length === 0) {
      report.row(`Bot RSS 3 s after ready, ${plural(count)}`, `not measured: ${failed?.error ?? 'no run'}`, target, false);
      continue;
    }
    const rss = median(bot.map((r) => r.rssMb));
    const bareRss = median(bare.map((r) => r.rssMb));
    const seenAll = bot.every((r) => r.guildsSeen === count);
    report.row(
      `Bot RSS 3 s after ready, ${plural(count)} (realistic: category, 3 channels, 2 roles, own member; as deployed: \`${flags}\`, ${mallocText})`,
      `${spread(bot.map((r) => r.rssMb), 'MB')}; at ready ${fmt(median(bot.map((r) => r.rssAtReadyMb)), 1)} MB, peak ${fmt(median(bot.map((r) => r.peakMb)), 1)} MB; ` +
        `node binary pages ${fmt(median(bot.map((r) => r.nodeBinaryMb)), 1)} MB; +${fmt(rss - bareRss, 1)} MB over the bare client` +
        `${seenAll ? '' : ' (the bot did not see every guild!)'}${built}`,
      target,
      count === TARGET_GUILDS ? rss <= TARGET_MB && seenAll : seenAll ? null : false,
    );
    report.row(
      `Bare discord.js client RSS 3 s after ready, ${plural(count)} (the bot's client options, \`${flags}\`, ${mallocText})`,
      bare.length === 0
        ? `not measured: ${of('bare').find((r) => r.error)?.error ?? 'no run'}`
        : `${spread(bare.map((r) => r.rssMb), 'MB')}; peak ${fmt(median(bare.map((r) => r.peakMb)), 1)} MB; node binary pages ${fmt(median(bare.map((r) => r.nodeBinaryMb)), 1)} MB`,
      '—',
      bare.length === 0 ? false : null,
    );
  }
  for (const count of options.guilds) {
    const bot = runs.filter((r) => r.kind === 'bot' && r.guilds === count && !r.error);
    if (bot.length === 0) continue;
    const synced = bot.map((r) => r.syncedMs).filter((v): v is number => v !== null);
    const exits = bot.map((r) => r.exitCode);
    report.row(
      `Start-to-ready (spawn → "connected to Discord"), ${plural(count)}`,
      `${spread(bot.map((r) => r.readyMs), 'ms', 0)} (commands in sync at ${synced.length ? `${fmt(median(synced))} ms` : 'n/a'}; ` +
        `SIGTERM → exit ${[...new Set(exits)].join('/')} in ${fmt(median(bot.map((r) => r.exitMs)))} ms)`,
      '—',
      exits.every((c) => c === 0) ? null : false,
    );
  }
  report.data.memory = { flags: LEAN_NODE_FLAGS, settleMs: SETTLE_MS, buildProblem, runs };
}
