// One outage, logged like a person would want to read it: a warning when a dependency goes down, at most one
// "still down (N failures)" line every `summaryEveryMs` while it stays down, and one line when it is back.
// Callers report every attempt (failure/success); this decides what is worth a log line.
import type { Logger } from './logger.js';

export interface OutageLogOptions {
  logger: Logger;
  /** The line when it starts failing, e.g. "presence update skipped: could not read Spotify". */
  down: string;
  /** The line when it works again, e.g. "presence updates resumed". */
  back: string;
  now?: () => number;
  /** Least time between two "still down" lines (default 10 minutes). */
  summaryEveryMs?: number;
}

export class OutageLog {
  private readonly now: () => number;
  private downSince: number | null = null;
  private failureCount = 0;
  private lastSummaryAt = 0;
  private lastErrorName: string | null = null;

  constructor(private readonly options: OutageLogOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Failures since the outage began (0 while up). */
  get failures(): number {
    return this.failureCount;
  }

  get down(): boolean {
    return this.downSince !== null;
  }

  failure(error: unknown, fields: Record<string, unknown> = {}): void {
    const now = this.now();
    this.failureCount++;
    const name = error instanceof Error ? error.name : typeof error;
    const { logger, down } = this.options;
    if (this.downSince === null) {
      this.downSince = now;
      this.lastSummaryAt = now;
      this.lastErrorName = name;
      logger.warn(`${down}; backing off until it works again`, { error, ...fields });
      return;
    }
    // A different kind of failure (say, 5xx turned into a revoked grant) is news; the same one again is not.
    const changed = name !== this.lastErrorName;
    this.lastErrorName = name;
    if (changed || now - this.lastSummaryAt >= (this.options.summaryEveryMs ?? 10 * 60_000)) {
      this.lastSummaryAt = now;
      logger.warn(`${down}; still failing (${this.failureCount} failures)`, {
        error,
        downForS: Math.round((now - this.downSince) / 1000),
        ...fields,
      });
    }
  }

  success(): void {
    if (this.downSince === null) return;
    this.options.logger.info(this.options.back, {
      failures: this.failureCount,
      downForS: Math.round((this.now() - this.downSince) / 1000),
    });
    this.downSince = null;
    this.failureCount = 0;
    this.lastErrorName = null;
  }
}
