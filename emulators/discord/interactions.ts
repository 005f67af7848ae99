// Interactions the emulator creates (slash commands, button presses, modal submits): the INTERACTION_CREATE payload as
// Discord builds it, dispatched on the shard holding the guild, and the state its callback and webhooks work on.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { AttachmentCdn } from './cdn.js';
import { leafOptions, type CommandRegistry, type StoredCommand } from './commands.js';
import { autocompleteHandle, interactionHandle } from './interaction-handle.js';
import { asMessagePayload, toJson } from './json.js';
import type { Messages } from './messages.js';
import { EVERYONE_BITS, EVERYONE_PERMISSIONS } from './permissions.js';
import { shardForGuild, snowflake } from './snowflake.js';
import type {
  AutocompleteHandle,
  AutocompleteOptions,
  ButtonOptions,
  InteractionCallbackRecord,
  InteractionHandle,
  InteractionOrigin,
  JsonObject,
  JsonValue,
  MessagePayload,
  ModalSubmitOptions,
  SlashCommandOptions,
  StoredAttachment,
} from './types.js';
import { DEFAULT_USER_ID, type ChannelState, type World } from './world.js';

/** Per-message attachment bookkeeping for messages the emulator keeps (original responses, follow-ups, channel posts). */
export type AttachmentStore = Map<string, StoredAttachment[]>;

export interface InteractionState {
  id: string;
  token: string;
  shard: number;
  type: number;
  guildId: string | null;
  channelId: string;
  user: JsonObject;
  authorizingIntegrationOwners: JsonObject;
  payload: JsonObject;
  dispatchedAt: number;
  response: InteractionCallbackRecord | null;
  original: JsonObject | null;
  edits: MessagePayload[];
  followUps: MessagePayload[];
  followUpMessages: Map<string, JsonObject>;
  originalAttachments: StoredAttachment[];
  followUpAttachments: StoredAttachment[][];
  /** follow-up message id → its attachments */
  followUpAttachmentsById: AttachmentStore;
  /** For an autocomplete interaction: the registered definition of the focused option (its type rules the choices). */
  autocompleteOption: JsonObject | null;
  events: EventEmitter;
}

export interface InteractionsHost {
  readonly applicationId: string;
  readonly guildIds: string[];
  readonly shardCount: number;
  dispatch(shard: number, t: string, d: unknown): number;
}

export class Interactions {
  readonly byId = new Map<string, InteractionState>();
  readonly byToken = new Map<string, InteractionState>();

  constructor(
    private readonly host: InteractionsHost,
    private readonly world: World,
    private readonly commands: CommandRegistry,
    private readonly messages: Messages,
    private readonly cdn: AttachmentCdn,
  ) {}

  slashCommand(opts: SlashCommandOptions): InteractionHandle {
    const guildId = opts.guildId === undefined ? (this.host.guildIds[0] ?? null) : opts.guildId;
    const registered = this.commands.find(opts.name, guildId);
    let options: JsonValue[] = (opts.options ?? []).map((o) => ({ name: o.name, type: o.type, value: o.value }));
    if (opts.subcommand) options = [{ name: opts.subcommand, type: 1, options }];
    if (opts.subcommandGroup) options = [{ name: opts.subcommandGroup, type: 2, options }];
    const data: JsonObject = {
      id: typeof registered?.id === 'string' ? registered.id : snowflake(),
      name: opts.name,
      type: 1,
      options,
    };
    if (guildId && registered?.guild_id) data.guild_id = guildId;
    const resolved: JsonObject = {};
    // USER options (type 6) resolve like Discord's: resolved.users, and resolved.members in a guild for its members.
    const userOptionIds = (opts.options ?? []).filter((o) => o.type === 6).map((o) => String(o.value));
    if (userOptionIds.length > 0) {
      const users: JsonObject = {};
      const members: JsonObject = {};
      for (const id of userOptionIds) {
        if (!this.world.users.has(id) && id !== this.world.botUserId) {
          throw new Error(`DiscordEmulator.slashCommand: USER option ${id} is not a known user (addUser or addMember first)`);
        }
        users[id] = this.world.userObject(id);
        const member = guildId ? this.world.members.get(guildId)?.get(id) : undefined;
        if (member) {
          const { user: _user, ...partial } = this.world.memberObject(member);
          members[id] = { ...partial, permissions: member.permissions ?? EVERYONE_PERMISSIONS };
        }
      }
      resolved.users = users;
      if (Object.keys(members).length > 0) resolved.members = members;
    }
    // ATTACHMENT options (type 11): the value is the attachment's id, its object is in resolved.attachments.
    const attachments: JsonObject = {};
    for (const option of (opts.options ?? []).filter((o) => o.type === 11)) {
      const attachment = typeof option.value === 'string' ? this.cdn.json(option.value) : undefined;
      if (!attachment) {
        throw new Error(`DiscordEmulator.slashCommand: ATTACHMENT option ${option.name} is ${String(option.value)}, not an id from addAttachment`);
      }
      attachments[option.value as string] = attachment;
    }
    if (Object.keys(attachments).length > 0) resolved.attachments = attachments;
    if (Object.keys(resolved).length > 0) data.resolved = resolved;
    if (registered) this.checkRequiredAttachments(registered, opts);
    return this.create(2, data, opts);
  }

  /** Discord's client cannot send a command without its required attachments (there is no file to resolve). */
  private checkRequiredAttachments(command: StoredCommand, opts: SlashCommandOptions): void {
    const given = new Set((opts.options ?? []).map((o) => o.name));
    for (const def of leafOptions(command, opts.subcommandGroup, opts.subcommand)) {
      if (def.type === 11 && def.required === true && !given.has(String(def.name))) {
        throw new Error(`DiscordEmulator.slashCommand: /${opts.name} needs its required ATTACHMENT option ${String(def.name)}`);
      }
    }
  }

  /**
   * APPLICATION_COMMAND_AUTOCOMPLETE (type 4), as Discord sends it while a user types: only for a registered command
   * whose focused option has `autocomplete: true`. The options keep what was typed (`focused: true` on one).
   */
  autocomplete(opts: AutocompleteOptions): AutocompleteHandle {
    const guildId = opts.guildId === undefined ? (this.host.guildIds[0] ?? null) : opts.guildId;
    const registered = this.commands.find(opts.name, guildId);
    const where = `DiscordEmulator.autocomplete: /${[opts.name, opts.subcommandGroup, opts.subcommand].filter(Boolean).join(' ')}`;
    if (!registered) throw new Error(`${where} is not a registered command (Discord sends autocomplete only for registered ones)`);
    const focused = opts.options.filter((o) => o.focused === true);
    const [option] = focused;
    if (focused.length !== 1 || !option) throw new Error(`${where}: exactly one option must be focused (got ${focused.length})`);
    const definition = leafOptions(registered, opts.subcommandGroup, opts.subcommand).find((d) => d.name === option.name);
    if (!definition || definition.type !== option.type) {
      throw new Error(`${where} has no option ${option.name} of type ${option.type}`);
    }
    if (definition.autocomplete !== true) throw new Error(`${where}: option ${option.name} is not registered with autocomplete: true`);
    let options: JsonValue[] = opts.options.map((o): JsonObject => {
      const typed: JsonObject = { name: o.name, type: o.type, value: o.value };
      if (o.focused === true) typed.focused = true;
      return typed;
    });
    if (opts.subcommand) options = [{ name: opts.subcommand, type: 1, options }];
    if (opts.subcommandGroup) options = [{ name: opts.subcommandGroup, type: 2, options }];
    const data: JsonObject = { id: String(registered.id), name: opts.name, type: 1, options };
    if (guildId && registered.guild_id) data.guild_id = guildId;
    return autocompleteHandle(this.dispatchNew(4, data, opts, undefined, { autocompleteOption: definition }));
  }

  pressButton(opts: ButtonOptions): InteractionHandle {
    return this.create(3, { custom_id: opts.customId, component_type: 2 }, opts, opts.message);
  }

  submitModal(opts: ModalSubmitOptions): InteractionHandle {
    const components: JsonValue[] = Object.entries(opts.fields).map(([customId, value]) => ({
      type: 1,
      components: [{ type: 4, custom_id: customId, value }],
    }));
    return this.create(5, { custom_id: opts.customId, components }, opts, opts.message);
  }

  private create(
    type: number,
    data: JsonObject,
    opts: InteractionOrigin,
    message?: { id: string; content?: string; embeds?: unknown[]; components?: unknown[]; flags?: number },
  ): InteractionHandle {
    return interactionHandle(this.dispatchNew(type, data, opts, message));
  }

  /** Builds the interaction, registers it (before dispatch, so a fast reply always finds it) and dispatches it. */
  private dispatchNew(
    type: number,
    data: JsonObject,
    opts: InteractionOrigin,
    message?: { id: string; content?: string; embeds?: unknown[]; components?: unknown[]; flags?: number },
    extra: { autocompleteOption?: JsonObject } = {},
  ): InteractionState {
    const guildId = opts.guildId === undefined ? (this.host.guildIds[0] ?? null) : opts.guildId;
    const userId = opts.userId ?? DEFAULT_USER_ID;
    const user = this.world.userObject(userId, opts.username ?? (this.world.users.has(userId) ? undefined : 'tester'));
    if (opts.username) this.world.users.set(userId, user);
    const install = opts.install ?? (guildId ? 'guild' : 'user');
    const context = opts.context ?? (guildId ? 0 : 2);
    const authorizingIntegrationOwners: JsonObject =
      install === 'guild' && guildId ? { '0': guildId } : install === 'guild' ? { '0': '0' } : { '1': userId };
    let channelState: ChannelState | undefined;
    if (opts.channelId !== undefined) {
      channelState = this.world.channels.get(opts.channelId);
      if (!channelState || channelState.deleted || channelState.guildId !== guildId) {
        throw new Error(`DiscordEmulator: channel ${opts.channelId} is not a live channel of guild ${String(guildId)} (addChannel first)`);
      }
    }
    const channel: JsonObject = channelState
      ? this.world.channelObject(channelState)
      : guildId
        ? this.host.guildIds.includes(guildId)
          ? this.world.guildChannel(guildId)
          : { id: this.world.guildChannelId(guildId), type: 0, guild_id: guildId, name: 'general', permissions: EVERYONE_PERMISSIONS, flags: 0 }
        : { id: this.world.dmChannelFor(userId), type: 1, last_message_id: null, flags: 0, recipients: [user] };
    const member = guildId ? this.world.members.get(guildId)?.get(userId) : undefined;
    const appPermissions =
      opts.appPermissions ?? (guildId ? (this.world.channels.get(String(channel.id))?.botPermissions ?? EVERYONE_BITS).toString() : EVERYONE_PERMISSIONS);
    const id = snowflake();
    const token = `aW50ZXJhY3Rpb246${id}:${randomBytes(48).toString('base64url')}`;
    const payload: JsonObject = {
      id,
      application_id: this.host.applicationId,
      type,
      data,
      channel,
      channel_id: String(channel.id),
      token,
      version: 1,
      app_permissions: appPermissions,
      locale: opts.locale ?? 'en-US',
      entitlements: [],
      authorizing_integration_owners: authorizingIntegrationOwners,
      context,
      attachment_size_limit: 10_485_760,
    };
    if (guildId) {
      payload.guild_id = guildId;
      const guildLocale = this.world.guildLocales.get(guildId) ?? 'en-US';
      payload.guild_locale = guildLocale;
      payload.guild = { id: guildId, locale: guildLocale, features: [] };
      payload.member = {
        user,
        nick: member?.nick ?? null,
        avatar: null,
        roles: member?.roles ?? [],
        joined_at: member?.joinedAt ?? new Date(Date.now() - 3_600_000).toISOString(),
        premium_since: null,
        deaf: false,
        mute: false,
        pending: false,
        flags: 0,
        permissions: opts.memberPermissions ?? member?.permissions ?? EVERYONE_PERMISSIONS,
        communication_disabled_until: null,
      };
    } else {
      payload.user = user;
    }
    let original: JsonObject | null = null;
    if (message) {
      original = this.messages.messageObject({
        id: message.id,
        channelId: String(channel.id),
        guildId,
        payload: asMessagePayload(toJson(message)),
      });
      payload.message = original;
    }
    const shard = shardForGuild(guildId, this.host.shardCount);
    const state: InteractionState = {
      id,
      token,
      shard,
      type,
      guildId,
      channelId: String(channel.id),
      user,
      authorizingIntegrationOwners,
      payload,
      dispatchedAt: Date.now(),
      response: null,
      // For components (and modals opened from one), @original is the message the component is on.
      original,
      edits: [],
      followUps: [],
      followUpMessages: new Map(),
      originalAttachments: [],
      followUpAttachments: [],
      followUpAttachmentsById: new Map(),
      autocompleteOption: extra.autocompleteOption ?? null,
      events: new EventEmitter(),
    };
    state.events.setMaxListeners(50);
    // Registered before dispatch so a fast reply always finds its interaction.
    this.byId.set(id, state);
    this.byToken.set(token, state);
    state.dispatchedAt = Date.now();
    try {
      this.host.dispatch(shard, 'INTERACTION_CREATE', payload);
    } catch (error) {
      this.byId.delete(id);
      this.byToken.delete(token);
      throw error;
    }
    return state;
  }
}
