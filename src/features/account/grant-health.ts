// Watches one account's Spotify grant: refresh tokens die 6 months after consent (refreshing doesn't extend it).
// The owner's is started with the bot, a linked member's on demand; the notices go to whoever `notify` reaches (the
// owner for the owner's grant, the member for theirs).
// - From 14 days before expiry: a warning log line at start and daily, and ONE DM per grant.
// - When Spotify declares the grant dead (invalid_grant): ONE DM per dead token, explaining what to do.
// DMs already sent are remembered in storage, so restarts don't repeat them. Those markers are keyed by the token
// (no account in the key), so each account also lists the markers written for it: erasing the account (unlink)
// deletes those of every grant it had, not only the current one.
import type { NoticeText } from '../../i18n/notice.js';
import { dayText } from '../../i18n/time.js';
import { ENGLISH, type Translator } from '../../i18n/translator.js';
import type { Logger } from '../../logger.js';
import { refreshTokenExpiry } from '../../spotify/authorization.js';
import type { SpotifyAuthError } from '../../spotify/errors.js';
import { fingerprint, type StoredGrant, type TokenManager } from '../../spotify/tokens.js';
import type { Storage } from '../../storage.js';

export const WARN_BEFORE_EXPIRY_MS = 14 * 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Storage keys remembering that a notice about this refresh token was sent. */
export const expiryNoticeKey = (refreshToken: string): string => `health:expiry-dm:${fingerprint(refreshToken)}`;
export const deadNoticeKey = (refreshToken: string | null): string =>
  `health:dead-dm:${refreshToken ? fingerprint(refreshToken) : 'none'}`;
/** The notice markers written for one account, oldest first. */
export const noticeIndexKey = (account: string): string => `health:notices:${account}`;
/** At most two markers per grant: the oldest ones listed belong to grants long replaced, and are deleted. */
const MAX_LISTED_NOTICES = 8;

/** Remember that a notice was sent (`key` = a marker above), listed under its account. */
export async function markNotice(storage: Storage, account: string, key: string): Promise<boolean> {
  const stored = await storage.set(key, true);
  const listed = ((await storage.get<string[]>(noticeIndexKey(account))) ?? []).filter((k) => k !== key);
  listed.push(key);
  const evicted = listed.splice(0, Math.max(0, listed.length - MAX_LISTED_NOTICES));
  await storage.set(noticeIndexKey(account), listed);
  await Promise.all(evicted.map((k) => storage.delete(k)));
  return stored;
}

/**
 * Delete every notice marker of this account: those listed for it, and the current grant's (`refreshToken`; markers
 * written before the list existed).
 */
export async function eraseNotices(storage: Storage, account: string, refreshToken: string | null): Promise<void> {
  const listed = (await storage.get<string[]>(noticeIndexKey(account))) ?? [];
  const current = refreshToken ? [expiryNoticeKey(refreshToken), deadNoticeKey(refreshToken)] : [];
  await Promise.all([...new Set([...listed, ...current])].map((key) => storage.delete(key)));
  await storage.delete(noticeIndexKey(account));
}

export interface GrantHealthStatus {
  /** When consent was given (or, if unknown, when the bot first saw the token). */
  grantedAt: number;
  grantedAtKnown: boolean;
  expiresAt: number;
  daysLeft: number;
  expiringSoon: boolean;
  dead: SpotifyAuthError | null;
  grant: StoredGrant;
}

export interface GrantHealthOptions {
  tokens: TokenManager;
  storage: Storage;
  logger: Logger;
  account: string;
  /** Tells the account's person (a DM, in their language); resolves false when nothing was sent. */
  notify: (text: NoticeText) => Promise<boolean>;
  now?: () => number;
  /** Whose grant: the owner's (renews with /spotify login or the script) or a linked member's (/spotify link). */
  audience?: 'owner' | 'member';
}

/** The reminder a linked member gets (in a reply, and by DM when Discord lets the bot DM them). */
export function memberExpiryText(expiresAt: number, daysLeft: number, tr: Translator = ENGLISH): string {
  return tr.t('dm.memberExpiry', { date: dayText(tr, expiresAt), daysLeft: tr.t('dm.daysLeft', { count: daysLeft }) });
}

export function grantTimeline(grant: StoredGrant, now: number): Omit<GrantHealthStatus, 'dead' | 'grant'> {
  const grantedAt = grant.grantedAt ?? grant.firstSeenAt;
  const expiresAt = refreshTokenExpiry(new Date(grantedAt)).getTime();
  return {
    grantedAt,
    grantedAtKnown: grant.grantedAt !== null,
    expiresAt,
    daysLeft: Math.max(0, Math.ceil((expiresAt - now) / DAY_MS)),
    expiringSoon: expiresAt - now <= WARN_BEFORE_EXPIRY_MS,
  };
}

/** `2026-11-28`: how expiry dates are shown to the owner. */
export const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export class GrantHealth {
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly now: () => number;
  private marking: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: GrantHealthOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Check now, then daily; and listen for a dead grant. */
  start(): void {
    if (this.timer) return;
    this.unsubscribe = this.options.tokens.onAuthFailure((account, error) => {
      if (account === this.options.account && error.reason === 'invalid_grant') void this.onDeadGrant(error);
    });
    void this.check();
    this.timer = setInterval(() => void this.check(), DAY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  async status(): Promise<GrantHealthStatus | null> {
    const grant = await this.options.tokens.currentGrant(this.options.account);
    if (!grant) return null;
    return {
      ...grantTimeline(grant, this.now()),
      dead: this.options.tokens.deadGrantError(this.options.account),
      grant,
    };
  }

  /** The expiry check: a warning line while within 14 days, and one DM per grant. */
  async check(): Promise<GrantHealthStatus | null> {
    const status = await this.status().catch(() => null);
    if (!status || !status.expiringSoon || status.dead) return status;
    const { logger } = this.options;
    const expired = status.expiresAt <= this.now();
    if (this.options.audience === 'member') return this.remindMember(status);
    logger.warn(
      expired
        ? 'the Spotify refresh token has passed its 6-month lifetime; run `npm run authorize` (or /spotify login)'
        : 'the Spotify refresh token expires soon; run `npm run authorize` (or /spotify login) before then',
      { expires: isoDate(status.expiresAt), daysLeft: status.daysLeft, consentKnown: status.grantedAtKnown },
    );
    const key = expiryNoticeKey(status.grant.refreshToken);
    if (!(await this.options.storage.get<boolean>(key))) {
      const sent = await this.options.notify((tr) =>
        tr.t('dm.ownerExpiry', { date: dayText(tr, status.expiresAt), daysLeft: tr.t('dm.daysLeft', { count: status.daysLeft }) }),
      );
      if (sent) await this.mark(key);
    }
    return status;
  }

  /** A member's reminder: one DM per grant (no log line per member per day: it is theirs to renew, not the owner's). */
  private async remindMember(status: GrantHealthStatus): Promise<GrantHealthStatus> {
    const key = expiryNoticeKey(status.grant.refreshToken);
    if (!(await this.options.storage.get<boolean>(key))) {
      const sent = await this.options.notify((tr) => memberExpiryText(status.expiresAt, status.daysLeft, tr));
      if (sent) await this.mark(key);
    }
    return status;
  }

  /** One marker at a time, so two notices sent together can't drop each other from the account's list. */
  private mark(key: string): Promise<boolean> {
    const run = this.marking.then(() => markNotice(this.options.storage, this.options.account, key));
    this.marking = run.catch(() => undefined);
    return run;
  }

  private async onDeadGrant(error: SpotifyAuthError): Promise<void> {
    const grant = await this.options.tokens.currentGrant(this.options.account).catch(() => null);
    const key = deadNoticeKey(grant?.refreshToken ?? null);
    if (await this.options.storage.get<boolean>(key)) return;
    // Mark first, so concurrent failures can't send two.
    await this.mark(key);
    const sent = await this.options.notify(
      (tr) => tr.t('dm.ownerDead') + (error.description ? `\n${tr.t('dm.spotifySaid', { description: error.description })}` : ''),
    );
    if (!sent) await this.options.storage.delete(key);
  }
}
