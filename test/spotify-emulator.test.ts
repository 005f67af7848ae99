// Self-test: the Spotify emulator speaks the protocol the bot relies on (plain fetch, no bot code).

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { basicAuth, SpotifyEmulator } from '../emulators/spotify.js';
import { adPlaying, makeEpisode, makeLocalTrack, makeTrack, makeTracks, playing } from '../emulators/spotify-fixtures.js';

let emu: SpotifyEmulator;

beforeEach(async () => {
  emu = await SpotifyEmulator.start();
});
afterEach(async () => {
  await emu.close();
});

function tokenRequest(params: Record<string, string>, auth = basicAuth(emu.clientId, emu.clientSecret)): Promise<Response> {
  return fetch(emu.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth },
    body: new URLSearchParams(params),
  });
}

function api(path: string, accessToken = emu.mintAccessToken()): Promise<Response> {
  return fetch(`${emu.apiUrl}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
}

describe('Spotify emulator: Web API', () => {
  it('answers 204 with an empty body when nothing plays, 200 JSON otherwise', async () => {
    const empty = await api('/me/player/currently-playing');
    expect(empty.status).toBe(204);
    expect(empty.headers.get('content-type')).toBeNull();
    expect(await empty.text()).toBe('');

    emu.setCurrentlyPlaying({ ...playing(makeTrack(), { progressMs: 1234 }), timestamp: 0 });
    const res = await api('/me/player/currently-playing');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { item: { id: string }; progress_ms: number; timestamp: number };
    expect(body.item.id).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(body.progress_ms).toBe(1234);
    expect(body.timestamp).toBeGreaterThan(0);
  });

  it('hides episodes without additional_types=episode, and serves ads and local files', async () => {
    emu.setCurrentlyPlaying(playing(makeEpisode()));
    const hidden = (await (await api('/me/player/currently-playing')).json()) as { item: unknown; currently_playing_type: string };
    expect(hidden).toMatchObject({ item: null, currently_playing_type: 'episode' });
    const shown = (await (await api('/me/player/currently-playing?additional_types=episode')).json()) as { item: { type: string } };
    expect(shown.item.type).toBe('episode');

    emu.setCurrentlyPlaying(adPlaying());
    expect(await (await api('/me/player/currently-playing')).json()).toMatchObject({ item: null, progress_ms: null, currently_playing_type: 'ad' });

    const local = makeLocalTrack({ artist: 'Daft Punk', album: 'Discovery', title: 'One More Time', durationMs: 320_000 });
    expect(local).toMatchObject({ id: null, is_local: true, uri: 'spotify:local:Daft+Punk:Discovery:One+More+Time:320' });
  });

  it('rejects missing, unknown and expired tokens with Spotify-shaped 401s', async () => {
    const none = await fetch(`${emu.apiUrl}/me`);
    expect(none.status).toBe(401);
    expect(await api('/me', 'nope').then((r) => r.json())).toEqual({ error: { status: 401, message: 'Invalid access token' } });
    const t = emu.mintAccessToken();
    expect((await api('/me', t)).status).toBe(200);
    emu.expireAccessTokens();
    const expired = await api('/me', t);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ error: { status: 401, message: 'The access token expired' } });
  });

  it('pages top items and validates limit', async () => {
    emu.setTop('tracks', makeTracks(5), 'short_term');
    const res = await api('/me/top/tracks?time_range=short_term&limit=2&offset=2');
    const page = (await res.json()) as { items: Array<{ name: string }>; total: number; next: string; previous: string };
    expect(page.items).toHaveLength(2);
    expect(page.total).toBe(5);
    expect(page.next).toBe(`${emu.apiUrl}/me/top/tracks?time_range=short_term&limit=2&offset=4`);
    expect(page.previous).toContain('offset=0');
    expect((await api('/me/top/tracks?limit=51')).status).toBe(400);
    expect(await api('/me/top/artists').then((r) => r.json())).toMatchObject({ items: [], total: 0, next: null });
  });
});

describe('Spotify emulator: accounts', () => {
  it('answers wrong client credentials with invalid_client', async () => {
    emu.addRefreshToken('rt-1');
    const badSecret = await tokenRequest({ grant_type: 'refresh_token', refresh_token: 'rt-1' }, basicAuth(emu.clientId, 'wrong'));
    expect(badSecret.status).toBe(400);
    expect(await badSecret.json()).toEqual({ error: 'invalid_client', error_description: 'Invalid client secret' });
    const badId = await tokenRequest({ grant_type: 'refresh_token', refresh_token: 'rt-1' }, basicAuth('who', emu.clientSecret));
    expect(await badId.json()).toEqual({ error: 'invalid_client', error_description: 'Invalid client' });
  });

  it('refreshes without a refresh_token field, rotates when asked, and reports revocation', async () => {
    emu.addRefreshToken('rt-1');
    const plain = (await (await tokenRequest({ grant_type: 'refresh_token', refresh_token: 'rt-1' })).json()) as Record<string, unknown>;
    expect(plain).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(plain).not.toHaveProperty('refresh_token');

    emu.rotateRefreshTokens = true;
    const rotated = (await (await tokenRequest({ grant_type: 'refresh_token', refresh_token: 'rt-1' })).json()) as { refresh_token: string };
    expect(rotated.refresh_token).toBe(emu.issuedRefreshTokens[0]);
    const old = await tokenRequest({ grant_type: 'refresh_token', refresh_token: 'rt-1' });
    expect(old.status).toBe(400);
    expect(((await old.json()) as { error: string }).error).toBe('invalid_grant');

    emu.revokeRefreshToken(rotated.refresh_token);
    const revoked = await tokenRequest({ grant_type: 'refresh_token', refresh_token: rotated.refresh_token });
    expect(await revoked.json()).toEqual({ error: 'invalid_grant', error_description: 'Refresh token revoked' });
    expect(emu.count('refresh')).toBe(4);
  });

  it('runs the authorization code flow with single-use codes', async () => {
    const redirectUri = 'http://127.0.0.1:8888/callback';
    const authorize = `${emu.authorizeUrl}?${new URLSearchParams({ client_id: emu.clientId, response_type: 'code', redirect_uri: redirectUri, scope: 'user-top-read', state: 's1' })}`;
    expect((await fetch(authorize)).status).toBe(200);
    expect(() => emu.approve(authorize.replace('127.0.0.1%3A8888', 'localhost%3A8888'))).toThrow(/redirect URI/);

    const callback = new URL(emu.approve(authorize));
    expect(callback.searchParams.get('state')).toBe('s1');
    const code = callback.searchParams.get('code') ?? '';
    const exchanged = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: redirectUri });
    expect(await exchanged.json()).toMatchObject({ token_type: 'Bearer', scope: 'user-top-read', refresh_token: emu.issuedRefreshTokens[0] });
    const reused = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: redirectUri });
    expect(reused.status).toBe(400);
    expect(new URL(emu.approve(authorize, { deny: true })).searchParams.get('error')).toBe('access_denied');
  });
});

describe('Spotify emulator: faults', () => {
  it('serves queued 429s with Retry-After, then recovers', async () => {
    emu.quotaExceeded(7);
    const limited = await api('/me');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.json()).toEqual({ error: { status: 429, message: 'Too many requests', reason: 'QUOTA_EXCEEDED' } });
    expect((await api('/me')).status).toBe(200);
    expect(emu.count('api')).toBe(2);
  });

  it('serves malformed and destroyed responses', async () => {
    emu.fail('currently-playing', { malformed: true });
    emu.fail('currently-playing', { destroy: true });
    await expect(api('/me/player/currently-playing').then((r) => r.json())).rejects.toThrow(SyntaxError);
    await expect(api('/me/player/currently-playing')).rejects.toThrow();
  });

  it('releases a hanging request on close()', async () => {
    emu.fail('token', { hang: true });
    const pending = tokenRequest({ grant_type: 'refresh_token', refresh_token: 'x' });
    await emu.waitForRequest('token');
    const started = Date.now();
    await emu.close();
    await expect(pending).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
