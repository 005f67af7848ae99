// What a listener is playing, shared by /nowplaying and the presence job.
// Per listener: concurrent requests share one Spotify call, and a result younger than the freshness window is
// reused with its progress extrapolated, so a burst of commands and a presence tick cost one request.
import type { FeatureDeps } from '../../feature-deps.js';
import { atTime, normalizeCurrentlyPlaying, type ListeningState } from '../../listening-state.js';
import type { Listener } from '../../listeners/listener.js';
import type { ListenerRegistry, ListenerPart } from '../../listeners/registry.js';
import { SingleFlight } from '../../single-flight.js';
import type { SpotifyClient } from '../../spotify/client.js';

/** A listening state younger than this is reused (here, and by shards for the state the manager pushes). */
export const LISTENING_FRESHNESS_MS = 2_000;

export interface ListeningServiceOptions {
  spotify: Pick<SpotifyClient, 'getCurrentlyPlaying'>;
  /** Reuse a result younger than this (ms). */
  freshnessMs?: number;
  now?: () => number;
}

/** One listener's listening state. */
export class ListeningService {
  private last: ListeningState | null = null;
  private readonly fetches = new SingleFlight<'current', ListeningState>();
  private readonly freshnessMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ListeningServiceOptions) {
    this.freshnessMs = options.freshnessMs ?? LISTENING_FRESHNESS_MS;
    this.now = options.now ?? Date.now;
  }

  /** The current state, as of now. Throws the Spotify error when it can't be had. */
  async current(): Promise<ListeningState> {
    const last = this.last;
    if (last && this.now() - last.observedAt < this.freshnessMs) return atTime(last, this.now());
    return atTime(await this.fetches.run('current', () => this.fetch()), this.now());
  }

  private async fetch(): Promise<ListeningState> {
    const state = normalizeCurrentlyPlaying(await this.options.spotify.getCurrentlyPlaying(), this.now());
    this.last = state;
    return state;
  }
}

/** `Services['listening']`. */
export interface ListeningNamespace {
  current(listener: Listener): Promise<ListeningState>;
}

/** `Services['listening']`: any listener's state, through their scope. */
export class ListeningFeature implements ListeningNamespace {
  readonly part: ListenerPart<ListeningService>;

  private readonly listeners: ListenerRegistry;

  constructor({ listeners, now, tuning }: FeatureDeps) {
    this.listeners = listeners;
    this.part = listeners.register({
      name: 'listening',
      create: (scope) =>
        new ListeningService({
          spotify: scope.spotify,
          now,
          ...(tuning.listeningFreshnessMs !== undefined ? { freshnessMs: tuning.listeningFreshnessMs } : {}),
        }),
    });
  }

  current(listener: Listener): Promise<ListeningState> {
    return this.listeners.part(listener, this.part).current();
  }
}
