// A listener's Spotify link as the bot manages it: status for `/spotify status`, the link flow (authorize URL with a
// random state → pasted redirect, or the callback server → code exchange → stored grant, used at once), and the
// grant's health (expiry warnings, dead-grant notice) per account.
//
// One flow for everyone: the owner's `/spotify login` and a member's `/spotify link` are the same calls (`beginLogin`,
// then `finishLogin` with the whole redirected URL pasted, or the callback server's `openCallback` + `confirmCallback`).
// `state` proves who *started* a link, not whose browser approved it, so the callback links only after that browser
// confirms on a page naming the Discord side, and every result names both sides. What
// differs for a member (`{ kind: 'linked' }`) is checked here: a seat must be free (SPOTIFY_MAX_USERS, the owner
// counted), their Spotify account must be on the app's dashboard allow-list (the first call, /me, says so), and one
// Spotify account links one Discord member.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FeatureDeps } from '../../feature-deps.js';
import { linkedListener, type MemberAccountHooks, type MemberDirectory } from '../../listeners/members.js';
import { OWNER, type Listener } from '../../listeners/listener.js';
import type { ListenerPart, ListenerRegistry } from '../../listeners/registry.js';
import type { Logger } from '../../logger.js';
import {
  AuthorizationCodeError,
  buildAuthorizeUrl,
  checkCallback,
  createState,
  exchangeCode,
  parseRedirect,
  type RedirectParams,
} from '../../spotify/authorization.js';
import { SpotifyForbiddenError } from '../../spotify/errors.js';
import { fingerprint, type StoredGrant, type TokenManager } from '../../spotify/tokens.js';
import type { Storage } from '../../storage.js';
import type { Translator } from '../../i18n/translator.js';
import {
  eraseNotices,
  GrantHealth,
  grantTimeline,
  memberExpiryText,
  type GrantHealthStatus,
} from './grant-health.js';

/** A grant's health as it crosses processes: plain data, and never the refresh token. */
export interface AccountHealth {
  grantedAt: number;
  grantedAtKnown: boolean;
  expiresAt: number;
  daysLeft: number;
  expiringSoon: boolean;
  /** Spotify declared the grant dead (the reason, e.g. invalid_grant), or null. */
  dead: { reason: string; description: string | null } | null;
  grant: { scope: string | null; source: StoredGrant['source'] };
}

export interface AccountStatus {
  health: AccountHealth | null;
  /** "Display Name (id)" of the linked Spotify account, when Spotify could tell. */
  account: string | null;
  lastSuccessAt: number | null;
  rateLimit: { retryAfterSeconds: number; quotaExceeded: boolean };
}

export type BeginLoginResult =
  | {
      ok: true;
      authorizeUrl: string;
      redirectUri: string;
      /** The bot serves the redirect itself (SPOTIFY_REDIRECT_URI is https): approving is enough, no paste needed. */
      callback: boolean;
    }
  | { ok: false; reason: 'seats_full'; used: number; max: number };

export type LoginFailure =
  | 'expired'
  | 'state_mismatch'
  | 'denied'
  | 'no_code'
  | 'code_rejected'
  /** Every seat is taken (SPOTIFY_MAX_USERS). */
  | 'seats_full'
  /** The exchange worked but Spotify answered 403 "User not registered in the Developer Dashboard". */
  | 'not_allow_listed'
  /** That Spotify account is already linked by another Discord member. */
  | 'account_taken'
  /** A pasted code or query without the redirect's `state`: only the whole redirected URL is accepted. */
  | 'missing_state';

export type LoginResult =
  | {
      ok: true;
      /** "Display Name (id)" of the Spotify account now linked, when Spotify could tell. */
      account: string | null;
      scope: string;
      expiresAt: number;
    }
  | { ok: false; reason: LoginFailure; detail?: string };

/** The Discord user a link is for, as the callback pages name them (names as Discord showed them at /spotify link). */
export interface LinkTarget {
  userId: string;
  /** The bot's own account (the owner's /spotify login), not a member's. */
  owner: boolean;
  displayName: string | null;
  username: string | null;
}

/** Discord's names for the user starting a link, kept with it so the callback page can say whose it is. */
export interface DiscordNames {
  displayName: string;
  username: string;
}

/** The callback server's GET: a confirm page to show (with its one-time token), or why not. */
export type CallbackOpened =
  | { ok: true; token: string; linkTo: LinkTarget }
  | { ok: false; reason: LoginFailure; detail?: string; linkTo: LinkTarget | null };

/** What the callback server shows after the confirm: the result, and who it was for. */
export type CallbackResult = LoginResult & { linkTo: LinkTarget | null };

const PENDING_TTL_MS = 15 * 60_000;
/** A confirm page's token: a Spotify code is valid for 10 minutes, so the page is too. */
const CONFIRM_TTL_MS = 10 * 60_000;
const OWNER_TOLD_TTL_MS = 30 * 24 * 60 * 60 * 1000;

interface PendingLogin {
  state: string;
  redirectUri: string;
  startedAt: number;
  /** The account the login is for; logins started before listeners existed were the owner's. */
  account?: string;
  /** Discord's names for the user who started it (absent for logins started before they were kept). */
  names?: DiscordNames;
}

/** A callback waiting for its confirm: the redirect's code, kept server-side (never put into the page). */
interface PendingConfirm {
  tokenHash: string;
  state: string;
  code: string;
  issuedAt: number;
}

const pendingKey = (userId: string): string => `login:pending:${userId}`;
/** The pending login a callback's `state` belongs to; keyed by a hash, so the key reveals neither state nor user. */
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const stateKey = (state: string): string => `login:state:${sha256(state)}`;
/** One confirm per pending login: a later GET of the callback replaces it. */
const confirmKey = (userId: string): string => `login:confirm:${userId}`;
/** `<discord id>.<43 random base64url characters>`: the id finds the record, the rest proves the page was seen. */
const CONFIRM_TOKEN = /^(\d{1,20})\.([A-Za-z0-9_-]{43})$/;
/** "The owner was told this member isn't on the allow-list" (keyed by a hash of the member's id, kept 30 days). */
const ownerToldKey = (userId: string): string => `members:allowlist-told:${fingerprint(`discord:${userId}`)}`;

function listenerOfAccount(account: string | undefined): Listener | null {
  if (account === undefined || account === 'owner') return OWNER;
  return account.startsWith('user:') ? linkedListener(account.slice('user:'.length)) : null;
}

function targetOf(userId: string, { pending, listener }: { pending: PendingLogin; listener: Listener }): LinkTarget {
  return { userId, owner: listener.kind === 'owner', displayName: pending.names?.displayName ?? null, username: pending.names?.username ?? null };
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function plainHealth(status: GrantHealthStatus | null): AccountHealth | null {
  if (!status) return null;
  const { grant, dead, ...timeline } = status;
  return {
    ...timeline,
    dead: dead ? { reason: dead.reason, description: dead.description ?? null } : null,
    grant: { scope: grant.scope, source: grant.source },
  };
}

/** `Services['account']`: a listener's link status, and the link flow (`/spotify login`, `/spotify link`). */
export interface AccountNamespace {
  status(listener: Listener): Promise<AccountStatus>;
  /**
   * Start a `/spotify login` (owner) or `/spotify link` (member) by this Discord user: the authorize URL to open.
   * `names` (Discord's, at that moment) let the callback page say whose Discord account it links to.
   */
  beginLogin(listener: Listener, userId: string, names?: DiscordNames): Promise<BeginLoginResult>;
  /** Finish it with what the user pasted: the whole redirected URL, with its state. */
  finishLogin(listener: Listener, userId: string, pasted: string): Promise<LoginResult>;
  /** The callback server's GET (the redirect's query string): a confirm page's token, nothing linked yet. */
  openCallback(query: string): Promise<CallbackOpened>;
  /** The confirm page's POST: the one-time token finishes the link. */
  confirmCallback(token: string): Promise<CallbackResult>;
}

/** `Services['account']`, and each listener's grant health (`health(listener)`). */
export class AccountFeature implements AccountNamespace, MemberAccountHooks {
  readonly healthPart: ListenerPart<GrantHealth>;

  private readonly listeners: ListenerRegistry;
  private readonly spotifyApp: FeatureDeps['config']['spotify'];
  private readonly tokens: TokenManager;
  private readonly storage: Storage;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly notify: FeatureDeps['notify'];
  /** Users whose confirm is being handled now (the callback server runs in this one process). */
  private readonly confirming = new Set<string>();

  constructor(
    { listeners, config, tokens, storage, logger, now, notify }: FeatureDeps,
    private readonly members: MemberDirectory,
  ) {
    this.listeners = listeners;
    this.spotifyApp = config.spotify;
    this.tokens = tokens;
    this.storage = storage;
    this.logger = logger.child('spotify');
    this.now = now;
    this.notify = notify;
    this.healthPart = listeners.register({
      name: 'grant-health',
      create: (scope) =>
        new GrantHealth({
          tokens,
          storage,
          logger: this.logger,
          account: scope.account,
          notify: (text) => notify(scope.listener, text),
          now,
          audience: scope.listener.kind === 'owner' ? 'owner' : 'member',
        }),
      dispose: (health) => health.stop(),
      erase: async (account) => {
        const grant = await tokens.currentGrant(account).catch(() => null);
        await eraseNotices(storage, account, grant?.refreshToken ?? null);
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
      health: plainHealth(grantHealth),
      account: profile ? `${profile.display_name ?? profile.id} (${profile.id})` : null,
      lastSuccessAt: spotify.lastSuccessAt,
      rateLimit: spotify.rateLimit(),
    };
  }

  /**
   * Start linking `listener`'s account by Discord user `userId`: the authorize URL to open. A member links only
   * their own account, and only while a seat is free (or they hold one already).
   */
  async beginLogin(listener: Listener, userId: string, names?: DiscordNames): Promise<BeginLoginResult> {
    this.assertOwnAccount(listener, userId);
    if (listener.kind === 'linked' && !(await this.members.hasSeatFor(userId))) {
      return { ok: false, reason: 'seats_full', used: await this.members.used(), max: this.members.maxUsers };
    }
    const { clientId, accountsUrl, redirectUri, callbackServer } = this.spotifyApp;
    await this.forgetPendingLogin(userId);
    const state = createState();
    const account = this.listeners.scope(listener).account;
    const pending: PendingLogin = { state, redirectUri, startedAt: this.now(), account, ...(names ? { names } : {}) };
    await this.storage.set<PendingLogin>(pendingKey(userId), pending, PENDING_TTL_MS);
    await this.storage.set(stateKey(state), userId, PENDING_TTL_MS);
    return { ok: true, authorizeUrl: buildAuthorizeUrl({ accountsUrl, clientId, redirectUri, state }), redirectUri, callback: callbackServer !== null };
  }

  /**
   * Finish a link with what the user pasted: the whole redirected URL, whose `state` must match. A bare code is
   * refused: anyone who saw someone's redirect could paste its code and link that account to themselves.
   */
  async finishLogin(listener: Listener, userId: string, pasted: string): Promise<LoginResult> {
    this.assertOwnAccount(listener, userId);
    const params = parseRedirect(pasted);
    if (params.state === undefined) return { ok: false, reason: 'missing_state' };
    return this.complete(listener, userId, params);
  }

  /**
   * The callback server's GET: the redirect's `state` must match a pending login (compared in constant time). Nothing
   * is exchanged: the code is kept for a confirm, and the page names the Discord user it would link to. A later GET
   * replaces the token, so at most one confirm waits per login.
   */
  async openCallback(query: string): Promise<CallbackOpened> {
    const params = parseRedirect(`?${query.replace(/^\?/, '')}`);
    if (params.state === undefined || params.state === '' || params.state.length > 256) {
      return { ok: false, reason: 'expired', linkTo: null };
    }
    const userId = (await this.storage.get<string>(stateKey(params.state))) ?? null;
    const found = userId ? await this.pendingOf(userId) : null;
    if (!userId || !found) return { ok: false, reason: 'expired', linkTo: null };
    const { pending } = found;
    const outcome = checkCallback(params, pending.state);
    if (outcome.kind === 'state_mismatch') return { ok: false, reason: 'expired', linkTo: null };
    const linkTo = targetOf(userId, found);
    if (outcome.kind === 'denied') return { ok: false, reason: 'denied', detail: outcome.error, linkTo };
    if (outcome.kind === 'no_code') return { ok: false, reason: 'no_code', linkTo };
    const secret = randomBytes(32).toString('base64url');
    const confirm: PendingConfirm = { tokenHash: sha256(secret), state: pending.state, code: outcome.code, issuedAt: this.now() };
    await this.storage.set<PendingConfirm>(confirmKey(userId), confirm, CONFIRM_TTL_MS);
    return { ok: true, token: `${userId}.${secret}`, linkTo };
  }

  /**
   * The confirm page's POST: a token from `openCallback`, used once, within minutes, for the login it was issued
   * for (a new /spotify link voids it); only then is the code exchanged.
   */
  async confirmCallback(token: string): Promise<CallbackResult> {
    const expired: CallbackResult = { ok: false, reason: 'expired', linkTo: null };
    const match = CONFIRM_TOKEN.exec(token);
    if (!match) return expired;
    const userId = match[1]!;
    // One confirm at a time per user: two POSTs of the same token can't both pass the read below.
    if (this.confirming.has(userId)) return expired;
    this.confirming.add(userId);
    try {
      const confirm = await this.storage.get<PendingConfirm>(confirmKey(userId));
      if (!confirm || !sameHex(sha256(match[2]!), confirm.tokenHash)) return expired;
      await this.storage.delete(confirmKey(userId));
      if (this.now() - confirm.issuedAt > CONFIRM_TTL_MS) return expired;
      const found = await this.pendingOf(userId);
      if (!found || found.pending.state !== confirm.state) return expired;
      const linkTo = targetOf(userId, found);
      return { ...(await this.complete(found.listener, userId, { code: confirm.code, state: confirm.state })), linkTo };
    } finally {
      this.confirming.delete(userId);
    }
  }

  /** Forget a login this user started and didn't finish (unlink, or a new login replacing it). */
  async forgetPendingLogin(userId: string): Promise<void> {
    const pending = await this.storage.get<PendingLogin>(pendingKey(userId));
    if (pending) await this.storage.delete(stateKey(pending.state));
    await Promise.all([this.storage.delete(pendingKey(userId)), this.storage.delete(confirmKey(userId))]);
  }

  /** Reminder text when the member's grant expires within 14 days and it wasn't shown for this grant yet. */
  async expiryReminder(listener: Listener, alreadyShownFor: string | null, tr: Translator): Promise<{ text: string; grant: string } | null> {
    const status = await this.health(listener).status().catch(() => null);
    if (!status || status.dead || !status.expiringSoon) return null;
    const grant = fingerprint(status.grant.refreshToken);
    if (grant === alreadyShownFor) return null;
    return { text: memberExpiryText(status.expiresAt, status.daysLeft, tr), grant };
  }

  async checkExpiry(listener: Listener): Promise<void> {
    await this.health(listener).check();
  }

  private assertOwnAccount(listener: Listener, userId: string): void {
    if (listener.kind === 'linked' && listener.userId !== userId) throw new Error('a member can only link their own Spotify account');
  }

  /** The pending login of this user, while it is fresh, and whose account it links. */
  private async pendingOf(userId: string): Promise<{ pending: PendingLogin; listener: Listener } | null> {
    const pending = await this.storage.get<PendingLogin>(pendingKey(userId));
    const listener = pending ? listenerOfAccount(pending.account) : null;
    if (!pending || !listener || this.now() - pending.startedAt > PENDING_TTL_MS) return null;
    return { pending, listener };
  }

  private async complete(listener: Listener, userId: string, params: RedirectParams): Promise<LoginResult> {
    const { storage, now } = this;
    const { account } = this.listeners.scope(listener);
    const pending = await storage.get<PendingLogin>(pendingKey(userId));
    if (!pending || now() - pending.startedAt > PENDING_TTL_MS) return { ok: false, reason: 'expired' };
    // A login started for another account is not this one's to finish.
    if ((pending.account ?? 'owner') !== account) return { ok: false, reason: 'expired' };
    const outcome = checkCallback(params, pending.state);
    if (outcome.kind === 'state_mismatch') return { ok: false, reason: 'state_mismatch' };
    if (outcome.kind === 'denied') return { ok: false, reason: 'denied', detail: outcome.error };
    if (outcome.kind === 'no_code') return { ok: false, reason: 'no_code' };
    const code = outcome.code;
    if (listener.kind !== 'linked') return this.store(listener, userId, pending, code);
    // Seats are checked again at the end, one link at a time: two members can't both take the last one.
    return this.members.exclusive(async () => {
      if (!(await this.members.hasSeatFor(userId))) return { ok: false, reason: 'seats_full' };
      return this.store(listener, userId, pending, code);
    });
  }

  private async store(listener: Listener, userId: string, pending: PendingLogin, code: string): Promise<LoginResult> {
    const { storage, tokens, now, logger } = this;
    const { account, spotify } = this.listeners.scope(listener);
    const { accountsUrl, clientId, clientSecret } = this.spotifyApp;
    let grant;
    try {
      grant = await exchangeCode({ accountsUrl, clientId, clientSecret, code, redirectUri: pending.redirectUri });
    } catch (error) {
      // Other failures (Spotify down, bad app credentials) surface as the usual typed errors.
      if (error instanceof AuthorizationCodeError) return { ok: false, reason: 'code_rejected' };
      throw error;
    }
    await this.forgetPendingLogin(userId);
    const grantedAt = now();
    const stored = await tokens.storeAuthorizedGrant(
      account,
      { refreshToken: grant.refreshToken, scope: grant.scope || null, grantedAt },
      { token: grant.accessToken, expiresInSeconds: grant.expiresInSeconds },
    );
    const expiresAt = grantTimeline(stored, grantedAt).expiresAt;
    if (listener.kind !== 'linked') {
      logger.info('Spotify linked through /spotify login', { account, scope: grant.scope });
      const profile = await spotify.getProfile().catch(() => null);
      return { ok: true, account: profile ? `${profile.display_name ?? profile.id} (${profile.id})` : null, scope: grant.scope, expiresAt };
    }

    // A member: the first call says whether Spotify serves them (development mode's allow-list) and who they are.
    let profile;
    try {
      profile = await spotify.getProfile();
    } catch (error) {
      await this.listeners.delete(listener);
      if (error instanceof SpotifyForbiddenError) {
        logger.warn('a member linked a Spotify account that is not on the app\'s allow-list; not kept', { account });
        await this.tellOwnerNotAllowListed(userId);
        return { ok: false, reason: 'not_allow_listed' };
      }
      throw error;
    }
    const others = await Promise.all((await this.members.ids()).filter((id) => id !== userId).map((id) => this.members.get(id)));
    if (others.some((other) => other?.spotifyId === profile.id)) {
      await this.listeners.delete(listener);
      return { ok: false, reason: 'account_taken' };
    }
    const previous = await this.members.get(userId);
    await this.members.put({
      userId,
      spotifyId: profile.id,
      spotifyName: profile.display_name,
      linkedAt: grantedAt,
      privacy: previous?.privacy ?? 'server',
      guilds: previous?.guilds ?? [],
      remindedFor: null,
    });
    logger.info('member linked Spotify', { account, scope: grant.scope });
    return { ok: true, account: `${profile.display_name ?? profile.id} (${profile.id})`, scope: grant.scope, expiresAt };
  }

  private async tellOwnerNotAllowListed(userId: string): Promise<void> {
    const key = ownerToldKey(userId);
    if (await this.storage.get<boolean>(key)) return;
    await this.storage.set(key, true, OWNER_TOLD_TTL_MS);
    // In the owner's language (their last interaction's, else BOT_LOCALE).
    const max = this.members.maxUsers;
    const sent = await this.notify(OWNER, (tr) => tr.t('account.ownerNotAllowListed', { userId, max }));
    if (!sent) await this.storage.delete(key);
  }
}
