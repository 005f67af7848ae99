// The Spotify module end to end against the loopback Spotify emulator: tokens, rotation, errors, retries.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OWNER_ACCOUNT } from '../src/listeners/listener.js';
import { coverImage } from '../src/listening-state.js';
import {
  SpotifyAuthError,
  SpotifyRateLimitError,
  SpotifyUnavailableError,
  SpotifyApiError,
} from '../src/spotify/errors.js';
import type { SpotifyEmulator } from '../emulators/spotify.js';
import { adPlaying, makeArtists, makeEpisode, makeLocalTrack, makePlayHistory, makeTrack, makeTracks, playing } from '../emulators/spotify-fixtures.js';
import { TEST_REFRESH_TOKEN, TEST_SPOTIFY_CLIENT_SECRET } from '../emulators/env.js';
import { buildApp, secretsIn, startSpotifyEmulator } from './support/spotify-app.js';

let emulator: SpotifyEmulator;
beforeEach(async () => {
  emulator = await startSpotifyEmulator();
  emulator.setCurrentlyPlaying(playing(makeTrack()));
});
afterEach(async () => {
  await emulator.close();
});

const sqliteUrl = (): string => `sqlite://${join(mkdtempSync(join(tmpdir(), 'npb-spotify-')), 'bot.sqlite')}`;

describe('access tokens', () => {
  it('one token request serves 50 calls', async () => {
    const { app } = await buildApp(emulator);
    for (let i = 0; i < 50; i++) await app.spotify.getCurrentlyPlaying();
    expect(emulator.count('refresh')).toBe(1);
    expect(emulator.count('currently-playing')).toBe(50);
  });

  it('50 concurrent callers share exactly one refresh', async () => {
    const { app } = await buildApp(emulator);
    emulator.latencyMs = 30; // keep the refresh in flight while the others arrive
    const results = await Promise.all(Array.from({ length: 50 }, () => app.tokens.getAccessToken(OWNER_ACCOUNT)));
    expect(new Set(results).size).toBe(1);
    expect(emulator.count('refresh')).toBe(1);
  });

  it('a failed refresh is not cached: the next call refreshes again', async () => {
    const { app } = await buildApp(emulator);
    emulator.fail('token', { status: 503 }, 3);
    await expect(app.spotify.getCurrentlyPlaying()).rejects.toBeInstanceOf(SpotifyUnavailableError);
    expect(emulator.count('refresh')).toBe(3); // first try + 2 bounded retries
    await expect(app.spotify.getCurrentlyPlaying()).resolves.not.toBeNull();
    expect(emulator.count('refresh')).toBe(4);
  });

  it('a 5xx from the token endpoint is retried with backoff, then succeeds', async () => {
    const { app } = await buildApp(emulator);
    emulator.fail('token', { status: 502 }, 1);
    await expect(app.spotify.getCurrentlyPlaying()).resolves.not.toBeNull();
    expect(emulator.count('refresh')).toBe(2);
  });

  it('401 from the API → one refresh and one retry', async () => {
    const { app } = await buildApp(emulator);
    await app.spotify.getCurrentlyPlaying();
    emulator.expireAccessTokens();
    await expect(app.spotify.getCurrentlyPlaying()).resolves.not.toBeNull();
    expect(emulator.count('refresh')).toBe(2);
    expect(emulator.count('currently-playing')).toBe(3);
  });

  it('a 401 that persists after the refresh is not retried forever', async () => {
    const { app } = await buildApp(emulator);
    emulator.fail('currently-playing', { status: 401, body: { error: { status: 401, message: 'The access token expired' } } }, 5);
    await expect(app.spotify.getCurrentlyPlaying()).rejects.toBeInstanceOf(SpotifyApiError);
    expect(emulator.count('currently-playing')).toBe(2);
    expect(emulator.count('refresh')).toBe(2);
  });

  it('reuses a stored access token after a restart instead of refreshing', async () => {
    const storageUrl = sqliteUrl();
    const first = await buildApp(emulator, { storageUrl });
    await first.app.spotify.getCurrentlyPlaying();
    await first.storage.close();
    const second = await buildApp(emulator, { storageUrl });
    await second.app.spotify.getCurrentlyPlaying();
    expect(emulator.count('refresh')).toBe(1);
    await second.storage.close();
  });
});

describe('refresh-token rotation', () => {
  it('persists a rotated refresh token and uses it after a restart (SQLite)', async () => {
    emulator.rotateRefreshTokens = true;
    const storageUrl = sqliteUrl();
    const first = await buildApp(emulator, { storageUrl });
    await first.app.spotify.getCurrentlyPlaying();
    await first.storage.close();
    expect(emulator.issuedRefreshTokens).toHaveLength(1);
    const rotated = emulator.issuedRefreshTokens[0]!;

    // Restart with the same (now superseded) env token; the original is dead at Spotify after rotation.
    emulator.expireAccessTokens();
    const second = await buildApp(emulator, { storageUrl });
    await expect(second.app.spotify.getCurrentlyPlaying()).resolves.not.toBeNull();
    const refreshes = emulator.requests.filter((r) => r.grantType === 'refresh_token');
    expect(refreshes.map((r) => r.status)).toEqual([200, 200]);
    expect((await second.app.tokens.currentGrant(OWNER_ACCOUNT))?.source).toBe('rotation');
    expect(emulator.issuedRefreshTokens).toHaveLength(2);
    expect(emulator.issuedRefreshTokens[0]).toBe(rotated);
    await second.storage.close();
  });

  it('keeps the old refresh token when none comes back', async () => {
    const { app } = await buildApp(emulator);
    await app.spotify.getCurrentlyPlaying();
    emulator.expireAccessTokens();
    await app.spotify.getCurrentlyPlaying();
    expect((await app.tokens.currentGrant(OWNER_ACCOUNT))?.refreshToken).toBe(TEST_REFRESH_TOKEN);
    expect(emulator.count('refresh')).toBe(2);
  });

  it('a changed SPOTIFY_REFRESH_TOKEN in the environment wins over the stored one', async () => {
    emulator.rotateRefreshTokens = true;
    const storageUrl = sqliteUrl();
    const first = await buildApp(emulator, { storageUrl });
    await first.app.spotify.getCurrentlyPlaying();
    await first.storage.close();

    const fresh = 'AQD-freshly-authorized-token-1111111111111111111111';
    emulator.addRefreshToken(fresh);
    emulator.rotateRefreshTokens = false;
    emulator.expireAccessTokens();
    const second = await buildApp(emulator, { storageUrl, env: { SPOTIFY_REFRESH_TOKEN: fresh } });
    await second.app.tokens.getAccessToken(OWNER_ACCOUNT).catch(() => undefined);
    const grant = await second.app.tokens.currentGrant(OWNER_ACCOUNT);
    expect(grant?.refreshToken).toBe(fresh);
    expect(grant?.source).toBe('env');
    await expect(second.app.spotify.getCurrentlyPlaying()).resolves.not.toBeNull();
    await second.storage.close();
  });
});

describe('terminal auth errors', () => {
  it('invalid_grant → typed error with a hint, and no retry storm', async () => {
    const { app, logs } = await buildApp(emulator);
    emulator.revokeRefreshToken(TEST_REFRESH_TOKEN);
    const errors = await Promise.all(
      Array.from({ length: 20 }, () => app.spotify.getCurrentlyPlaying().then(() => null, (e: unknown) => e)),
    );
    for (const error of errors) {
      expect(error).toBeInstanceOf(SpotifyAuthError);
      expect((error as SpotifyAuthError).reason).toBe('invalid_grant');
      expect((error as SpotifyAuthError).hint).toMatch(/npm run authorize/);
    }
    // More calls later still don't reach Spotify: the dead token is remembered.
    await expect(app.spotify.getCurrentlyPlaying()).rejects.toBeInstanceOf(SpotifyAuthError);
    expect(emulator.count('refresh')).toBe(1);
    expect(emulator.count('currently-playing')).toBe(0);
    expect(logs.lines.filter((l) => l.includes('rejected the refresh token'))).toHaveLength(1);
  });

  it('invalid_client → typed error naming the app credentials', async () => {
    const { app } = await buildApp(emulator, { env: { SPOTIFY_CLIENT_SECRET: 'ffffffffffffffffffffffffffffffff' } });
    const error = await app.spotify.getCurrentlyPlaying().then(() => null, (e: unknown) => e as SpotifyAuthError);
    expect(error).toBeInstanceOf(SpotifyAuthError);
    expect(error?.reason).toBe('invalid_client');
    expect(error?.hint).toMatch(/SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET/);
    expect(emulator.count('refresh')).toBe(1);
  });
});

describe('rate limits, server errors, timeouts', () => {
  it('429 with a short Retry-After is waited out, never retried early', async () => {
    const { app } = await buildApp(emulator);
    emulator.fail('currently-playing', { status: 429, headers: { 'retry-after': '1' } });
    await expect(app.spotify.getCurrentlyPlaying()).resolves.not.toBeNull();
    const calls = emulator.requests.filter((r) => r.route === 'currently-playing');
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1_000);
  });

  it('429 with a long Retry-After fails fast and sends nothing until it has passed', async () => {
    let now = Date.now();
    const { app } = await buildApp(emulator, { tuning: { now: () => now } });
    emulator.fail('currently-playing', { status: 429, headers: { 'retry-after': '30' } });
    const error = await app.spotify.getCurrentlyPlaying().then(() => null, (e: unknown) => e as SpotifyRateLimitError);
    expect(error).toBeInstanceOf(SpotifyRateLimitError);
    expect(error?.retryAfterSeconds).toBe(30);
    expect(error?.quotaExceeded).toBe(false);
    now += 29_000;
    await expect(app.spotify.getCurrentlyPlaying()).rejects.toMatchObject({ retryAfterSeconds: 1 });
    expect(emulator.count('currently-playing')).toBe(1);
    now += 1_000;
    await expect(app.spotify.getCurrentlyPlaying()).resolves.not.toBeNull();
    expect(emulator.count('currently-playing')).toBe(2);
  });

  it('QUOTA_EXCEEDED surfaces distinctly', async () => {
    const { app } = await buildApp(emulator);
    emulator.quotaExceeded(1);
    const error = await app.spotify.getCurrentlyPlaying().then(() => null, (e: unknown) => e as SpotifyRateLimitError);
    expect(error).toBeInstanceOf(SpotifyRateLimitError);
    expect(error?.quotaExceeded).toBe(true);
    expect(app.spotify.rateLimit()).toMatchObject({ quotaExceeded: true });
    expect(emulator.count('currently-playing')).toBe(1);
  });

  it('503 is retried with bounded backoff, then succeeds', async () => {
    const { app } = await buildApp(emulator);
    emulator.fail('currently-playing', { status: 503 }, 2);
    await expect(app.spotify.getCurrentlyPlaying()).resolves.not.toBeNull();
    expect(emulator.count('currently-playing')).toBe(3);
  });

  it('persistent 5xx gives up after the bounded retries', async () => {
    const { app } = await buildApp(emulator);
    emulator.fail('currently-playing', { status: 500 }, 10);
    await expect(app.spotify.getCurrentlyPlaying()).rejects.toBeInstanceOf(SpotifyUnavailableError);
    expect(emulator.count('currently-playing')).toBe(3);
  });

  it('a request that hangs times out, is retried, and finally fails cleanly', async () => {
    const { app } = await buildApp(emulator);
    await app.tokens.getAccessToken(OWNER_ACCOUNT);
    emulator.fail('currently-playing', { hang: true }, 3);
    const started = Date.now();
    const error = await app.spotify.getCurrentlyPlaying().then(() => null, (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(SpotifyUnavailableError);
    expect(error?.message).toMatch(/no answer within 400 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(emulator.count('currently-playing')).toBe(3);
  });

  it('one hang then an answer: the retry succeeds', async () => {
    const { app } = await buildApp(emulator);
    emulator.fail('currently-playing', { hang: true }, 1);
    await expect(app.spotify.getCurrentlyPlaying()).resolves.not.toBeNull();
  });

  it('malformed JSON and connection drops are errors, not crashes', async () => {
    const { app } = await buildApp(emulator);
    emulator.fail('currently-playing', { malformed: true });
    await expect(app.spotify.getCurrentlyPlaying()).rejects.toBeInstanceOf(SpotifyApiError);
    emulator.fail('currently-playing', { destroy: true }, 3);
    await expect(app.spotify.getCurrentlyPlaying()).rejects.toBeInstanceOf(SpotifyUnavailableError);
  });
});

describe('listening state', () => {
  it('204 → nothing playing, never parsed as JSON', async () => {
    const { app } = await buildApp(emulator);
    emulator.setCurrentlyPlaying(null);
    expect(await app.spotify.getCurrentlyPlaying()).toBeNull();
    expect((await app.listening.current()).kind).toBe('nothing');
  });

  it('a track, with every artist, album art and links', async () => {
    const { app } = await buildApp(emulator);
    const track = makeTrack();
    emulator.setCurrentlyPlaying(playing(track, { progressMs: 30_000, isPlaying: false }));
    const state = await app.listening.current();
    expect(state).toMatchObject({ kind: 'track', title: track.name, isPlaying: false, progressMs: 30_000, isLocal: false });
    if (state.kind !== 'track') throw new Error('expected a track');
    expect(state.artists.map((a) => a.name)).toEqual(track.artists.map((a) => a.name));
    expect(state.url).toMatch(/^https:\/\/open\.spotify\.com\/track\//);
    // The 300 px cover of the 640/300/64 Spotify lists: enough for a 240 px card and 320 px chart tiles.
    expect(track.album.images.map((i) => i.width)).toEqual([640, 300, 64]);
    expect(state.imageUrl).toBe(track.album.images[1]!.url);
  });

  it('an episode (additional_types=episode is always sent)', async () => {
    const { app } = await buildApp(emulator);
    const episode = makeEpisode();
    emulator.setCurrentlyPlaying(playing(episode));
    const state = await app.listening.current();
    expect(state).toMatchObject({ kind: 'episode', title: episode.name, show: { name: episode.show.name } });
    expect(emulator.requests.find((r) => r.route === 'currently-playing')?.query.additional_types).toBe('episode');
  });

  it('an ad', async () => {
    const { app } = await buildApp(emulator);
    emulator.setCurrentlyPlaying(adPlaying());
    expect((await app.listening.current()).kind).toBe('ad');
  });

  it('a local file: null ids, no links, no art', async () => {
    const { app } = await buildApp(emulator);
    emulator.setCurrentlyPlaying(playing(makeLocalTrack({ title: 'Demo Tape', artist: 'Me' })));
    const state = await app.listening.current();
    expect(state).toMatchObject({ kind: 'track', title: 'Demo Tape', isLocal: true, url: null, imageUrl: null });
    if (state.kind !== 'track') throw new Error('expected a track');
    expect(state.artists).toEqual([{ name: 'Me', url: null }]);
  });

  it('concurrent reads share one request; a fresh result is reused with progress extrapolated', async () => {
    let now = 1_000_000;
    const { app } = await buildApp(emulator, { tuning: { now: () => now, listeningFreshnessMs: 2_000 } });
    emulator.setCurrentlyPlaying(playing(makeTrack({ duration_ms: 200_000 }), { progressMs: 10_000 }));
    emulator.latencyMs = 20;
    const states = await Promise.all(Array.from({ length: 20 }, () => app.listening.current()));
    expect(emulator.count('currently-playing')).toBe(1);
    expect(new Set(states.map((s) => s.kind))).toEqual(new Set(['track']));
    now += 1_500;
    const later = await app.listening.current();
    expect(emulator.count('currently-playing')).toBe(1);
    expect(later).toMatchObject({ progressMs: 11_500 });
    now += 1_000;
    await app.listening.current();
    expect(emulator.count('currently-playing')).toBe(2);
  });
});

describe('top items', () => {
  it('are fetched once per range (50 at a time) and cached in storage', async () => {
    const { app } = await buildApp(emulator);
    emulator.setTop('tracks', makeTracks(50));
    emulator.setTop('artists', makeArtists(30));
    const first = await app.top.tracks('short_term');
    const again = await app.top.tracks('short_term');
    expect(first.items).toHaveLength(50);
    expect(again.items).toEqual(first.items);
    // Pictures: the 300 px album cover and the 320 px artist picture, not the 640 px ones listed first.
    expect(first.items[0]!.imageUrl).toMatch(/\/ab67616d00001e02/);
    expect(emulator.count('top')).toBe(1);
    expect(emulator.requests.find((r) => r.route === 'top')?.query).toMatchObject({ limit: '50', time_range: 'short_term' });
    await app.top.tracks('long_term');
    expect((await app.top.artists('short_term')).items).toHaveLength(30);
    expect(emulator.count('top')).toBe(3);
  });

  it('top artists carry the 320 px artist picture', async () => {
    const { app } = await buildApp(emulator);
    emulator.setTop('artists', makeArtists(3));
    const artists = await app.top.artists('short_term');
    expect(artists.items[0]!.imageUrl).toMatch(/\/ab67616100005174/);
  });

  it('recently played and top artists speak the API', async () => {
    const { app } = await buildApp(emulator);
    emulator.setTop('artists', makeArtists(5));
    const artists = await app.spotify.getTopArtists({ range: 'long_term', limit: 5 });
    expect(artists.items).toHaveLength(5);
    const played = makePlayHistory(
      makeTracks(12).map((t, i) => ({ ...t, name: `Played ${i + 1}` })),
      { endAt: Date.parse('2026-01-01T12:00:00Z') },
    );
    emulator.setRecentlyPlayed(played);
    const recent = await app.spotify.getRecentlyPlayed({ limit: 10 });
    expect(emulator.requests.find((r) => r.route === 'recently-played')?.query).toMatchObject({ limit: '10' });
    expect(recent.items.map((p) => [p.track.name, p.played_at])).toEqual(
      played.slice(0, 10).map((p) => [p.track.name, p.played_at]),
    );
    expect(recent.items[0]).toMatchObject({ track: { name: 'Played 1' }, played_at: '2026-01-01T12:00:00.000Z' });
  });
});

describe('secrets', () => {
  it('no token or client secret appears in any log line, even at debug level through failures', async () => {
    emulator.rotateRefreshTokens = true;
    const { app, logs } = await buildApp(emulator);
    await app.spotify.getCurrentlyPlaying();
    const access = await app.tokens.getAccessToken(OWNER_ACCOUNT);
    emulator.expireAccessTokens();
    emulator.fail('currently-playing', { status: 503 }, 1);
    await app.spotify.getCurrentlyPlaying();
    emulator.revokeRefreshToken(emulator.issuedRefreshTokens.at(-1)!);
    emulator.expireAccessTokens();
    await app.spotify.getCurrentlyPlaying().catch(() => undefined);
    expect(logs.lines.length).toBeGreaterThan(3);
    const secrets = [TEST_REFRESH_TOKEN, TEST_SPOTIFY_CLIENT_SECRET, access, ...emulator.issuedRefreshTokens];
    expect(secretsIn(logs.lines, secrets)).toEqual([]);
  });
});

describe('the log mask follows the live tokens', () => {
  it('after many rotations it holds a bounded number of secrets: replaced tokens unmasked, current ones masked', async () => {
    emulator.rotateRefreshTokens = true;
    let now = Date.now();
    const { app, logs } = await buildApp(emulator, { tuning: { now: () => now } });
    const first = await app.tokens.getAccessToken(OWNER_ACCOUNT);
    const afterFirst = logs.logger.secretCount();
    const accessTokens = [first];
    for (let i = 0; i < 40; i++) {
      now += 2 * 3600_000; // past the access token's lifetime: the next call refreshes (and Spotify rotates)
      accessTokens.push(await app.tokens.getAccessToken(OWNER_ACCOUNT));
    }
    emulator.expireAccessTokens(); // and once through a 401, the other way a token is replaced
    await app.spotify.getCurrentlyPlaying();
    const current = await app.tokens.getAccessToken(OWNER_ACCOUNT);
    expect(new Set([...accessTokens, current]).size).toBe(42);
    expect(logs.logger.secretCount()).toBeLessThanOrEqual(afterFirst);

    const currentRefresh = (await app.tokens.currentGrant(OWNER_ACCOUNT))!.refreshToken;
    const replacedRefresh = emulator.issuedRefreshTokens.at(-3)!;
    logs.logger.info(`probe ${current} ${currentRefresh} ${TEST_REFRESH_TOKEN}`);
    logs.logger.info(`replaced ${first} ${accessTokens[20]} ${replacedRefresh}`);
    const [probe, replaced] = logs.lines.slice(-2);
    expect(secretsIn([probe!], [current, currentRefresh, TEST_REFRESH_TOKEN])).toEqual([]);
    expect(replaced).toContain(first);
    expect(replaced).toContain(accessTokens[20]);
    expect(replaced).toContain(replacedRefresh);
  });

  it('an access token that expired unused is unmasked once another account refreshes; unlink unmasks its tokens', async () => {
    let now = Date.now();
    const { app, logs } = await buildApp(emulator, { tuning: { now: () => now } });
    const member = 'user:130000000000000042';
    await app.tokens.storeAuthorizedGrant(member, { refreshToken: TEST_REFRESH_TOKEN, scope: null, grantedAt: now });
    const memberAccess = await app.tokens.getAccessToken(member);
    now += 2 * 3600_000;
    await app.tokens.getAccessToken(OWNER_ACCOUNT);
    logs.logger.info(`expired ${memberAccess}`);
    expect(logs.lines.at(-1)).toContain(memberAccess);
    const ownerAccess = await app.tokens.getAccessToken(OWNER_ACCOUNT);
    const before = logs.logger.secretCount();
    await app.tokens.forgetAccount(OWNER_ACCOUNT);
    logs.logger.info(`forgotten ${ownerAccess}`);
    expect(logs.lines.at(-1)).toContain(ownerAccess);
    expect(logs.logger.secretCount()).toBeLessThan(before);
  });
});

describe('coverImage', () => {
  const img = (width: number | null, name = `w${width}`) => ({ url: `https://i.scdn.co/image/${name}`, width, height: width });

  it('picks the smallest image at least 300 px wide, in any order', () => {
    expect(coverImage([img(640), img(300), img(64)])).toBe(img(300).url);
    expect(coverImage([img(64), img(640), img(300)])).toBe(img(300).url);
    expect(coverImage([img(640), img(320), img(160)])).toBe(img(320).url);
    expect(coverImage([img(640)])).toBe(img(640).url);
  });

  it('falls back to the widest when none is 300 px, and to the first when no width is known', () => {
    expect(coverImage([img(64), img(160)])).toBe(img(160).url);
    expect(coverImage([img(null, 'a'), img(null, 'b')])).toBe(img(null, 'a').url);
    expect(coverImage([img(null, 'a'), img(640)])).toBe(img(640).url);
    expect(coverImage([])).toBeNull();
    expect(coverImage(undefined)).toBeNull();
  });
});
