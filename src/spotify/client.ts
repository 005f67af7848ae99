// HTTP to the Spotify Web API for one account.
// 401 → refresh once and retry once; 429 → honour Retry-After (no request is sent before it runs out: calls in
// that window fail fast; a 429 from the token endpoint blocks the same way), short waits are slept through,
// QUOTA_EXCEEDED surfaces distinctly; 5xx/network/timeout → bounded retries; every request has a timeout; 204 is
// "no content", never JSON-parsed.
import type { Logger } from '../logger.js';
import {
  SpotifyApiError,
  SpotifyForbiddenError,
  SpotifyRateLimitError,
  SpotifyUnavailableError,
} from './errors.js';
import {
  apiErrorOf,
  defaultSleep,
  fetchText,
  isTransientStatus,
  parseJson,
  retryAfterSeconds,
  type HttpOptions,
  type HttpResult,
} from './http.js';
import { RateGate } from './rate-gate.js';
import type { TokenManager } from './tokens.js';
import type { CurrentlyPlaying, CursorPaging, Paging, PlayHistory, TimeRange, Track, Artist } from './types.js';
import { SPOTIFY_MAX_LIMIT } from './types.js';

export interface SpotifyClientOptions {
  apiUrl: string;
  tokens: TokenManager;
  account: string;
  logger: Logger;
  timeoutMs?: number;
  retryDelaysMs?: readonly number[];
  /** A 429 whose Retry-After is at most this long is waited out and retried once; longer ones throw. */
  maxRateLimitWaitMs?: number;
  /** The app-wide gate every account's client shares (Spotify's limits are per app); default: a gate of its own. */
  gate?: RateGate;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface TopQuery {
  range?: TimeRange;
  limit?: number;
  offset?: number;
}

export interface Profile {
  id: string;
  display_name: string | null;
}

export interface RequestStats {
  /** Requests sent to the Web API (attempts, including retries). */
  requests: number;
  byPath: Record<string, number>;
}

export class SpotifyClient {
  private readonly http: HttpOptions;
  private readonly maxRateLimitWaitMs: number;
  /** No request is sent while the app-wide gate is closed (a Retry-After in force for any account). */
  private readonly gate: RateGate;
  readonly stats: RequestStats = { requests: 0, byPath: {} };
  /** When the last request succeeded (epoch ms), for `/spotify status`. */
  lastSuccessAt: number | null = null;

  constructor(private readonly options: SpotifyClientOptions) {
    this.http = {
      timeoutMs: options.timeoutMs ?? 5_000,
      retryDelaysMs: options.retryDelaysMs ?? [250, 1_000],
      sleep: options.sleep ?? defaultSleep,
      now: options.now ?? Date.now,
    };
    this.maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? 2_000;
    this.gate = options.gate ?? new RateGate({ now: this.http.now });
  }

  get account(): string {
    return this.options.account;
  }

  /** Seconds until requests are allowed again (0 when not rate-limited), and whether it is the quota. */
  rateLimit(): { retryAfterSeconds: number; quotaExceeded: boolean } {
    return this.gate.state();
  }

  /** What is playing; null when Spotify answers 204 (nothing playing, or a private session). */
  async getCurrentlyPlaying(market?: string): Promise<CurrentlyPlaying | null> {
    const query: Record<string, string> = { additional_types: 'episode' };
    if (market) query.market = market;
    return this.get<CurrentlyPlaying>('/me/player/currently-playing', query);
  }

  async getTopTracks(query: TopQuery = {}): Promise<Paging<Track>> {
    return this.getTop<Track>('tracks', query);
  }

  async getTopArtists(query: TopQuery = {}): Promise<Paging<Artist>> {
    return this.getTop<Artist>('artists', query);
  }

  async getRecentlyPlayed(query: { limit?: number; before?: number; after?: number } = {}): Promise<CursorPaging<PlayHistory>> {
    const params: Record<string, string> = { limit: String(clampLimit(query.limit ?? 20)) };
    if (query.before !== undefined) params.before = String(query.before);
    if (query.after !== undefined) params.after = String(query.after);
    return this.require(await this.get<CursorPaging<PlayHistory>>('/me/player/recently-played', params));
  }

  /**
   * One catalogue track (its album's covers included). One id a request: Spotify removed the batch lookup
   * (`GET /tracks?ids=`) for development-mode apps.
   */
  async getTrack(id: string): Promise<Track> {
    return this.require(await this.get<Track>(`/tracks/${encodeURIComponent(id)}`, {}, '/tracks/{id}'));
  }

  async getProfile(): Promise<Profile> {
    return this.require(await this.get<Profile>('/me', {}));
  }

  private async getTop<T>(kind: 'tracks' | 'artists', query: TopQuery): Promise<Paging<T>> {
    const params = {
      time_range: query.range ?? 'medium_term',
      limit: String(clampLimit(query.limit ?? 20)),
      offset: String(Math.max(0, Math.floor(query.offset ?? 0))),
    };
    return this.require(await this.get<Paging<T>>(`/me/top/${kind}`, params));
  }

  private require<T>(value: T | null): T {
    if (value === null) throw new SpotifyApiError(204, 'unexpected empty answer');
    return value;
  }

  /** GET a Web API path; null for 204. `label`: what the request counts as (a path with an id in it: its pattern). */
  private async get<T>(path: string, query: Record<string, string>, label = path): Promise<T | null> {
    const url = `${this.options.apiUrl}${path}?${new URLSearchParams(query).toString()}`;
    const { tokens, account, logger } = this.options;
    let refreshedAfter401 = false;
    let waitedForRateLimit = false;
    let transientFailures = 0;

    for (;;) {
      this.assertNotBlocked();
      const token = await this.accessToken();
      let result: HttpResult;
      // Closed gate (any account's 429) or this member's budget used up: refused here, nothing is sent.
      this.gate.admit(account);
      try {
        this.count(label);
        result = await fetchText(url, { headers: { Authorization: `Bearer ${token}` } }, this.http.timeoutMs);
      } catch (error) {
        if (transientFailures >= this.http.retryDelaysMs.length) throw error;
        logger.debug('Spotify request failed; will retry', { path, error });
        await this.http.sleep(this.http.retryDelaysMs[transientFailures++]!);
        continue;
      }

      const { status } = result;
      if (status === 204) {
        this.lastSuccessAt = this.http.now();
        return null;
      }
      if (status >= 200 && status < 300) {
        const json = parseJson(result.text);
        if (json === undefined) throw new SpotifyApiError(status, 'malformed JSON in the answer');
        this.lastSuccessAt = this.http.now();
        return json as T;
      }
      const body = parseJson(result.text);
      const { message, reason } = apiErrorOf(body);
      if (status === 401 && !refreshedAfter401) {
        refreshedAfter401 = true;
        logger.debug('access token rejected; refreshing once', { path, message });
        await tokens.invalidate(account, token);
        continue;
      }
      if (status === 429) {
        const seconds = retryAfterSeconds(result.headers, this.http.now()) ?? 5;
        const quota = reason === 'QUOTA_EXCEEDED';
        this.block(seconds, quota);
        logger.warn(quota ? 'Spotify quota exceeded' : 'Spotify rate limit', { path, retryAfter: seconds });
        if (!quota && !waitedForRateLimit && seconds * 1000 <= this.maxRateLimitWaitMs) {
          waitedForRateLimit = true;
          // A little past the deadline: timers may fire a millisecond early, and the block must be over.
          await this.http.sleep(Math.max(0, this.gate.closedUntil - this.http.now()) + RATE_LIMIT_SLACK_MS);
          continue;
        }
        throw new SpotifyRateLimitError(seconds, quota);
      }
      if (isTransientStatus(status)) {
        if (transientFailures < this.http.retryDelaysMs.length) {
          const hinted = retryAfterSeconds(result.headers, this.http.now());
          const delay = Math.max(this.http.retryDelaysMs[transientFailures++]!, (hinted ?? 0) * 1000);
          logger.debug('Spotify answered a server error; will retry', { path, status });
          await this.http.sleep(delay);
          continue;
        }
        throw new SpotifyUnavailableError(`answered ${status} ${message}`, status);
      }
      if (status === 403) throw new SpotifyForbiddenError(message);
      throw new SpotifyApiError(status, message);
    }
  }

  /**
   * The account's access token. A 429 from the token endpoint blocks this client for its Retry-After too: no Web
   * API request can be sent without a token anyway, and every later call would otherwise ask the token endpoint
   * again at once, inside the window Spotify asked us to wait.
   */
  private async accessToken(): Promise<string> {
    try {
      return await this.options.tokens.getAccessToken(this.options.account);
    } catch (error) {
      if (error instanceof SpotifyRateLimitError) this.block(error.retryAfterSeconds, error.quotaExceeded);
      throw error;
    }
  }

  private count(path: string): void {
    this.stats.requests++;
    this.stats.byPath[path] = (this.stats.byPath[path] ?? 0) + 1;
  }

  private block(seconds: number, quota: boolean): void {
    this.gate.block(seconds, quota);
  }

  private assertNotBlocked(): void {
    const { retryAfterSeconds: seconds, quotaExceeded } = this.rateLimit();
    if (seconds > 0) throw new SpotifyRateLimitError(seconds, quotaExceeded);
  }
}

/** Extra wait after a Retry-After before trying again. */
const RATE_LIMIT_SLACK_MS = 25;

function clampLimit(limit: number): number {
  return Math.min(SPOTIFY_MAX_LIMIT, Math.max(1, Math.floor(limit)));
}
