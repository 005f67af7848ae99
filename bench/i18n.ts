// Languages: what a non-English interaction costs in memory. The production entry (from source, under tsx, lean V8
// flags) is spawned `--runs` times for each of three cases, alternating so all see the same machine load:
//  · idle: connected, no interaction;
//  · English: /recent and /toptracks by an en-US member, twice;
//  · + de/ja: the same by an en-US, a German and a Japanese member (their language files load on first use, and
//    Intl's number, plural and relative-time data for de and ja is touched).
// RSS (VmRSS) 3 s after the last reply; median and range per case. Rows: the idle RSS, English minus idle, and
// de/ja minus English (the cost of other languages; target ≤ 5 MB). Run alone: `npx tsx bench/i18n.ts [--runs N]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DiscordEmulator } from '../emulators/discord.js';
import { emulatorEnv, TEST_DISCORD_TOKEN, TEST_REFRESH_TOKEN, TEST_SPOTIFY_CLIENT_ID, TEST_SPOTIFY_CLIENT_SECRET, validEnv } from '../emulators/env.js';
import { makePlayHistory, makeTrack, makeTracks, playing } from '../emulators/spotify-fixtures.js';
import { SpotifyEmulator } from '../emulators/spotify.js';
import { spawnBotFromSource } from './lib/bot-process.js';
import { rowsTable, runWhenMain, type BenchRow } from './lib/report.js';
import { fmt, median, sleep } from './lib/stats.js';

type Case = 'idle' | 'english' | 'others';
const LOCALES: Record<Case, readonly string[]> = { idle: [], english: ['en-US'], others: ['en-US', 'de', 'ja'] };
const SETTLE_MS = 3_000;
const TARGET_MB = 5;
const progress = (text: string): void => void process.stderr.write(`[bench:i18n] ${text}\n`);

async function run(kind: Case, spotify: SpotifyEmulator): Promise<number> {
  const discord = await DiscordEmulator.start({ token: TEST_DISCORD_TOKEN, guildShape: 'realistic' });
  const dir = mkdtempSync(join(tmpdir(), 'npb-bench-i18n-'));
  const env = validEnv({ ...emulatorEnv(discord, spotify), STORAGE_URL: `sqlite://${join(dir, 'bot.sqlite')}`, PRESENCE_CRON: 'off', LOG_LEVEL: 'info' });
  const bot = spawnBotFromSource(dir, { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, ...(env as Record<string, string>) });
  try {
    if (!(await bot.ready)) throw new Error(`the bot did not start: ${bot.output().slice(-400)}`);
    await sleep(2_000);
    for (let round = 0; round < 2; round++) {
      for (const locale of LOCALES[kind]) {
        for (const name of ['recent', 'toptracks']) await discord.slashCommand({ name, locale }).finalMessage(20_000);
      }
    }
    await sleep(SETTLE_MS);
    return bot.rssMb();
  } finally {
    await bot.stop();
    await discord.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function i18nRows(options: { runs?: number } = {}): Promise<BenchRow[]> {
  const runs = options.runs ?? 3;
  const spotify = await SpotifyEmulator.start({ clientId: TEST_SPOTIFY_CLIENT_ID, clientSecret: TEST_SPOTIFY_CLIENT_SECRET });
  spotify.addRefreshToken(TEST_REFRESH_TOKEN);
  spotify.setCurrentlyPlaying(playing(makeTrack()));
  spotify.setRecentlyPlayed(makePlayHistory(makeTracks(20)));
  spotify.setTop('tracks', makeTracks(50));
  const rss: Record<Case, number[]> = { idle: [], english: [], others: [] };
  try {
    for (let i = 0; i < runs; i++) {
      for (const kind of ['idle', 'english', 'others'] as const) {
        progress(`run ${i + 1}/${runs}: ${kind}…`);
        rss[kind].push(await run(kind, spotify));
      }
    }
  } finally {
    await spotify.close();
  }
  const m = (kind: Case): number => median(rss[kind]);
  const range = (kind: Case): string => `${fmt(Math.min(...rss[kind]), 1)}–${fmt(Math.max(...rss[kind]), 1)}`;
  const others = m('others') - m('english');
  return [
    { metric: 'RSS idle, no interaction (languages: English only, loaded with the bot)', result: `${fmt(m('idle'), 1)} MB (${range('idle')}, ${runs} runs, under tsx)`, target: '—', ok: null },
    {
      metric: 'RSS after English /recent + /toptracks ×2, minus idle',
      result: `${fmt(m('english'), 1)} − ${fmt(m('idle'), 1)} = ${fmt(m('english') - m('idle'), 1)} MB (${range('english')})`,
      target: '—',
      ok: null,
    },
    {
      metric: 'RSS with German and Japanese members too (de, ja loaded on first use; Intl data touched), minus English only',
      result: `${fmt(m('others'), 1)} − ${fmt(m('english'), 1)} = ${fmt(others, 1)} MB (${range('others')})`,
      target: `≤ ${TARGET_MB} MB`,
      ok: others <= TARGET_MB,
    },
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, json: { type: 'boolean', default: false } } });
  const rows = await i18nRows({ runs: Math.max(1, Number(values.runs) || 3) });
  process.stdout.write(`${rowsTable(rows)}\n\n${`Command: npx tsx bench/i18n.ts ${process.argv.slice(2).join(' ')}`.trimEnd()}\n`);
  if (values.json) process.stdout.write(`\n\`\`\`json\n${JSON.stringify(rows, null, 2)}\n\`\`\`\n`);
}

runWhenMain(import.meta.url, main);

/** The section `npm run bench` runs (bench/run.ts). */
export async function i18nSection(ctx: { report: { row(metric: string, result: string, target?: string, ok?: boolean | null): void }; progress(text: string): void }): Promise<void> {
  ctx.progress('languages: RSS idle, after English replies, and with German and Japanese members…');
  for (const r of await i18nRows()) ctx.report.row(r.metric, r.result, r.target, r.ok);
}
