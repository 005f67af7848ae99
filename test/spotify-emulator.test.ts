// Self-test: the Spotify emulator speaks the protocol the bot relies on (plain fetch, no bot code): complete
// objects that pass hand-written schemas of Spotify's published spec, several users with their own grants and
// listening, the development-mode allow-list, per-user and app-wide faults.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { basicAuth, BOT_SCOPES, NOT_REGISTERED_MESSAGE, SpotifyEmulator } from '../emulators/spotify.js';
import {
  adPlaying,
  IMAGE_SIZE_BY_PREFIX,
  makeAlbum,
  makeArtist,
  makeArtists,
  makeEpisode,
  makeLocalTrack,
  makePlayHistory,
  makeTrack,
  makeTracks,
  playing,
} from '../emulators/spotify-fixtures.js';

// ---------------------------------------------------------------- schemas
// Required fields of Spotify's OpenAPI schemas (sonallux/spotify-web-api fixed-spotify-open-api.yml 2026.5.31).
// Where the spec lists no `required` (TrackObject, ArtistObject, CurrentlyPlayingObject, PlayHistoryObject,
// PrivateUserObject, ContextObject, SimplifiedArtistObject), every non-deprecated property real responses carry is
// required. Fields removed for development-mode apps must be absent (`absent`), and so must deprecated ones the
// spec still lists as required (album/show available_markets): Spotify no longer sends them to dev-mode apps.

const absent = z.never().optional();
const id22 = z.string().regex(/^[0-9A-Za-z]{22}$/);
const uriOf = (type: string): z.ZodString => z.string().regex(new RegExp(`^spotify:${type}:[0-9A-Za-z]{22}$`));
const apiHref = z.string().regex(/^https:\/\/api\.spotify\.com\/v1\//);
const openUrl = z.object({ spotify: z.string().regex(/^https:\/\/open\.spotify\.com\//) });
const image = z.object({
  url: z.string().regex(/^https:\/\/i\.scdn\.co\/image\/[0-9a-f]{40}$/),
  height: z.number().int().nullable(),
  width: z.number().int().nullable(),
});
const date = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/);
const precision = z.enum(['year', 'month', 'day']);

const SimplifiedArtist = z.object({
  external_urls: openUrl,
  href: apiHref,
  id: id22,
  name: z.string(),
  type: z.literal('artist'),
  uri: uriOf('artist'),
});
const SimplifiedAlbum = z.object({
  album_type: z.enum(['album', 'single', 'compilation']),
  total_tracks: z.number().int().min(1),
  available_markets: absent,
  external_urls: openUrl,
  href: apiHref,
  id: id22,
  images: z.array(image),
  name: z.string(),
  release_date: date,
  release_date_precision: precision,
  type: z.literal('album'),
  uri: uriOf('album'),
  artists: z.array(SimplifiedArtist).min(1),
});
const devModeRemovedTrackFields = { popularity: absent, available_markets: absent, linked_from: absent };
const CatalogueTrack = z.object({
  album: SimplifiedAlbum,
  artists: z.array(SimplifiedArtist).min(1),
  disc_number: z.number().int().min(1),
  duration_ms: z.number().int().min(0),
  explicit: z.boolean(),
  external_ids: z.object({ isrc: z.string().optional(), ean: z.string().optional(), upc: z.string().optional() }),
  external_urls: openUrl,
  href: apiHref,
  id: id22,
  name: z.string(),
  track_number: z.number().int().min(1),
  type: z.literal('track'),
  uri: uriOf('track'),
  is_local: z.literal(false),
  ...devModeRemovedTrackFields,
});
/** A local file: Spotify's null pattern. */
const LocalTrack = z.object({
  album: z.object({
    album_type: z.null(),
    external_urls: z.object({}).strict(),
    href: z.null(),
    id: z.null(),
    images: z.array(image).length(0),
    name: z.string(),
    release_date: z.null(),
    release_date_precision: z.null(),
    type: z.literal('album'),
    uri: z.null(),
    artists: z.array(z.unknown()),
  }),
  artists: z
    .array(z.object({ external_urls: z.object({}).strict(), href: z.null(), id: z.null(), name: z.string(), type: z.literal('artist'), uri: z.null() }))
    .min(1),
  disc_number: z.number().int(),
  duration_ms: z.number().int().min(0),
  explicit: z.boolean(),
  external_ids: z.object({}),
  external_urls: z.object({}).strict(),
  href: z.null(),
  id: z.null(),
  name: z.string(),
  track_number: z.number().int(),
  type: z.literal('track'),
  uri: z.string().regex(/^spotify:local:[^:]*:[^:]*:[^:]*:\d+$/),
  is_local: z.literal(true),
  ...devModeRemovedTrackFields,
});
const Track = z.union([CatalogueTrack, LocalTrack]);
const Artist = z.object({
  external_urls: openUrl,
  href: apiHref,
  id: id22,
  images: z.array(image),
  name: z.string(),
  type: z.literal('artist'),
  uri: uriOf('artist'),
  followers: absent,
  popularity: absent,
});
const SimplifiedShow = z.object({
  available_markets: absent,
  copyrights: z.array(z.object({ text: z.string(), type: z.string() })),
  description: z.string(),
  html_description: z.string(),
  explicit: z.boolean(),
  external_urls: openUrl,
  href: apiHref,
  id: id22,
  images: z.array(image),
  is_externally_hosted: z.boolean(),
  languages: z.array(z.string()),
  media_type: z.string(),
  name: z.string(),
  type: z.literal('show'),
  uri: uriOf('show'),
  total_episodes: z.number().int(),
});
const Episode = z.object({
  description: z.string(),
  html_description: z.string(),
  duration_ms: z.number().int(),
  explicit: z.boolean(),
  external_urls: openUrl,
  href: apiHref,
  id: id22,
  images: z.array(image),
  is_externally_hosted: z.boolean(),
  is_playable: z.boolean(),
  languages: z.array(z.string()).min(1),
  name: z.string(),
  release_date: date,
  release_date_precision: precision,
  type: z.literal('episode'),
  uri: uriOf('episode'),
  show: SimplifiedShow,
});
const Context = z.object({ type: z.string(), href: z.string().nullable(), external_urls: z.object({ spotify: z.string().optional() }), uri: z.string() });
const CurrentlyPlaying = z.object({
  timestamp: z.number().int().positive(),
  context: Context.nullable(),
  progress_ms: z.number().int().nullable(),
  is_playing: z.boolean(),
  item: z.union([Track, Episode]).nullable(),
  currently_playing_type: z.enum(['track', 'episode', 'ad', 'unknown']),
  actions: z.object({ disallows: z.record(z.string(), z.boolean()) }),
  device: absent,
});
const paging = <T extends z.ZodType>(item: T) =>
  z.object({
    href: z.string(),
    items: z.array(item),
    limit: z.number().int(),
    next: z.string().nullable(),
    offset: z.number().int(),
    previous: z.string().nullable(),
    total: z.number().int(),
  });
const PagingTrack = paging(Track);
const PagingArtist = paging(Artist);
const PlayHistory = z.object({ track: Track, played_at: z.iso.datetime(), context: Context.nullable() });
const CursorPagingPlayHistory = z.object({
  href: z.string(),
  limit: z.number().int(),
  next: z.string().nullable(),
  cursors: z.object({ after: z.string(), before: z.string() }).nullable(),
  items: z.array(PlayHistory),
});
const PrivateUser = z.object({
  account_id: z.string().min(1),
  display_name: z.string().nullable(),
  external_urls: openUrl,
  href: z.string(),
  id: z.string(),
  images: z.array(image),
  type: z.literal('user'),
  uri: z.string().regex(/^spotify:user:/),
  country: absent,
  email: absent,
  product: absent,
  followers: absent,
  explicit_content: absent,
});
const ErrorBody = z.object({ error: z.object({ status: z.number().int(), message: z.string() }) });
const TokenBody = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  scope: z.string(),
  expires_in: z.number().int(),
  refresh_token: z.string().optional(),
});

/** Parses `value`; on failure the message names every path that did not conform. */
function conform<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new Error(`does not conform:\n${z.prettifyError(result.error)}`);
  return result.data;
}

// ---------------------------------------------------------------- harness

let emu: SpotifyEmulator;

beforeEach(async () => {
  emu = await SpotifyEmulator.start();
});
afterEach(async () => {
  await emu.close();
});

const REDIRECT_URI = 'http://127.0.0.1:8888/callback';

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

async function apiJson(path: string, accessToken?: string): Promise<unknown> {
  const res = await api(path, accessToken);
  expect(res.status, `${path} → ${res.status}`).toBe(200);
  return res.json();
}

function authorizeUrl(state: string, scope = BOT_SCOPES): string {
  return `${emu.authorizeUrl}?${new URLSearchParams({ client_id: emu.clientId, response_type: 'code', redirect_uri: REDIRECT_URI, scope, state })}`;
}

/** A user links their account the way the bot's flow does: authorize → approve as `userId` → code exchange. */
async function link(userId: string): Promise<{ access: string; refresh: string }> {
  const callback = new URL(emu.approve(authorizeUrl(`state-${userId}`), { userId }));
  expect(callback.searchParams.get('state')).toBe(`state-${userId}`);
  const res = await tokenRequest({ grant_type: 'authorization_code', code: callback.searchParams.get('code') ?? '', redirect_uri: REDIRECT_URI });
  expect(res.status).toBe(200);
  const body = conform(TokenBody, await res.json());
  expect(body.refresh_token).toBeDefined();
  return { access: body.access_token, refresh: body.refresh_token ?? '' };
}

async function refresh(refreshToken: string): Promise<Response> {
  return tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken });
}

// ---------------------------------------------------------------- tests

describe('Spotify emulator: objects conform to the published schemas', () => {
  it('serves complete objects on every route: tracks, local files, episodes, ads, top lists, recently played, /me', async () => {
    emu.setCurrentlyPlaying(playing(makeTrack(), { progressMs: 1234 }));
    const track = conform(CurrentlyPlaying, await apiJson('/me/player/currently-playing'));
    expect(track.item).toMatchObject({ id: '0VjIjW4GlUZAMYd2vXMi3b', name: 'Blinding Lights', album: { release_date: '2020-03-20' } });
    expect(track.context).toMatchObject({ type: 'album', uri: 'spotify:album:4yP0hdKOZPNshxUOjY0cZj' });

    emu.setCurrentlyPlaying(playing(makeLocalTrack()));
    const local = conform(CurrentlyPlaying, await apiJson('/me/player/currently-playing'));
    expect(local.item).toMatchObject({ is_local: true, id: null, uri: 'spotify:local:Daft+Punk:Discovery:One+More+Time:320' });
    expect(local.context).toBeNull();

    emu.setCurrentlyPlaying(playing(makeEpisode()));
    const episode = conform(CurrentlyPlaying, await apiJson('/me/player/currently-playing?additional_types=track,episode'));
    conform(Episode, episode.item);
    expect(episode.context).toMatchObject({ type: 'show' });
    // Without additional_types=episode the item and progress are null.
    expect(conform(CurrentlyPlaying, await apiJson('/me/player/currently-playing'))).toMatchObject({ item: null, progress_ms: null, currently_playing_type: 'episode' });

    emu.setCurrentlyPlaying(adPlaying());
    conform(CurrentlyPlaying, await apiJson('/me/player/currently-playing'));

    emu.setTop('tracks', makeTracks(30));
    emu.setTop('artists', makeArtists(30));
    const tracks = conform(PagingTrack, await apiJson('/me/top/tracks?time_range=long_term&limit=50'));
    expect(tracks.items).toHaveLength(30);
    const artists = conform(PagingArtist, await apiJson('/me/top/artists?limit=10&offset=10'));
    expect(artists.items).toHaveLength(10);

    emu.setRecentlyPlayed(makePlayHistory([...makeTracks(5), makeLocalTrack()]));
    const recent = conform(CursorPagingPlayHistory, await apiJson('/me/player/recently-played?limit=50'));
    expect(recent.items.map((p) => p.track.is_local)).toEqual([false, false, false, false, false, true]);

    const me = conform(PrivateUser, await apiJson('/me'));
    expect(me).toMatchObject({ id: 'emulatoruser', display_name: 'Emulator User', uri: 'spotify:user:emulatoruser' });
  });

  it('completes cut-down objects a test hands it, so what goes on the wire is complete', async () => {
    emu.setCurrentlyPlaying({
      timestamp: 0,
      progress_ms: 5_000,
      is_playing: false,
      currently_playing_type: 'track',
      item: {
        type: 'track',
        id: '0VjIjW4GlUZAMYd2vXMi3b',
        name: 'Blinding Lights',
        uri: 'spotify:track:0VjIjW4GlUZAMYd2vXMi3b',
        duration_ms: 200_040,
        is_local: false,
        artists: [{ id: '1Xyo4u8uXC1ZmMpatF05PJ', name: 'The Weeknd', uri: 'spotify:artist:1Xyo4u8uXC1ZmMpatF05PJ' }],
        album: { id: '4yP0hdKOZPNshxUOjY0cZj', name: 'After Hours', uri: 'spotify:album:4yP0hdKOZPNshxUOjY0cZj', images: makeAlbum('After Hours').images },
      },
    });
    const body = conform(CurrentlyPlaying, await apiJson('/me/player/currently-playing'));
    expect(body.actions.disallows).toEqual({ pausing: true });
    emu.setTop('artists', [{ type: 'artist', id: '1Xyo4u8uXC1ZmMpatF05PJ', name: 'The Weeknd', uri: 'spotify:artist:1Xyo4u8uXC1ZmMpatF05PJ' }]);
    conform(PagingArtist, await apiJson('/me/top/artists'));
  });

  it('the schemas reject the cut-down objects the emulator used to serve, and dev-mode-removed fields', () => {
    const full = makeTrack();
    const cutDownTrack = {
      type: 'track',
      id: full.id,
      name: full.name,
      uri: full.uri,
      duration_ms: full.duration_ms,
      explicit: false,
      is_local: false,
      artists: [{ id: full.artists[0]?.id, name: 'The Weeknd', uri: full.artists[0]?.uri, external_urls: full.artists[0]?.external_urls }],
      album: { id: full.album.id, name: full.album.name, uri: full.album.uri, images: full.album.images, external_urls: full.album.external_urls },
      external_urls: full.external_urls,
    };
    expect(Track.safeParse(full).success).toBe(true);
    expect(Track.safeParse(cutDownTrack).success).toBe(false);
    expect(Track.safeParse({ ...full, album: { ...full.album, album_type: undefined } }).success).toBe(false);
    expect(Track.safeParse({ ...full, popularity: 87 }).success).toBe(false);
    expect(Track.safeParse({ ...full, available_markets: ['SE'] }).success).toBe(false);
    expect(Track.safeParse({ ...makeLocalTrack(), id: 'abc' }).success).toBe(false);

    const episode = makeEpisode();
    expect(Episode.safeParse(episode).success).toBe(true);
    const { description: _d, languages: _l, ...episodeWithout } = episode;
    expect(Episode.safeParse(episodeWithout).success).toBe(false);
    expect(Episode.safeParse({ ...episode, show: { id: episode.show.id, name: 'Hard Fork', images: [] } }).success).toBe(false);

    const artist = makeArtist();
    expect(Artist.safeParse(artist).success).toBe(true);
    expect(Artist.safeParse({ ...artist, followers: { href: null, total: 1 } }).success).toBe(false);
    expect(Artist.safeParse({ ...artist, popularity: 90 }).success).toBe(false);

    const me = { display_name: 'x', external_urls: { spotify: 'https://open.spotify.com/user/x' }, href: 'h', id: 'x', images: [], type: 'user', uri: 'spotify:user:x' };
    expect(PrivateUser.safeParse(me).success).toBe(false); // no account_id
    expect(PrivateUser.safeParse({ ...me, account_id: 'aB3dE5fG7h' }).success).toBe(true);
    expect(PrivateUser.safeParse({ ...me, account_id: 'aB3dE5fG7h', email: 'x@example.com' }).success).toBe(false);
    expect(CurrentlyPlaying.safeParse({ ...playing(full), actions: undefined }).success).toBe(false);
  });

  it('answers errors in the ErrorObject shape: 401, 403, 404, 429', async () => {
    conform(ErrorBody, await (await api('/me', 'nope')).json());
    conform(ErrorBody, await (await api('/me/player/currently-playing', emu.mintAccessToken({ scope: 'user-top-read' }))).json());
    conform(ErrorBody, await (await api('/me/albums')).json());
    emu.fail('me', { status: 429 });
    conform(ErrorBody, await (await api('/me')).json());
  });
});

describe('Spotify emulator: images', () => {
  it('gives deterministic i.scdn.co image ids, largest first, with sizes an image CDN can read off the id; none for local files or art-less episodes', () => {
    const a = makeAlbum('Discovery', 'Daft Punk');
    expect(makeAlbum('Discovery', 'Daft Punk').images).toEqual(a.images);
    expect(makeAlbum('Homework', 'Daft Punk').images[0]?.url).not.toBe(a.images[0]?.url);
    expect(a.images.map((i) => i.width)).toEqual([640, 300, 64]);
    const all = [...a.images, ...makeArtist().images, ...makeEpisode().images, ...makeEpisode().show.images];
    for (const img of all) {
      const m = /^https:\/\/i\.scdn\.co\/image\/([0-9a-f]{16})[0-9a-f]{24}$/.exec(img.url);
      expect(m, img.url).not.toBeNull();
      expect(IMAGE_SIZE_BY_PREFIX[m?.[1] ?? '']).toBe(img.width);
      expect(img.height).toBe(img.width);
    }
    expect(makeLocalTrack().album.images).toEqual([]);
    const bare = makeEpisode({ withoutArt: true });
    expect([bare.images, bare.show.images]).toEqual([[], []]);
  });
});

describe('Spotify emulator: Web API', () => {
  it('answers 204 with an empty body when nothing plays or in a private session, 200 JSON otherwise', async () => {
    const empty = await api('/me/player/currently-playing');
    expect(empty.status).toBe(204);
    expect(empty.headers.get('content-type')).toBeNull();
    expect(await empty.text()).toBe('');

    emu.setCurrentlyPlaying({ ...playing(makeTrack(), { progressMs: 1234 }), timestamp: 0 });
    const res = await api('/me/player/currently-playing');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { progress_ms: number; timestamp: number };
    expect(body.progress_ms).toBe(1234);
    expect(body.timestamp).toBeGreaterThan(0);

    emu.setCurrentlyPlaying({ ...playing(makeTrack()), device: { is_private_session: true } });
    expect((await api('/me/player/currently-playing')).status).toBe(204);
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
    const page = conform(PagingTrack, await apiJson('/me/top/tracks?time_range=short_term&limit=2&offset=2'));
    expect(page.items).toHaveLength(2);
    expect(page.total).toBe(5);
    expect(page.next).toBe(`${emu.apiUrl}/me/top/tracks?time_range=short_term&limit=2&offset=4`);
    expect(page.previous).toContain('offset=0');
    expect((await api('/me/top/tracks?limit=51')).status).toBe(400);
    expect(await api('/me/top/artists').then((r) => r.json())).toMatchObject({ items: [], total: 0, next: null });
  });

  it('keeps only the last 50 plays and pages them with before/after cursors', async () => {
    const t0 = Date.parse('2026-05-01T12:00:00.000Z');
    const history = makePlayHistory(makeTracks(60), { startAt: t0, gapMs: 60_000 });
    expect(history[59]?.played_at).toBe('2026-05-01T12:00:00.000Z'); // startAt: the oldest play
    expect(history[0]?.played_at).toBe(new Date(t0 + 59 * 60_000).toISOString());
    emu.setRecentlyPlayed(history);

    const seen: string[] = [];
    let next: string | null = `${emu.apiUrl}/me/player/recently-played?limit=20`;
    const token = emu.mintAccessToken();
    while (next) {
      const res = await fetch(next, { headers: { authorization: `Bearer ${token}` } });
      const page = conform(CursorPagingPlayHistory, await res.json());
      expect(page.items.length).toBeLessThanOrEqual(20);
      seen.push(...page.items.map((p) => p.played_at));
      next = page.next;
    }
    expect(seen).toEqual(history.slice(0, 50).map((p) => p.played_at));

    const newest = Date.parse(history[0]?.played_at ?? '');
    const after = conform(CursorPagingPlayHistory, await apiJson(`/me/player/recently-played?after=${newest - 3 * 60_000}`));
    expect(after.items).toHaveLength(3);
    expect(after.cursors).toEqual({ after: String(newest), before: String(newest - 2 * 60_000) });
    expect((await api('/me/player/recently-played?before=1&after=1')).status).toBe(400);
    expect((await api('/me/player/recently-played?limit=51')).status).toBe(400);
  });

  it('delays token and Web API answers by latencyMs', async () => {
    emu.latencyMs = 120;
    emu.addRefreshToken('rt-slow');
    let started = performance.now();
    expect((await refresh('rt-slow')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    started = performance.now();
    expect((await api('/me')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });
});

describe('Spotify emulator: several users', () => {
  it('two users linked through authorize → approve → exchange each see only their own listening, top lists, history and profile', async () => {
    emu.addUser('alice', { displayName: 'Alice' });
    emu.user('bob').setProfile({ display_name: 'Bob B.', account_id: 'bobAccount01' });
    const [aliceTrack, bobTrack] = [makeTrack({ name: 'Song for Alice', artistName: 'A Band' }), makeTrack({ name: 'Song for Bob', artistName: 'B Band' })];
    emu.user('alice').setCurrentlyPlaying(playing(aliceTrack)).setTop('tracks', makeTracks(3)).setRecentlyPlayed(makePlayHistory(makeTracks(2)));
    emu.user('bob').setCurrentlyPlaying(playing(bobTrack)).setTop('tracks', makeTracks(7), 'short_term');
    emu.setCurrentlyPlaying(null); // the default user (owner) plays nothing

    const alice = await link('alice');
    const bob = await link('bob');

    const alicePlaying = conform(CurrentlyPlaying, await apiJson('/me/player/currently-playing', alice.access));
    const bobPlaying = conform(CurrentlyPlaying, await apiJson('/me/player/currently-playing', bob.access));
    expect(alicePlaying.item?.name).toBe('Song for Alice');
    expect(bobPlaying.item?.name).toBe('Song for Bob');
    expect((await api('/me/player/currently-playing')).status).toBe(204);

    expect(conform(PagingTrack, await apiJson('/me/top/tracks', alice.access)).total).toBe(3);
    expect(conform(PagingTrack, await apiJson('/me/top/tracks', bob.access)).total).toBe(0); // bob set short_term only
    expect(conform(PagingTrack, await apiJson('/me/top/tracks?time_range=short_term', bob.access)).total).toBe(7);
    expect(conform(CursorPagingPlayHistory, await apiJson('/me/player/recently-played', alice.access)).items).toHaveLength(2);
    expect(conform(CursorPagingPlayHistory, await apiJson('/me/player/recently-played', bob.access)).items).toHaveLength(0);

    const aliceMe = conform(PrivateUser, await apiJson('/me', alice.access));
    const bobMe = conform(PrivateUser, await apiJson('/me', bob.access));
    expect(aliceMe).toMatchObject({ id: 'alice', display_name: 'Alice', uri: 'spotify:user:alice' });
    expect(bobMe).toMatchObject({ id: 'bob', display_name: 'Bob B.', account_id: 'bobAccount01' });
    expect(aliceMe.account_id).not.toBe(bobMe.account_id);

    // A refreshed token stays bound to its user.
    const refreshed = conform(TokenBody, await (await refresh(alice.refresh)).json());
    expect(conform(PrivateUser, await apiJson('/me', refreshed.access_token)).id).toBe('alice');

    // The log says whose request each was.
    expect(emu.count('currently-playing', { userId: 'alice' })).toBe(1);
    expect(emu.user('bob').count('api')).toBe(5);
    expect(emu.count('refresh', { userId: 'alice' })).toBe(1);
    expect(emu.count('authorization_code', { userId: 'bob' })).toBe(1);
    expect(emu.user('carol').count('api')).toBe(0); // "no Spotify call is made for member carol"
    expect(emu.requests.filter((r) => r.route === 'me').map((r) => r.userId)).toEqual(['alice', 'bob', 'alice']);
  });

  it('a user not on the dashboard list gets tokens, then 403 "User not registered in the Developer Dashboard" on every call', async () => {
    emu.addUser('carol', { displayName: 'Carol', allowListed: false });
    emu.user('carol').setCurrentlyPlaying(playing(makeTrack()));
    const carol = await link('carol'); // the exchange succeeds
    for (const path of ['/me', '/me/player/currently-playing', '/me/top/tracks', '/me/top/artists', '/me/player/recently-played']) {
      const res = await api(path, carol.access);
      expect(res.status, path).toBe(403);
      expect(await res.json()).toEqual({ error: { status: 403, message: 'User not registered in the Developer Dashboard' } });
    }
    expect(NOT_REGISTERED_MESSAGE).toBe('User not registered in the Developer Dashboard');
    // Refreshing works too, and does not help.
    const refreshed = conform(TokenBody, await (await refresh(carol.refresh)).json());
    expect((await api('/me', refreshed.access_token)).status).toBe(403);
    // The owner adds carol in the dashboard: the same grant works.
    emu.setAllowListed('carol', true);
    expect(conform(CurrentlyPlaying, await apiJson('/me/player/currently-playing', carol.access)).item?.name).toBe('Blinding Lights');
    // Other users were never affected.
    expect((await api('/me')).status).toBe(200);
  });

  it('invalid_grant for one user leaves another user’s grant working', async () => {
    const alice = await link('alice');
    const bob = await link('bob');
    emu.user('alice').revokeRefreshTokens();
    const revoked = await refresh(alice.refresh);
    expect(revoked.status).toBe(400);
    expect(await revoked.json()).toEqual({ error: 'invalid_grant', error_description: 'Refresh token revoked' });
    const ok = await refresh(bob.refresh);
    expect(ok.status).toBe(200);
    expect(conform(PrivateUser, await apiJson('/me', conform(TokenBody, await ok.json()).access_token)).id).toBe('bob');

    emu.revokeRefreshToken(bob.refresh);
    expect((await refresh(bob.refresh)).status).toBe(400);
    emu.addRefreshToken('owner-rt');
    expect((await refresh('owner-rt')).status).toBe(200);
  });

  it('per-user faults hit only that user', async () => {
    const alice = await link('alice');
    const bob = await link('bob');
    emu.fail('currently-playing', { status: 503 }, 1, { userId: 'alice' });
    emu.user('bob').fail('token', { status: 500 });
    expect((await api('/me/player/currently-playing', bob.access)).status).toBe(204);
    expect((await api('/me/player/currently-playing', alice.access)).status).toBe(503);
    expect((await api('/me/player/currently-playing', alice.access)).status).toBe(204);
    expect((await refresh(alice.refresh)).status).toBe(200);
    expect((await refresh(bob.refresh)).status).toBe(500);
    expect((await refresh(bob.refresh)).status).toBe(200);
  });

  it('the quota is the app’s: QUOTA_EXCEEDED with Retry-After answers any user', async () => {
    const alice = await link('alice');
    const bob = await link('bob');
    emu.quotaExceeded(9, 3);
    for (const token of [alice.access, bob.access, emu.mintAccessToken()]) {
      const res = await api('/me', token);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('9');
      expect(await res.json()).toEqual({ error: { status: 429, message: 'Too many requests', reason: 'QUOTA_EXCEEDED' } });
    }
    expect((await api('/me', alice.access)).status).toBe(200);
    expect((await api('/me', bob.access)).status).toBe(200);
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
    const plain = (await (await refresh('rt-1')).json()) as Record<string, unknown>;
    expect(plain).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(plain).not.toHaveProperty('refresh_token');

    emu.rotateRefreshTokens = true;
    const rotated = (await (await refresh('rt-1')).json()) as { refresh_token: string };
    expect(rotated.refresh_token).toBe(emu.issuedRefreshTokens[0]);
    const old = await refresh('rt-1');
    expect(old.status).toBe(400);
    expect(((await old.json()) as { error: string }).error).toBe('invalid_grant');

    emu.revokeRefreshToken(rotated.refresh_token);
    const revoked = await refresh(rotated.refresh_token);
    expect(await revoked.json()).toEqual({ error: 'invalid_grant', error_description: 'Refresh token revoked' });
    expect(emu.count('refresh')).toBe(4);
  });

  it('runs the authorization code flow with single-use codes', async () => {
    const authorize = authorizeUrl('s1', 'user-top-read');
    expect((await fetch(authorize)).status).toBe(200);
    expect(() => emu.approve(authorize.replace('127.0.0.1%3A8888', 'localhost%3A8888'))).toThrow(/redirect URI/);

    const callback = new URL(emu.approve(authorize));
    expect(callback.searchParams.get('state')).toBe('s1');
    const code = callback.searchParams.get('code') ?? '';
    const exchanged = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI });
    expect(await exchanged.json()).toMatchObject({ token_type: 'Bearer', scope: 'user-top-read', refresh_token: emu.issuedRefreshTokens[0] });
    const reused = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI });
    expect(reused.status).toBe(400);
    expect(new URL(emu.approve(authorize, { deny: true })).searchParams.get('error')).toBe('access_denied');
  });
});

describe('Spotify emulator: faults', () => {
  it('every 429 carries Retry-After, on the Web API and the token endpoint, whether or not the fault set one', async () => {
    emu.addRefreshToken('rt-1');
    emu.fail('top', { status: 429 });
    emu.fail('token', { status: 429 });
    emu.fail('me', { status: 429, headers: { 'Retry-After': '30' } });
    const top = await api('/me/top/tracks');
    expect(top.status).toBe(429);
    expect(Number(top.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await top.json()).toEqual({ error: { status: 429, message: 'API rate limit exceeded' } });
    const tokenLimited = await refresh('rt-1');
    expect(tokenLimited.status).toBe(429);
    expect(Number(tokenLimited.headers.get('retry-after'))).toBeGreaterThan(0);
    const me = await api('/me');
    expect(me.headers.get('retry-after')).toBe('30');

    emu.quotaExceeded(7);
    const limited = await api('/me');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await api('/me')).status).toBe(200);
    expect(emu.requests.filter((r) => r.status === 429)).toHaveLength(4);
  });

  it('serves malformed and destroyed responses', async () => {
    emu.fail('currently-playing', { malformed: true });
    emu.fail('currently-playing', { destroy: true });
    await expect(api('/me/player/currently-playing').then((r) => r.json())).rejects.toThrow(SyntaxError);
    await expect(api('/me/player/currently-playing')).rejects.toThrow();
  });

  it('releases a hanging request on close()', async () => {
    emu.fail('token', { hang: true });
    const pending = refresh('x');
    await emu.waitForRequest('token');
    const started = Date.now();
    await emu.close();
    await expect(pending).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
