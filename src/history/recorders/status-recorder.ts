// Members' Discord-status plays, recorded in the process that receives their presences (each shard for its
// servers). Only members who said /history on are followed — for anyone else a presence is one Set lookup and
// nothing is kept. Completed plays are queued and written in batches (every 10 s): no database write per
// PRESENCE_UPDATE. Under SHARDS a member seen in two shards' servers reaches the store twice, and the store keeps
// one play (same member, same track, same start).
import type { RawActivity } from '../../listeners/discord-status.js';
import type { Logger } from '../../logger.js';
import type { PlayInput } from '../play.js';
import { StatusPlayDetector } from './status-plays.js';

export const FLUSH_EVERY_MS = 10_000;
/** Who opted in is asked again this often (a choice made through another shard reaches this one within it). */
export const REFRESH_EVERY_MS = 60_000;

export interface StatusRecorderDeps {
  history: {
    statusRecorded(): Promise<string[]>;
    recordStatusPlays(batch: Array<{ userId: string; plays: PlayInput[] }>): Promise<number>;
  };
  logger: Logger;
  now: () => number;
}

export class StatusRecorder {
  private recorded = new Set<string>();
  private readonly detector = new StatusPlayDetector();
  private queue = new Map<string, PlayInput[]>();
  private queued = 0;
  private timers: NodeJS.Timeout[] = [];
  private failing = false;

  constructor(private readonly deps: StatusRecorderDeps) {}

  /** Members followed right now (listening or paused), for tests and the bench. */
  get following(): number {
    return this.detector.size;
  }

  get pending(): number {
    return this.queued;
  }

  async start(): Promise<void> {
    await this.refresh();
    const flush = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
    const refresh = setInterval(() => void this.refresh(), REFRESH_EVERY_MS);
    flush.unref();
    refresh.unref();
    this.timers = [flush, refresh];
  }

  /** Ask again who is recorded (at start, every minute, and right after a /history on|off answered here). */
  async refresh(): Promise<void> {
    try {
      const ids = new Set(await this.deps.history.statusRecorded());
      for (const id of this.recorded) if (!ids.has(id)) this.forget(id);
      this.recorded = ids;
    } catch (error) {
      this.deps.logger.warn('history: could not read who records their Discord status; keeping the last list', { error });
    }
  }

  /** A member's presence in some server (raw gateway activities). O(1) and allocation-free for everyone not recorded. */
  observe(userId: string, activities: readonly RawActivity[] | null | undefined): void {
    if (!this.recorded.has(userId)) return;
    const play = this.detector.observe(userId, activities, this.deps.now());
    if (play !== null) this.enqueue(userId, play);
  }

  /** Stop following someone at once (recording off, history deleted): what they were playing is not kept. */
  forget(userId: string): void {
    this.recorded.delete(userId);
    this.detector.forget(userId);
    const dropped = this.queue.get(userId);
    if (dropped) this.queued -= dropped.length;
    this.queue.delete(userId);
  }

  private enqueue(userId: string, play: PlayInput): void {
    let list = this.queue.get(userId);
    if (list === undefined) this.queue.set(userId, (list = []));
    list.push(play);
    this.queued++;
  }

  /** Write the completed plays (and those whose pause timed out). Resolves with how many were added. */
  async flush(): Promise<number> {
    for (const { userId, play } of this.detector.sweep(this.deps.now())) this.enqueue(userId, play);
    if (this.queued === 0) return 0;
    const batch = [...this.queue].map(([userId, plays]) => ({ userId, plays }));
    this.queue = new Map();
    this.queued = 0;
    try {
      const added = await this.deps.history.recordStatusPlays(batch);
      if (this.failing) this.deps.logger.info('history: recording Discord-status plays works again');
      this.failing = false;
      return added;
    } catch (error) {
      // Kept for the next flush (bounded: a member plays a few tracks per 10 s at most).
      for (const { userId, plays } of batch) for (const play of plays) this.enqueue(userId, play);
      if (!this.failing) this.deps.logger.warn('history: could not record Discord-status plays; retrying', { error });
      this.failing = true;
      return 0;
    }
  }

  /** At shutdown: what already counts is written, the rest is dropped. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    for (const { userId, play } of this.detector.drain(this.deps.now())) this.enqueue(userId, play);
    await this.flush();
  }
}
