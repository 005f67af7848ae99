// The bot's own status: "Listening to <track>" while the owner plays music.
// The PresenceJob shows what the presence poll (src/presence/poller.ts) read: it sends op 3 only when the
// activity changes (the gateway allows 120 events a minute). A failed read leaves the last presence alone — except
// a dead Spotify grant, which clears it; the poller logs the outage. After a new gateway session the current
// activity is sent again (IDENTIFY carries only the presence the client started with).
// Activity text is cut between grapheme clusters: a lone surrogate in op 3 is malformed and can cost the connection.
import { ActivityType, Events, type ActivitiesOptions, type Client } from 'discord.js';
import type { ListeningState } from '../listening-state.js';
import type { Logger } from '../logger.js';
import type { Poller, PollOutcome } from '../presence/poller.js';
import { SpotifyAuthError } from '../spotify/errors.js';
import { truncate } from './text.js';

/** Discord's limit for activity name and state. */
const ACTIVITY_TEXT_MAX = 128;

export interface Activity {
  type: ActivityType.Listening;
  name: string;
  state?: string;
}

/** Activity text within Discord's limit, never ending in half an emoji or a lone surrogate. */
export function clip(text: string): string {
  return truncate(text, ACTIVITY_TEXT_MAX);
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
  /** Where ticks come from in this process; none on a shard, whose state is pushed by the manager. */
  poller?: Poller<ListeningState> | null;
  logger: Logger;
}

export class PresenceJob {
  private started = false;
  /** What Discord shows now (null = no activity). */
  private shown: Activity | null = null;
  /** op 3 packets this job sent (for tests and the benchmark). */
  updatesSent = 0;
  private readonly onShardReady = (shardId: number): void => this.reapply(shardId);
  private readonly followers = new Set<(outcome: PollOutcome<ListeningState>) => void>();

  constructor(private readonly options: PresenceJobOptions) {
    options.poller?.subscribe((outcome) => this.apply(outcome));
  }

  /** Start the poll schedule (if this process polls) and keep new gateway sessions in step. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.options.client.on(Events.ShardReady, this.onShardReady);
    this.options.poller?.start();
  }

  async stop(): Promise<void> {
    this.options.client.off(Events.ShardReady, this.onShardReady);
    this.started = false;
    await this.options.poller?.stop();
  }

  /** The activity currently shown. */
  current(): Activity | null {
    return this.shown;
  }

  /** One forced poll now (ignores the outage backoff); a no-op where the state is pushed in. */
  tick(): Promise<void> {
    return this.options.poller?.tick() ?? Promise.resolve();
  }

  /** Show what a poll found. */
  apply(outcome: PollOutcome<ListeningState>): void {
    if (outcome.ok) this.applyState(outcome.value);
    else this.applyError(outcome.error);
    for (const follower of this.followers) follower(outcome);
  }

  /** Also receive every outcome applied here, polled or pushed (the announcer follows the owner this way). */
  follow(receiver: (outcome: PollOutcome<ListeningState>) => void): () => void {
    this.followers.add(receiver);
    return () => this.followers.delete(receiver);
  }

  /** Show what this state calls for. */
  applyState(state: ListeningState): void {
    this.show(activityFor(state));
  }

  /** A failed read keeps the last presence, unless the grant is dead. (The poller logs the outage.) */
  applyError(error: unknown): void {
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
