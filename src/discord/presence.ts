// The bot's own status: "Listening to <track>" while the owner plays music.
// A node-cron job reads the shared listening state and sends op 3 only when the activity changes (the gateway
// allows 120 events a minute). Ticks never overlap; a failing tick logs once per distinct error and leaves the
// last presence alone — except a dead Spotify grant, which clears it. After a new gateway session the current
// activity is sent again (IDENTIFY carries only the presence the client started with).
import { ActivityType, Events, type ActivitiesOptions, type Client } from 'discord.js';
import { schedule, type ScheduledTask } from 'node-cron';
import type { ListeningState } from '../listening-state.js';
import type { Logger } from '../logger.js';
import { SpotifyAuthError } from '../spotify/errors.js';

/** Discord's limit for activity name and state. */
const ACTIVITY_TEXT_MAX = 128;

export interface Activity {
  type: ActivityType.Listening;
  name: string;
  state?: string;
}

function clip(text: string): string {
  return text.length <= ACTIVITY_TEXT_MAX ? text : `${text.slice(0, ACTIVITY_TEXT_MAX - 1)}…`;
}

/** The activity for a listening state: a playing track or episode; nothing when paused, idle or an ad. */
export function activityFor(state: ListeningState): Activity | null {
  if (state.kind === 'track' && state.isPlaying) {
    const artists = state.artists.map((a) => a.name).join(', ');
    return { type: ActivityType.Listening, name: clip(state.title), ...(artists ? { state: clip(artists) } : {}) };
  }
  if (state.kind === 'episode' && state.isPlaying) {
    return { type: ActivityType.Listening, name: clip(state.title), state: clip(state.show.name) };
  }
  return null;
}

function sameActivity(a: Activity | null, b: Activity | null): boolean {
  return a?.name === b?.name && a?.state === b?.state && a?.type === b?.type;
}

export interface PresenceJobOptions {
  client: Client;
  /** Where the listening state comes from (the shared, coalesced ListeningService). */
  read: () => Promise<ListeningState>;
  /** node-cron expression; null turns the job off. */
  cron: string | null;
  logger: Logger;
}

export class PresenceJob {
  private task: ScheduledTask | null = null;
  private started = false;
  private running: Promise<void> | null = null;
  /** What Discord shows now (null = no activity). */
  private shown: Activity | null = null;
  private lastErrorKey: string | null = null;
  /** op 3 packets this job sent (for tests and the benchmark). */
  updatesSent = 0;
  private readonly onShardReady = (shardId: number): void => this.reapply(shardId);

  constructor(private readonly options: PresenceJobOptions) {}

  /** Start ticking on the cron schedule (when the job is on) and keep new gateway sessions in step. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.options.client.on(Events.ShardReady, this.onShardReady);
    if (this.options.cron) {
      this.task = schedule(this.options.cron, () => this.tick(), { name: 'presence', noOverlap: true });
    }
  }

  async stop(): Promise<void> {
    this.options.client.off(Events.ShardReady, this.onShardReady);
    this.started = false;
    const task = this.task;
    this.task = null;
    if (task) await task.destroy();
    await this.running;
  }

  /** The activity currently shown. */
  current(): Activity | null {
    return this.shown;
  }

  /** One tick: read the state, update presence when the activity changed. Concurrent calls share one run. */
  tick(): Promise<void> {
    this.running ??= this.runTick().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runTick(): Promise<void> {
    let state: ListeningState;
    try {
      state = await this.options.read();
    } catch (error) {
      this.applyError(error);
      return;
    }
    this.applyState(state);
  }

  /** Show what this state calls for (used by ticks, and by shards that receive the manager's poll). */
  applyState(state: ListeningState): void {
    if (this.lastErrorKey !== null) {
      this.lastErrorKey = null;
      this.options.logger.info('presence updates resumed');
    }
    this.show(activityFor(state));
  }

  /** A failed read: log once per distinct error and keep the last presence, unless the grant is dead. */
  applyError(error: unknown): void {
    const key = error instanceof Error ? `${error.name}:${error.message}` : String(error);
    if (key !== this.lastErrorKey) {
      this.lastErrorKey = key;
      this.options.logger.warn('presence update skipped: could not read Spotify', { error });
    }
    // A dead grant will not come back by itself: don't advertise a track we can no longer see.
    if (error instanceof SpotifyAuthError) this.show(null);
  }

  private show(activity: Activity | null): void {
    if (sameActivity(activity, this.shown)) return;
    const user = this.options.client.user;
    if (!user) return;
    user.setPresence({ activities: activity ? [activity as ActivitiesOptions] : [], status: 'online' });
    this.shown = activity;
    this.updatesSent++;
    this.options.logger.debug('presence updated', { activity: activity ? `${activity.name} — ${activity.state ?? ''}` : 'none' });
  }

  /** A shard started a new session: it shows the presence from IDENTIFY, so send the current one again. */
  private reapply(shardId: number): void {
    const user = this.options.client.user;
    if (!user || !this.shown) return;
    user.setPresence({ activities: [this.shown as ActivitiesOptions], status: 'online', shardId });
    this.updatesSent++;
  }
}
