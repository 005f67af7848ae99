// /listening: who in this server is listening right now. Answered in the process holding the guild (a shard under
// SHARDS=N), from memory: members' Discord status from the status store (no Spotify call at all), plus the linked
// members (and the owner) through `services.listening`, which reuses a state within its freshness window and
// coalesces concurrent reads — at most one Spotify call per linked member. A linked account wins over the same
// member's Discord status (it knows pauses); a member who chose "only me" is left out, and so is one who left the
// server (src/listeners/membership.ts: known within a minute, asked in one batch; the owner is listed everywhere).
import type { ListeningState } from '../../listening-state.js';
import type { StatusTrack } from '../../listeners/discord-status.js';
import type { CommandContext } from '../../service-types.js';

export type ListeningSource = 'discord-status' | 'spotify';

/** One member listening now. */
export interface NowListening {
  /** Their Discord id; null for the owner when BOT_OWNER_ID is not set. */
  userId: string | null;
  source: ListeningSource;
  /** Same track ⇔ same key (`spotify:track:<id>` from either source). */
  trackKey: string;
  title: string;
  artists: string[];
  url: string | null;
  /** Epoch ms the track started (progress = now − startedAt). */
  startedAt: number;
  durationMs: number;
}

export interface ListeningNowResult {
  /** Most recently started first. */
  entries: NowListening[];
  /** Whether members' Discord status is read at all (DISCORD_PRESENCES=on). */
  presencesEnabled: boolean;
  /** Epoch ms the list was made. */
  at: number;
}

export function fromStatus(track: StatusTrack): NowListening {
  return {
    userId: track.userId,
    source: 'discord-status',
    trackKey: `spotify:track:${track.trackId}`,
    title: track.title,
    artists: track.artists,
    url: track.url,
    startedAt: track.start,
    durationMs: Math.max(0, track.end - track.start),
  };
}

/** A linked member's state as a list entry, or null when nothing is playing. */
export function fromSpotify(userId: string | null, state: ListeningState): NowListening | null {
  if ((state.kind !== 'track' && state.kind !== 'episode') || !state.isPlaying) return null;
  return {
    userId,
    source: 'spotify',
    trackKey: state.uri,
    title: state.title,
    artists: state.kind === 'track' ? state.artists.map((a) => a.name) : [state.show.name],
    url: state.url,
    startedAt: state.observedAt - state.progressMs,
    durationMs: state.durationMs,
  };
}

export async function listeningNow(
  ctx: Pick<CommandContext, 'members' | 'services' | 'logger' | 'now'>,
  guildId: string,
): Promise<ListeningNowResult> {
  const { members } = ctx;
  const allLinked = await members.linked.inGuild(guildId);
  const statuses = members.statuses.listeningIn(guildId);
  const ownerId = allLinked.find(({ listener }) => listener.kind === 'owner')?.userId ?? null;
  const toCheck = [...allLinked.flatMap(({ userId }) => (userId === null || userId === ownerId ? [] : [userId])), ...statuses.map((t) => t.userId)];
  const current = toCheck.length > 0 ? await members.membership.currentMembers(guildId, toCheck) : new Set<string>();
  const here = (userId: string | null): boolean => userId === null || userId === ownerId || current.has(userId);
  // Before any Spotify read: nobody who left is asked about.
  const linked = allLinked.filter(({ userId }) => here(userId));
  const fromLinked = await Promise.all(
    linked.map(async ({ userId, listener }) => {
      try {
        return fromSpotify(userId, await ctx.services.listening.current(listener));
      } catch (error) {
        // One linked member's Spotify trouble leaves them out of the list, not the list out of the answer.
        ctx.logger.debug('a linked member left out of /listening', { user: userId ?? 'owner', error });
        return null;
      }
    }),
  );
  const linkedIds = new Set(linked.flatMap(({ userId }) => (userId === null ? [] : [userId])));
  const entries: NowListening[] = fromLinked.filter((e): e is NowListening => e !== null);
  for (const track of statuses) {
    if (!linkedIds.has(track.userId) && here(track.userId)) entries.push(fromStatus(track));
  }
  const ids = entries.flatMap((e) => (e.userId === null ? [] : [e.userId]));
  const hidden = ids.length > 0 ? await members.linked.privateAmong(ids) : new Set<string>();
  const shown = hidden.size === 0 ? entries : entries.filter((e) => e.userId === null || !hidden.has(e.userId));
  shown.sort((a, b) => b.startedAt - a.startedAt);
  return { entries: shown, presencesEnabled: members.presencesEnabled, at: ctx.now() };
}
