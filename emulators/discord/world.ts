// What the emulated Discord knows: users, guilds, their members, presences and channels, and the JSON objects Discord
// builds from them (users, members, channels, GUILD_CREATE). Changes that the bot must hear of go through the gateway.
import { apiError } from './http-error.js';
import { isRecord, toJsonObject } from './json.js';
import { EVERYONE_BITS, EVERYONE_PERMISSIONS } from './permissions.js';
import type { MemberPresence } from './presence.js';
import { realisticGuild } from './realistic-guild.js';
import { snowflake } from './snowflake.js';
import { param, type RestRouter } from './rest.js';
import { Intents, type JsonObject } from './types.js';

export const DEFAULT_APP_ID = '1150000000000000001';
export const DEFAULT_USER_ID = '1150000000000000777';

export interface MemberState {
  user: JsonObject;
  nick: string | null;
  roles: string[];
  joinedAt: string;
  permissions: string | null;
}

export interface ChannelState {
  id: string;
  guildId: string;
  name: string;
  position: number;
  botPermissions: bigint;
  deleted: boolean;
}

/** What a gateway session was allowed to see (its intents) and which users it has already seen in full. */
export interface GuildViewer {
  intents: number;
  knownUsers: Set<string>;
}

export interface WorldConfig {
  applicationId: string;
  botUserId: string;
  botUsername: string;
  guildIds: string[];
  guildShape: 'minimal' | 'realistic';
}

export class World {
  /** A guild's preferred locale (Community servers set it); en-US unless a test set another. */
  readonly guildLocales = new Map<string, string>();
  readonly applicationId: string;
  readonly botUserId: string;
  readonly botUsername: string;
  readonly guildIds: string[];
  readonly guildShape: 'minimal' | 'realistic';
  readonly dmChannels = new Map<string, string>(); // channelId → userId
  readonly users = new Map<string, JsonObject>();
  /** guildId → userId → member */
  readonly members = new Map<string, Map<string, MemberState>>();
  /** guildId → userId → presence (offline members have none) */
  readonly presences = new Map<string, Map<string, MemberPresence>>();
  readonly channels = new Map<string, ChannelState>();

  constructor(config: WorldConfig) {
    this.applicationId = config.applicationId;
    this.botUserId = config.botUserId;
    this.botUsername = config.botUsername;
    this.guildIds = config.guildIds;
    this.guildShape = config.guildShape;
    for (const guildId of this.guildIds) {
      const id = this.guildChannelId(guildId);
      this.channels.set(id, { id, guildId, name: 'general', position: 0, botPermissions: EVERYONE_BITS, deleted: false });
    }
  }

  /** Registers a user (so GET /users/:id and interactions use this name). */
  addUser(user: { id: string; username: string; globalName?: string | null }): void {
    this.users.set(user.id, this.userObject(user.id, user.username, user.globalName ?? null));
  }

  requireGuild(guildId: string): void {
    if (!this.guildIds.includes(guildId)) throw new Error(`DiscordEmulator: ${guildId} is not an emulated guild (${this.guildIds.join(', ')})`);
  }



  withParty(activity: Record<string, unknown>, userId: string): Record<string, unknown> {
    const party = activity.party;
    if (activity.id === 'spotify:1' && isRecord(party) && party.id === 'spotify:') {
      return { ...activity, party: { ...party, id: `spotify:${userId}` } };
    }
    return activity;
  }

  presenceFields(presence: MemberPresence): JsonObject {
    return toJsonObject({
      status: presence.status,
      activities: presence.activities,
      client_status: presence.status === 'offline' || presence.status === 'invisible' ? {} : { desktop: presence.status },
    });
  }

  memberObject(member: MemberState): JsonObject {
    return {
      user: member.user,
      nick: member.nick,
      avatar: null,
      roles: member.roles,
      joined_at: member.joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      pending: false,
      flags: 0,
      communication_disabled_until: null,
    };
  }

  botUser(): JsonObject {
    return {
      id: this.botUserId,
      username: this.botUsername,
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: true,
      verified: true,
      mfa_enabled: false,
      flags: 0,
      public_flags: 0,
      email: null,
    };
  }

  userObject(id: string, username?: string, globalName: string | null = null): JsonObject {
    const known = this.users.get(id);
    if (known && username === undefined) return known;
    if (id === this.botUserId) return this.botUser();
    return {
      id,
      username: username ?? `user${id.slice(-4)}`,
      discriminator: '0',
      global_name: globalName,
      avatar: null,
      public_flags: 0,
      flags: 0,
      bot: false,
    };
  }

  /** The text channel every emulated guild has ("general"). */
  guildChannelId(guildId: string): string {
    return (BigInt(guildId) + 1n).toString();
  }

  guildChannel(guildId: string): JsonObject {
    const state = this.channels.get(this.guildChannelId(guildId));
    if (state) return this.channelObject(state);
    return {
      id: this.guildChannelId(guildId),
      type: 0,
      guild_id: guildId,
      name: 'general',
      position: 0,
      permission_overwrites: [],
      parent_id: null,
      nsfw: false,
      topic: null,
      last_message_id: null,
      rate_limit_per_user: 0,
      flags: 0,
    };
  }

  /**
   * A guild text channel. The bot's permissions there are expressed as Discord does: @everyone's role permissions and a
   * member overwrite for the bot (deny what it lacks, allow what it has beyond @everyone), so discord.js computes them.
   */
  channelObject(channel: ChannelState): JsonObject {
    const allow = channel.botPermissions & ~EVERYONE_BITS;
    const deny = EVERYONE_BITS & ~channel.botPermissions;
    return {
      id: channel.id,
      type: 0,
      guild_id: channel.guildId,
      name: channel.name,
      position: channel.position,
      permission_overwrites:
        allow === 0n && deny === 0n ? [] : [{ id: this.botUserId, type: 1, allow: allow.toString(), deny: deny.toString() }],
      parent_id: null,
      nsfw: false,
      topic: null,
      last_message_id: null,
      rate_limit_per_user: 0,
      flags: 0,
    };
  }

  /**
   * GUILD_CREATE for a session, with members and presences as its intents allow: `members` always has the bot; with
   * GUILD_MEMBERS every member; with GUILD_PRESENCES (without GUILD_MEMBERS) the members who are online, since their
   * presences are sent. `presences` (non-offline members only) needs GUILD_PRESENCES.
   */
  guildCreate(guildId: string, session: GuildViewer): JsonObject {
    const base = this.guildObject(guildId);
    const guild = this.guildShape === 'realistic' ? realisticGuild(base) : base;
    const general = this.guildChannelId(guildId);
    const extraChannels = [...this.channels.values()]
      .filter((c) => c.guildId === guildId && c.id !== general && !c.deleted)
      .map((c) => this.channelObject(c));
    const withMembers = (session.intents & Intents.GuildMembers) !== 0;
    const withPresences = (session.intents & Intents.GuildPresences) !== 0;
    const presences = withPresences ? [...(this.presences.get(guildId) ?? new Map<string, MemberPresence>())] : [];
    const online = new Set(presences.map(([userId]) => userId));
    const members = [...(this.members.get(guildId)?.entries() ?? [])]
      .filter(([userId]) => withMembers || online.has(userId))
      .map(([userId, m]) => {
        session.knownUsers.add(userId);
        return this.memberObject(m);
      });
    const baseMembers = Array.isArray(guild.members) ? guild.members : [];
    const baseChannels = Array.isArray(guild.channels) ? guild.channels : [];
    return {
      ...guild,
      member_count: Number(guild.member_count ?? 0) + (this.members.get(guildId)?.size ?? 0),
      channels: [...baseChannels.filter((c) => !(isRecord(c) && this.channels.get(String(c.id))?.deleted)), ...extraChannels],
      members: [...baseMembers, ...members],
      presences: presences.map(([userId, p]) => ({ user: { id: userId }, guild_id: guildId, ...this.presenceFields(p) })),
    };
  }

  guildObject(guildId: string): JsonObject {
    const index = this.guildIds.indexOf(guildId);
    const joinedAt = new Date(Date.now() - 86_400_000).toISOString();
    return {
      id: guildId,
      name: `Emulated Guild ${index + 1}`,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: DEFAULT_USER_ID,
      region: 'us-west',
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: this.guildLocales.get(guildId) ?? 'en-US',
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      application_id: null,
      max_members: 500000,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      features: [],
      unavailable: false,
      large: false,
      lazy: true,
      joined_at: joinedAt,
      member_count: 2,
      roles: [
        {
          id: guildId,
          name: '@everyone',
          color: 0,
          colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
          hoist: false,
          icon: null,
          unicode_emoji: null,
          position: 0,
          permissions: EVERYONE_PERMISSIONS,
          managed: false,
          mentionable: false,
          flags: 0,
        },
      ],
      emojis: [],
      stickers: [],
      channels: [this.guildChannel(guildId)],
      threads: [],
      members: [
        {
          user: this.botUser(),
          nick: null,
          avatar: null,
          roles: [],
          joined_at: joinedAt,
          premium_since: null,
          deaf: false,
          mute: false,
          pending: false,
          flags: 0,
          communication_disabled_until: null,
        },
      ],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  dmChannelFor(userId: string): string {
    for (const [channelId, uid] of this.dmChannels) if (uid === userId) return channelId;
    const channelId = snowflake();
    this.dmChannels.set(channelId, userId);
    return channelId;
  }

  dmChannelObject(channelId: string, userId: string): JsonObject {
    return { id: channelId, type: 1, last_message_id: null, flags: 0, recipients: [this.userObject(userId)] };
  }

  /** A guild channel that exists (404 / 10003 "Unknown Channel" for unknown or deleted ones, like Discord). */
  liveChannel(channelId: string): ChannelState {
    const channel = this.channels.get(channelId);
    if (!channel || channel.deleted) throw apiError(404, 10003, 'Unknown Channel');
    return channel;
  }

  can(channel: ChannelState, permission: bigint): boolean {
    return (channel.botPermissions & permission) === permission;
  }

  registerRoutes(router: RestRouter): void {
    router.route('GET', '/users/@me', () => ({ status: 200, body: this.botUser() }));
    router.route('GET', '/users/:id', (ctx) => ({ status: 200, body: this.userObject(param(ctx, 0)) }));
    const application = (): JsonObject => ({
      id: this.applicationId,
      name: this.botUsername,
      icon: null,
      description: '',
      bot_public: false,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: 0,
      owner: this.userObject(DEFAULT_USER_ID),
      team: null,
      bot: this.botUser(),
      approximate_guild_count: this.guildIds.length,
      integration_types_config: { '0': {}, '1': {} },
    });
    router.route('GET', '/applications/@me', () => ({ status: 200, body: application() }));
    router.route('GET', '/oauth2/applications/@me', () => ({ status: 200, body: application() }));
  }
}
