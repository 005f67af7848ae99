// The owner's listening state, shared by /nowplaying and the presence job.
// Concurrent requests share one in-flight Spotify call, and a result younger than the freshness window is reused
// with its progress extrapolated, so a burst of commands and a presence tick cost one request.
import { atTime, normalizeCurrentlyPlaying, type ListeningState } from './listening-state.js';
import type { SpotifyClient } from './spotify/client.js';

export interface ListeningServiceOptions {
  spotify: Pick<SpotifyClient, 'getCurrentlyPlaying'>;
  /** Reuse a result younger than this (ms). */
  freshnessMs?: number;
  now?: () => number;
}

export class ListeningService {
  private last: ListeningState | null = null;
  private inflight: Promise<ListeningState> | null = null;
  private readonly freshnessMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ListeningServiceOptions) {
    this.freshnessMs = options.freshnessMs ?? 2_000;
    this.now = options.now ?? Date.now;
  }

  /** The current state, as of now. Throws the Spotify error when it can't be had. */
  async current(options: { maxAgeMs?: number } = {}): Promise<ListeningState> {
    const maxAge = options.maxAgeMs ?? this.freshnessMs;
    const last = this.last;
    if (last && this.now() - last.observedAt < maxAge) return atTime(last, this.now());
    this.inflight ??= this.fetch().finally(() => {
      this.inflight = null;
    });
    return atTime(await this.inflight, this.now());
  }

  /** The last state seen, if any, without asking Spotify. */
  lastKnown(): ListeningState | null {
    return this.last ? atTime(this.last, this.now()) : null;
  }

  /** Accept a state fetched elsewhere (another process), if it is newer than ours. */
  accept(state: ListeningState): void {
    if (!this.last || state.observedAt > this.last.observedAt) this.last = state;
  }

  private async fetch(): Promise<ListeningState> {
    const body = await this.options.spotify.getCurrentlyPlaying();
    const state = normalizeCurrentlyPlaying(body, this.now());
    this.last = state;
    return state;
  }
}
