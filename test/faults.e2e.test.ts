// The fault suite: the whole bot (real discord.js client, real Spotify module, real storage) against both loopback
// emulators while Spotify, Discord or the storage misbehave. For every fault the same promises hold:
//   - the process stays up: the bot still answers a /nowplaying afterwards;
//   - no unhandled rejection and no uncaught exception (listeners below, checked after every test);
//   - every interaction gets an answer (a reply, an edit after a defer, or a follow-up), or fails cleanly with a
//     log line;
//   - presence recovers once the fault clears (a new track shows as "Listening to …");
//   - no secret appears in any captured log line (Discord token, refresh tokens, client secret and its Basic
//     header, access tokens, interaction tokens).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { OWNER_ACCOUNT } from '../src/listeners/listener.js';
import { openStorage } from '../src/storage.js';
import type { InteractionHandle, MessagePayload, SlashCommandOptions } from '../emulators/discord.js';
import { basicAuth } from '../emulators/spotify.js';
import { makeTrack, playing } from '../emulators/spotify-fixtures.js';
import { presenceShows, startHarness, type Harness } from './support/bot-harness.js';
import { TEST_REFRESH_TOKEN, TEST_SPOTIFY_CLIENT_ID, TEST_SPOTIFY_CLIENT_SECRET } from '../emulators/env.js';
import { redisAnswers } from './support/redis.js';
import { secretsIn } from './support/spotify-app.js';

const EPHEMERAL = 1 << 6;

// ---------------------------------------------------------------------------------------------------------------
// Process-level failures: anything that escapes the bot lands here (the bot runs in this process).

const escaped: Array<{ kind: 'unhandledRejection' | 'uncaughtException'; error: unknown }> = [];
const onUnhandledRejection = (error: unknown): void => {
  escaped.push({ kind: 'unhandledRejection', error });
};
const onUncaughtException = (error: unknown): void => {
  escaped.push({ kind: 'uncaughtException', error });
};
process.on('unhandledRejection', onUnhandledRejection);
process.on('uncaughtException', onUncaughtException);
afterAll(() => {
  process.off('unhandledRejection', onUnhandledRejection);
  process.off('uncaughtException', onUncaughtException);
});

// ---------------------------------------------------------------------------------------------------------------
// Per-test state: the harness, every interaction sent, extra secrets and clean-ups.

let harness: Harness | null = null;
let interactions: InteractionHandle[] = [];
/** Interactions a test saw fail to be answered, after checking the log line that says so. */
let unanswered = new Set<InteractionHandle>();
let extraSecrets: string[] = [];
let cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  const h = harness;
  try {
    if (h) {
      // Every interaction was answered — except those a test saw fail with a log line (never a silent drop).
      for (const interaction of interactions) if (!unanswered.has(interaction)) await answerOf(interaction, 8_000);
      expect(leakedSecrets(h)).toEqual([]);
    }
    // Give a rejection from the last awaited step a chance to surface before checking.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(escaped.map((e) => `${e.kind}: ${String(e.error)}`)).toEqual([]);
  } finally {
    escaped.length = 0;
    await h?.stop();
    harness = null;
    interactions = [];
    unanswered = new Set();
    extraSecrets = [];
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups = [];
  }
});

// Every tick reads Spotify afresh (freshness window 0), so each tick and command sees the emulator's current state.
// Replies defer after 300 ms, well inside the emulated 3 s deadline, so slow paths are exercised quickly.
const BASE_TUNING = { listeningFreshnessMs: 0, deferAfterMs: 300 } as const;

async function start(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  harness = await startHarness({ ...options, tuning: { ...BASE_TUNING, ...options.tuning } });
  return harness;
}

function command(h: Harness, name: string, options: Omit<SlashCommandOptions, 'name'> = {}): InteractionHandle {
  const interaction = h.discord.slashCommand({ name, ...options });
  interactions.push(interaction);
  return interaction;
}

function topTracks(h: Harness, range: 'short_term' | 'medium_term' | 'long_term'): InteractionHandle {
  return command(h, 'toptracks', { options: [{ name: 'range', type: 3, value: range }] });
}

/** The message the user ends up seeing: the direct reply, the edit after a defer, or else a follow-up. */
async function answerOf(interaction: InteractionHandle, timeoutMs = 6_000): Promise<MessagePayload> {
  const response = await interaction.response(timeoutMs);
  if (response.type === 4 || response.type === 7) return response.data ?? {};
  return vi.waitFor(
    () => {
      const message = interaction.edits[0] ?? interaction.followUps[0];
      if (!message) throw new Error(`interaction ${interaction.id}: deferred (type ${response.type}) but never edited or followed up`);
      return message;
    },
    { timeout: timeoutMs, interval: 20 },
  );
}

function textOf(message: MessagePayload): string {
  return JSON.stringify(message.embeds ?? []) + (message.content ?? '');
}

/** This interaction could not be answered, and the test checked the log line saying so. */
function settledByLog(interaction: InteractionHandle): void {
  unanswered.add(interaction);
}

/** The nowplaying answer shows a track title: the bot is up and Spotify works. */
async function expectNowPlaying(h: Harness, title?: string): Promise<void> {
  const message = await answerOf(command(h, 'nowplaying'));
  expect(message.embeds?.[0]?.title).toBeTruthy();
  if (title) expect(message.embeds?.[0]?.title).toContain(title);
}


let trackSerial = 0;
/** After the fault: a new track plays, a tick shows it, and /nowplaying answers with it. */
async function expectRecovered(h: Harness): Promise<void> {
  const track = makeTrack({ name: `Recovery Song ${++trackSerial}` });
  h.spotify.setCurrentlyPlaying(playing(track));
  await h.bot.presence.tick();
  await presenceShows(h, [expect.objectContaining({ type: 2, name: track.name })]);
  await expectNowPlaying(h, track.name);
}

/** What Discord shows once it has received every op 3 the bot sent so far (a gateway round trip, not a sleep). */
async function presenceNow(h: Harness): Promise<unknown[] | undefined> {
  await h.discord.gatewayBarrier();
  return h.discord.currentPresence()?.activities;
}

async function showTrack(h: Harness): Promise<unknown[]> {
  await h.bot.presence.tick();
  return presenceShows(h, [expect.objectContaining({ type: 2 })]);
}

/** Log lines holding a secret: the known ones, plus anything shaped like an emulator access/refresh token. */
function leakedSecrets(h: Harness): string[] {
  const known = [
    h.discord.token,
    TEST_REFRESH_TOKEN,
    TEST_SPOTIFY_CLIENT_SECRET,
    basicAuth(TEST_SPOTIFY_CLIENT_ID, TEST_SPOTIFY_CLIENT_SECRET).slice('Basic '.length),
    ...h.spotify.issuedRefreshTokens,
    ...interactions.map((i) => i.token),
    ...extraSecrets,
  ];
  // The emulator's access tokens are 'BQ' + 64 base64url characters, its issued refresh tokens 'AQ' + 64.
  const tokenShaped = /[AB]Q[\w-]{60,}/;
  return [...secretsIn(h.logs.lines, known), ...h.logs.lines.filter((l) => tokenShaped.test(l))];
}

const spotifyApiRoutes = new Set(['currently-playing', 'top', 'recently-played', 'me', 'api-unknown']);

// ---------------------------------------------------------------------------------------------------------------
// Spotify

describe('Spotify faults', () => {
  it('5xx bursts: short ones are absorbed by bounded retries, long ones get a friendly reply; presence is kept', async () => {
    const h = await start();
    const shown = await showTrack(h);

    // Two failures, three attempts allowed (FAST_TUNING retries [20, 40]): the user never notices.
    h.spotify.resetCounts();
    h.spotify.fail('currently-playing', { status: 502 }, 1);
    h.spotify.fail('currently-playing', { status: 503 }, 1);
    await expectNowPlaying(h);
    expect(h.spotify.count('currently-playing')).toBe(3);

    // A burst longer than the retries: a friendly reply, exactly three attempts, and the presence is left alone.
    h.spotify.resetCounts();
    h.spotify.fail('any-api', { status: 500 }, 3);
    const down = await answerOf(command(h, 'nowplaying'));
    expect(textOf(down)).toMatch(/Spotify isn't answering/);
    expect(h.spotify.count('currently-playing')).toBe(3);
    const updates = h.bot.presence.updatesSent;
    h.spotify.fail('any-api', { status: 504 }, 3);
    await h.bot.presence.tick();
    expect(h.bot.presence.updatesSent).toBe(updates);
    expect(await presenceNow(h)).toEqual(shown);

    // The token endpoint bursts too: retried, then the command works.
    h.spotify.expireAccessTokens();
    h.spotify.fail('token', { status: 503 }, 2);
    await expectNowPlaying(h);

    await expectRecovered(h);
  });

  it('hangs past the timeout: the reply is deferred in time, then says Spotify is not answering', async () => {
    const h = await start();
    const shown = await showTrack(h);

    // Every attempt hangs: 3 × 400 ms timeouts (+ 60 ms of retry delays) — longer than the 300 ms defer point.
    h.spotify.fail('currently-playing', { hang: true }, 3);
    const slow = command(h, 'nowplaying');
    const ack = await slow.response();
    expect(ack.type).toBe(5);
    expect(ack.at - slow.dispatchedAt).toBeLessThan(h.discord.interactionDeadlineMs);
    expect(textOf(await answerOf(slow))).toMatch(/Spotify isn't answering/);
    expect(h.logs.lines.some((l) => l.includes('no answer within 400 ms'))).toBe(true);

    // A tick that hangs leaves the presence alone.
    h.spotify.fail('currently-playing', { hang: true }, 3);
    await h.bot.presence.tick();
    expect(await presenceNow(h)).toEqual(shown);

    // The token endpoint hangs once: the refresh times out, is retried, and the command still works.
    h.spotify.expireAccessTokens();
    h.spotify.fail('token', { hang: true }, 1);
    await expectNowPlaying(h);

    await expectRecovered(h);
  });

  it('429 storm: Retry-After is honoured — no request reaches Spotify before it expires', async () => {
    const h = await start();
    const shown = await showTrack(h);
    h.spotify.resetCounts();
    const retryAfter = 1;
    h.spotify.fail('any-api', { status: 429, headers: { 'retry-after': String(retryAfter) } }, 3);

    // The first command meets the 429 and waits it out (short waits are slept through once), meets a second 429
    // and gives up; commands and ticks arriving meanwhile fail fast without asking Spotify.
    const first = command(h, 'nowplaying');
    await vi.waitFor(() => expect(h.app.spotify.rateLimit().retryAfterSeconds).toBeGreaterThan(0), { timeout: 2_000, interval: 10 });
    const during = [topTracks(h, 'short_term'), topTracks(h, 'long_term')];
    await h.bot.presence.tick();
    expect(await presenceNow(h)).toEqual(shown);
    for (const interaction of [first, ...during]) {
      expect(textOf(await answerOf(interaction))).toMatch(/rate-limiting the bot — try again in 1 s/);
    }
    // Still blocked after the second 429: fail fast again.
    expect(textOf(await answerOf(command(h, 'nowplaying')))).toMatch(/try again in/);

    // Once Retry-After has run out: one more 429 is slept through, and the answer arrives.
    await vi.waitFor(() => expect(h.app.spotify.rateLimit().retryAfterSeconds).toBe(0), { timeout: 3_000, interval: 25 });
    await expectNowPlaying(h);

    const api = h.spotify.requests.filter((r) => spotifyApiRoutes.has(r.route));
    const limited = api.filter((r) => r.status === 429);
    expect(limited.length).toBe(3);
    for (const r of limited) {
      const tooEarly = api.filter((x) => x.at > r.at && x.at < r.at + retryAfter * 1000);
      expect(tooEarly, `requests within Retry-After of the 429 at ${r.at}`).toEqual([]);
    }
    await expectRecovered(h);
  });

  it('429 from the token endpoint: Retry-After is honoured there too', async () => {
    const h = await start();
    await showTrack(h);
    h.spotify.expireAccessTokens();
    h.spotify.resetCounts();
    h.spotify.fail('token', { status: 429, headers: { 'retry-after': '1' } }, 1);

    expect(textOf(await answerOf(command(h, 'nowplaying')))).toMatch(/try again in 1 s/);
    const limitedAt = h.spotify.requests.find((r) => r.route === 'token' && r.status === 429)!.at;
    // Within the window: more commands and a tick — none may reach the token endpoint.
    expect(textOf(await answerOf(command(h, 'nowplaying')))).toMatch(/try again in/);
    await h.bot.presence.tick();
    const early = h.spotify.requests.filter((r) => r.route === 'token' && r.at > limitedAt && r.at < limitedAt + 1_000);
    expect(early).toEqual([]);

    await vi.waitFor(() => expect(h.app.spotify.rateLimit().retryAfterSeconds).toBe(0), { timeout: 3_000, interval: 25 });
    await expectRecovered(h);
  });

  it('quota exceeded: a friendly "quota, try again later" reply, and nothing is sent until it runs out', async () => {
    const h = await start();
    const shown = await showTrack(h);
    h.spotify.quotaExceeded(1);

    const reply = await answerOf(command(h, 'nowplaying'));
    expect(reply.flags).toBe(EPHEMERAL);
    expect(textOf(reply)).toMatch(/quota.*try again in 1 s/);
    expect(h.logs.lines.some((l) => l.includes('Spotify quota exceeded'))).toBe(true);

    const sent = h.spotify.count('api');
    expect(textOf(await answerOf(topTracks(h, 'medium_term')))).toMatch(/quota.*try again/);
    await h.bot.presence.tick();
    expect(h.spotify.count('api')).toBe(sent);
    expect(await presenceNow(h)).toEqual(shown);

    await vi.waitFor(() => expect(h.app.spotify.rateLimit().retryAfterSeconds).toBe(0), { timeout: 3_000, interval: 25 });
    await expectRecovered(h);
  });

  it('invalid_grant mid-session: presence cleared, re-authorize hint, one token request (no storm), then a new grant works', async () => {
    const h = await start();
    await showTrack(h);
    h.spotify.revokeRefreshToken(TEST_REFRESH_TOKEN);
    h.spotify.expireAccessTokens();
    h.spotify.resetCounts();

    // A tick and a handful of commands at once, then more one after the other.
    const burst = [command(h, 'nowplaying'), topTracks(h, 'short_term'), command(h, 'nowplaying')];
    await h.bot.presence.tick();
    await presenceShows(h, []);
    for (const interaction of [...burst, command(h, 'nowplaying'), topTracks(h, 'long_term')]) {
      const message = await answerOf(interaction);
      expect(message.flags).toBe(EPHEMERAL);
      expect(textOf(message)).toMatch(/re-authorize.*npm run authorize/);
    }
    await h.bot.presence.tick();
    expect(h.spotify.count('refresh')).toBe(1);
    expect(h.logs.lines.some((l) => l.includes('invalid_grant'))).toBe(true);

    // The owner re-authorizes (what `npm run authorize` / `/spotify login` store): everything works again.
    const renewed = 'AQD-renewed-refresh-token-11111111111111111111111111';
    extraSecrets.push(renewed);
    h.spotify.addRefreshToken(renewed);
    await h.app.tokens.storeAuthorizedGrant(OWNER_ACCOUNT, { refreshToken: renewed, scope: null, grantedAt: Date.now() });
    await expectRecovered(h);
  });

  it('malformed JSON from the Web API and the token endpoint: a generic reply, presence kept', async () => {
    const h = await start();
    const shown = await showTrack(h);

    h.spotify.fail('currently-playing', { malformed: true }, 1);
    const reply = await answerOf(command(h, 'nowplaying'));
    expect(reply.flags).toBe(EPHEMERAL);
    expect(textOf(reply)).toMatch(/Something went wrong/);
    expect(h.logs.lines.some((l) => l.includes('malformed JSON'))).toBe(true);

    h.spotify.fail('top', { malformed: true }, 1);
    expect(textOf(await answerOf(topTracks(h, 'short_term')))).toMatch(/Something went wrong/);

    h.spotify.fail('currently-playing', { malformed: true }, 1);
    await h.bot.presence.tick();
    expect(await presenceNow(h)).toEqual(shown);

    h.spotify.expireAccessTokens();
    h.spotify.fail('token', { malformed: true }, 1);
    expect(textOf(await answerOf(command(h, 'nowplaying')))).toMatch(/Something went wrong/);

    await expectRecovered(h);
  });

  it('connection refused: "Spotify isn\'t answering", then it works once something listens again', async () => {
    const port = await closedPort();
    const spotifyApi = `http://127.0.0.1:${port}/v1`;
    const h = await start({ env: { SPOTIFY_API_URL: spotifyApi } });

    const reply = await answerOf(command(h, 'nowplaying'));
    expect(textOf(reply)).toMatch(/Spotify isn't answering/);
    expect(h.logs.lines.some((l) => l.includes('ECONNREFUSED'))).toBe(true);
    await h.bot.presence.tick();
    expect((await presenceNow(h)) ?? []).toEqual([]);

    // The fault clears: the port answers again (a TCP relay to the emulator stands in for Spotify coming back).
    const relay = await tcpRelay(port, Number(new URL(h.spotify.apiUrl).port));
    cleanups.push(() => relay.close());
    await expectRecovered(h);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Discord

describe('Discord faults', () => {
  it('RECONNECT and INVALID_SESSION during activity: interactions answered, presence kept and re-sent', async () => {
    const h = await start({ tuning: { deferAfterMs: 100, spotifyTimeoutMs: 2_000 } });
    const shown = await showTrack(h);

    // RECONNECT while an interaction is being worked on (Spotify is slow, so it is deferred).
    h.spotify.latencyMs = 300;
    const during = command(h, 'nowplaying');
    expect((await during.response()).type).toBe(5);
    h.discord.sendReconnect();
    await h.discord.waitFor('resume');
    expect((await answerOf(during)).embeds?.[0]?.title).toBeTruthy();
    expect(await presenceNow(h)).toEqual(shown);
    h.spotify.latencyMs = 0;

    // Resumable INVALID_SESSION: the session resumes.
    h.discord.invalidateSession(true);
    await h.discord.waitFor('resume');
    await expectNowPlaying(h);

    // Non-resumable INVALID_SESSION, and the track changes while the client re-identifies: the new session shows it.
    const next = makeTrack({ name: 'Changed During Reidentify' });
    h.spotify.setCurrentlyPlaying(playing(next));
    h.discord.invalidateSession(false);
    await h.bot.presence.tick();
    await h.discord.waitFor('identify', undefined, 10_000);
    await presenceShows(h, [expect.objectContaining({ type: 2, name: next.name })], 10_000);
    await expectRecovered(h);
  });

  it('dropped socket right after an interaction is dispatched: replayed on resume (or already delivered) and answered', async () => {
    const h = await start();
    await showTrack(h);
    const resumed = h.discord.waitFor('resume', undefined, 10_000);
    const interaction = command(h, 'nowplaying');
    h.discord.dropConnection();
    await resumed;
    const response = await interaction.response();
    expect(response.at - interaction.dispatchedAt).toBeLessThan(h.discord.interactionDeadlineMs);
    expect((await answerOf(interaction)).embeds?.[0]?.title).toBeTruthy();
    await expectRecovered(h);
  });

  it('REST 429 on the interaction callback: retried after retry_after, the reply lands in time', async () => {
    const h = await start();
    h.discord.failRest({ method: 'POST', path: /\/callback$/ }, { status: 429, retryAfter: 0.2 }, 1);
    const interaction = command(h, 'nowplaying');
    const response = await interaction.response();
    expect(response.type).toBe(4);
    expect(response.at - interaction.dispatchedAt).toBeLessThan(h.discord.interactionDeadlineMs);
    const callbacks = h.discord.restLog.filter((r) => r.path.endsWith('/callback'));
    expect(callbacks.map((r) => r.status)).toEqual([429, 204]);
    expect(callbacks[1]!.at - callbacks[0]!.at).toBeGreaterThanOrEqual(200);
    await expectRecovered(h);
  });

  it('REST 5xx on the interaction callback: retried; when it keeps failing, logged cleanly and the bot stays up', async () => {
    const h = await start();
    // One 500: retried, lands.
    h.discord.failRest({ method: 'POST', path: /\/callback$/ }, { status: 500 }, 1);
    expect((await answerOf(command(h, 'nowplaying'))).embeds?.[0]?.title).toBeTruthy();

    // Every attempt fails: @discordjs/rest tries each request 4 times (retries: 3), so 8 failures sink both the
    // reply and the error reply; both failures are logged, nothing is thrown.
    const before = h.discord.restLog.length;
    h.discord.failRest({ method: 'POST', path: /\/callback$/ }, { status: 503 }, 8);
    const failing = command(h, 'nowplaying');
    await vi.waitFor(
      () => expect(h.logs.lines.some((l) => l.includes('could not send the error reply'))).toBe(true),
      { timeout: 5_000, interval: 20 },
    );
    expect(h.logs.lines.some((l) => l.includes('interaction failed') && l.includes('/nowplaying'))).toBe(true);
    expect(failing.edits).toEqual([]);
    settledByLog(failing);
    const attempts = h.discord.restLog.slice(before).filter((r) => r.path.endsWith('/callback'));
    expect(attempts.map((r) => r.status)).toEqual(Array.from({ length: 8 }, () => 503));
    await expectRecovered(h);
  });

  it("Discord's deadline passes before the bot answers: both replies are refused, logged, no crash", async () => {
    // The bot waits up to 1 s before deferring, Spotify takes 400 ms, and this Discord allows only 150 ms.
    const h = await start({ discord: { interactionDeadlineMs: 150 }, tuning: { deferAfterMs: 1_000, spotifyTimeoutMs: 2_000 } });
    h.spotify.latencyMs = 400;
    const late = command(h, 'nowplaying');
    await h.discord.waitFor<{ interactionId: string }>('interactionExpired', (e) => e.interactionId === late.id);
    await vi.waitFor(
      () => expect(h.logs.lines.some((l) => l.includes('could not send the error reply'))).toBe(true),
      { timeout: 3_000, interval: 20 },
    );
    expect(h.logs.lines.some((l) => l.includes('interaction failed') && l.includes('Unknown interaction'))).toBe(true);
    settledByLog(late);

    h.discord.interactionDeadlineMs = 3_000;
    h.spotify.latencyMs = 0;
    await expectRecovered(h);
  });

  it('webhook edit after a defer fails (429, then 5xx): retried or answered with a follow-up, logged, bot stays up', async () => {
    const h = await start({ tuning: { deferAfterMs: 100, spotifyTimeoutMs: 2_000 } });
    h.spotify.latencyMs = 300;
    const edit = { method: 'PATCH', path: /\/messages\/@original$/ };

    // 429 on the edit: waited out, the edit lands.
    h.discord.failRest(edit, { status: 429, retryAfter: 0.2 }, 1);
    const limited = command(h, 'nowplaying');
    expect((await limited.response()).type).toBe(5);
    expect((await limited.finalMessage()).embeds?.[0]?.title).toBeTruthy();

    // The edit keeps failing with 500: the bot logs it and tells the user with an ephemeral follow-up.
    h.discord.failRest(edit, { status: 500 }, 4);
    const broken = command(h, 'nowplaying');
    expect((await broken.response()).type).toBe(5);
    const followUp = await broken.followUp(0, 6_000);
    expect(followUp.flags).toBe(EPHEMERAL);
    expect(broken.edits).toEqual([]);
    expect(h.logs.lines.some((l) => l.includes('interaction failed') && l.includes('/nowplaying'))).toBe(true);

    h.spotify.latencyMs = 0;
    await expectRecovered(h);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Storage

describe('storage faults', () => {
  it('SQLite file unwritable mid-run: commands and presence keep working from memory; the warning is logged once', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'npb-faults-')), 'data');
    cleanups.push(() => rmSync(join(folder, '..'), { recursive: true, force: true }));
    const h = await start({ env: { STORAGE_URL: `sqlite://${join(folder, 'bot.sqlite')}` } });
    await showTrack(h);
    expect((await answerOf(topTracks(h, 'short_term'))).embeds?.[0]?.title).toMatch(/Top tracks/);

    // We run as root, so chmod can't make the file read-only, and a WAL database writes into files it already has
    // open. Instead another connection makes SQLite itself refuse every write to the key-value table, as a full
    // or read-only disk would: reads still work, each write fails.
    const other = new Database(join(folder, 'bot.sqlite'));
    for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
      other.exec(`CREATE TRIGGER refuse_${op.toLowerCase()} BEFORE ${op} ON keyv BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    }
    other.close();

    // Top lists can't be cached any more: each command fetches again, and answers.
    for (const range of ['medium_term', 'long_term', 'medium_term'] as const) {
      expect((await answerOf(topTracks(h, range))).embeds?.[0]?.title).toMatch(/Top tracks/);
    }
    // Spotify rotates the refresh token while it can't be saved: the new one is kept in memory and used.
    h.spotify.rotateRefreshTokens = true;
    h.spotify.expireAccessTokens();
    await expectNowPlaying(h);
    h.spotify.expireAccessTokens();
    await expectNowPlaying(h);
    expect(h.spotify.count('refresh')).toBeGreaterThanOrEqual(3);

    await expectRecovered(h);
    const warnings = h.logs.lines.filter((l) => l.includes('storage operation failed'));
    expect(warnings.length).toBe(1);
    expect(h.logs.lines.some((l) => l.includes('storage works again'))).toBe(false);
  });

  const haveRedisServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!haveRedisServer) {
    if (process.env.CI) throw new Error('redis-server is not on PATH; CI must run the Redis restart case');
    console.warn('[skip] Redis restart case skipped: redis-server is not on PATH (install redis-server to run it)');
  }

  it.runIf(haveRedisServer)('Redis restarted mid-run: the bot keeps answering while it is down, and uses it again after', async () => {
    const port = await closedPort();
    const url = `redis://127.0.0.1:${port}`;
    let redis = await startRedis(port);
    cleanups.push(() => stopRedis(redis));
    const h = await start({ env: { STORAGE_URL: url } });
    await showTrack(h);
    expect((await answerOf(topTracks(h, 'short_term'))).embeds?.[0]?.title).toMatch(/Top tracks/);

    await stopRedis(redis);
    // Down: storage reads and writes time out and miss; the commands still answer (deferred, then edited in).
    await expectNowPlaying(h);
    const whileDown = topTracks(h, 'medium_term');
    expect((await answerOf(whileDown, 10_000)).embeds?.[0]?.title).toMatch(/Top tracks/);
    await expectRecovered(h);
    expect(h.logs.lines.some((l) => l.includes('storage operation failed') && l.includes('store=redis'))).toBe(true);

    // Back: the client reconnects by itself and storage works again.
    redis = await startRedis(port);
    await vi.waitFor(async () => expect(await h.app.storage.set('fault-suite:probe', 1, 10_000)).toBe(true), {
      timeout: 8_000,
      interval: 100,
    });
    expect((await answerOf(topTracks(h, 'long_term'))).embeds?.[0]?.title).toMatch(/Top tracks/);
    expect(h.logs.lines.some((l) => l.includes('storage works again'))).toBe(true);
    // What the bot cached went to the restarted server (read back over a separate connection).
    const reader = await openStorage(url);
    cleanups.push(() => reader.close());
    expect(await reader.get(`spotify:top:${OWNER_ACCOUNT}:tracks:long_term`)).toMatchObject({ range: 'long_term' });
    // Each distinct failure was logged once, not once per operation.
    const warned = h.logs.lines.filter((l) => l.includes('storage operation failed')).map((l) => l.slice(l.indexOf(' ')));
    expect(new Set(warned).size).toBe(warned.length);
    await expectNowPlaying(h);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Helpers: ports, a TCP relay, a private redis-server

/** A loopback port nothing listens on: listen on port 0, note the port, close. */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Listens on `port` and pipes every connection to `target` on loopback. */
async function tcpRelay(port: number, target: number): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: NetServer = createNetServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const s of [client, upstream]) {
      s.on('error', drop);
      s.on('close', drop);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    { stdio: 'ignore' },
  );
  await vi.waitFor(async () => expect(await redisAnswers(`redis://127.0.0.1:${port}`)).toBe(true), {
    timeout: 5_000,
    interval: 50,
  });
  return child;
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}
