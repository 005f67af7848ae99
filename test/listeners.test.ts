// The listener registry against the Spotify emulator: per-listener Spotify state is created on demand, bounded
// (least recently used out, the owner pinned), isolated between listeners, and forgotten in one call.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTrack, makeTracks, playing } from '../emulators/spotify-fixtures.js';
import type { SpotifyEmulator } from '../emulators/spotify.js';
import type { App } from '../src/app.js';
import { accountKey, InvalidListenerError, OWNER, type Listener } from '../src/listeners/listener.js';
import { SpotifyAuthError, SpotifyRateLimitError } from '../src/spotify/errors.js';
import type { Storage } from '../src/storage.js';
import { buildApp, startSpotifyEmulator } from './support/spotify-app.js';

const alice: Listener = { kind: 'linked', userId: '300000000000000001' };
const bob: Listener = { kind: 'linked', userId: '300000000000000002' };
const carol: Listener = { kind: 'linked', userId: '300000000000000003' };

let emulator: SpotifyEmulator;
let app: App;
let storage: Storage;

/** Give a linked listener a grant the emulator accepts (their own refresh token, same Spotify user). */
async function link(listener: Listener): Promise<void> {
  const token = `refresh-${accountKey(listener)}`;
  emulator.addRefreshToken(token);
  await app.tokens.storeAuthorizedGrant(accountKey(listener), { refreshToken: token, scope: null, grantedAt: Date.now() });
}

beforeEach(async () => {
  emulator = await startSpotifyEmulator();
  emulator.setCurrentlyPlaying(playing(makeTrack()));
  ({ app, storage } = await buildApp(emulator, { tuning: { maxListeners: 3 } }));
});

afterEach(async () => {
  app.listeners.dispose();
  await storage.close();
  await emulator.close();
});

describe('listeners', () => {
  it('account keys: the owner keeps `owner`; members are `user:<id>`; anything else is refused', () => {
    expect(accountKey(OWNER)).toBe('owner');
    expect(accountKey(alice)).toBe('user:300000000000000001');
    expect(() => accountKey({ kind: 'linked', userId: '../owner' })).toThrow(InvalidListenerError);
    expect(() => accountKey({ kind: 'linked', userId: '' })).toThrow(InvalidListenerError);
    expect(() => app.services.listening.current({ kind: 'linked', userId: 'owner' })).toThrow(InvalidListenerError);
  });

  it('scopes are created on demand, bounded, least recently used out, the owner pinned', () => {
    // The owner is the first listener: created with the app.
    expect(app.listeners.inMemory()).toEqual(['owner']);
    const owner = app.listeners.owner;
    app.listeners.scope(alice);
    app.listeners.scope(bob);
    expect(app.listeners.inMemory()).toEqual(['owner', 'user:300000000000000001', 'user:300000000000000002']);
    app.listeners.scope(alice); // alice is now the most recent
    app.listeners.scope(carol); // over the bound of 3: the least recent that isn't the owner (bob) goes
    expect(app.listeners.inMemory()).toEqual(['owner', 'user:300000000000000001', 'user:300000000000000003']);
    // The owner, though least recently used, was kept, and is the same scope (same Spotify client) as before.
    expect(app.listeners.owner).toBe(owner);
    expect(app.spotify).toBe(owner.spotify);
  });

  it('each listener has their own state: grant, listening cache, top-list cache; the rate-limit clock is the app\'s', async () => {
    await link(alice);
    // Bob has no grant: his calls fail, nobody else's do.
    await expect(app.services.listening.current(bob)).rejects.toMatchObject({ name: 'SpotifyAuthError', reason: 'no_token' });
    expect((await app.services.listening.current(OWNER)).kind).toBe('track');
    expect((await app.services.listening.current(alice)).kind).toBe('track');
    // Each listener's own freshness window: a second call each costs nothing, a new listener costs one request.
    expect(emulator.count('currently-playing')).toBe(2);
    await app.services.listening.current(OWNER);
    await app.services.listening.current(alice);
    expect(emulator.count('currently-playing')).toBe(2);

    emulator.setTop('tracks', makeTracks(20));
    await app.services.top.tracks(alice, 'short_term');
    expect(await storage.get('spotify:top:user:300000000000000001:tracks:short_term')).toMatchObject({ range: 'short_term' });
    expect(await storage.get('spotify:top:owner:tracks:short_term')).toBeUndefined();

    // Spotify's limits are the app's (#10): a long Retry-After seen for Alice blocks every account, the owner's too,
    // and nothing is sent until it has passed.
    emulator.fail('top', { status: 429, headers: { 'retry-after': '120' } });
    await expect(app.services.top.artists(alice, 'long_term')).rejects.toBeInstanceOf(SpotifyRateLimitError);
    expect(app.listeners.scope(alice).spotify.rateLimit().retryAfterSeconds).toBeGreaterThan(0);
    expect(app.spotify.rateLimit().retryAfterSeconds).toBeGreaterThan(100);
    const sent = emulator.count('top');
    await expect(app.services.top.artists(OWNER, 'long_term')).rejects.toBeInstanceOf(SpotifyRateLimitError);
    expect(emulator.count('top')).toBe(sent);
  });

  it('an evicted listener is rebuilt on demand from what storage kept', async () => {
    await link(alice);
    await app.services.listening.current(alice);
    await app.services.listening.current(alice);
    expect(emulator.count('currently-playing')).toBe(1);
    app.listeners.scope(bob);
    app.listeners.scope(carol);
    app.listeners.scope({ kind: 'linked', userId: '300000000000000004' });
    expect(app.listeners.inMemory()).not.toContain('user:300000000000000001');
    // A new scope: its freshness window starts over (one more request), its grant comes back from storage.
    expect((await app.services.listening.current(alice)).kind).toBe('track');
    expect(emulator.count('currently-playing')).toBe(2);
    expect(emulator.count('refresh')).toBe(1);
  });

  it('delete forgets a listener in one call: scope, grant, access token, caches — and nobody else', async () => {
    await link(alice);
    emulator.setTop('tracks', makeTracks(20));
    await app.services.listening.current(alice);
    await app.services.top.tracks(alice, 'short_term');
    await app.services.top.tracks(OWNER, 'short_term');
    await app.services.account.status(alice);
    const a = 'user:300000000000000001';
    expect(await storage.get(`spotify:grant:${a}`)).toBeDefined();
    expect(await storage.get(`spotify:access:${a}`)).toBeDefined();

    await app.listeners.delete(alice);

    expect(app.listeners.inMemory()).not.toContain(a);
    expect(await storage.get(`spotify:grant:${a}`)).toBeUndefined();
    expect(await storage.get(`spotify:access:${a}`)).toBeUndefined();
    expect(await storage.get(`spotify:top:${a}:tracks:short_term`)).toBeUndefined();
    expect(await app.tokens.currentGrant(a)).toBeNull();
    const error = await app.services.listening.current(alice).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(SpotifyAuthError);
    expect((await app.services.account.status(alice)).health).toBeNull();
    // The owner's grant and cache are untouched (their keys are the pre-listener ones).
    expect(await storage.get('spotify:grant:owner')).toBeDefined();
    expect(await storage.get('spotify:top:owner:tracks:short_term')).toBeDefined();
    expect((await app.services.listening.current(OWNER)).kind).toBe('track');
  });
});
