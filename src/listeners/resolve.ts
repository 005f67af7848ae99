// Who a command shows, and from which source: the one place that turns "asker + user option + guild" into a
// listener. Rules (DESIGN.md "Source"):
// - A member with a Spotify link (the owner, or a linked member) is shown through Spotify: it knows
//   pauses and podcasts, so it wins over their Discord status.
// - Otherwise their Discord status in THIS guild (DISCORD_PRESENCES=on), never another guild's, never in DMs.
// - A member who chose "only me" is hidden from everyone else, whatever the source.
// - Plain /nowplaying by someone with neither falls back to the bot owner (what /nowplaying always showed).
//
// Linked members plug in through `LinkedMembers`: `ownerOnlyLinkedMembers` (below) is the owner-only default;
// #10's storage-backed one is `linkedMembersOver` (src/listeners/members.ts), set in createApp and src/shard.ts.
// /nowplaying reaches this through src/features/account/whose.ts (which also names whose listening it is).
import type { Config } from '../config.js';
import { DiscordStatusStore, type StatusTrack } from './discord-status.js';
import { OWNER, type Listener } from './listener.js';
import { GuildMembership, type GuildMembershipOptions } from './membership.js';

/** Members with their own Spotify link, and their privacy choice. (#10 implements it with storage.) */
export interface LinkedMembers {
  /** The Spotify-linked listener for this Discord user, or null. */
  listenerFor(userId: string): Promise<Listener | null>;
  /** Linked listeners to list in this guild's /listening, with the Discord user each one is. */
  inGuild(guildId: string): Promise<Array<{ userId: string | null; listener: Listener }>>;
  /** Which of these users chose "only me" (hidden from everyone but themselves). */
  privateAmong(userIds: readonly string[]): Promise<ReadonlySet<string>>;
}

/**
 * What is true before #10: the owner is the only linked listener (as BOT_OWNER_ID, when set), listed in every
 * guild the bot is in — their listening is what the bot shows everywhere already (/nowplaying, its status) — and
 * nobody has chosen "only me".
 */
export function ownerOnlyLinkedMembers(ownerId: string | null): LinkedMembers {
  const none: ReadonlySet<string> = new Set();
  return {
    listenerFor: async (userId) => (ownerId !== null && userId === ownerId ? OWNER : null),
    inGuild: async () => [{ userId: ownerId, listener: OWNER }],
    privateAmong: async () => none,
  };
}

/** This process's sources of members' listening (the local half of a command's context). */
export interface MemberSources {
  /** Whether DISCORD_PRESENCES=on (without it the store stays empty). */
  presencesEnabled: boolean;
  statuses: DiscordStatusStore;
  linked: LinkedMembers;
  /** Who is still a member of a server (src/listeners/membership.ts), asked through this process's gateway. */
  membership: GuildMembership;
}

/**
 * This process's member sources: an empty status store (filled by the gateway feed when the intent is on) and the
 * membership answers (asked once the client is attached, in startBot).
 */
export function createMemberSources(
  config: Pick<Config, 'discordPresences' | 'discord'>,
  now: () => number = Date.now,
  membership: Omit<GuildMembershipOptions, 'now'> = {},
): MemberSources {
  return {
    presencesEnabled: config.discordPresences,
    statuses: new DiscordStatusStore(now),
    linked: ownerOnlyLinkedMembers(config.discord.ownerId),
    membership: new GuildMembership({ ...membership, now }),
  };
}

export type Resolution =
  | { kind: 'spotify'; listener: Listener; userId: string | null; fallback: boolean }
  | { kind: 'discord-status'; listener: Extract<Listener, { kind: 'status' }>; track: StatusTrack }
  | { kind: 'hidden'; why: HiddenReason; userId: string };

/** Why a member's listening can't be shown here. */
export type HiddenReason = 'private' | 'not-in-a-server' | 'presences-off' | 'not-listening';

export interface ResolveRequest {
  askerId: string;
  /** The `user:` option, if given. */
  userId: string | null;
  /** The guild the interaction came from; null in DMs and group DMs. */
  guildId: string | null;
}

export async function resolveListener(sources: MemberSources, request: ResolveRequest): Promise<Resolution> {
  const target = request.userId ?? request.askerId;
  const someoneElse = target !== request.askerId;
  if (someoneElse && (await sources.linked.privateAmong([target])).has(target)) return { kind: 'hidden', why: 'private', userId: target };
  const linked = await sources.linked.listenerFor(target);
  if (linked) return { kind: 'spotify', listener: linked, userId: target, fallback: false };
  const guildId = request.guildId;
  const track = guildId !== null ? sources.statuses.get(guildId, target) : null;
  if (guildId !== null && track) return { kind: 'discord-status', listener: { kind: 'status', userId: target, guildId }, track };
  if (request.userId === null) return { kind: 'spotify', listener: OWNER, userId: null, fallback: true };
  const why: HiddenReason = guildId === null ? 'not-in-a-server' : sources.presencesEnabled ? 'not-listening' : 'presences-off';
  return { kind: 'hidden', why, userId: target };
}
