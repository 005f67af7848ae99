// Members' Spotify activity as Discord shows it in their presence (DISCORD_PRESENCES=on): per guild, per member,
// only what the features need — track id, title, artists, album, cover id, start/end. No Spotify call, no linking.
//
// Fed from the raw gateway dispatches (src/listeners/discord-status-feed.ts): GUILD_CREATE seeds a guild,
// PRESENCE_UPDATE sets or drops one member, GUILD_DELETE / GUILD_MEMBER_REMOVE drop. discord.js keeps none of it
// (its presence, member and user caches are 0), so memory grows with the members who are LISTENING, not with those
// online. An update is O(1): one scan of the member's few activities and two map lookups; an unchanged track
// allocates nothing, a changed one overwrites the member's entry in place. Entries also expire on their own once
// the track's end time has passed (a member who left, or an update Discord never sent): reads skip them and
// `sweep` deletes them.
//
// Privacy: entries are keyed by guild, and every read names the guild. A member's status is only ever read for the
// guild the interaction came from (see src/listeners/resolve.ts).
import type { TrackState } from '../listening-state.js';

/** The parts of a gateway activity this store reads (Discord's activity object, as JSON). */
export interface RawActivity {
  type?: number;
  name?: string;
  sync_id?: string;
  details?: string;
  state?: string;
  timestamps?: { start?: number; end?: number };
  assets?: { large_image?: string; large_text?: string };
}

/** One member's current Spotify track, as their Discord status shows it. */
export interface StatusEntry {
  userId: string;
  trackId: string;
  title: string;
  /** Artists as Discord sends them: joined by "; ". */
  artists: string;
  album: string;
  /** `spotify:<image id>` as Discord sends it, or '' when there is no cover. */
  largeImage: string;
  /** Epoch ms: when the track started, and when it will end. */
  start: number;
  end: number;
}

/** A Spotify track from a Discord status, ready to show. */
export interface StatusTrack {
  userId: string;
  trackId: string;
  title: string;
  artists: string[];
  album: string;
  url: string;
  imageUrl: string | null;
  start: number;
  end: number;
}

/** An entry is kept this long past its track's end: Discord's next update (the next track) may be a little late. */
export const STATUS_END_GRACE_MS = 30_000;

const TRACK_ID = /^[0-9A-Za-z]{1,64}$/;
const IMAGE_ID = /^[0-9A-Za-z]{1,128}$/;
const OPEN_SPOTIFY_TRACK = 'https://open.spotify.com/track/';
const SPOTIFY_IMAGE = 'https://i.scdn.co/image/';

/** The Spotify activity among a presence's activities (type 2 "Spotify" with a track id), or null. No allocation. */
export function spotifyActivityOf(activities: readonly RawActivity[] | null | undefined): RawActivity | null {
  if (!activities) return null;
  for (let i = 0; i < activities.length; i++) {
    const a = activities[i];
    if (a && a.type === 2 && a.name === 'Spotify' && typeof a.sync_id === 'string') return a;
  }
  return null;
}

function isLive(entry: StatusEntry, now: number): boolean {
  return now <= entry.end + STATUS_END_GRACE_MS;
}

/** The shown form of an entry (allocates: call it for the entries you display). */
export function statusTrack(entry: StatusEntry): StatusTrack {
  const image = entry.largeImage.startsWith('spotify:') ? entry.largeImage.slice('spotify:'.length) : '';
  return {
    userId: entry.userId,
    trackId: entry.trackId,
    title: entry.title,
    artists: entry.artists
      .split(';')
      .map((a) => a.trim())
      .filter((a) => a !== ''),
    album: entry.album,
    url: OPEN_SPOTIFY_TRACK + entry.trackId,
    imageUrl: IMAGE_ID.test(image) ? SPOTIFY_IMAGE + image : null,
    start: entry.start,
    end: entry.end,
  };
}

/** A status track as the ListeningState /nowplaying renders: playing, progress from the timestamps. */
export function statusTrackState(track: StatusTrack, now: number): TrackState {
  const durationMs = Math.max(0, track.end - track.start);
  return {
    kind: 'track',
    isPlaying: true,
    progressMs: Math.min(durationMs, Math.max(0, now - track.start)),
    durationMs,
    observedAt: now,
    title: track.title,
    url: track.url,
    uri: `spotify:track:${track.trackId}`,
    // Discord's status has artist names only, no ids: no artist links.
    artists: track.artists.map((name) => ({ name, url: null })),
    album: { name: track.album, url: null },
    imageUrl: track.imageUrl,
    isLocal: false,
    explicit: false,
  };
}

export class DiscordStatusStore {
  /** guildId → userId → entry. A guild with nobody listening has no map. */
  private readonly guilds = new Map<string, Map<string, StatusEntry>>();
  private entries = 0;
  /** PRESENCE_UPDATEs handled (for the benchmark and tests). */
  updates = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Members listening, over all guilds (a member listening in two guilds counts twice). */
  get size(): number {
    return this.entries;
  }

  /** Guilds with at least one member listening. */
  get guildCount(): number {
    return this.guilds.size;
  }

  /** A member's presence changed in a guild: keep their Spotify track, or drop them when there is none. */
  update(guildId: string, userId: string, activities: readonly RawActivity[] | null | undefined): void {
    this.updates++;
    const activity = spotifyActivityOf(activities);
    if (!activity) {
      this.remove(guildId, userId);
      return;
    }
    const trackId = activity.sync_id ?? '';
    const start = activity.timestamps?.start;
    const end = activity.timestamps?.end;
    if (!TRACK_ID.test(trackId) || typeof start !== 'number' || typeof end !== 'number' || !(end >= start)) {
      // Not a track we can show (a malformed or partial activity): as if nothing played.
      this.remove(guildId, userId);
      return;
    }
    let members = this.guilds.get(guildId);
    const existing = members?.get(userId);
    if (existing) {
      if (existing.trackId === trackId && existing.start === start && existing.end === end) return;
      existing.trackId = trackId;
      existing.title = activity.details ?? '';
      existing.artists = activity.state ?? '';
      existing.album = activity.assets?.large_text ?? '';
      existing.largeImage = activity.assets?.large_image ?? '';
      existing.start = start;
      existing.end = end;
      return;
    }
    if (!members) {
      members = new Map();
      this.guilds.set(guildId, members);
    }
    members.set(userId, {
      userId,
      trackId,
      title: activity.details ?? '',
      artists: activity.state ?? '',
      album: activity.assets?.large_text ?? '',
      largeImage: activity.assets?.large_image ?? '',
      start,
      end,
    });
    this.entries++;
  }

  /** A guild arrived (GUILD_CREATE): its presences replace whatever was known about it. */
  seedGuild(guildId: string, presences: ReadonlyArray<{ user?: { id?: string }; activities?: RawActivity[] }> | null | undefined): void {
    this.dropGuild(guildId);
    if (!presences) return;
    for (const presence of presences) {
      const userId = presence.user?.id;
      if (typeof userId === 'string') this.update(guildId, userId, presence.activities);
    }
  }

  /** The bot left the guild, or it became unavailable. */
  dropGuild(guildId: string): void {
    const members = this.guilds.get(guildId);
    if (!members) return;
    this.entries -= members.size;
    this.guilds.delete(guildId);
  }

  /** A member left the guild (or stopped listening). */
  remove(guildId: string, userId: string): void {
    const members = this.guilds.get(guildId);
    if (!members?.delete(userId)) return;
    this.entries--;
    if (members.size === 0) this.guilds.delete(guildId);
  }

  /** A member's current track in this guild, or null. */
  get(guildId: string, userId: string): StatusTrack | null {
    const entry = this.guilds.get(guildId)?.get(userId);
    return entry && isLive(entry, this.now()) ? statusTrack(entry) : null;
  }

  /** Everyone listening in this guild now, in no particular order. */
  listeningIn(guildId: string): StatusTrack[] {
    const members = this.guilds.get(guildId);
    if (!members) return [];
    const now = this.now();
    const out: StatusTrack[] = [];
    for (const entry of members.values()) if (isLive(entry, now)) out.push(statusTrack(entry));
    return out;
  }

  /** Delete entries whose track ended long ago (members who left, updates never sent). Returns how many. */
  sweep(): number {
    const now = this.now();
    let removed = 0;
    for (const [guildId, members] of this.guilds) {
      for (const [userId, entry] of members) {
        if (isLive(entry, now)) continue;
        members.delete(userId);
        removed++;
      }
      if (members.size === 0) this.guilds.delete(guildId);
    }
    this.entries -= removed;
    return removed;
  }

  clear(): void {
    this.guilds.clear();
    this.entries = 0;
  }
}
