// The presence poll, shared by both modes: in one process it feeds the PresenceJob directly; under the
// ShardingManager the manager runs it and pushes each outcome to every shard. One tick = one read of the owner's
// listening state (the coalesced, cached ListeningService).
//
// While the read keeps failing (Spotify down, rate-limited, a dead grant) scheduled ticks back off exponentially
// — initialMs, 2×, 4× … capped at maxMs, and never sooner than a Retry-After — and the outage is logged through
// one OutageLog: once when it starts, at most once per summaryEveryMs while it lasts, once when it ends.
// `tick()` is a forced poll (tests, the demo, the benchmark): it ignores the backoff but is logged the same way.
import { scheduleCron, type CronTask } from '../cron-schedule.js';
import type { Logger } from '../logger.js';
import { OutageLog } from '../outage.js';
import { SpotifyRateLimitError } from '../spotify/errors.js';

export { shortestCronIntervalMs } from '../cron-schedule.js';

export type PollOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface PollBackoff {
  /** Wait after the first failure (default 15 s). */
  initialMs: number;
  /** Longest wait between two attempts while down (default 5 minutes). */
  maxMs: number;
}

export const DEFAULT_POLL_BACKOFF: PollBackoff = { initialMs: 15_000, maxMs: 5 * 60_000 };

/** Cron fires on whole seconds: a scheduled tick this early is treated as on time. */
const SCHEDULE_TOLERANCE_MS = 500;

export interface PollerOptions<T> {
  read: () => Promise<T>;
  /** Receives every outcome, success or failure, in order (more receivers: `subscribe`). */
  deliver?: (outcome: PollOutcome<T>) => void;
  /** node-cron expression; null: no schedule (only forced ticks). */
  cron: string | null;
  logger: Logger;
  /** The outage lines: when reads start failing, and when they work again. */
  outage?: { down: string; back: string };
  now?: () => number;
  backoff?: PollBackoff;
  summaryEveryMs?: number;
}

export class Poller<T> {
  private task: CronTask | null = null;
  private running: Promise<void> | null = null;
  private nextAttemptAt = 0;
  private readonly outage: OutageLog;
  private readonly now: () => number;
  private latest: PollOutcome<T> | null = null;
  private readonly receivers = new Set<(outcome: PollOutcome<T>) => void>();
  /** Reads attempted (scheduled or forced). */
  attempts = 0;

  constructor(private readonly options: PollerOptions<T>) {
    this.now = options.now ?? Date.now;
    this.outage = new OutageLog({
      logger: options.logger,
      ...(options.outage ?? { down: 'presence update skipped: could not read Spotify', back: 'presence updates resumed' }),
      now: this.now,
      ...(options.summaryEveryMs !== undefined ? { summaryEveryMs: options.summaryEveryMs } : {}),
    });
  }

  /** The last outcome, if any (a shard that (re)connects is sent this). */
  get last(): PollOutcome<T> | null {
    return this.latest;
  }

  /** Consecutive failures so far (0 while reads work). */
  get failures(): number {
    return this.outage.failures;
  }

  /** Receive every later outcome; returns the unsubscribe. */
  subscribe(receiver: (outcome: PollOutcome<T>) => void): () => void {
    this.receivers.add(receiver);
    return () => this.receivers.delete(receiver);
  }

  /** Start the schedule (no-op without a cron). A fast cron was warned about at start (configWarnings). */
  start(): void {
    const { cron } = this.options;
    if (!cron || this.task) return;
    this.task = scheduleCron(cron, () => this.scheduledTick());
  }

  async stop(): Promise<void> {
    const task = this.task;
    this.task = null;
    if (task) await task.destroy();
    await this.running;
  }

  /** What the schedule calls: a poll, unless the backoff says to wait. */
  scheduledTick(): Promise<void> {
    if (this.now() < this.nextAttemptAt - SCHEDULE_TOLERANCE_MS) return Promise.resolve();
    return this.tick();
  }

  /** Poll now, ignoring the backoff. Concurrent calls share one read. */
  tick(): Promise<void> {
    this.running ??= this.poll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async poll(): Promise<void> {
    const startedAt = this.now();
    this.attempts++;
    let outcome: PollOutcome<T>;
    try {
      outcome = { ok: true, value: await this.options.read() };
    } catch (error) {
      outcome = { ok: false, error };
    }
    if (outcome.ok) {
      this.outage.success();
      this.nextAttemptAt = 0;
    } else {
      const delay = this.backoffAfterFailure(outcome.error);
      this.nextAttemptAt = startedAt + delay;
      this.outage.failure(outcome.error, { nextTryInS: Math.round(delay / 1000) });
    }
    this.latest = outcome;
    this.options.deliver?.(outcome);
    for (const receiver of this.receivers) receiver(outcome);
  }

  private backoffAfterFailure(error: unknown): number {
    const { initialMs, maxMs } = this.options.backoff ?? DEFAULT_POLL_BACKOFF;
    // outage.failures counts earlier failures; this one is number failures + 1.
    const exponent = Math.min(this.outage.failures, 30);
    let delay = Math.min(maxMs, initialMs * 2 ** exponent);
    if (error instanceof SpotifyRateLimitError) delay = Math.max(delay, error.retryAfterSeconds * 1000);
    return delay;
  }
}
