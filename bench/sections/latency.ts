// Command latency and request counts: the in-process bot (production timings) against the emulators, Spotify
// answering after `--latency` ms.
//  · dispatch→reply: from the emulator's `dispatchedAt` to the interaction callback (a direct reply, type 4), or,
//    when the bot deferred (type 5), to the PATCH …/messages/@original that edits the answer in.
//  · "cold" = the bot's clock is moved 24 h forward before the call, so the listening state is older than the
//    freshness window and the top-items cache entry older than its TTL; the access token is then renewed OUTSIDE
//    the measurement (it would be valid 59 minutes out of 60 in production), so a cold sample is exactly one Web API
//    round trip. "warm"/"cached" = the same command again right after the cold one.
//  · Spotify requests per command (Web API and token endpoint, from the emulator's request log) and Discord REST
//    calls per command (emulator restLog), diffed around each command.
// Targets (issue): 1 Spotify request per cold command, 0 within the freshness window; cold p50 ≤ latency + 10 ms,
// warm/cached p50 ≤ 10 ms.
import type { BenchBot, BenchContext } from '../lib/context.js';
import { fmt, mean, percentile, sleep } from '../lib/stats.js';

const WARMUP = 5;
const EPHEMERAL = 1 << 6;

interface Sample {
  ms: number;
  deferred: boolean;
  ok: boolean;
  api: number;
  token: number;
  rest: number;
}

/** The Spotify path of /nowplaying is measured with the text reply; the card's cost has its own rows (bench/pictures.ts). */
const TEXT_STYLE = [{ name: 'style', type: 3, value: 'text' }];

async function runCommand(h: BenchBot, name: string): Promise<Sample> {
  const api0 = h.spotify.count('api');
  const token0 = h.spotify.count('token');
  const rest0 = h.discord.restLog.length;
  const handle = h.discord.slashCommand(name === 'nowplaying' ? { name, options: TEXT_STYLE } : { name });
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

async function latencyAt(ctx: BenchContext, h: BenchBot, latencyMs: number, iterations: number): Promise<void> {
  const { report } = ctx;
  ctx.progress(`latency ${latencyMs} ms: ${iterations} × (cold + warm) /nowplaying, ${iterations} × (cold + cached) /toptracks`);
  h.spotify.latencyMs = latencyMs;
  for (let i = 0; i < WARMUP; i++) {
    await h.makeCold();
    await runCommand(h, 'nowplaying');
    await runCommand(h, 'toptracks');
  }
  const npCold: LatencyRow = { label: '/nowplaying style:text cold', samples: [] };
  const npWarm: LatencyRow = { label: '/nowplaying style:text warm (within freshness window)', samples: [] };
  for (let i = 0; i < iterations; i++) {
    await h.makeCold();
    npCold.samples.push(await runCommand(h, 'nowplaying'));
    npWarm.samples.push(await runCommand(h, 'nowplaying'));
  }
  const ttCold: LatencyRow = { label: '/toptracks cold (cache TTL expired)', samples: [] };
  const ttCached: LatencyRow = { label: '/toptracks cached', samples: [] };
  for (let i = 0; i < iterations; i++) {
    await h.makeCold();
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
    report.row(
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
  report.row(`/nowplaying cold: Spotify requests per command @ ${L} ms`, `${fmt(npc.spotifyApiPerCommand, 2)} API + ${fmt(npc.tokenPerCommand, 2)} token`, '1', npc.spotifyApiPerCommand === 1 && npc.tokenPerCommand === 0);
  report.row(`/nowplaying warm: Spotify requests per command @ ${L} ms`, `${fmt(npw.spotifyApiPerCommand, 2)} API + ${fmt(npw.tokenPerCommand, 2)} token`, '0', npw.spotifyApiPerCommand === 0 && npw.tokenPerCommand === 0);
  report.row(`/toptracks cold: Spotify requests per command @ ${L} ms`, `${fmt(ttc.spotifyApiPerCommand, 2)} API + ${fmt(ttc.tokenPerCommand, 2)} token`, '1 (one 50-item page)', ttc.spotifyApiPerCommand === 1 && ttc.tokenPerCommand === 0);
  report.row(`/toptracks cached: Spotify requests per command @ ${L} ms`, `${fmt(ttw.spotifyApiPerCommand, 2)} API + ${fmt(ttw.tokenPerCommand, 2)} token`, '0', ttw.spotifyApiPerCommand === 0 && ttw.tokenPerCommand === 0);
  const restSummary = [npc, npw, ttc, ttw].map((s) => fmt(s.restPerCommand, 2));
  report.row(
    `Discord REST calls per command @ ${L} ms (np cold / warm, tt cold / cached)`,
    restSummary.join(' / '),
    '1 (reply) or 2 (defer + edit)',
    [npc, npw, ttc, ttw].every((s) => s.restPerCommand <= (s.deferred > 0 ? 2 : 1)),
  );
  report.data[`latency_${L}ms`] = out;
}

export async function latencySection(ctx: BenchContext): Promise<void> {
  const bot = await ctx.bot();
  for (const latency of ctx.options.latencies) await latencyAt(ctx, bot, latency, ctx.options.iterations);
}
