// npm run bench — performance check of the REAL bot against the loopback Discord and Spotify emulators.
//
//   npm run bench -- [--latency 80[,200,…]] [--iterations 50] [--guilds 1,1000,10000|none] [--storage URL] [--json]
//
// What it measures (everything on this machine, loopback only, no account needed):
//  1. In-process, like test/support/bot-harness.ts but with the production tuning (only the clock is injected):
//     the real discord.js client ↔ DiscordEmulator, the real Spotify module ↔ SpotifyEmulator with `latencyMs`,
//     SQLite storage (the production default) in a temp folder.
//     · dispatch→reply: from the emulator's `dispatchedAt` to the interaction callback (a direct reply, type 4),
//       or, when the bot deferred (type 5), to the PATCH …/messages/@original that edits the answer in.
//     · "cold" = the injected clock is moved 24 h forward before the call, so the listening state is older than
//       the freshness window and the top-items cache entry older than its TTL; the access token is then renewed
//       OUTSIDE the measurement (it would be valid 59 minutes out of 60 in production), so a cold sample is
//       exactly one Web API round trip. "warm"/"cached" = the same command again right after the cold one, i.e.
//       within the freshness window / cache TTL.
//     · Spotify requests per command (Web API and token endpoint, from the emulator's request log) and Discord
//       REST calls per command (emulator restLog), diffed around each command.
//  2. Presence polling, simulated: 3 hours of the default 15 s schedule (720 ticks of bot.presence.tick()) with
//     the injected clock advancing 15 s per tick and a 3600 s access-token TTL; counts token refreshes (the bot
//     renews 60 s before expiry) and Spotify reads per tick. The same run plays a scripted session (a track
//     change every 16 ticks, a 4-tick pause every 5th track, a 3-tick "nothing playing" every 12th) and compares
//     the op 3 frames the gateway emulator received with the number of visible activity changes.
//     Spotify latency is 0 here: it changes no count, only the wall time.
//  3. RSS and start-to-ready: builds once (`npm run build --silent`), then per guild count spawns the production
//     entry `node dist/src/index.js` (SQLite storage, default presence schedule) against emulators running in this
//     process, times spawn → the "connected to Discord" log line (discord.js has received every GUILD_CREATE),
//     and reads VmRSS from /proc/<pid>/status at ready and again after a settle (the later is reported, with the
//     peak VmHWM), then SIGTERMs it and waits for the exit. The emulator serves every guild on one shard (real
//     Discord would require sharding above 2,500 guilds).
//
// Targets (issue): 1 Spotify request per cold /nowplaying, 0 within the freshness window; p50 within 10 ms of the
// Spotify latency (read as: cold p50 ≤ latency + 10 ms, warm/cached p50 ≤ 10 ms); ≤ 1 token request per hour (read
// as one per 3600 s token lifetime: renewing 60 s early makes the steady rate 1.02/h); RSS ≤ 100 MB at 1,000 guilds.
//
// Prints a markdown table (metric | result | target | ✓/✗), the command line and machine facts; --json adds the
// raw numbers as a fenced JSON block. Progress goes to stderr. Exits 0 even when a target is missed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { commands } from '../commands/index.js';
import { LEAN_NODE_FLAGS } from '../src/node-flags.js';
import { createApp, type App } from '../src/app.js';
import { OWNER_ACCOUNT } from '../src/listeners/listener.js';
import { startAppBot, type Bot } from '../src/bot.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { openStorage, type Storage } from '../src/storage.js';
import type { CurrentlyPlaying } from '../src/spotify/types.js';
import { DiscordEmulator, guildIdForShard } from '../emulators/discord.js';
import { makeArtists, makeTrack, makeTracks, playing } from '../emulators/spotify-fixtures.js';
import { SpotifyEmulator } from '../emulators/spotify.js';
import {
  emulatorEnv,
  TEST_DISCORD_TOKEN,
  TEST_REFRESH_TOKEN,
  TEST_SPOTIFY_CLIENT_ID,
  TEST_SPOTIFY_CLIENT_SECRET,
  validEnv,
} from '../emulators/env.js';

const ROOT = join(import.meta.dirname, '..');
const DAY_MS = 86_400_000;
/** Moves the clock past the listening freshness window and the top-items TTL, whatever their defaults are. */
const COLD_JUMP_MS = DAY_MS;
const PRESENCE_INTERVAL_MS = 15_000;
const SIMULATED_HOURS = 3;
const TOKEN_TTL_S = 3_600;
const WARMUP = 5;
const EPHEMERAL = 1 << 6;

// ------------------------------------------------------------------------------------------------ options

interface Options {
  latencies: number[];
  iterations: number;
  guilds: number[];
  /** Storage for the in-process bot; default: SQLite in a temp folder (the production default kind). */
  storage: string | null;
  json: boolean;
}

function usage(): string {
  return 'usage: npm run bench -- [--latency MS[,MS…]] [--iterations N] [--guilds 1,1000,10000|none] [--storage URL] [--json]';
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      latency: { type: 'string', default: '80' },
      iterations: { type: 'string', default: '50' },
      guilds: { type: 'string', default: '1,1000,10000' },
      storage: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${usage()}\n`);
    process.exit(0);
  }
  const list = (raw: string, what: string, min: number): number[] => {
    const out = raw.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
    if (out.length === 0 || out.some((n) => !Number.isInteger(n) || n < min)) {
      throw new Error(`--${what} must be integers ≥ ${min}, comma-separated (got "${raw}")\n${usage()}`);
    }
    return out;
  };
  return {
    latencies: list(values.latency, 'latency', 0),
    iterations: list(values.iterations, 'iterations', 1)[0] ?? 50,
    guilds: values.guilds.trim().toLowerCase() === 'none' ? [] : list(values.guilds, 'guilds', 1),
    storage: values.storage ?? null,
    json: values.json,
  };
}

// ------------------------------------------------------------------------------------------------ helpers

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const progress = (text: string): void => void process.stderr.write(`[bench] ${text}\n`);

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return 'n/a';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A clock the bench can move forward; everything time-based in the app reads it. */
class Clock {
  offsetMs = 0;
  readonly now = (): number => Date.now() + this.offsetMs;
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

interface Row {
  metric: string;
  result: string;
  target: string;
  /** null: informational, no target. */
  ok: boolean | null;
}

const rows: Row[] = [];
const data: Record<string, unknown> = {};

function row(metric: string, result: string, target = '—', ok: boolean | null = null): void {
  rows.push({ metric, result, target, ok });
}

// ------------------------------------------------------------------------------------------------ in-process bot

interface InProcess {
  spotify: SpotifyEmulator;
  discord: DiscordEmulator;
  app: App;
  bot: Bot;
  storage: Storage;
  clock: Clock;
  logs: string[];
  stop(): Promise<void>;
}

async function startInProcess(storageUrl: string | null): Promise<InProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'npb-bench-'));
  const spotify = await SpotifyEmulator.start({
    clientId: TEST_SPOTIFY_CLIENT_ID,
    clientSecret: TEST_SPOTIFY_CLIENT_SECRET,
    accessTokenTtlSeconds: TOKEN_TTL_S,
  });
  spotify.addRefreshToken(TEST_REFRESH_TOKEN);
  spotify.setCurrentlyPlaying(playing(makeTrack({ duration_ms: 240_000 }), { progressMs: 30_000 }));
  spotify.setTop('tracks', makeTracks(50));
  spotify.setTop('artists', makeArtists(50));
  const discord = await DiscordEmulator.start({ token: TEST_DISCORD_TOKEN });
  const config = loadConfig(
    validEnv({
      ...emulatorEnv(discord, spotify),
      STORAGE_URL: storageUrl ?? `sqlite://${join(dir, 'bench.sqlite')}`,
      // The bench drives the presence job itself (section 2).
      PRESENCE_CRON: 'off',
    }),
  );
  const logs: string[] = [];
  const logger = createLogger({
    level: 'info',
    sink: (line) => {
      if (logs.length < 10_000) logs.push(line);
    },
    secrets: [TEST_DISCORD_TOKEN, TEST_SPOTIFY_CLIENT_SECRET, TEST_REFRESH_TOKEN],
  });
  const storage = await openStorage(config.storageUrl, { logger: logger.child('storage') });
  const clock = new Clock();
  // Production tuning (timeouts, retries, freshness, TTLs, defer threshold); only the clock is injected.
  const app = createApp(config, logger, storage, { now: clock.now });
  const bot = await startAppBot(app, { commands });
  await bot.ready;
  return {
    spotify,
    discord,
    app,
    bot,
    storage,
    clock,
    logs,
    async stop() {
      await bot.stop();
      await storage.close();
      await discord.close();
      await spotify.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Sample {
  ms: number;
  deferred: boolean;
  ok: boolean;
  api: number;
  token: number;
  rest: number;
}

async function runCommand(h: InProcess, name: string): Promise<Sample> {
  const api0 = h.spotify.count('api');
  const token0 = h.spotify.count('token');
  const rest0 = h.discord.restLog.length;
  const handle = h.discord.slashCommand({ name });
  const response = await handle.response(10_000);
  let at = response.at;
  let message = response.data ?? {};
  const deferred = response.type === 5;
  if (deferred) {
    message = await handle.finalMessage(30_000);
    const edit = h.discord.restLog
      .slice(rest0)
      .find((e) => e.method === 'PATCH' && e.path.includes(handle.token) && e.path.endsWith('/messages/@original'));
    at = edit?.at ?? Date.now();
  }
  const api = h.spotify.count('api') - api0;
  const token = h.spotify.count('token') - token0;
  // Let anything the bot sends after the answer land before counting its REST calls.
  await sleep(5);
  const ok = ((message.flags ?? 0) & EPHEMERAL) === 0 && (message.embeds?.length ?? 0) > 0;
  return { ms: at - handle.dispatchedAt, deferred, ok, api, token, rest: h.discord.restLog.length - rest0 };
}

/** Cold: the listening state / top list is stale; the access token is renewed before, outside the sample. */
async function makeCold(h: InProcess): Promise<void> {
  h.clock.advance(COLD_JUMP_MS);
  await h.app.tokens.getAccessToken(OWNER_ACCOUNT);
}

interface LatencyRow {
  label: string;
  samples: Sample[];
}

interface Summary {
  n: number;
  p50: number;
  p95: number;
  max: number;
  deferred: number;
  failed: number;
  spotifyApiPerCommand: number;
  tokenPerCommand: number;
  restPerCommand: number;
}

function summarize(r: LatencyRow): Summary {
  const ms = r.samples.map((s) => s.ms);
  return {
    n: r.samples.length,
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    max: Math.max(...ms),
    deferred: r.samples.filter((s) => s.deferred).length,
    failed: r.samples.filter((s) => !s.ok).length,
    spotifyApiPerCommand: mean(r.samples.map((s) => s.api)),
    tokenPerCommand: mean(r.samples.map((s) => s.token)),
    restPerCommand: mean(r.samples.map((s) => s.rest)),
  };
}

async function latencySection(h: InProcess, latencyMs: number, iterations: number): Promise<void> {
  progress(`latency ${latencyMs} ms: ${iterations} × (cold + warm) /nowplaying, ${iterations} × (cold + cached) /toptracks`);
  h.spotify.latencyMs = latencyMs;
  for (let i = 0; i < WARMUP; i++) {
    await makeCold(h);
    await runCommand(h, 'nowplaying');
    await runCommand(h, 'toptracks');
  }
  const npCold: LatencyRow = { label: '/nowplaying cold', samples: [] };
  const npWarm: LatencyRow = { label: '/nowplaying warm (within freshness window)', samples: [] };
  for (let i = 0; i < iterations; i++) {
    await makeCold(h);
    npCold.samples.push(await runCommand(h, 'nowplaying'));
    npWarm.samples.push(await runCommand(h, 'nowplaying'));
  }
  const ttCold: LatencyRow = { label: '/toptracks cold (cache TTL expired)', samples: [] };
  const ttCached: LatencyRow = { label: '/toptracks cached', samples: [] };
  for (let i = 0; i < iterations; i++) {
    await makeCold(h);
    ttCold.samples.push(await runCommand(h, 'toptracks'));
    ttCached.samples.push(await runCommand(h, 'toptracks'));
  }

  const L = latencyMs;
  const out: Record<string, Summary> = {};
  for (const [r, cold] of [
    [npCold, true],
    [npWarm, false],
    [ttCold, true],
    [ttCached, false],
  ] as const) {
    const s = summarize(r);
    out[r.label] = s;
    const limit = cold ? L + 10 : 10;
    const how =
      s.deferred === 0 ? 'direct reply' : s.deferred === s.n ? 'deferred, to the edit' : `${s.deferred}/${s.n} deferred`;
    const failed = s.failed > 0 ? `, ${s.failed} FAILED` : '';
    row(
      `${r.label}: dispatch→reply p50 / p95 @ ${L} ms`,
      `${fmt(s.p50)} / ${fmt(s.p95)} ms (${how}; n=${s.n}${failed})`,
      cold ? `p50 ≤ ${limit} ms (latency + 10)` : `p50 ≤ ${limit} ms (no Spotify call)`,
      s.p50 <= limit && s.failed === 0,
    );
  }
  const npc = out[npCold.label]!;
  const npw = out[npWarm.label]!;
  const ttc = out[ttCold.label]!;
  const ttw = out[ttCached.label]!;
  row(`/nowplaying cold: Spotify requests per command @ ${L} ms`, `${fmt(npc.spotifyApiPerCommand, 2)} API + ${fmt(npc.tokenPerCommand, 2)} token`, '1', npc.spotifyApiPerCommand === 1 && npc.tokenPerCommand === 0);
  row(`/nowplaying warm: Spotify requests per command @ ${L} ms`, `${fmt(npw.spotifyApiPerCommand, 2)} API + ${fmt(npw.tokenPerCommand, 2)} token`, '0', npw.spotifyApiPerCommand === 0 && npw.tokenPerCommand === 0);
  row(`/toptracks cold: Spotify requests per command @ ${L} ms`, `${fmt(ttc.spotifyApiPerCommand, 2)} API + ${fmt(ttc.tokenPerCommand, 2)} token`, '1 (one 50-item page)', ttc.spotifyApiPerCommand === 1 && ttc.tokenPerCommand === 0);
  row(`/toptracks cached: Spotify requests per command @ ${L} ms`, `${fmt(ttw.spotifyApiPerCommand, 2)} API + ${fmt(ttw.tokenPerCommand, 2)} token`, '0', ttw.spotifyApiPerCommand === 0 && ttw.tokenPerCommand === 0);
  const restSummary = [npc, npw, ttc, ttw].map((s) => fmt(s.restPerCommand, 2));
  row(
    `Discord REST calls per command @ ${L} ms (np cold / warm, tt cold / cached)`,
    restSummary.join(' / '),
    '1 (reply) or 2 (defer + edit)',
    [npc, npw, ttc, ttw].every((s) => s.restPerCommand <= (s.deferred > 0 ? 2 : 1)),
  );
  data[`latency_${L}ms`] = out;
}

// ------------------------------------------------------------------------------------------------ presence

interface ScriptedTick {
  body: CurrentlyPlaying | null;
  /** What Discord should show: "title|artists", or null for no activity. */
  activity: string | null;
  track: number;
}

/** A listening session: a track every 16 ticks (4 min), a 4-tick pause in every 5th track, idle every 12th. */
function script(ticks: number): ScriptedTick[] {
  const out: ScriptedTick[] = [];
  let n = 0;
  while (out.length < ticks) {
    n++;
    if (n % 12 === 0) {
      for (let t = 0; t < 3 && out.length < ticks; t++) out.push({ body: null, activity: null, track: n });
      continue;
    }
    const track = makeTrack({ name: `Bench Track ${n}`, artistName: `Bench Artist ${n % 7}`, duration_ms: 250_000 });
    const artists = track.artists.map((a) => a.name).join(', ');
    for (let t = 0; t < 16 && out.length < ticks; t++) {
      const paused = n % 5 === 0 && t >= 6 && t < 10;
      out.push({
        body: playing(track, { isPlaying: !paused, progressMs: Math.min(track.duration_ms, t * PRESENCE_INTERVAL_MS) }),
        activity: paused ? null : `${track.name}|${artists}`,
        track: n,
      });
    }
  }
  return out;
}

async function presenceSection(h: InProcess): Promise<void> {
  const ticks = (SIMULATED_HOURS * 3_600_000) / PRESENCE_INTERVAL_MS;
  progress(`presence: ${ticks} ticks = ${SIMULATED_HOURS} simulated hours at ${PRESENCE_INTERVAL_MS / 1000} s`);
  h.spotify.latencyMs = 0;
  h.spotify.accessTokenTtlSeconds = TOKEN_TTL_S;
  // Start like a fresh process: no valid access token.
  h.clock.advance(COLD_JUMP_MS);
  const plan = script(ticks);
  const refresh0 = h.spotify.count('refresh');
  const managerRefresh0 = h.app.tokens.refreshCount;
  const reads0 = h.spotify.count('currently-playing');
  const op0 = h.discord.presenceUpdates.length;
  const sent0 = h.bot.presence.updatesSent;
  const refreshAt: number[] = [];
  let expectedChanges = 0;
  let shown: string | null = null;
  const tracks = new Set<number>();
  let pauses = 0;
  let idles = 0;
  let lastKind: 'play' | 'pause' | 'idle' = 'play';
  for (let i = 0; i < plan.length; i++) {
    const step = plan[i]!;
    if (i > 0) h.clock.advance(PRESENCE_INTERVAL_MS);
    h.spotify.setCurrentlyPlaying(step.body);
    const before = h.spotify.count('refresh');
    await h.bot.presence.tick();
    if (h.spotify.count('refresh') > before) refreshAt.push(i * PRESENCE_INTERVAL_MS);
    if (step.activity !== shown) expectedChanges++;
    shown = step.activity;
    if (step.body) tracks.add(step.track);
    const kind = step.body === null ? 'idle' : step.activity === null ? 'pause' : 'play';
    if (kind !== lastKind && kind === 'pause') pauses++;
    if (kind !== lastKind && kind === 'idle') idles++;
    lastKind = kind;
  }
  const sent = h.bot.presence.updatesSent - sent0;
  const deadline = Date.now() + 5_000;
  while (h.discord.presenceUpdates.length - op0 < sent && Date.now() < deadline) await sleep(20);
  const received = h.discord.presenceUpdates.length - op0;
  const refreshes = h.spotify.count('refresh') - refresh0;
  const managerRefreshes = h.app.tokens.refreshCount - managerRefresh0;
  const reads = h.spotify.count('currently-playing') - reads0;
  const gaps = refreshAt.slice(1).map((t, i) => t - refreshAt[i]!);
  const steadyPerHour = gaps.length > 0 ? 3_600_000 / mean(gaps) : Number.NaN;
  // One refresh per access-token lifetime is the floor (the token lives 3600 s and is renewed 60 s early).
  const minGap = TOKEN_TTL_S * 1000 - 60_000 - PRESENCE_INTERVAL_MS;
  const tokenOk = gaps.every((g) => g >= minGap) && refreshes <= Math.ceil((ticks * PRESENCE_INTERVAL_MS) / minGap) + 1;
  row(
    `Token requests, ${SIMULATED_HOURS} simulated h of presence polling (${ticks} ticks, TTL ${TOKEN_TTL_S} s)`,
    `${refreshes} (${refreshAt[0] === 0 ? '1 at the first tick, ' : ''}then every ${gaps.length ? fmt(mean(gaps) / 1000) : 'n/a'} s) → ` +
      `${fmt(refreshes / SIMULATED_HOURS, 2)}/h overall, ${fmt(steadyPerHour, 2)}/h steady`,
    '≤ 1/h (= 1 per token lifetime; renewed 60 s early)',
    tokenOk,
  );
  row('Spotify reads per presence tick', `${fmt(reads / ticks, 2)} (${reads} currently-playing in ${ticks} ticks)`, '≤ 1', reads <= ticks);
  row(
    'Presence op 3 frames vs activity changes',
    `${received} frames received (${sent} sent) for ${expectedChanges} changes: ${tracks.size} tracks, ${pauses} pauses, ${idles} idle spells over ${ticks} ticks`,
    'frames = changes',
    received === expectedChanges && sent === expectedChanges,
  );
  data.presence = {
    simulatedHours: SIMULATED_HOURS,
    ticks,
    tickIntervalMs: PRESENCE_INTERVAL_MS,
    tokenTtlSeconds: TOKEN_TTL_S,
    tokenRequests: refreshes,
    tokenManagerRefreshCount: managerRefreshes,
    refreshAtSimulatedMs: refreshAt,
    refreshGapsMs: gaps,
    tokenRequestsPerHourOverall: refreshes / SIMULATED_HOURS,
    tokenRequestsPerHourSteady: steadyPerHour,
    currentlyPlayingReads: reads,
    tracks: tracks.size,
    pauses,
    idleSpells: idles,
    expectedActivityChanges: expectedChanges,
    op3Sent: sent,
    op3Received: received,
  };
}

// ------------------------------------------------------------------------------------------------ RSS / start-up

function procStatus(pid: number): { rssKb: number; hwmKb: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? Number.NaN);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return null;
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<{ code: number | null; signal: string | null; ms: number }> {
  const start = performance.now();
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode, ms: 0 });
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ms: performance.now() - start });
    });
  });
}

interface StartupResult {
  guilds: number;
  readyMs: number;
  syncedMs: number | null;
  guildsSeen: number | null;
  rssAtReadyMb: number;
  rssMb: number;
  peakMb: number;
  exitCode: number | null;
  exitMs: number;
  error?: string;
}

async function startupRun(guildCount: number, spotify: SpotifyEmulator): Promise<StartupResult> {
  const guildIds = Array.from({ length: guildCount }, (_, i) => guildIdForShard(0, 1, i + 1));
  const discord = await DiscordEmulator.start({ token: TEST_DISCORD_TOKEN, guildIds });
  const dir = mkdtempSync(join(tmpdir(), 'npb-bench-rss-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    ...(validEnv({
      ...emulatorEnv(discord, spotify),
      STORAGE_URL: `sqlite://${join(dir, 'bot.sqlite')}`,
      LOG_LEVEL: 'info',
    }) as Record<string, string>),
  };
  let output = '';
  let readyAt: number | null = null;
  let syncedAt: number | null = null;
  let guildsSeen: number | null = null;
  const started = performance.now();
  // cwd is an empty folder, so no .env is read: the environment above is the whole configuration.
  // The same node flags as `npm start`.
  const child = spawn(process.execPath, [...LEAN_NODE_FLAGS, join(ROOT, 'dist/src/index.js')], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve) => {
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      output += text;
      if (readyAt === null && output.includes('connected to Discord')) {
        readyAt = performance.now();
        guildsSeen = Number(/connected to Discord.*guilds=(\d+)/.exec(output)?.[1] ?? Number.NaN);
        resolve();
      }
      if (syncedAt === null && /registered slash commands|slash commands already up to date/.test(output)) syncedAt = performance.now();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
  const result: StartupResult = {
    guilds: guildCount,
    readyMs: Number.NaN,
    syncedMs: null,
    guildsSeen: null,
    rssAtReadyMb: Number.NaN,
    rssMb: Number.NaN,
    peakMb: Number.NaN,
    exitCode: null,
    exitMs: Number.NaN,
  };
  try {
    const outcome = await Promise.race([
      ready.then(() => 'ready' as const),
      exited.then(() => 'exited' as const),
      sleep(120_000).then(() => 'timeout' as const),
    ]);
    if (outcome !== 'ready' || readyAt === null) {
      result.error = `bot did not get ready (${outcome}): ${output.slice(-600)}`;
      return result;
    }
    result.readyMs = (readyAt as number) - started;
    result.guildsSeen = guildsSeen;
    const atReady = procStatus(child.pid!);
    await sleep(3_000);
    const later = procStatus(child.pid!);
    result.syncedMs = syncedAt === null ? null : (syncedAt as number) - started;
    result.rssAtReadyMb = (atReady?.rssKb ?? Number.NaN) / 1024;
    result.rssMb = (later?.rssKb ?? Number.NaN) / 1024;
    result.peakMb = (later?.hwmKb ?? Number.NaN) / 1024;
    return result;
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const exit = await waitForExit(child, 10_000);
    result.exitCode = exit.code;
    result.exitMs = exit.ms;
    await discord.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function startupSection(guildCounts: number[]): Promise<void> {
  if (guildCounts.length === 0) return;
  progress('building (npm run build --silent)…');
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) {
    const why = `${build.stdout ?? ''}${build.stderr ?? ''}`.trim().split('\n').slice(0, 5).join(' ');
    row('Bot RSS / start-to-ready', `not measured: npm run build failed (${why})`, '≤ 100 MB at 1,000 guilds', false);
    data.startup = { error: `build failed: ${why}` };
    return;
  }
  const spotify = await SpotifyEmulator.start({ clientId: TEST_SPOTIFY_CLIENT_ID, clientSecret: TEST_SPOTIFY_CLIENT_SECRET });
  spotify.addRefreshToken(TEST_REFRESH_TOKEN);
  spotify.setCurrentlyPlaying(playing(makeTrack()));
  const results: StartupResult[] = [];
  try {
    for (const count of guildCounts) {
      progress(`spawning node dist/src/index.js with ${fmt(count)} guild(s)…`);
      results.push(await startupRun(count, spotify));
    }
  } finally {
    await spotify.close();
  }
  for (const r of results) {
    const label = `${fmt(r.guilds)} guild${r.guilds === 1 ? '' : 's'}`;
    if (r.error) {
      row(`Bot RSS after ready, ${label}`, `not measured: ${r.error}`, r.guilds === 1000 ? '≤ 100 MB' : '—', false);
      continue;
    }
    const seen = r.guildsSeen === r.guilds ? '' : ` (bot saw ${r.guildsSeen ?? '?'} guilds!)`;
    row(
      `Bot RSS after ready, ${label}`,
      `${fmt(r.rssMb, 1)} MB 3 s after ready (${fmt(r.rssAtReadyMb, 1)} MB at ready, peak ${fmt(r.peakMb, 1)} MB)${seen}`,
      r.guilds === 1000 ? '≤ 100 MB' : '—',
      r.guilds === 1000 ? r.rssMb <= 100 && r.guildsSeen === r.guilds : r.guildsSeen === r.guilds ? null : false,
    );
  }
  for (const r of results) {
    if (r.error) continue;
    row(
      `Start-to-ready (spawn → "connected to Discord"), ${fmt(r.guilds)} guild${r.guilds === 1 ? '' : 's'}`,
      `${fmt(r.readyMs)} ms (commands in sync at ${r.syncedMs === null ? 'n/a' : `${fmt(r.syncedMs)} ms`}; SIGTERM → exit ${r.exitCode} in ${fmt(r.exitMs)} ms)`,
      '—',
      r.exitCode === 0 ? null : false,
    );
  }
  data.startup = results;
}

// ------------------------------------------------------------------------------------------------ main

function printReport(options: Options, argv: string[], wallMs: number): void {
  const out: string[] = [];
  out.push('| metric | result | target | ✓/✗ |');
  out.push('|---|---|---|---|');
  for (const r of rows) out.push(`| ${r.metric} | ${r.result.replace(/\|/g, '\\|')} | ${r.target} | ${r.ok === null ? '' : r.ok ? '✓' : '✗ MISSED'} |`);
  const missed = rows.filter((r) => r.ok === false).length;
  out.push('');
  out.push(missed === 0 ? 'All targets met.' : `✗ ${missed} target${missed === 1 ? '' : 's'} missed (marked ✗ MISSED above).`);
  out.push('');
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  out.push(`Command: npx tsx bench/run.ts ${argv.length ? argv.join(' ') : ''}`.trimEnd() +
    `  (effective: --latency ${options.latencies.join(',')} --iterations ${options.iterations} --guilds ${options.guilds.join(',') || 'none'}${options.storage ? ` --storage ${options.storage}` : ''}${options.json ? ' --json' : ''})`);
  out.push(
    `Machine: node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} CPUs (available parallelism ${availableParallelism()}), ${cpu}, ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM; bench wall time ${fmt(wallMs / 1000, 1)} s`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
  if (options.json) {
    const doc = {
      command: ['tsx', 'bench/run.ts', ...argv],
      options,
      machine: { node: process.version, platform: process.platform, arch: process.arch, cpus: cpus().length, cpuModel: cpu, totalMemBytes: totalmem() },
      wallMs,
      rows,
      data,
    };
    process.stdout.write(`\n\`\`\`json\n${JSON.stringify(doc, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n\`\`\`\n`);
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv);
  const started = performance.now();

  progress('starting the bot in-process against both emulators…');
  const h = await startInProcess(options.storage);
  try {
    for (const latency of options.latencies) await latencySection(h, latency, options.iterations);
    await presenceSection(h);
    const errors = h.logs.filter((l) => / (error|warn) /.test(l.slice(24, 32)));
    if (errors.length > 0) progress(`bot logged ${errors.length} warning/error line(s), e.g.: ${errors[0]}`);
  } finally {
    await h.stop();
  }
  await startupSection(options.guilds);
  printReport(options, argv, performance.now() - started);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
