// npx tsx bench/recap.ts [--servers 1000] [--json] — the weekly recap for many servers, posted within Discord's rate
// limits, or call `recapRows` from bench/run.ts.
//
// The real bot (test/support/harness.ts, production timings, SQLite storage and history) against the Discord emulator,
// which enforces Discord's limits: 5 messages per 5 s per channel and 50 REST requests per second for the bot
// (emulators/discord/rate-limits.ts). 1,000 servers with a recap channel, 20 recording members (two in each server)
// with plays this week; the bot's clock is put just after RECAP_CRON's Monday firing and one check runs. Measured from
// the emulator's side: the run's total time, the most posts in any 1 s window (≤ 50), 429s received (0), and every
// server posted once with the right numbers.
//
// Membership answers are noted before the run (as if Discord had just answered them) and kept for the run: op 8
// lookups are paced separately (40 a minute per shard, src/features/recap/recapper.ts), which alone would stretch a
// cold run for 1,000 servers to ~25 minutes; this row measures the posting.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { OWNER_ID, startHarness } from '../test/support/harness.js';
import { guildIdForShard } from '../emulators/discord.js';
import type { HistoryUser, PlayInput } from '../src/history/play.js';
import { rowsTable, runWhenMain, type BenchRow } from './lib/report.js';

export type { BenchRow } from './lib/report.js';

const progress = (text: string): void => void process.stderr.write(`[bench:recap] ${text}\n`);
const DAY = 86_400_000;
const MEMBERS = 20;
const PLAYS_PER_MEMBER = 30;
/** 2026-12-07 is a Monday: RECAP_CRON's default fires at 10:00 local time. */
const MONDAY = new Date(2026, 11, 7, 10, 0, 0).getTime();

const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';
const memberId = (m: number): string => `12000000000000${String(m).padStart(5, '0')}`;

/** The most timestamps within any `windowMs` (sliding). */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

export async function recapRows(options: { servers?: number } = {}): Promise<BenchRow[]> {
  const servers = options.servers ?? 1_000;
  const guildIds = Array.from({ length: servers }, (_, i) => guildIdForShard(0, 1, i + 1));
  let clock = MONDAY - DAY;
  progress(`${servers} servers, ${MEMBERS} recording members (two per server), ${PLAYS_PER_MEMBER} plays each this week…`);
  const h = await startHarness({
    timings: 'production',
    discord: { guildIds },
    env: { HISTORY: 'on', LOG_LEVEL: 'warn' },
    // Membership answers noted before the run stay good through it (see the top of this file).
    tuning: { now: () => clock, membershipTtlMs: 60 * 60_000 },
  });
  try {
    const members = Array.from({ length: MEMBERS }, (_, m) => memberId(m));
    const channels: string[] = [];
    for (const [i, guildId] of guildIds.entries()) {
      h.discord.addMember(guildId, { id: members[i % MEMBERS]!, username: `m${i % MEMBERS}` });
      h.discord.addMember(guildId, { id: members[(i + 7) % MEMBERS]!, username: `m${(i + 7) % MEMBERS}` });
      channels.push(h.discord.addChannel(guildId, { name: 'recap' }));
    }
    // The bot learns of the channels from the gateway (CHANNEL_CREATE): wait until it has them all.
    while (channels.some((c) => !h.bot.client.channels.cache.has(c))) await new Promise((resolve) => setTimeout(resolve, 50));
    for (const [m, id] of members.entries()) {
      await h.app.services.history.setRecording(id, true);
      const plays: PlayInput[] = Array.from({ length: PLAYS_PER_MEMBER }, (_, p) => {
        const startedAt = MONDAY - ((p % 6) + 1) * DAY - m * 60_000 - p * 1_000;
        return {
          title: `Song ${(m + p) % 40}`,
          artist: `Artist ${(m + p) % 12}`,
          album: `Album ${(m + p) % 15}`,
          trackId: null,
          imageId: null,
          startedAt,
          endedAt: startedAt + 180_000,
          msPlayed: 180_000,
          durationMs: null,
          source: 'import-extended',
        };
      });
      await h.app.history!.addPlays(id as HistoryUser, plays);
    }
    for (const [i, guildId] of guildIds.entries()) {
      await h.app.services.recap.set({ guildId, channelId: channels[i]!, setBy: OWNER_ID, setAt: clock });
    }

    progress('one check just after Monday 10:00…');
    clock = MONDAY + 30_000;
    for (const [i, guildId] of guildIds.entries()) {
      const here = new Set([members[i % MEMBERS]!, members[(i + 7) % MEMBERS]!]);
      for (const id of members) h.app.members.membership.observe(guildId, id, here.has(id));
    }
    const log0 = h.discord.restLog.length;
    const wall0 = Date.now();
    const t0 = performance.now();
    const run = await h.bot.recap!.check();
    const totalMs = performance.now() - t0;
    const during = h.discord.restLog.slice(log0);
    const posts = during.filter((e) => e.method === 'POST' && /^\/channels\/\d+\/messages$/.test(e.path) && e.status === 200);
    const limited = during.filter((e) => e.status === 429).length;
    const perSecond = maxInWindow(posts.map((p) => p.at), 1_000);
    const postedOnce = channels.filter((c) => h.discord.channelMessages(c).length === 1).length;
    const wrong = channels.filter((c) => {
      const text = JSON.stringify(h.discord.channelMessages(c)[0]?.body ?? {});
      return !text.includes(`**${PLAYS_PER_MEMBER * 2} plays** · **3 h 0 min** listened by 2 recorded members`);
    }).length;
    const rows: BenchRow[] = [
      {
        metric: `Recap for ${fmt(servers)} servers (two members each, chart drawn per server): total time`,
        result: `${fmt(totalMs / 1000, 1)} s (${fmt(posts.length)} posts, ${fmt(posts.length / (totalMs / 1000), 1)} posts/s; ${postedOnce} servers posted once${wrong ? `, ${wrong} WRONG` : ''}; run: ${run.posted.length} posted, ${run.failed.length} failed)`,
        target: `every server once (≥ ${fmt(servers / 50, 0)} s at 50/s)`,
        ok: postedOnce === servers && wrong === 0 && run.posted.length === servers,
      },
      { metric: 'Recap: most posts in any 1 s window', result: fmt(perSecond), target: '≤ 50 (Discord\'s global limit)', ok: perSecond <= 50 },
      { metric: 'Recap: 429s received', result: `${fmt(limited)} (of ${fmt(during.length)} REST requests; run started ${new Date(wall0).toISOString()})`, target: '0', ok: limited === 0 },
    ];
    return rows;
  } finally {
    await h.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { servers: { type: 'string', default: '1000' }, json: { type: 'boolean', default: false } } });
  const rows = await recapRows({ servers: Number(values.servers) || 1_000 });
  process.stdout.write(`${rowsTable(rows)}\n\n${`Command: npx tsx bench/recap.ts ${process.argv.slice(2).join(' ')}`.trimEnd()}\n`);
  if (values.json) process.stdout.write(`\n\`\`\`json\n${JSON.stringify(rows, null, 2)}\n\`\`\`\n`);
}

runWhenMain(import.meta.url, main);
