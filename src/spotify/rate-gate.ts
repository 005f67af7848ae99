// One gate for the whole app in front of every Spotify Web API request, whichever account it is for.
//
// - Spotify counts its rate limit and the development-mode quota per app (per developer account), not per user:
//   a 429 answered to any account closes the gate for every account until its Retry-After has passed. No request
//   is sent inside that window, the owner's included (they would only be refused too).
// - A member's burst must not starve the owner's presence: every account but the owner's has a small budget of
//   requests per rolling window (default 20 per 30 s, Spotify's own window). A member over it is answered "try
//   again in N s" locally, without a request, while the owner's calls go through. With coalescing and caches a
//   member's commands need a fraction of that; only a pathological burst (or a misbehaving client) meets it.
import { SpotifyRateLimitError } from './errors.js';

export interface RateGateOptions {
  now?: () => number;
  /** Requests one non-owner account may send per window (default 20). */
  memberBudget?: number;
  /** The rolling window for the budget (default 30 s, as Spotify's limits are counted). */
  windowMs?: number;
  /** The account exempt from the budget (default 'owner'). */
  exempt?: string;
}

export const DEFAULT_MEMBER_BUDGET = 20;
export const DEFAULT_BUDGET_WINDOW_MS = 30_000;

export class RateGate {
  private blockedUntil = 0;
  private blockedByQuota = false;
  /** account → send times within the window, oldest first (at most `memberBudget` entries). */
  private readonly sent = new Map<string, number[]>();
  private readonly now: () => number;
  private readonly budget: number;
  private readonly windowMs: number;
  private readonly exempt: string;
  /** Requests refused by the member budget (for stats and the benchmark). */
  refusedByBudget = 0;

  constructor(options: RateGateOptions = {}) {
    this.now = options.now ?? Date.now;
    this.budget = Math.max(1, options.memberBudget ?? DEFAULT_MEMBER_BUDGET);
    this.windowMs = Math.max(1, options.windowMs ?? DEFAULT_BUDGET_WINDOW_MS);
    this.exempt = options.exempt ?? 'owner';
  }

  /** Seconds until the app may ask Spotify again (0 when open), and whether it is the quota. */
  state(): { retryAfterSeconds: number; quotaExceeded: boolean } {
    const ms = this.blockedUntil - this.now();
    return ms > 0
      ? { retryAfterSeconds: Math.ceil(ms / 1000), quotaExceeded: this.blockedByQuota }
      : { retryAfterSeconds: 0, quotaExceeded: false };
  }

  /** Epoch ms until which the gate is closed (0 or past when open). */
  get closedUntil(): number {
    return this.blockedUntil;
  }

  /** Spotify asked the app to wait (a 429 for any account). */
  block(seconds: number, quota: boolean): void {
    const until = this.now() + seconds * 1000;
    if (until > this.blockedUntil) {
      this.blockedUntil = until;
      this.blockedByQuota = quota;
    }
  }

  /**
   * Call right before sending one request for `account`: throws SpotifyRateLimitError when the app is blocked, or
   * when this (non-owner) account has used its budget for the window; otherwise counts the request.
   */
  admit(account: string): void {
    const { retryAfterSeconds, quotaExceeded } = this.state();
    if (retryAfterSeconds > 0) throw new SpotifyRateLimitError(retryAfterSeconds, quotaExceeded);
    if (account === this.exempt) return;
    const now = this.now();
    let times = this.sent.get(account);
    if (!times) this.sent.set(account, (times = []));
    while (times.length > 0 && now - times[0]! >= this.windowMs) times.shift();
    if (times.length >= this.budget) {
      this.refusedByBudget++;
      const wait = Math.max(1, Math.ceil((times[0]! + this.windowMs - now) / 1000));
      throw new SpotifyRateLimitError(wait, false);
    }
    times.push(now);
  }

  /** Forget an account's budget (unlink). */
  forget(account: string): void {
    this.sent.delete(account);
  }
}
