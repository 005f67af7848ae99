// Plays from members' Discord Spotify status, by Last.fm's rule: a track longer than 30 s counts once it was
// listened to for half its length or 4 minutes, whichever is less. Listened = (when the activity changed track or
// disappeared) − `timestamps.start`, capped at the length; `start` already accounts for seeking, and the bot may
// have started mid-track. Pausing drops the activity; the same track coming back before the pause times out is the
// same play. One detector per process, keyed by member (not by guild): a member seen in several servers is one play.
// Memory: one small entry per opted-in member who is listening; nothing for anyone else (the caller filters).
import type { PlayInput } from '../play.js';
import { spotifyActivityOf, type RawActivity } from '../../listeners/discord-status.js';

/** Shortest track that can count. */
export const MIN_TRACK_MS = 30_000;
/** Listening that always counts, however long the track. */
export const ENOUGH_MS = 4 * 60_000;
/** A paused track resumed within this long is the same play; later, what was heard until the pause is judged. */
export const PAUSE_TIMEOUT_MS = 30 * 60_000;

interface Current {
  trackId: string;
  title: string;
  artist: string;
  album: string | null;
  imageId: string | null;
  /** The earliest start seen for this play (what "started" means for history). */
  firstStart: number;
  /** The latest `timestamps.start` (moves with seeks and resumes). */
  start: number;
  duration: number;
  /** Listening heard before a pause, carried over a resume. */
  pausedAt: number | null;
}

/** Whether listening `listened` ms of a track `duration` ms long is a play. */
export function countsAsPlay(duration: number, listened: number): boolean {
  if (!(duration > MIN_TRACK_MS)) return false;
  return Math.min(listened, duration) >= Math.min(duration / 2, ENOUGH_MS);
}

const IMAGE_PREFIX = 'spotify:';

export class StatusPlayDetector {
  private readonly current = new Map<string, Current>();

  /** Members being followed now (listening or paused). */
  get size(): number {
    return this.current.size;
  }

  /**
   * A presence of an opted-in member: their activities as Discord sent them. Returns the play that just completed,
   * if any. Unchanged tracks allocate nothing.
   */
  observe(userId: string, activities: readonly RawActivity[] | null | undefined, now: number): PlayInput | null {
    const activity = spotifyActivityOf(activities);
    const previous = this.current.get(userId);
    if (activity === null) {
      if (previous !== undefined && previous.pausedAt === null) previous.pausedAt = now;
      return null;
    }
    const start = activity.timestamps?.start;
    const end = activity.timestamps?.end;
    const title = activity.details;
    const artist = activity.state;
    if (typeof start !== 'number' || typeof end !== 'number' || !title || !artist || !activity.sync_id) {
      return null;
    }
    if (previous !== undefined && previous.trackId === activity.sync_id) {
      // The same track: a seek, a resume, or the same presence again (one per shared server).
      if (previous.pausedAt !== null && now - previous.pausedAt > PAUSE_TIMEOUT_MS) {
        const done = this.complete(previous, previous.pausedAt);
        this.current.set(userId, this.begin(activity.sync_id, title, artist, activity, start, end));
        return done;
      }
      previous.pausedAt = null;
      previous.start = start;
      return null;
    }
    const done = previous === undefined ? null : this.complete(previous, previous.pausedAt ?? now);
    this.current.set(userId, this.begin(activity.sync_id, title, artist, activity, start, end));
    return done;
  }

  /** Plays of members whose pause timed out (or whose track ended long ago without an update). */
  sweep(now: number): Array<{ userId: string; play: PlayInput }> {
    const out: Array<{ userId: string; play: PlayInput }> = [];
    for (const [userId, entry] of this.current) {
      const stoppedAt = entry.pausedAt ?? (now > entry.start + entry.duration + PAUSE_TIMEOUT_MS ? entry.start + entry.duration : null);
      if (stoppedAt === null || now - stoppedAt <= PAUSE_TIMEOUT_MS) continue;
      this.current.delete(userId);
      const play = this.complete(entry, stoppedAt);
      if (play !== null) out.push({ userId, play });
    }
    return out;
  }

  /** Stop following a member (recording turned off, or they left): what they were playing is not recorded. */
  forget(userId: string): void {
    this.current.delete(userId);
  }

  /** Everything in progress that already counts, e.g. at shutdown. */
  drain(now: number): Array<{ userId: string; play: PlayInput }> {
    const out: Array<{ userId: string; play: PlayInput }> = [];
    for (const [userId, entry] of this.current) {
      const play = this.complete(entry, entry.pausedAt ?? now);
      if (play !== null) out.push({ userId, play });
    }
    this.current.clear();
    return out;
  }

  private begin(trackId: string, title: string, artists: string, activity: RawActivity, start: number, end: number): Current {
    const image = activity.assets?.large_image;
    return {
      trackId,
      title,
      // Discord joins artists with "; ": the first is the primary artist, as the other sources give it.
      artist: artists.split('; ')[0]!,
      album: activity.assets?.large_text || null,
      imageId: image?.startsWith(IMAGE_PREFIX) ? image.slice(IMAGE_PREFIX.length) : null,
      firstStart: start,
      start,
      duration: end - start,
      pausedAt: null,
    };
  }

  private complete(entry: Current, stoppedAt: number): PlayInput | null {
    const listened = Math.min(Math.max(0, stoppedAt - entry.start), entry.duration);
    if (!countsAsPlay(entry.duration, listened)) return null;
    const startedAt = Math.min(entry.firstStart, entry.start);
    return {
      title: entry.title,
      artist: entry.artist,
      album: entry.album,
      trackId: entry.trackId,
      imageId: entry.imageId,
      startedAt,
      endedAt: entry.start + listened,
      msPlayed: listened,
      durationMs: entry.duration,
      source: 'discord-status',
    };
  }
}
