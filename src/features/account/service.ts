// A listener's Spotify link as the bot manages it: status for `/spotify status`, the `/spotify login` flow
// (authorize URL with a random state → pasted redirect → code exchange → stored grant, used at once), and the
// grant's health (expiry warnings, dead-grant notice) per account.
import type { Listener } from '../../listeners/listener.js';
import type { ListenerPart, ListenerRegistry } from '../../listeners/registry.js';
import type { Logger } from '../../logger.js';
import type { FeatureDeps, ServiceNamespace } from '../../services.js';
import {
  AuthorizationCodeError,
  buildAuthorizeUrl,
  checkCallback,
  createState,
  exchangeCode,
  parseRedirect,
} from '../../spotify/authorization.js';
import type { TokenManager } from '../../spotify/tokens.js';
import type { Storage } from '../../storage.js';
import { deadNoticeKey, expiryNoticeKey, GrantHealth, grantTimeline, type GrantHealthStatus } from './grant-health.js';

export interface AccountStatus {
  health: GrantHealthStatus | null;
  /** "Display Name (id)" of the linked Spotify account, when Spotify could tell. */
  account: string | null;
  lastSuccessAt: number | null;
  rateLimit: { retryAfterSeconds: number; quotaExceeded: boolean };
}

export type LoginResult =
  | { ok: true; account: string | null; scope: string; expiresAt: number }
  | { ok: false; reason: 'expired' | 'state_mismatch' | 'denied' | 'no_code' | 'code_rejected'; detail?: string };

const PENDING_TTL_MS = 15 * 60_000;

interface PendingLogin {
  state: string;
  redirectUri: string;
  startedAt: number;
  /** The account the login is for; logins started before listeners existed were the owner's. */
  account?: string;
}

const pendingKey = (userId: string): string => `login:pending:${userId}`;

/** `Services['account']`, and each listener's grant health (`health(listener)`). */
export class AccountFeature implements ServiceNamespace<'account'> {
  readonly healthPart: ListenerPart<GrantHealth>;

  private readonly listeners: ListenerRegistry;
  private readonly spotifyApp: FeatureDeps['config']['spotify'];
  private readonly tokens: TokenManager;
  private readonly storage: Storage;
  private readonly logger: Logger;
  private readonly now: () => number;

  constructor({ listeners, config, tokens, storage, logger, now, notify }: FeatureDeps) {
    this.listeners = listeners;
    this.spotifyApp = config.spotify;
    this.tokens = tokens;
    this.storage = storage;
    this.logger = logger.child('spotify');
    this.now = now;
    this.healthPart = listeners.register({
      name: 'grant-health',
      create: (scope) =>
        new GrantHealth({ tokens, storage, logger: this.logger, account: scope.account, notify: (text) => notify(scope.listener, text), now }),
      dispose: (health) => health.stop(),
      erase: async (account) => {
        const grant = await tokens.currentGrant(account).catch(() => null);
        if (!grant) return;
        await Promise.all([storage.delete(expiryNoticeKey(grant.refreshToken)), storage.delete(deadNoticeKey(grant.refreshToken))]);
      },
    });
  }

  /** The listener's grant health (the owner's is started with the bot). */
  health(listener: Listener): GrantHealth {
    return this.listeners.part(listener, this.healthPart);
  }

  async status(listener: Listener): Promise<AccountStatus> {
    const { spotify } = this.listeners.scope(listener);
    const grantHealth = await this.health(listener).status();
    const profile = grantHealth && !grantHealth.dead ? await spotify.getProfile().catch(() => null) : null;
    return {
      health: grantHealth,
      account: profile ? `${profile.display_name ?? profile.id} (${profile.id})` : null,
      lastSuccessAt: spotify.lastSuccessAt,
      rateLimit: spotify.rateLimit(),
    };
  }

  async beginLogin(listener: Listener, userId: string): Promise<{ authorizeUrl: string; redirectUri: string }> {
    const { clientId, accountsUrl, redirectUri } = this.spotifyApp;
    const state = createState();
    const account = this.listeners.scope(listener).account;
    await this.storage.set<PendingLogin>(
      pendingKey(userId),
      { state, redirectUri, startedAt: this.now(), account },
      PENDING_TTL_MS,
    );
    return { authorizeUrl: buildAuthorizeUrl({ accountsUrl, clientId, redirectUri, state }), redirectUri };
  }

  async finishLogin(listener: Listener, userId: string, pasted: string): Promise<LoginResult> {
    const { storage, tokens, now, logger } = this;
    const { account, spotify } = this.listeners.scope(listener);
    const pending = await storage.get<PendingLogin>(pendingKey(userId));
    if (!pending || now() - pending.startedAt > PENDING_TTL_MS) return { ok: false, reason: 'expired' };
    // A login started for another account is not this one's to finish.
    if ((pending.account ?? 'owner') !== account) return { ok: false, reason: 'expired' };
    // A pasted bare code carries no state; the pending login (started by this user, minutes ago) stands in for it.
    const outcome = checkCallback(parseRedirect(pasted), pending.state, { allowMissingState: true });
    if (outcome.kind === 'state_mismatch') return { ok: false, reason: 'state_mismatch' };
    if (outcome.kind === 'denied') return { ok: false, reason: 'denied', detail: outcome.error };
    if (outcome.kind === 'no_code') return { ok: false, reason: 'no_code' };

    const { accountsUrl, clientId, clientSecret } = this.spotifyApp;
    let grant;
    try {
      grant = await exchangeCode({ accountsUrl, clientId, clientSecret, code: outcome.code, redirectUri: pending.redirectUri });
    } catch (error) {
      // Other failures (Spotify down, bad app credentials) surface as the usual typed errors.
      if (error instanceof AuthorizationCodeError) return { ok: false, reason: 'code_rejected' };
      throw error;
    }
    await storage.delete(pendingKey(userId));
    const grantedAt = now();
    const stored = await tokens.storeAuthorizedGrant(
      account,
      { refreshToken: grant.refreshToken, scope: grant.scope || null, grantedAt },
      { token: grant.accessToken, expiresInSeconds: grant.expiresInSeconds },
    );
    logger.info('Spotify linked through /spotify login', { account, scope: grant.scope });
    const profile = await spotify.getProfile().catch(() => null);
    return {
      ok: true,
      account: profile ? (profile.display_name ?? profile.id) : null,
      scope: grant.scope,
      expiresAt: grantTimeline(stored, grantedAt).expiresAt,
    };
  }
}
