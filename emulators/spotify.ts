// A loopback Spotify emulator: one node:http server on 127.0.0.1 speaking the accounts protocol (/authorize,
// /api/token) and the Web API endpoints the bot reads (/v1/...), with the wire behaviour of the real service
// (see /work/shared/reference/spotify-web-api.md): OAuth-shaped errors on the token endpoint, {"error":{status,
// message}} on the Web API, 204 with an empty body, Retry-After on every 429, complete objects (see
// spotify-fixtures.ts).
//
// It serves several Spotify users, as one development-mode app does: each user has their own grants (refresh and
// access tokens), currently playing, top lists, recently played and profile, and is either on the app's dashboard
// allow-list or not (then every Web API call answers 403 although the token exchange succeeded). The quota is the
// app's: `quotaExceeded()` answers any user's request. Faults can be queued per route, and per user.
// The catalogue (`GET /tracks/{id}`) holds every track a user's lists name plus those added with `addTracks`; the
// batch `GET /tracks?ids=` is refused (403) as Spotify refuses it to development-mode apps since February 2026.
// `setRateLimit` counts the app's Web API requests over a rolling window and answers 429 with Retry-After past it.
// The methods on the emulator itself act on the default user (the app owner), as before there were several.

import { randomBytes } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { TIME_RANGES } from '../src/spotify/types.js';
import type { TimeRange, TokenResponse } from '../src/spotify/types.js';
import {
  completeArtist,
  completeCurrentlyPlaying,
  completePlayHistory,
  completeTrack,
  makeUser,
  type ArtistInput,
  type ArtistObject,
  type CurrentlyPlayingInput,
  type CurrentlyPlayingObject,
  type ImageObject,
  type PlayHistoryInput,
  type PlayHistoryObject,
  type PrivateUserObject,
  type TrackInput,
  type TrackObject,
} from './spotify-fixtures.js';

export interface SpotifyEmulatorOptions {
  clientId?: string;
  clientSecret?: string;
  /** Delay before every answer (Web API and accounts routes alike). Also settable later as `latencyMs`. */
  latencyMs?: number;
  accessTokenTtlSeconds?: number;
  /** Redirect URIs registered for the app. Omitted: any URI that satisfies Spotify's rules is accepted. */
  redirectUris?: string[];
}

export type FaultRoute = 'token' | 'currently-playing' | 'top' | 'recently-played' | 'me' | 'track' | 'any-api';
export type Fault =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { hang: true }
  | { malformed: true }
  | { destroy: true };
export type CountRoute =
  | 'token'
  | 'refresh'
  | 'authorization_code'
  | 'authorize'
  | 'currently-playing'
  | 'top'
  | 'recently-played'
  | 'me'
  | 'track'
  | 'tracks-batch'
  | 'api';
/** Where a request went. 'api-unknown' is any other /v1 path (404). */
export type EmulatorRoute =
  | 'token'
  | 'authorize'
  | 'currently-playing'
  | 'top'
  | 'recently-played'
  | 'me'
  | 'track'
  | 'tracks-batch'
  | 'api-unknown'
  | 'unknown';

export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  at: number;
  route: EmulatorRoute;
  grantType?: string;
  /**
   * The Spotify user the request was for, as the emulator resolved it on arrival: the owner of the bearer token,
   * of the refresh token or of the authorization code. Undefined when it names no known grant.
   */
  userId?: string;
  /** Set when a response is written; stays undefined for hang/destroy faults. */
  status?: number;
}

/** Every scope the bot uses; the default for addRefreshToken. */
export const BOT_SCOPES = 'user-read-currently-playing user-read-playback-state user-top-read user-read-recently-played';
/** The 403 a development-mode app gets for a user who is not on its dashboard's User Management list. */
export const NOT_REGISTERED_MESSAGE = 'User not registered in the Developer Dashboard';
/** Retry-After sent with a 429 fault that does not set one (Spotify always sends the header). */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;
/** Spotify keeps a user's last 50 plays; older ones are gone. */
export const RECENTLY_PLAYED_MAX = 50;
export const DEFAULT_USER_ID = 'emulatoruser';

const KNOWN_SCOPES = new Set([
  'ugc-image-upload', 'user-read-playback-state', 'user-modify-playback-state', 'user-read-currently-playing',
  'app-remote-control', 'streaming', 'playlist-read-private', 'playlist-read-collaborative', 'playlist-modify-private',
  'playlist-modify-public', 'user-follow-modify', 'user-follow-read', 'user-read-playback-position', 'user-top-read',
  'user-read-recently-played', 'user-library-modify', 'user-library-read', 'user-read-email', 'user-read-private',
  'user-personalized', 'user-soa-link', 'user-soa-unlink', 'soa-manage-entitlements', 'soa-manage-partner',
  'soa-create-partner',
]);

/** Any one of these scopes is enough for the route (403 "Insufficient client scope" otherwise). */
const REQUIRED_SCOPES: Partial<Record<EmulatorRoute, string[]>> = {
  'currently-playing': ['user-read-currently-playing', 'user-read-playback-state'],
  top: ['user-top-read'],
  'recently-played': ['user-read-recently-played'],
};

const API_ROUTES = new Set<EmulatorRoute>(['currently-playing', 'top', 'recently-played', 'me', 'track', 'tracks-batch', 'api-unknown']);
/** Spotify ids are 22 base62 characters; anything else is "invalid id" (400). */
const SPOTIFY_ID = /^[0-9A-Za-z]{22}$/;
/** Spotify counts its rate limit over a rolling 30 s window. */
export const RATE_LIMIT_WINDOW_MS = 30_000;
const JSON_API = 'application/json; charset=utf-8';
const JSON_ACCOUNTS = 'application/json';

interface UserState {
  id: string;
  displayName: string | null;
  images: ImageObject[];
  accountId: string;
  allowListed: boolean;
  currentlyPlaying: CurrentlyPlayingObject | null;
  top: { tracks: TopStore<TrackObject>; artists: TopStore<ArtistObject> };
  recentlyPlayed: PlayHistoryObject[];
}
interface RefreshTokenRecord {
  scope: string;
  user: UserState;
  revoked: boolean;
}
interface AccessTokenRecord {
  scope: string;
  user: UserState;
  expiresAt: number;
  expired: boolean;
}
interface CodeRecord {
  redirectUri: string;
  scope: string;
  user: UserState;
  used: boolean;
  expiresAt: number;
}
interface AuthorizeRequest {
  redirectUri: string;
  scope: string;
  state: string | null;
}
interface Waiter {
  done: () => boolean;
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}
interface QueuedFault {
  route: FaultRoute;
  fault: Fault;
  remaining: number;
  userId: string | undefined;
}
type TopStore<T> = Record<TimeRange, T[]>;

export interface UserFilter {
  /** Only requests for this Spotify user. */
  userId?: string;
}

function classify(path: string): EmulatorRoute {
  if (path === '/api/token') return 'token';
  if (path === '/authorize') return 'authorize';
  if (path === '/v1/me') return 'me';
  if (path === '/v1/me/player/currently-playing') return 'currently-playing';
  if (path === '/v1/me/top/tracks' || path === '/v1/me/top/artists') return 'top';
  if (path === '/v1/me/player/recently-played') return 'recently-played';
  if (path === '/v1/tracks') return 'tracks-batch';
  if (/^\/v1\/tracks\/[^/]*$/.test(path)) return 'track';
  return path === '/v1' || path.startsWith('/v1/') ? 'api-unknown' : 'unknown';
}

function countMatches(route: CountRoute, r: RequestLogEntry, filter: UserFilter): boolean {
  if (filter.userId !== undefined && r.userId !== filter.userId) return false;
  switch (route) {
    case 'api':
      return API_ROUTES.has(r.route);
    case 'refresh':
      return r.route === 'token' && r.grantType === 'refresh_token';
    case 'authorization_code':
      return r.route === 'token' && r.grantType === 'authorization_code';
    default:
      return r.route === route;
  }
}

function faultMatches(f: QueuedFault, route: EmulatorRoute, userId: string | undefined): boolean {
  if (f.userId !== undefined && f.userId !== userId) return false;
  return f.route === 'any-api' ? API_ROUTES.has(route) : f.route === route;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    req.on('close', () => reject(new Error('request closed')));
  });
}

/** Non-negative integer query parameter; `fallback` when absent, null when invalid. */
function intParam(value: string | null, fallback: number): number | null {
  if (value === null) return fallback;
  return /^\d+$/.test(value) ? Number(value) : null;
}

function token(prefix: string): string {
  return prefix + randomBytes(48).toString('base64url');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Spotify's redirect URI rules: HTTPS, or HTTP on a loopback IP literal (never `localhost`). */
function redirectUriAllowed(uri: string, registered: string[] | undefined): boolean {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return false;
  }
  const loopback = u.hostname === '127.0.0.1' || u.hostname === '[::1]';
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) return false;
  if (!registered) return true;
  return registered.some((r) => {
    if (r === uri) return true;
    const reg = new URL(r);
    // A loopback URI registered without a port accepts any port.
    return loopback && reg.port === '' && reg.protocol === u.protocol && reg.hostname === u.hostname && reg.pathname === u.pathname;
  });
}

function newUser(id: string, displayName: string | null, allowListed: boolean): UserState {
  return {
    id,
    displayName,
    images: [],
    accountId: makeUser({ id }).account_id,
    allowListed,
    currentlyPlaying: null,
    top: {
      tracks: { short_term: [], medium_term: [], long_term: [] },
      artists: { short_term: [], medium_term: [], long_term: [] },
    },
    recentlyPlayed: [],
  };
}

function newestFirst(plays: PlayHistoryObject[]): PlayHistoryObject[] {
  return plays.sort((a, b) => Date.parse(b.played_at) - Date.parse(a.played_at)).slice(0, RECENTLY_PLAYED_MAX);
}

export interface ProfileUpdate {
  /** Renames the user (their grants follow). */
  id?: string;
  display_name?: string | null;
  images?: ImageObject[];
  account_id?: string;
}

/**
 * One Spotify user of the emulated app: their listening, profile and dashboard status. Objects handed to the
 * setters may be cut down to the bot's types; they are completed (spotify-fixtures.ts) before they are served.
 */
export class SpotifyUser {
  /** @internal */
  constructor(
    private readonly emulator: SpotifyEmulator,
    /** @internal */ readonly state: UserState,
  ) {}

  get id(): string {
    return this.state.id;
  }

  get allowListed(): boolean {
    return this.state.allowListed;
  }

  /** The `/me` object this user's grants get. */
  profile(): PrivateUserObject {
    const s = this.state;
    return makeUser({ id: s.id, displayName: s.displayName, accountId: s.accountId, images: s.images });
  }

  /** null → 204. A 0 timestamp is set to now; progress_ms is served as given (it does not advance). */
  setCurrentlyPlaying(body: CurrentlyPlayingInput | null): this {
    if (body === null) {
      this.state.currentlyPlaying = null;
      return this;
    }
    const copy = completeCurrentlyPlaying(structuredClone(body));
    if (!copy.timestamp) copy.timestamp = Date.now();
    this.state.currentlyPlaying = copy;
    return this;
  }

  setTop(kind: 'tracks', items: TrackInput[], range?: TimeRange): this;
  setTop(kind: 'artists', items: ArtistInput[], range?: TimeRange): this;
  setTop(kind: 'tracks' | 'artists', items: TrackInput[] | ArtistInput[], range?: TimeRange): this {
    for (const r of range ? [range] : TIME_RANGES) {
      if (kind === 'tracks') this.state.top.tracks[r] = structuredClone(items as TrackInput[]).map(completeTrack);
      else this.state.top.artists[r] = structuredClone(items as ArtistInput[]).map(completeArtist);
    }
    return this;
  }

  /** Replaces the play history; only the newest 50 plays are kept, as on Spotify. */
  setRecentlyPlayed(items: PlayHistoryInput[]): this {
    this.state.recentlyPlayed = newestFirst(structuredClone(items).map(completePlayHistory));
    return this;
  }

  /** Adds plays to the history (a play pushes the oldest of 50 out). */
  addRecentlyPlayed(items: PlayHistoryInput[]): this {
    this.state.recentlyPlayed = newestFirst([...this.state.recentlyPlayed, ...structuredClone(items).map(completePlayHistory)]);
    return this;
  }

  setProfile(p: ProfileUpdate): this {
    if (p.id !== undefined && p.id !== this.state.id) {
      if (this.emulator.hasUser(p.id)) throw new Error(`setProfile: another emulated user already has the id ${p.id}`);
      this.state.id = p.id;
    }
    if (p.display_name !== undefined) this.state.displayName = p.display_name;
    if (p.images !== undefined) this.state.images = structuredClone(p.images);
    if (p.account_id !== undefined) this.state.accountId = p.account_id;
    return this;
  }

  /** On (true) or off the app's dashboard User Management list. Off: every Web API call answers 403. */
  setAllowListed(allowListed: boolean): this {
    this.state.allowListed = allowListed;
    return this;
  }

  /** Registers a refresh token granted by this user. */
  addRefreshToken(refreshToken: string, opts: { scope?: string } = {}): this {
    this.emulator.addRefreshToken(refreshToken, { scope: opts.scope, userId: this.id });
    return this;
  }

  /** Revokes every refresh token this user granted (they removed the app from their account, or it expired). */
  revokeRefreshTokens(): this {
    this.emulator.revokeUserGrants(this.id);
    return this;
  }

  /** Refresh tokens this user holds (added or issued), revoked ones included. */
  refreshTokens(): string[] {
    return this.emulator.refreshTokensOf(this.id);
  }

  mintAccessToken(opts: { scope?: string } = {}): string {
    return this.emulator.mintAccessToken({ ...opts, userId: this.id });
  }

  /** Queues a fault for this user's requests only. */
  fail(route: FaultRoute, fault: Fault, times = 1): this {
    this.emulator.fail(route, fault, times, { userId: this.id });
    return this;
  }

  count(route: CountRoute): number {
    return this.emulator.count(route, { userId: this.id });
  }

  waitForRequest(route: CountRoute, n = 1, timeoutMs = 5_000): Promise<void> {
    return this.emulator.waitForRequest(route, n, timeoutMs, { userId: this.id });
  }

  get requests(): RequestLogEntry[] {
    return this.emulator.requests.filter((r) => r.userId === this.id);
  }
}

export class SpotifyEmulator {
  readonly accountsUrl: string;
  readonly apiUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  latencyMs: number;
  accessTokenTtlSeconds: number;
  /** When true each successful refresh returns a new refresh_token and invalidates the old one. */
  rotateRefreshTokens = false;
  readonly issuedRefreshTokens: string[] = [];
  readonly requests: RequestLogEntry[] = [];
  /** The default user (the app owner): the target of the emulator's own setters and of grants without a user. */
  readonly defaultUser: SpotifyUser;

  private readonly sockets = new Set<Socket>();
  private readonly redirectUris: string[] | undefined;
  private readonly users: SpotifyUser[] = [];
  private readonly refreshTokenRecords = new Map<string, RefreshTokenRecord>();
  private readonly accessTokens = new Map<string, AccessTokenRecord>();
  private readonly codes = new Map<string, CodeRecord>();
  private readonly faults: QueuedFault[] = [];
  /** Tracks `GET /tracks/{id}` knows besides those in users' lists. */
  private readonly catalogue = new Map<string, TrackObject>();
  private rateLimit: { requests: number; windowMs: number } | null = null;
  /** When each admitted Web API request arrived, while a rate limit is set (oldest first). */
  private readonly admitted: number[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly delays = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    port: number,
    opts: SpotifyEmulatorOptions,
  ) {
    this.accountsUrl = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.accountsUrl}/v1`;
    this.clientId = opts.clientId ?? 'test-client-id';
    this.clientSecret = opts.clientSecret ?? 'test-client-secret';
    this.latencyMs = opts.latencyMs ?? 0;
    this.accessTokenTtlSeconds = opts.accessTokenTtlSeconds ?? 3600;
    this.redirectUris = opts.redirectUris;
    this.defaultUser = this.addUser(DEFAULT_USER_ID, { displayName: 'Emulator User' });
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res));
  }

  static async start(opts: SpotifyEmulatorOptions = {}): Promise<SpotifyEmulator> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new SpotifyEmulator(server, (server.address() as AddressInfo).port, opts);
  }

  get tokenUrl(): string {
    return `${this.accountsUrl}/api/token`;
  }

  get authorizeUrl(): string {
    return `${this.accountsUrl}/authorize`;
  }

  /** Stops the server and destroys every socket, including hanging ones. Pending waitForRequest calls reject. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const d of this.delays) {
        clearTimeout(d.timer);
        d.resolve();
      }
      this.delays.clear();
      for (const w of this.waiters) {
        clearTimeout(w.timer);
        w.reject(new Error('SpotifyEmulator closed'));
      }
      this.waiters.clear();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
      for (const s of this.sockets) s.destroy();
    });
    return this.closing;
  }

  // ---------------------------------------------------------------- users

  /**
   * Adds a Spotify user of the app (or updates the one with this id). `allowListed` (default true): whether the
   * owner put them on the dashboard's User Management list; when not, their token exchange still succeeds but
   * every Web API call answers 403 "User not registered in the Developer Dashboard".
   */
  addUser(userId: string, opts: { displayName?: string | null; allowListed?: boolean; images?: ImageObject[]; accountId?: string } = {}): SpotifyUser {
    let user = this.findUser(userId);
    if (!user) {
      user = new SpotifyUser(this, newUser(userId, opts.displayName === undefined ? userId : opts.displayName, opts.allowListed ?? true));
      this.users.push(user);
    } else {
      if (opts.displayName !== undefined) user.state.displayName = opts.displayName;
      if (opts.allowListed !== undefined) user.state.allowListed = opts.allowListed;
    }
    if (opts.images) user.state.images = structuredClone(opts.images);
    if (opts.accountId !== undefined) user.state.accountId = opts.accountId;
    return user;
  }

  /** The user with this id; an unknown id adds an allow-listed user named after it. */
  user(userId: string): SpotifyUser {
    return this.findUser(userId) ?? this.addUser(userId);
  }

  hasUser(userId: string): boolean {
    return this.findUser(userId) !== undefined;
  }

  /** Every user, the default one first. */
  allUsers(): SpotifyUser[] {
    return [...this.users];
  }

  setAllowListed(userId: string, allowListed: boolean): void {
    this.user(userId).setAllowListed(allowListed);
  }

  private findUser(userId: string): SpotifyUser | undefined {
    return this.users.find((u) => u.id === userId);
  }

  // ---------------------------------------------------------------- accounts

  /** Registers a refresh token granted by `userId` (default: the default user; an unknown id adds that user). */
  addRefreshToken(refreshToken: string, opts: { scope?: string; userId?: string; displayName?: string } = {}): void {
    const user = opts.userId === undefined ? this.defaultUser : this.user(opts.userId);
    if (opts.displayName !== undefined) user.state.displayName = opts.displayName;
    this.refreshTokenRecords.set(refreshToken, { scope: opts.scope ?? BOT_SCOPES, user: user.state, revoked: false });
  }

  /** Revokes one refresh token: it answers invalid_grant "Refresh token revoked"; other grants are untouched. */
  revokeRefreshToken(refreshToken: string): void {
    const rec = this.refreshTokenRecords.get(refreshToken);
    if (rec) rec.revoked = true;
    else this.refreshTokenRecords.set(refreshToken, { scope: '', user: this.defaultUser.state, revoked: true });
  }

  /** Revokes every refresh token `userId` granted. */
  revokeUserGrants(userId: string): void {
    for (const rec of this.refreshTokenRecords.values()) if (rec.user.id === userId) rec.revoked = true;
  }

  /** @internal */
  refreshTokensOf(userId: string): string[] {
    return [...this.refreshTokenRecords].filter(([, rec]) => rec.user.id === userId).map(([t]) => t);
  }

  /** Marks every access token (of every user, or of `userId`) expired: the next API call answers 401. */
  expireAccessTokens(filter: UserFilter = {}): void {
    for (const rec of this.accessTokens.values()) if (filter.userId === undefined || rec.user.id === filter.userId) rec.expired = true;
  }

  /** Issues a valid access token directly (no HTTP, not counted), for tests that skip the token endpoint. */
  mintAccessToken(opts: { scope?: string; userId?: string } = {}): string {
    const user = opts.userId === undefined ? this.defaultUser : this.user(opts.userId);
    return this.issueAccessToken({ scope: opts.scope ?? BOT_SCOPES, user: user.state }).access_token;
  }

  /**
   * Acts as the user in the browser at `authorizeUrl`: returns the URL Spotify would redirect to
   * (`redirect_uri?code=…&state=…`, or `?error=access_denied&state=…` when denied). Throws when Spotify would
   * show an error page instead (bad client_id, response_type, redirect_uri or scope). The code (and the tokens it
   * is exchanged for) belongs to `userId` (default: the default user; an unknown id adds an allow-listed user).
   */
  approve(authorizeUrl: string, opts: { deny?: boolean; userId?: string } = {}): string {
    const url = new URL(authorizeUrl);
    if (url.origin !== this.accountsUrl || url.pathname !== '/authorize') {
      throw new Error(`approve: ${url.origin}${url.pathname} is not this emulator's ${this.authorizeUrl}`);
    }
    const req = this.validateAuthorize(url);
    if (typeof req === 'string') throw new Error(`approve: Spotify would show an error page: ${req}`);
    const redirect = new URL(req.redirectUri);
    if (opts.deny) {
      redirect.searchParams.set('error', 'access_denied');
    } else {
      const user = opts.userId === undefined ? this.defaultUser : this.user(opts.userId);
      const code = token('AQ');
      this.codes.set(code, { redirectUri: req.redirectUri, scope: req.scope, user: user.state, used: false, expiresAt: Date.now() + 600_000 });
      redirect.searchParams.set('code', code);
    }
    if (req.state !== null) redirect.searchParams.set('state', req.state);
    return redirect.toString();
  }

  // ---------------------------------------------------------------- Web API state of the default user

  /** null → 204. A 0 timestamp is set to now; progress_ms is served as given (it does not advance). */
  setCurrentlyPlaying(body: CurrentlyPlayingInput | null): void {
    this.defaultUser.setCurrentlyPlaying(body);
  }

  setTop(kind: 'tracks', items: TrackInput[], range?: TimeRange): void;
  setTop(kind: 'artists', items: ArtistInput[], range?: TimeRange): void;
  setTop(kind: 'tracks' | 'artists', items: TrackInput[] | ArtistInput[], range?: TimeRange): void {
    if (kind === 'tracks') this.defaultUser.setTop(kind, items as TrackInput[], range);
    else this.defaultUser.setTop(kind, items as ArtistInput[], range);
  }

  setRecentlyPlayed(items: PlayHistoryInput[]): void {
    this.defaultUser.setRecentlyPlayed(items);
  }

  setProfile(p: ProfileUpdate): void {
    this.defaultUser.setProfile(p);
  }

  // ---------------------------------------------------------------- catalogue

  /** Tracks `GET /tracks/{id}` answers (besides those in any user's top lists and recently played). */
  addTracks(...tracks: TrackInput[]): void {
    for (const input of tracks) {
      const track = completeTrack(input);
      if (track.id) this.catalogue.set(track.id, track);
    }
  }

  private findTrack(id: string): TrackObject | undefined {
    const known = this.catalogue.get(id);
    if (known) return known;
    for (const user of this.users) {
      const { state } = user;
      for (const range of TIME_RANGES) {
        const found = state.top.tracks[range].find((t) => t.id === id);
        if (found) return found;
      }
      const played = state.recentlyPlayed.find((p) => p.track.id === id);
      if (played) return played.track;
      const current = state.currentlyPlaying?.item;
      if (current?.type === 'track' && current.id === id) return current;
    }
    return undefined;
  }

  // ---------------------------------------------------------------- faults

  /**
   * Queues a fault for the next `times` requests to `route` (Infinity allowed), of any user or only of
   * `opts.userId`. Faults are consumed in order. A 429 without a Retry-After header gets one.
   */
  fail(route: FaultRoute, fault: Fault, times = 1, opts: UserFilter = {}): void {
    this.faults.push({ route, fault, remaining: times, userId: opts.userId });
  }

  /** The app's dev-mode quota is used up: the next `times` Web API requests, of any user, answer 429 QUOTA_EXCEEDED. */
  quotaExceeded(retryAfterSeconds: number, times = 1): void {
    this.fail(
      'any-api',
      {
        status: 429,
        headers: { 'retry-after': String(retryAfterSeconds) },
        body: { error: { status: 429, message: 'Too many requests', reason: 'QUOTA_EXCEEDED' } },
      },
      times,
    );
  }

  /**
   * Spotify's rate limit: at most `requests` Web API requests of the app (every user together) in any rolling
   * `windowMs`; past it, 429 with Retry-After (seconds until the oldest counted request leaves the window).
   * Refused requests are not counted. null: no limit (the default).
   */
  setRateLimit(limit: { requests: number; windowMs?: number } | null): void {
    this.rateLimit = limit === null ? null : { requests: limit.requests, windowMs: limit.windowMs ?? RATE_LIMIT_WINDOW_MS };
    this.admitted.length = 0;
  }

  /** Drops every queued fault. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  // ---------------------------------------------------------------- counters

  /** Requests received (counted on arrival, before latency and faults), of any user or only of `filter.userId`. */
  count(route: CountRoute, filter: UserFilter = {}): number {
    let n = 0;
    for (const r of this.requests) if (countMatches(route, r, filter)) n++;
    return n;
  }

  /** Clears the request log, so every count starts again from 0. */
  resetCounts(): void {
    this.requests.length = 0;
  }

  /** Resolves once count(route, filter) >= n (checked on every request arrival); rejects after timeoutMs or on close(). */
  waitForRequest(route: CountRoute, n = 1, timeoutMs = 5_000, filter: UserFilter = {}): Promise<void> {
    if (this.count(route, filter) >= n) return Promise.resolve();
    if (this.closing) return Promise.reject(new Error('SpotifyEmulator closed'));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        done: () => this.count(route, filter) >= n,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          const who = filter.userId === undefined ? '' : ` for ${filter.userId}`;
          reject(new Error(`waitForRequest: ${this.count(route, filter)}/${n} '${route}' requests${who} after ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  // ---------------------------------------------------------------- HTTP plumbing

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', this.accountsUrl);
      const method = req.method ?? 'GET';
      const body = await readBody(req);
      const route = classify(url.pathname);
      const entry: RequestLogEntry = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), at: Date.now(), route };
      // Like Spotify, a body that is not form-encoded is read as no parameters at all.
      const form = route === 'token' && /^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')
        ? new URLSearchParams(body)
        : new URLSearchParams();
      const grantType = form.get('grant_type');
      if (grantType) entry.grantType = grantType;
      const userId = this.requestUser(route, req, form);
      if (userId !== undefined) entry.userId = userId;
      this.requests.push(entry);
      for (const w of this.waiters) {
        if (!w.done()) continue;
        clearTimeout(w.timer);
        this.waiters.delete(w);
        w.resolve();
      }

      const fault = this.takeFault(route, userId);
      await this.delay(this.latencyMs);
      if (this.closing) return;
      if (fault) return this.applyFault(fault, route, entry, req, res);
      if (route === 'token') return this.handleToken(req, method, form, entry, res);
      if (route === 'authorize') return this.handleAuthorize(url, entry, res);
      if (route === 'unknown') return this.send(res, entry, 404, 'Not Found', { 'content-type': 'text/plain' });
      return this.handleApi(req, url, method, route, entry, res);
    } catch (err) {
      if (!res.headersSent && !res.destroyed && !this.closing) {
        res.writeHead(500, { 'content-type': JSON_API });
        res.end(JSON.stringify({ error: { status: 500, message: `emulator error: ${String(err)}` } }));
      }
    }
  }

  /** Whose request this is, from the grant it names (not validated here). */
  private requestUser(route: EmulatorRoute, req: IncomingMessage, form: URLSearchParams): string | undefined {
    if (route === 'token') {
      const refresh = form.get('refresh_token');
      if (refresh !== null) return this.refreshTokenRecords.get(refresh)?.user.id;
      const code = form.get('code');
      return code === null ? undefined : this.codes.get(code)?.user.id;
    }
    if (!API_ROUTES.has(route)) return undefined;
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    return m ? this.accessTokens.get(m[1] ?? '')?.user.id : undefined;
  }

  private delay(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const d = {
        resolve,
        timer: setTimeout(() => {
          this.delays.delete(d);
          resolve();
        }, ms),
      };
      this.delays.add(d);
    });
  }

  private takeFault(route: EmulatorRoute, userId: string | undefined): Fault | undefined {
    const i = this.faults.findIndex((f) => faultMatches(f, route, userId));
    const f = this.faults[i];
    if (!f) return undefined;
    if (--f.remaining <= 0) this.faults.splice(i, 1);
    return f.fault;
  }

  private applyFault(fault: Fault, route: EmulatorRoute, entry: RequestLogEntry, req: IncomingMessage, res: ServerResponse): void {
    if ('hang' in fault) return; // answered never; close() destroys the socket
    if ('destroy' in fault) {
      req.socket.destroy();
      return;
    }
    const accounts = route === 'token';
    if ('malformed' in fault) {
      const truncated = accounts ? '{"access_token":"BQDx3f9' : '{"timestamp":1700000000000,"context":null,"progress_ms":81';
      this.send(res, entry, 200, truncated, { 'content-type': accounts ? JSON_ACCOUNTS : JSON_API });
      return;
    }
    let body = fault.body;
    if (body === undefined && fault.status >= 400) {
      const text = fault.status === 429 ? 'API rate limit exceeded' : (STATUS_CODES[fault.status] ?? 'Error');
      body = accounts
        ? { error: fault.status >= 500 ? 'server_error' : 'invalid_request', error_description: text }
        : { error: { status: fault.status, message: text } };
    }
    const headers: Record<string, string> = { ...fault.headers };
    if (fault.status === 429 && !Object.keys(headers).some((h) => h.toLowerCase() === 'retry-after')) {
      headers['retry-after'] = String(DEFAULT_RETRY_AFTER_SECONDS);
    }
    const contentType = typeof body === 'string' ? 'text/plain' : accounts ? JSON_ACCOUNTS : JSON_API;
    const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    this.send(res, entry, fault.status, text, { 'content-type': contentType, ...headers });
  }

  /** Writes a response; `text` undefined (or status 204) → no body and no content-type. */
  private send(res: ServerResponse, entry: RequestLogEntry, status: number, text: string | undefined, headers: Record<string, string> = {}): void {
    entry.status = status;
    if (text === undefined || status === 204 || status === 304) {
      const { 'content-type': _ignored, ...rest } = headers;
      res.writeHead(status, rest);
      res.end();
      return;
    }
    res.writeHead(status, { 'content-length': String(Buffer.byteLength(text)), ...headers });
    res.end(text);
  }

  private apiJson(res: ServerResponse, entry: RequestLogEntry, status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.send(res, entry, status, JSON.stringify(body), { 'content-type': JSON_API, 'cache-control': 'private, max-age=0', ...headers });
  }

  private apiError(res: ServerResponse, entry: RequestLogEntry, status: number, message: string, headers: Record<string, string> = {}): void {
    this.apiJson(res, entry, status, { error: { status, message } }, headers);
  }

  private oauthError(res: ServerResponse, entry: RequestLogEntry, error: string, description: string): void {
    this.send(res, entry, 400, JSON.stringify({ error, error_description: description }), { 'content-type': JSON_ACCOUNTS });
  }

  // ---------------------------------------------------------------- accounts handlers

  private handleToken(req: IncomingMessage, method: string, form: URLSearchParams, entry: RequestLogEntry, res: ServerResponse): void {
    if (method !== 'POST') return this.send(res, entry, 405, 'Method Not Allowed', { 'content-type': 'text/plain', allow: 'POST' });
    const grantType = form.get('grant_type');
    if (!grantType) return this.oauthError(res, entry, 'unsupported_grant_type', 'grant_type parameter is missing');
    const clientError = this.checkClient(req.headers.authorization);
    if (clientError) return this.oauthError(res, entry, 'invalid_client', clientError);

    if (grantType === 'refresh_token') {
      const refreshToken = form.get('refresh_token');
      if (!refreshToken) return this.oauthError(res, entry, 'invalid_request', 'refresh_token must be supplied');
      const rec = this.refreshTokenRecords.get(refreshToken);
      if (!rec) return this.oauthError(res, entry, 'invalid_grant', 'Invalid refresh token');
      if (rec.revoked) return this.oauthError(res, entry, 'invalid_grant', 'Refresh token revoked');
      const response = this.issueAccessToken(rec);
      if (this.rotateRefreshTokens) {
        this.refreshTokenRecords.delete(refreshToken);
        response.refresh_token = this.issueRefreshToken(rec.scope, rec.user);
      }
      return this.send(res, entry, 200, JSON.stringify(response), { 'content-type': JSON_ACCOUNTS, 'cache-control': 'no-store' });
    }

    if (grantType === 'authorization_code') {
      const code = form.get('code');
      if (!code) return this.oauthError(res, entry, 'invalid_request', 'code must be supplied');
      const rec = this.codes.get(code);
      if (!rec || rec.used) return this.oauthError(res, entry, 'invalid_grant', 'Invalid authorization code');
      if (Date.now() > rec.expiresAt) return this.oauthError(res, entry, 'invalid_grant', 'Authorization code expired');
      if (form.get('redirect_uri') !== rec.redirectUri) return this.oauthError(res, entry, 'invalid_grant', 'Invalid redirect URI');
      rec.used = true;
      // A user missing from the dashboard list still gets tokens here; the Web API refuses them later.
      const response = this.issueAccessToken({ scope: rec.scope, user: rec.user });
      response.refresh_token = this.issueRefreshToken(rec.scope, rec.user);
      return this.send(res, entry, 200, JSON.stringify(response), { 'content-type': JSON_ACCOUNTS, 'cache-control': 'no-store' });
    }

    return this.oauthError(res, entry, 'unsupported_grant_type', 'grant_type must be client_credentials, authorization_code or refresh_token');
  }

  /** Returns the invalid_client description, or null when the Basic credentials are right. */
  private checkClient(header: string | undefined): string | null {
    const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
    if (!m) return 'Invalid client';
    const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0 || decoded.slice(0, colon) !== this.clientId) return 'Invalid client';
    return decoded.slice(colon + 1) === this.clientSecret ? null : 'Invalid client secret';
  }

  private issueAccessToken(grant: { scope: string; user: UserState }): TokenResponse {
    const accessToken = token('BQ');
    const expiresIn = this.accessTokenTtlSeconds;
    this.accessTokens.set(accessToken, { scope: grant.scope, user: grant.user, expiresAt: Date.now() + expiresIn * 1000, expired: false });
    return { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, scope: grant.scope };
  }

  private issueRefreshToken(scope: string, user: UserState): string {
    const refreshToken = token('AQ');
    this.refreshTokenRecords.set(refreshToken, { scope, user, revoked: false });
    this.issuedRefreshTokens.push(refreshToken);
    return refreshToken;
  }

  /** The request, or the error Spotify's authorize page would show. */
  private validateAuthorize(url: URL): AuthorizeRequest | string {
    const q = url.searchParams;
    if (q.get('client_id') !== this.clientId) return 'INVALID_CLIENT: Invalid client';
    const redirectUri = q.get('redirect_uri');
    if (!redirectUri) return 'INVALID_CLIENT: Invalid redirect URI';
    if (!redirectUriAllowed(redirectUri, this.redirectUris)) {
      return /^http:\/\/localhost\b/i.test(redirectUri) ? 'INVALID_CLIENT: Insecure redirect URI' : 'INVALID_CLIENT: Invalid redirect URI';
    }
    if (q.get('response_type') !== 'code') return 'unsupported_response_type: response_type must be code';
    const scopes = (q.get('scope') ?? '').split(/\s+/).filter(Boolean);
    if (scopes.some((s) => !KNOWN_SCOPES.has(s))) return 'INVALID_SCOPE: Illegal scope';
    const showDialog = q.get('show_dialog');
    if (showDialog !== null && showDialog !== 'true' && showDialog !== 'false') return 'INVALID_REQUEST: Invalid show_dialog';
    return { redirectUri, scope: scopes.join(' '), state: q.get('state') };
  }

  private handleAuthorize(url: URL, entry: RequestLogEntry, res: ServerResponse): void {
    const req = this.validateAuthorize(url);
    const html = (title: string, body: string): string =>
      `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
    if (typeof req === 'string') {
      return this.send(res, entry, 400, html('Error', `<h1>${escapeHtml(req)}</h1>`), { 'content-type': 'text/html; charset=utf-8' });
    }
    const page = html(
      'Spotify emulator – authorize',
      `<h1>Authorize ${escapeHtml(this.clientId)}</h1><p>Scopes: ${escapeHtml(req.scope) || '(none)'}</p>` +
        `<p>Redirects to ${escapeHtml(req.redirectUri)}. Tests approve with SpotifyEmulator.approve(url).</p>`,
    );
    this.send(res, entry, 200, page, { 'content-type': 'text/html; charset=utf-8' });
  }

  // ---------------------------------------------------------------- Web API handlers

  private handleApi(req: IncomingMessage, url: URL, method: string, route: EmulatorRoute, entry: RequestLogEntry, res: ServerResponse): void {
    if (route === 'api-unknown') return this.apiError(res, entry, 404, 'Service not found');
    if (method !== 'GET') return this.apiError(res, entry, 405, 'Method not allowed');

    const header = req.headers.authorization;
    if (!header) return this.apiError(res, entry, 401, 'No token provided', { 'www-authenticate': 'Bearer realm="spotify"' });
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) return this.apiError(res, entry, 400, 'Only valid bearer authentication supported');
    const rec = this.accessTokens.get(m[1] ?? '');
    const authProblem = !rec ? 'Invalid access token' : rec.expired || Date.now() >= rec.expiresAt ? 'The access token expired' : null;
    if (authProblem || !rec) {
      const wwwAuth = `Bearer realm="spotify", error="invalid_token", error_description="${authProblem ?? ''}"`;
      return this.apiError(res, entry, 401, authProblem ?? 'Invalid access token', { 'www-authenticate': wwwAuth });
    }
    const user = rec.user;
    if (!user.allowListed) return this.apiError(res, entry, 403, NOT_REGISTERED_MESSAGE);
    const granted = new Set(rec.scope.split(/\s+/));
    const needed = REQUIRED_SCOPES[route];
    if (needed && !needed.some((s) => granted.has(s))) return this.apiError(res, entry, 403, 'Insufficient client scope');
    const retryAfter = this.rateLimited();
    if (retryAfter !== null) return this.apiError(res, entry, 429, 'API rate limit exceeded', { 'retry-after': String(retryAfter) });

    const q = url.searchParams;
    switch (route) {
      case 'me':
        return this.apiJson(res, entry, 200, makeUser({ id: user.id, displayName: user.displayName, accountId: user.accountId, images: user.images }));
      case 'currently-playing':
        return this.currentlyPlayingResponse(user, q, entry, res);
      case 'top':
        return this.topResponse(user, url.pathname.endsWith('/artists') ? 'artists' : 'tracks', q, entry, res);
      case 'recently-played':
        return this.recentlyPlayedResponse(user, q, entry, res);
      case 'track':
        return this.trackResponse(decodeURIComponent(url.pathname.slice('/v1/tracks/'.length)), q, entry, res);
      case 'tracks-batch':
        // Removed for development-mode apps (February 2026): one GET /tracks/{id} per track instead.
        return this.apiError(res, entry, 403, 'Forbidden');
      default:
        return this.apiError(res, entry, 404, 'Service not found');
    }
  }

  /** Seconds to wait when the app is over its rate limit now; null when this request is admitted (and counted). */
  private rateLimited(): number | null {
    const limit = this.rateLimit;
    if (limit === null) return null;
    const now = Date.now();
    while (this.admitted.length > 0 && this.admitted[0]! <= now - limit.windowMs) this.admitted.shift();
    if (this.admitted.length >= limit.requests) return Math.max(1, Math.ceil((this.admitted[0]! + limit.windowMs - now) / 1000));
    this.admitted.push(now);
    return null;
  }

  private trackResponse(id: string, q: URLSearchParams, entry: RequestLogEntry, res: ServerResponse): void {
    if (!SPOTIFY_ID.test(id)) return this.apiError(res, entry, 400, 'invalid id');
    const market = q.get('market');
    if (market !== null && market !== 'from_token' && !/^[A-Z]{2}$/.test(market)) return this.apiError(res, entry, 400, 'Invalid market code');
    const track = this.findTrack(id);
    if (!track) return this.apiError(res, entry, 404, 'Resource not found');
    this.apiJson(res, entry, 200, track);
  }

  private currentlyPlayingResponse(user: UserState, q: URLSearchParams, entry: RequestLogEntry, res: ServerResponse): void {
    const cp = user.currentlyPlaying;
    // Nothing playing, or a private session: 204 with an empty body.
    if (!cp || cp.device?.is_private_session) return this.send(res, entry, 204, undefined);
    const types = (q.get('additional_types') ?? '').split(',').map((s) => s.trim());
    const hideEpisode = cp.item?.type === 'episode' && !types.includes('episode');
    const { device: _device, ...rest } = cp;
    const body: CurrentlyPlayingObject = hideEpisode ? { ...rest, item: null, progress_ms: null } : rest;
    this.apiJson(res, entry, 200, body);
  }

  private topResponse(user: UserState, kind: 'tracks' | 'artists', q: URLSearchParams, entry: RequestLogEntry, res: ServerResponse): void {
    const range = q.get('time_range') ?? 'medium_term';
    if (!TIME_RANGES.some((r) => r === range)) return this.apiError(res, entry, 400, 'Invalid time range');
    const limit = intParam(q.get('limit'), 20);
    if (limit === null || limit < 1 || limit > 50) return this.apiError(res, entry, 400, 'Invalid limit');
    const offset = intParam(q.get('offset'), 0);
    if (offset === null) return this.apiError(res, entry, 400, 'Invalid offset');
    const all: Array<TrackObject | ArtistObject> = user.top[kind][range as TimeRange];
    const page = (o: number): string => `${this.apiUrl}/me/top/${kind}?time_range=${range}&limit=${limit}&offset=${o}`;
    this.apiJson(res, entry, 200, {
      href: page(offset),
      items: all.slice(offset, offset + limit),
      limit,
      next: offset + limit < all.length ? page(offset + limit) : null,
      offset,
      previous: offset > 0 ? page(Math.max(0, offset - limit)) : null,
      total: all.length,
    });
  }

  private recentlyPlayedResponse(user: UserState, q: URLSearchParams, entry: RequestLogEntry, res: ServerResponse): void {
    const limit = intParam(q.get('limit'), 20);
    if (limit === null || limit < 1 || limit > 50) return this.apiError(res, entry, 400, 'Invalid limit');
    const before = intParam(q.get('before'), -1);
    const after = intParam(q.get('after'), -1);
    if (before === null || after === null) return this.apiError(res, entry, 400, 'Invalid cursor');
    if (before >= 0 && after >= 0) return this.apiError(res, entry, 400, 'Only one of before and after can be specified');
    const matching = user.recentlyPlayed.filter((p) => {
      const t = Date.parse(p.played_at);
      return (before < 0 || t < before) && (after < 0 || t > after);
    });
    const items = matching.slice(0, limit);
    const newest = items[0];
    const oldest = items[items.length - 1];
    const cursor = (p: PlayHistoryObject): string => String(Date.parse(p.played_at));
    let href = `${this.apiUrl}/me/player/recently-played?limit=${limit}`;
    if (before >= 0) href += `&before=${before}`;
    if (after >= 0) href += `&after=${after}`;
    this.apiJson(res, entry, 200, {
      href,
      items,
      limit,
      next: oldest && matching.length > limit ? `${this.apiUrl}/me/player/recently-played?before=${cursor(oldest)}&limit=${limit}` : null,
      cursors: newest && oldest ? { after: cursor(newest), before: cursor(oldest) } : null,
    });
  }
}

/** Base64 of `id:secret`, for building the Basic header in tests. */
export function basicAuth(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}
