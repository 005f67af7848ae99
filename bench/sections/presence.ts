// Presence polling, simulated: 3 hours of the default 15 s schedule (720 ticks of bot.presence.tick()) with the
// bot's clock advancing 15 s per tick and a 3600 s access-token TTL; counts token refreshes (the bot renews 60 s
// before expiry) and Spotify reads per tick. The same run plays a scripted session (a track change every 16 ticks,
// a 4-tick pause every 5th track, a 3-tick "nothing playing" every 12th) and compares the op 3 frames the gateway
// emulator received with the number of visible activity changes. Spotify latency is 0 here: it changes no count.
// Targets (issue): ≤ 1 token request per hour (one per 3600 s lifetime: renewing 60 s early makes it 1.02/h).
import type { CurrentlyPlaying } from '../../src/spotify/types.js';
import { makeTrack, playing } from '../../emulators/spotify-fixtures.js';
import { TOKEN_TTL_S, type BenchContext } from '../lib/context.js';
import { fmt, mean, sleep } from '../lib/stats.js';

const DAY_MS = 86_400_000;
const PRESENCE_INTERVAL_MS = 15_000;
const SIMULATED_HOURS = 3;

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

export async function presenceSection(ctx: BenchContext): Promise<void> {
  const { report } = ctx;
  const h = await ctx.bot();
  const ticks = (SIMULATED_HOURS * 3_600_000) / PRESENCE_INTERVAL_MS;
  ctx.progress(`presence: ${ticks} ticks = ${SIMULATED_HOURS} simulated hours at ${PRESENCE_INTERVAL_MS / 1000} s`);
  h.spotify.latencyMs = 0;
  h.spotify.accessTokenTtlSeconds = TOKEN_TTL_S;
  // Start like a fresh process: no valid access token.
  h.clock.advance(DAY_MS);
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
  report.row(
    `Token requests, ${SIMULATED_HOURS} simulated h of presence polling (${ticks} ticks, TTL ${TOKEN_TTL_S} s)`,
    `${refreshes} (${refreshAt[0] === 0 ? '1 at the first tick, ' : ''}then every ${gaps.length ? fmt(mean(gaps) / 1000) : 'n/a'} s) → ` +
      `${fmt(refreshes / SIMULATED_HOURS, 2)}/h overall, ${fmt(steadyPerHour, 2)}/h steady`,
    '≤ 1/h (= 1 per token lifetime; renewed 60 s early)',
    tokenOk,
  );
  report.row('Spotify reads per presence tick', `${fmt(reads / ticks, 2)} (${reads} currently-playing in ${ticks} ticks)`, '≤ 1', reads <= ticks);
  report.row(
    'Presence op 3 frames vs activity changes',
    `${received} frames received (${sent} sent) for ${expectedChanges} changes: ${tracks.size} tracks, ${pauses} pauses, ${idles} idle spells over ${ticks} ticks`,
    'frames = changes',
    received === expectedChanges && sent === expectedChanges,
  );
  report.data.presence = {
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
