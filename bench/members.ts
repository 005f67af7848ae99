// Benchmark rows for #10 (members link their own Spotify): run alone with `npx tsx bench/members.ts [--rounds 40]
// [--json] [--no-rss]`, or call the exported row functions from bench/run.ts.
//
//  1. Requests per command with 5 linked members polling concurrently, through the REAL bot in this process
//     (discord.js ↔ DiscordEmulator, Spotify ↔ SpotifyEmulator, SQLite in a temp folder, production tuning except
//     the injected clock): SPOTIFY_MAX_USERS=6 (owner + 5). Each round (15 s of injected clock) every member sends
//     /nowplaying, /toptracks and /recent at once, twice (a double-click), and the owner's presence tick runs; the
//     emulator's request log gives Web API and token requests per command, per member, and for the owner's presence.
//  2. RSS with 5 members linked: the production entry (src/index.ts under tsx, LEAN_NODE_FLAGS, SQLite) is started
//     twice against the emulators — with 5 linked members seeded in its SQLite file, and with none — and the same 5
//     users run /nowplaying, /toptracks and /recent (answered from their own accounts, or from the owner's);
//     VmRSS after a settle. Both runs pay tsx's overhead alike: the DIFFERENCE is the cost of the 5 links.
import { spawnBotFromSource } from './lib/bot-process.js';
import { rowsTable, runWhenMain, type BenchRow } from './lib/report.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { commands } from '../commands/index.js';
import { createApp, type App } from '../src/app.js';
import { startAppBot } from '../src/bot.js';
import { loadConfig } from '../src/config.js';
import { linkedListener } from '../src/listeners/members.js';
import { createLogger } from '../src/logger.js';
import { openStorage, type Storage } from '../src/storage.js';
import { DiscordEmulator } from '../emulators/discord.js';
import { makePlayHistory, makeTrack, makeTracks, playing } from '../emulators/spotify-fixtures.js';
import { SpotifyEmulator } from '../emulators/spotify.js';
import {
  emulatorEnv,
  TEST_DISCORD_TOKEN,
  TEST_REFRESH_TOKEN,
  TEST_SPOTIFY_CLIENT_ID,
  TEST_SPOTIFY_CLIENT_SECRET,
  validEnv,
} from '../emulators/env.js';

export type { BenchRow } from './lib/report.js';

const OWNER_ID = '200000000000000001';
const MEMBERS = Array.from({ length: 5 }, (_, i) => ({ id: `32000000000000000${i + 1}`, username: `member${i + 1}`, spotifyId: `member${i + 1}-sp` }));
const COMMANDS = ['nowplaying', 'toptracks', 'recent'] as const;
const ROUND_MS = 15_000;
const progress = (text: string): void => void process.stderr.write(`[bench:members] ${text}\n`);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}

function startSpotify(): Promise<SpotifyEmulator> {
  return SpotifyEmulator.start({ clientId: TEST_SPOTIFY_CLIENT_ID, clientSecret: TEST_SPOTIFY_CLIENT_SECRET }).then((spotify) => {
    spotify.addRefreshToken(TEST_REFRESH_TOKEN);
    spotify.setCurrentlyPlaying(playing(makeTrack()));
    for (const m of MEMBERS) {
      const user = spotify.addUser(m.spotifyId, { displayName: m.username });
      user.setCurrentlyPlaying(playing(makeTrack({ name: `${m.username} song` })));
      user.setTop('tracks', makeTracks(50));
      user.setRecentlyPlayed(makePlayHistory(makeTracks(20)));
    }
    return spotify;
  });
}

/** Link every member through the account service (the same calls /spotify link and its modal make). */
async function linkAll(app: App, spotify: SpotifyEmulator): Promise<void> {
  for (const m of MEMBERS) {
    const started = await app.services.account.beginLogin(linkedListener(m.id), m.id);
    if (!started.ok) throw new Error(`could not start linking ${m.username}: ${started.reason}`);
    const result = await app.services.account.finishLogin(linkedListener(m.id), m.id, spotify.approve(started.authorizeUrl, { userId: m.spotifyId }));
    if (!result.ok) throw new Error(`could not link ${m.username}: ${result.reason}`);
  }
}

function env(discord: DiscordEmulator, spotify: SpotifyEmulator, storageUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return validEnv({
    ...emulatorEnv(discord, spotify),
    STORAGE_URL: storageUrl,
    BOT_OWNER_ID: OWNER_ID,
    SPOTIFY_MAX_USERS: String(MEMBERS.length + 1),
    ...extra,
  }) as Record<string, string>;
}

// ------------------------------------------------------------------------------------------------ 1. requests

export async function memberPollingRows(options: { rounds?: number } = {}): Promise<BenchRow[]> {
  const rounds = options.rounds ?? 40;
  const dir = mkdtempSync(join(tmpdir(), 'npb-bench-members-'));
  const spotify = await startSpotify();
  const discord = await DiscordEmulator.start({ token: TEST_DISCORD_TOKEN });
  let now = Date.now();
  let storage: Storage | null = null;
  let bot: Awaited<ReturnType<typeof startAppBot>> | null = null;
  try {
    const guildId = discord.guildIds[0]!;
    for (const m of MEMBERS) discord.addMember(guildId, { id: m.id, username: m.username });
    const config = loadConfig(env(discord, spotify, `sqlite://${join(dir, 'bot.sqlite')}`, { PRESENCE_CRON: 'off' }));
    const logger = createLogger({ level: 'error' });
    storage = await openStorage(config.storageUrl, { logger });
    const app = createApp(config, logger, storage, { now: () => now });
    bot = await startAppBot(app, { commands });
    await bot.ready;
    await linkAll(app, spotify);
    spotify.resetCounts();

    const latencies: number[] = [];
    let commandCount = 0;
    let refusedAnswers = 0;
    let ownerPolls = 0;
    let ownerPollRequests = 0;
    progress(`${rounds} rounds × 5 members × ${COMMANDS.length} commands × 2, concurrently, with the owner's presence tick…`);
    for (let round = 0; round < rounds; round++) {
      now += ROUND_MS;
      const ownerBefore = spotify.count('currently-playing', { userId: 'emulatoruser' });
      const sends = MEMBERS.flatMap((m) =>
        [...COMMANDS, ...COMMANDS].map(async (name) => {
          const handle = discord.slashCommand({ name, userId: m.id, guildId });
          const message = await handle.finalMessage(15_000);
          latencies.push(performance.now() - (handle.dispatchedAt - performance.timeOrigin));
          if (/try again in/.test(JSON.stringify(message.embeds ?? []))) refusedAnswers++;
        }),
      );
      const tick = bot.presence.tick();
      await Promise.all([...sends, tick]);
      commandCount += sends.length;
      ownerPolls++;
      ownerPollRequests += spotify.count('currently-playing', { userId: 'emulatoruser' }) - ownerBefore;
    }
    const memberApi = MEMBERS.reduce((n, m) => n + spotify.count('api', { userId: m.spotifyId }), 0);
    const memberToken = MEMBERS.reduce((n, m) => n + spotify.count('refresh', { userId: m.spotifyId }), 0);
    const perCommand = memberApi / commandCount;
    const byRoute = (route: 'currently-playing' | 'top' | 'recently-played'): number =>
      MEMBERS.reduce((n, m) => n + spotify.count(route, { userId: m.spotifyId }), 0);
    const simulatedMin = (rounds * ROUND_MS) / 60_000;
    return [
      {
        metric: `Spotify Web API requests per command, 5 linked members polling concurrently (${fmt(commandCount)} commands over ${fmt(simulatedMin)} simulated min)`,
        result:
          `${fmt(perCommand, 3)} (${fmt(memberApi)} requests: currently-playing ${fmt(byRoute('currently-playing'))}, top ${fmt(byRoute('top'))}, ` +
          `recently-played ${fmt(byRoute('recently-played'))}; token refreshes ${fmt(memberToken)} for 5 members)`,
        target: '≤ 0.5 (coalesced per member, lists cached)',
        ok: perCommand <= 0.5,
      },
      {
        metric: "Owner's presence polls that reached Spotify during the members' polling",
        result: `${fmt(ownerPollRequests)} of ${fmt(ownerPolls)} ticks; members' commands told to wait: ${fmt(refusedAnswers)}`,
        target: 'every tick',
        ok: ownerPollRequests === ownerPolls,
      },
      {
        metric: 'dispatch → reply, 5 members polling concurrently (in-process, Spotify latency 0)',
        result: `p50 ${fmt(percentile(latencies, 50), 1)} ms, p95 ${fmt(percentile(latencies, 95), 1)} ms`,
        target: '—',
        ok: null,
      },
    ];
  } finally {
    await bot?.stop();
    await storage?.close();
    await discord.close();
    await spotify.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------------ 2. RSS


async function memoryRun(linked: boolean, spotify: SpotifyEmulator): Promise<{ mb: number; error?: string }> {
  const discord = await DiscordEmulator.start({ token: TEST_DISCORD_TOKEN, guildShape: 'realistic' });
  const guildId = discord.guildIds[0]!;
  for (const m of MEMBERS) discord.addMember(guildId, { id: m.id, username: m.username });
  const dir = mkdtempSync(join(tmpdir(), 'npb-bench-members-rss-'));
  const storageUrl = `sqlite://${join(dir, 'bot.sqlite')}`;
  if (linked) {
    // Seed the links in the SQLite file the bot will open (as if linked on an earlier run).
    const logger = createLogger({ level: 'error' });
    const storage = await openStorage(storageUrl, { logger });
    const app = createApp(loadConfig(env(discord, spotify, storageUrl, { PRESENCE_CRON: 'off' })), logger, storage);
    await linkAll(app, spotify);
    app.listeners.dispose();
    await storage.close();
  }
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    ...env(discord, spotify, storageUrl, { LOG_LEVEL: 'info' }),
  };
  const bot = spawnBotFromSource(dir, childEnv);
  try {
    if (!(await bot.ready)) return { mb: Number.NaN, error: bot.output().slice(-400) };
    await sleep(2_000);
    for (let round = 0; round < 3; round++) {
      await Promise.all(MEMBERS.flatMap((m) => COMMANDS.map((name) => discord.slashCommand({ name, userId: m.id, guildId }).finalMessage(20_000))));
    }
    await sleep(3_000);
    return { mb: bot.rssMb() };
  } finally {
    await bot.stop();
    await discord.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function memberMemoryRows(): Promise<BenchRow[]> {
  const spotify = await startSpotify();
  try {
    progress('RSS: production entry with no member linked…');
    const none = await memoryRun(false, spotify);
    progress('RSS: production entry with 5 members linked…');
    const five = await memoryRun(true, spotify);
    if (none.error || five.error) {
      return [{ metric: 'RSS with 5 members linked', result: `not measured: ${none.error ?? five.error}`, target: '—', ok: false }];
    }
    const delta = five.mb - none.mb;
    return [
      {
        metric: 'RSS with 5 members linked (each ran /nowplaying, /toptracks, /recent 3×), minus the same with none linked',
        result: `${fmt(five.mb, 1)} − ${fmt(none.mb, 1)} = ${fmt(delta, 1)} MB (under tsx, same for both)`,
        target: '≤ 10 MB',
        ok: delta <= 10,
      },
    ];
  } finally {
    await spotify.close();
  }
}

// ------------------------------------------------------------------------------------------------ alone

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '40' },
      json: { type: 'boolean', default: false },
      'no-rss': { type: 'boolean', default: false },
    },
  });
  const rows: BenchRow[] = [];
  rows.push(...(await memberPollingRows({ rounds: Number(values.rounds) || 40 })));
  if (!values['no-rss']) rows.push(...(await memberMemoryRows()));
  process.stdout.write(`${rowsTable(rows)}\n\n${`Command: npx tsx bench/members.ts ${process.argv.slice(2).join(' ')}`.trimEnd()}\n`);
  if (values.json) process.stdout.write(`\n\`\`\`json\n${JSON.stringify(rows, null, 2)}\n\`\`\`\n`);
}

runWhenMain(import.meta.url, main);

/** The section `npm run bench` runs (bench/run.ts): both parts, rows into the shared report. */
export async function membersSection(ctx: { report: { row(metric: string, result: string, target?: string, ok?: boolean | null): void }; progress(text: string): void }): Promise<void> {
  ctx.progress('members (#10): 5 linked members polling concurrently, then RSS with 5 linked…');
  for (const r of [...(await memberPollingRows()), ...(await memberMemoryRows())]) ctx.report.row(r.metric, r.result, r.target, r.ok);
}
