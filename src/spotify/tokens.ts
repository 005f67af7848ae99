// Refresh token → access token, per Spotify account.
// - The access token is cached (memory, and storage so a restart or another process reuses it) until shortly
//   before it expires.
// - Any number of concurrent callers share one refresh (single-flight); a failed refresh is not cached.
// - A rotated refresh_token is persisted and used from then on; without one the old token is kept.
// - When the environment's refresh token changes, the new env value wins over what storage holds.
// - invalid_grant / invalid_client are terminal: a typed SpotifyAuthError, remembered for that refresh token so
//   later calls fail fast without asking Spotify again, until a new token arrives (no retry storm).
// - Every token it holds is masked in the logs while it holds it, and unmasked once replaced, expired or forgotten:
//   the logger's mask stays as small as the live tokens (a few per account), not every token ever issued.
import { createHash } from 'node:crypto';
import type { Logger } from '../logger.js';
import { SingleFlight } from '../single-flight.js';
import type { Storage } from '../storage.js';
import { authErrorFor, SpotifyApiError, SpotifyAuthError, SpotifyRateLimitError, SpotifyUnavailableError } from './errors.js';
import {
  defaultSleep,
  fetchText,
  isTransientStatus,
  oauthErrorOf,
  parseJson,
  retryAfterSeconds,
  type HttpOptions,
} from './http.js';
import type { TokenResponse } from './types.js';

/** What storage keeps per account. */
export interface StoredGrant {
  refreshToken: string;
  /** Fingerprint of the env token this grant descends from; a different env token wins over this grant. */
  envFingerprint: string | null;
  /** When the user gave consent (epoch ms), if known. Refresh tokens die 6 months after it. */
  grantedAt: number | null;
  /** When this bot first saw the grant (epoch ms). */
  firstSeenAt: number;
  scope: string | null;
  /** Where the current refresh token came from. */
  source: 'env' | 'rotation' | 'login';
}

interface CachedAccess {
  token: string;
  expiresAt: number;
}

export interface TokenManagerOptions {
  accountsUrl: string;
  clientId: string;
  clientSecret: string;
  storage: Storage;
  logger: Logger;
  timeoutMs?: number;
  retryDelaysMs?: readonly number[];
  /** Refresh this long before Spotify's expiry. */
  expiryMarginMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export type AuthFailureListener = (account: string, error: SpotifyAuthError) => void;
export type GrantChangedListener = (account: string, grant: StoredGrant) => void;

const grantKey = (account: string): string => `spotify:grant:${account}`;
const accessKey = (account: string): string => `spotify:access:${account}`;

export function fingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

export class TokenManager {
  private readonly http: HttpOptions;
  private readonly expiryMarginMs: number;
  private readonly envTokens = new Map<string, { token: string; grantedAt: number | null }>();
  private readonly cache = new Map<string, CachedAccess>();
  private readonly refreshes = new SingleFlight<string, string>();
  /** account → fingerprint of the refresh token Spotify declared dead, with the error. */
  private readonly dead = new Map<string, { fp: string; error: SpotifyAuthError }>();
  private readonly authFailureListeners = new Set<AuthFailureListener>();
  private readonly grantListeners = new Set<GrantChangedListener>();
  /** `<kind>:<account>` → the token this manager asked the logger to mask in that slot. */
  private readonly masked = new Map<string, string>();
  /** Token-endpoint requests made by this manager (for stats and the benchmark). */
  refreshCount = 0;

  constructor(private readonly options: TokenManagerOptions) {
    this.http = {
      timeoutMs: options.timeoutMs ?? 10_000,
      retryDelaysMs: options.retryDelaysMs ?? [500, 2_000],
      sleep: options.sleep ?? defaultSleep,
      now: options.now ?? Date.now,
    };
    this.expiryMarginMs = options.expiryMarginMs ?? 60_000;
    options.logger.addSecret(options.clientSecret);
  }

  /** The refresh token the environment supplies for an account (SPOTIFY_REFRESH_TOKEN for the owner). */
  setEnvRefreshToken(account: string, token: string | null, grantedAt: number | null = null): void {
    if (token) this.envTokens.set(account, { token, grantedAt });
    else this.envTokens.delete(account);
    this.holdSecret('env', account, token);
  }

  onAuthFailure(listener: AuthFailureListener): () => void {
    this.authFailureListeners.add(listener);
    return () => this.authFailureListeners.delete(listener);
  }

  onGrantChanged(listener: GrantChangedListener): () => void {
    this.grantListeners.add(listener);
    return () => this.grantListeners.delete(listener);
  }

  /** The grant in force for an account, reconciling storage with the environment. */
  async currentGrant(account: string): Promise<StoredGrant | null> {
    // Storage serves this process its own writes even when the store refused them, so a rotation is never lost.
    const stored = (await this.options.storage.get<StoredGrant>(grantKey(account))) ?? null;
    const env = this.envTokens.get(account);
    if (!env) return stored;
    const envFp = fingerprint(env.token);
    if (stored && stored.envFingerprint === envFp) return stored;
    // No grant stored yet, or the env token changed since: the env value wins.
    const grant: StoredGrant = {
      refreshToken: env.token,
      envFingerprint: envFp,
      grantedAt: env.grantedAt,
      firstSeenAt: this.http.now(),
      scope: null,
      source: 'env',
    };
    if (stored) this.options.logger.info('SPOTIFY_REFRESH_TOKEN changed in the environment; using it', { account });
    await this.saveGrant(account, grant);
    return grant;
  }

  /** Store a grant obtained by an authorization (the script or `/spotify login`); it wins until the env changes. */
  async storeAuthorizedGrant(
    account: string,
    grant: { refreshToken: string; scope: string | null; grantedAt: number },
    access?: { token: string; expiresInSeconds: number },
  ): Promise<StoredGrant> {
    const env = this.envTokens.get(account);
    const stored: StoredGrant = {
      refreshToken: grant.refreshToken,
      envFingerprint: env ? fingerprint(env.token) : null,
      grantedAt: grant.grantedAt,
      firstSeenAt: this.http.now(),
      scope: grant.scope,
      source: 'login',
    };
    this.holdSecret('refresh', account, grant.refreshToken);
    await this.saveGrant(account, stored);
    this.dead.delete(account);
    if (access) await this.remember(account, access.token, access.expiresInSeconds);
    else await this.forget(account);
    return stored;
  }

  /** A valid access token for the account, refreshing only when needed. */
  async getAccessToken(account: string): Promise<string> {
    const cached = this.cache.get(account);
    if (cached && cached.expiresAt > this.http.now()) return cached.token;
    if (cached) this.dropAccess(account);
    return this.refreshes.run(account, () => this.obtain(account));
  }

  /** Drop a cached access token that Spotify rejected (401); the next call refreshes. */
  async invalidate(account: string, accessToken: string): Promise<void> {
    const cached = this.cache.get(account);
    if (cached?.token === accessToken) await this.forget(account);
  }

  /** Forget an account entirely (unlink): its stored grant, access token, env token and dead-grant mark. */
  async forgetAccount(account: string): Promise<void> {
    this.envTokens.delete(account);
    this.dead.delete(account);
    await this.forget(account);
    this.holdSecret('env', account, null);
    this.holdSecret('refresh', account, null);
    await this.options.storage.delete(grantKey(account));
  }

  /** The terminal error for the account's current refresh token, if Spotify already declared it dead. */
  deadGrantError(account: string): SpotifyAuthError | null {
    return this.dead.get(account)?.error ?? null;
  }

  private async obtain(account: string): Promise<string> {
    const shared = await this.options.storage.get<CachedAccess>(accessKey(account));
    if (shared && shared.expiresAt > this.http.now()) {
      this.cache.set(account, shared);
      this.holdSecret('access', account, shared.token);
      return shared.token;
    }
    const grant = await this.currentGrant(account);
    if (!grant) throw authErrorFor('no_token', 'no refresh token is configured');
    const fp = fingerprint(grant.refreshToken);
    const dead = this.dead.get(account);
    if (dead && dead.fp === fp) throw dead.error;
    return this.refresh(account, grant, fp);
  }

  private async refresh(account: string, grant: StoredGrant, fp: string): Promise<string> {
    const { logger } = this.options;
    // A grant read from storage (not from this process's env or login) is masked from its first use on.
    this.holdSecret('refresh', account, grant.refreshToken);
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: grant.refreshToken });
    const basic = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString('base64');
    let lastError: Error = new SpotifyUnavailableError('token refresh failed');
    for (let attempt = 0; attempt <= this.http.retryDelaysMs.length; attempt++) {
      if (attempt > 0) await this.http.sleep(this.http.retryDelaysMs[attempt - 1]!);
      this.refreshCount++;
      let result;
      try {
        result = await fetchText(
          `${this.options.accountsUrl}/api/token`,
          {
            method: 'POST',
            headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
            body,
          },
          this.http.timeoutMs,
        );
      } catch (error) {
        lastError = error as Error;
        logger.debug('token refresh failed; will retry', { account, attempt: attempt + 1, error: lastError });
        continue;
      }
      const json = parseJson(result.text);
      if (result.status === 200) {
        const token = json as Partial<TokenResponse> | undefined;
        if (!token || typeof token.access_token !== 'string' || typeof token.expires_in !== 'number') {
          throw new SpotifyApiError(200, 'token endpoint answered without access_token/expires_in');
        }
        await this.afterRefresh(account, grant, token as TokenResponse);
        return token.access_token;
      }
      if (isTransientStatus(result.status)) {
        lastError = new SpotifyUnavailableError(`token endpoint answered ${result.status}`, result.status);
        logger.debug('token refresh failed; will retry', { account, attempt: attempt + 1, status: result.status });
        continue;
      }
      if (result.status === 429) {
        const wait = retryAfterSeconds(result.headers, this.http.now()) ?? 30;
        throw new SpotifyRateLimitError(wait, false);
      }
      const oauth = oauthErrorOf(json);
      if (oauth && (oauth.error === 'invalid_grant' || oauth.error === 'invalid_client')) {
        const error = authErrorFor(oauth.error, oauth.description);
        if (oauth.error === 'invalid_grant') this.dead.set(account, { fp, error });
        logger.error('Spotify rejected the refresh token', { account, reason: oauth.error, hint: error.hint });
        for (const listener of this.authFailureListeners) listener(account, error);
        throw error;
      }
      throw new SpotifyApiError(result.status, oauth?.error ?? `token endpoint answered ${result.status}`);
    }
    throw lastError;
  }

  private async afterRefresh(account: string, grant: StoredGrant, token: TokenResponse): Promise<void> {
    if (token.refresh_token && token.refresh_token !== grant.refreshToken) {
      this.holdSecret('refresh', account, token.refresh_token);
      const rotated: StoredGrant = { ...grant, refreshToken: token.refresh_token, source: 'rotation' };
      if (token.scope) rotated.scope = token.scope;
      await this.saveGrant(account, rotated);
      this.options.logger.info('Spotify rotated the refresh token; stored the new one', { account });
    } else if (token.scope && token.scope !== grant.scope) {
      await this.saveGrant(account, { ...grant, scope: token.scope });
    }
    this.dead.delete(account);
    await this.remember(account, token.access_token, token.expires_in);
    this.options.logger.debug('access token refreshed', { account, expiresIn: token.expires_in });
  }

  private async remember(account: string, token: string, expiresInSeconds: number): Promise<void> {
    this.sweepExpired();
    this.holdSecret('access', account, token);
    const lifetime = Math.max(0, expiresInSeconds * 1000 - this.expiryMarginMs);
    const entry: CachedAccess = { token, expiresAt: this.http.now() + lifetime };
    this.cache.set(account, entry);
    if (lifetime > 0) await this.options.storage.set(accessKey(account), entry, lifetime);
  }

  private async forget(account: string): Promise<void> {
    this.dropAccess(account);
    await this.options.storage.delete(accessKey(account));
  }

  private dropAccess(account: string): void {
    this.cache.delete(account);
    this.holdSecret('access', account, null);
  }

  /** Expired access tokens of accounts nobody asked for since: never used again, so no longer masked. */
  private sweepExpired(): void {
    const now = this.http.now();
    for (const [account, entry] of this.cache) if (entry.expiresAt <= now) this.dropAccess(account);
  }

  /** Mask `token` as this slot's secret, unmasking the one it replaces (null: the slot is empty now). */
  private holdSecret(kind: 'env' | 'refresh' | 'access', account: string, token: string | null): void {
    const slot = `${kind}:${account}`;
    const previous = this.masked.get(slot);
    if (previous === token) return;
    // Add before removing, so a value shared with another slot is never unmasked for a moment.
    if (token) {
      this.options.logger.addSecret(token);
      this.masked.set(slot, token);
    } else {
      this.masked.delete(slot);
    }
    if (previous !== undefined) this.options.logger.removeSecret(previous);
  }

  private async saveGrant(account: string, grant: StoredGrant): Promise<void> {
    const ok = await this.options.storage.set(grantKey(account), grant);
    if (!ok) this.options.logger.warn('could not persist the Spotify grant; keeping it in memory', { account });
    for (const listener of this.grantListeners) listener(account, grant);
  }
}
