// Presences: what a bot may send in op 3 (and IDENTIFY.presence), and what members' presences look like.
import { randomBytes } from 'node:crypto';

export interface PresenceActivity {
  name: string;
  type: number;
  state?: string;
  url?: string;
  [key: string]: unknown;
}

export interface PresencePayload {
  since: number | null;
  activities: PresenceActivity[];
  status: string;
  afk: boolean;
}

export type PresenceStatus = 'online' | 'dnd' | 'idle' | 'invisible' | 'offline';
const STATUSES: ReadonlySet<string> = new Set<PresenceStatus>(['online', 'dnd', 'idle', 'invisible', 'offline']);
/** Bots may set only these activity fields (Discord docs, "Activity Object": bots are only able to send name, state, type and url). */
const BOT_ACTIVITY_FIELDS: ReadonlySet<string> = new Set(['name', 'state', 'type', 'url']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function chars(value: string): number {
  return [...value].length;
}

/**
 * Checks an op 3 payload (or IDENTIFY.presence) from a bot. Returns the parsed presence, or a reason it is refused.
 *
 * Discord answers a bad op 3 by closing the socket with 4001: the close-code table defines 4001 "Unknown opcode" as
 * "You sent an invalid Gateway opcode or an invalid payload for an opcode", and discord-api-docs issues #2226 and
 * #3854 show the gateway closing with 4001 "Unknown opcode." for presence payloads with missing or invalid fields.
 * 4002 "Error while decoding payload" is for frames that are not valid JSON/ETF at all (the emulator uses it for those).
 */
export function parseBotPresence(d: unknown): { ok: true; presence: PresencePayload } | { ok: false; reason: string } {
  if (!isRecord(d)) return { ok: false, reason: 'presence must be an object' };
  if (!('since' in d) || (d.since !== null && typeof d.since !== 'number')) return { ok: false, reason: 'since must be a number or null' };
  if (typeof d.afk !== 'boolean') return { ok: false, reason: 'afk must be a boolean' };
  if (typeof d.status !== 'string' || !STATUSES.has(d.status)) {
    return { ok: false, reason: `status ${JSON.stringify(d.status)} is not one of ${[...STATUSES].join(', ')}` };
  }
  if (!Array.isArray(d.activities)) return { ok: false, reason: 'activities must be an array' };
  const activities: PresenceActivity[] = [];
  for (const [i, a] of d.activities.entries()) {
    if (!isRecord(a)) return { ok: false, reason: `activities[${i}] must be an object` };
    const extra = Object.keys(a).filter((k) => a[k] !== undefined && a[k] !== null && !BOT_ACTIVITY_FIELDS.has(k));
    if (extra.length > 0) return { ok: false, reason: `activities[${i}] sets ${extra.join(', ')}: bots may set only name, state, type, url` };
    if (typeof a.type !== 'number' || !Number.isInteger(a.type) || a.type < 0 || a.type > 5) {
      return { ok: false, reason: `activities[${i}].type must be 0..5` };
    }
    if (typeof a.name !== 'string' || chars(a.name) < 1 || chars(a.name) > 128) {
      return { ok: false, reason: `activities[${i}].name must be 1..128 characters` };
    }
    if (a.state !== undefined && a.state !== null && (typeof a.state !== 'string' || chars(a.state) > 128)) {
      return { ok: false, reason: `activities[${i}].state must be at most 128 characters` };
    }
    if (a.url !== undefined && a.url !== null && typeof a.url !== 'string') return { ok: false, reason: `activities[${i}].url must be a string` };
    const activity: PresenceActivity = { name: a.name, type: a.type };
    if (typeof a.state === 'string') activity.state = a.state;
    if (typeof a.url === 'string') activity.url = a.url;
    activities.push(activity);
  }
  return { ok: true, presence: { since: d.since as number | null, activities, status: d.status, afk: d.afk } };
}

/** A member's presence as the emulator keeps it (and sends it in GUILD_CREATE / PRESENCE_UPDATE). */
export interface MemberPresence {
  status: PresenceStatus;
  activities: Array<Record<string, unknown>>;
}

export interface SpotifyActivityOptions {
  trackId: string;
  title: string;
  artists: string[];
  album: string;
  /** The cover's image id: the part after https://i.scdn.co/image/ */
  imageId: string;
  startMs: number;
  endMs: number;
  /** The listener's Discord id, for party.id; setPresence() fills it in when left out. */
  userId?: string;
}

/** The activity Discord shows for a member listening on Spotify (see /work/shared/reference/discord-presences-and-files.md). */
export function spotifyActivity(o: SpotifyActivityOptions): Record<string, unknown> {
  return {
    type: 2,
    name: 'Spotify',
    id: 'spotify:1',
    flags: 48,
    details: o.title,
    state: o.artists.join('; '),
    sync_id: o.trackId,
    party: { id: `spotify:${o.userId ?? ''}` },
    session_id: randomBytes(16).toString('hex'),
    timestamps: { start: o.startMs, end: o.endMs },
    assets: { large_image: `spotify:${o.imageId}`, large_text: o.album },
  };
}
