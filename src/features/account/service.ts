// The owner's Spotify link as the bot manages it: status for `/spotify status`, and the `/spotify login` flow
// (authorize URL with a random state → pasted redirect → code exchange → stored grant, used at once).
import type { GrantHealth } from './grant-health.js';
import { grantTimeline } from './grant-health.js';
import type { Logger } from './logger.js';
import type { AccountStatus, LoginResult } from './services.js';
import {
  AuthorizationCodeError,
  buildAuthorizeUrl,
  checkCallback,
  createState,
  exchangeCode,
  parseRedirect,
} from './spotify/authorization.js';
import type { SpotifyClient } from './spotify/client.js';
import type { TokenManager } from './spotify/tokens.js';
import type { Storage } from './storage.js';

const PENDING_TTL_MS = 15 * 60_000;

interface PendingLogin {
  state: string;
  redirectUri: string;
  startedAt: number;
}

export interface AccountServiceOptions {
  account: string;
  spotifyApp: { clientId: string; clientSecret: string; accountsUrl: string; redirectUri: string };
  tokens: TokenManager;
  spotify: SpotifyClient;
  health: GrantHealth;
  storage: Storage;
  logger: Logger;
  now: () => number;
}

export class AccountService {
  constructor(private readonly options: AccountServiceOptions) {}

  async status(): Promise<AccountStatus> {
    const { spotify, health } = this.options;
    const grantHealth = await health.status();
    const profile = grantHealth && !grantHealth.dead ? await spotify.getProfile().catch(() => null) : null;
    return {
      health: grantHealth,
      account: profile ? `${profile.display_name ?? profile.id} (${profile.id})` : null,
      lastSuccessAt: spotify.lastSuccessAt,
      rateLimit: spotify.rateLimit(),
    };
  }

  async beginLogin(userId: string): Promise<{ authorizeUrl: string; redirectUri: string }> {
    const { clientId, accountsUrl, redirectUri } = this.options.spotifyApp;
    const state = createState();
    await this.options.storage.set<PendingLogin>(
      this.pendingKey(userId),
      { state, redirectUri, startedAt: this.options.now() },
      PENDING_TTL_MS,
    );
    return { authorizeUrl: buildAuthorizeUrl({ accountsUrl, clientId, redirectUri, state }), redirectUri };
  }

  async finishLogin(userId: string, pasted: string): Promise<LoginResult> {
    const { storage, tokens, spotify, now, account, logger } = this.options;
    const pending = await storage.get<PendingLogin>(this.pendingKey(userId));
    if (!pending || now() - pending.startedAt > PENDING_TTL_MS) return { ok: false, reason: 'expired' };
    // A pasted bare code carries no state; the pending login (started by this user, minutes ago) stands in for it.
    const outcome = checkCallback(parseRedirect(pasted), pending.state, { allowMissingState: true });
    if (outcome.kind === 'state_mismatch') return { ok: false, reason: 'state_mismatch' };
    if (outcome.kind === 'denied') return { ok: false, reason: 'denied', detail: outcome.error };
    if (outcome.kind === 'no_code') return { ok: false, reason: 'no_code' };

    const { accountsUrl, clientId, clientSecret } = this.options.spotifyApp;
    let grant;
    try {
      grant = await exchangeCode({ accountsUrl, clientId, clientSecret, code: outcome.code, redirectUri: pending.redirectUri });
    } catch (error) {
      // Other failures (Spotify down, bad app credentials) surface as the usual typed errors.
      if (error instanceof AuthorizationCodeError) return { ok: false, reason: 'code_rejected' };
      throw error;
    }
    await storage.delete(this.pendingKey(userId));
    const grantedAt = now();
    const stored = await tokens.storeAuthorizedGrant(
      account,
      { refreshToken: grant.refreshToken, scope: grant.scope || null, grantedAt },
      { token: grant.accessToken, expiresInSeconds: grant.expiresInSeconds },
    );
    logger.info('Spotify linked through /spotify login', { scope: grant.scope });
    const profile = await spotify.getProfile().catch(() => null);
    return {
      ok: true,
      account: profile ? (profile.display_name ?? profile.id) : null,
      scope: grant.scope,
      expiresAt: grantTimeline(stored, grantedAt).expiresAt,
    };
  }

  private pendingKey(userId: string): string {
    return `login:pending:${userId}`;
  }
}
