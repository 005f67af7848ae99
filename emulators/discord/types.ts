// The emulator's public types: its options, the records it keeps, and the shapes tests pass and read.
import type { UploadedFile } from './multipart.js';
import type { MemberRequest } from './member-request.js';
import type { PresencePayload } from './presence.js';

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface DiscordEmulatorOptions {
  token?: string;
  /** Defaults to botUserId, or a fixed snowflake (modern apps share the id with their bot user). */
  applicationId?: string;
  botUserId?: string;
  botUsername?: string;
  /** Guild ids (real snowflakes). Default: one guild per shard, see guildIdForShard(). */
  guildIds?: string[];
  shardCount?: number;
  heartbeatIntervalMs?: number;
  /** session_start_limit.max_concurrency advertised by GET /gateway/bot (default 1: discord.js waits 5 s between identifies of the same bucket). */
  maxConcurrency?: number;
  /** Time allowed for the first interaction callback (default 3000 ms, like Discord). */
  interactionDeadlineMs?: number;
  /** Interaction token lifetime for webhook edits/follow-ups (default 15 min). */
  interactionTokenTtlMs?: number;
  /** Intent bits refused with close 4014 (e.g. privileged intents not enabled in the portal). Default 0. */
  disallowedIntents?: number;
  /** 'realistic': each GUILD_CREATE also has a category, 3 text channels in it and 2 roles (one the bot's managed role). Default 'minimal'. */
  guildShape?: 'minimal' | 'realistic';
  /** POST /channels/{id}/messages limit per channel (Discord: 5 per 5 s). Tests may shorten the window. */
  channelRateLimit?: { messages: number; windowMs: number };
  /** Discord's global REST limit for the bot (default 50 requests per second; interaction responses excepted); null: off. */
  globalRateLimit?: { requests: number; windowMs: number } | null;
  /** Largest accepted upload per file (default 10 MiB, Discord's default for bots); larger → 413 / 40005. */
  maxUploadBytes?: number;
}

/** Gateway intent bits the emulator acts on. */
export const Intents = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildPresences: 1 << 8,
} as const;

/** An uploaded file kept on a message (interaction reply, follow-up, channel post) with its bytes. */
export interface StoredAttachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  description?: string;
  data: Buffer;
}

export interface MemberOptions {
  id: string;
  username: string;
  globalName?: string | null;
  nick?: string | null;
  roles?: string[];
  /** ISO date; default a day ago. */
  joinedAt?: string;
  /** member permissions string sent in interactions from this member (default: @everyone's). */
  permissions?: string;
}

export interface ChannelOptions {
  id?: string;
  name: string;
  /** What the bot may do in this channel (permission bits); default: view, send, embed links, attach files, … */
  botPermissions?: bigint | string;
}

export interface EmbedPayload {
  title?: string;
  description?: string;
  url?: string;
  color?: number;
  timestamp?: string;
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
  footer?: { text: string; icon_url?: string };
  author?: { name: string; url?: string; icon_url?: string };
  thumbnail?: { url: string };
  image?: { url: string };
  [key: string]: unknown;
}

export interface ComponentPayload {
  type: number;
  components?: ComponentPayload[];
  custom_id?: string;
  label?: string;
  style?: number;
  url?: string;
  disabled?: boolean;
  [key: string]: unknown;
}

/** A message body as the bot sent it (callback data, webhook edit/follow-up body, channel message body). */
export interface MessagePayload {
  content?: string;
  embeds?: EmbedPayload[];
  components?: ComponentPayload[];
  flags?: number;
  /** Modal (callback type 9) fields. */
  custom_id?: string;
  title?: string;
  [key: string]: unknown;
}

export interface InteractionCallbackRecord {
  type: number;
  data?: MessagePayload;
  at: number;
  files: UploadedFile[];
  /** Attachments of the resulting message (type 4/7), with their bytes. */
  attachments: StoredAttachment[];
}

export interface InteractionHandle {
  readonly id: string;
  readonly token: string;
  readonly shard: number;
  /** The INTERACTION_CREATE payload as dispatched. */
  readonly payload: JsonObject;
  /** resolves with the first callback POST /interactions/:id/:token/callback body {type, data} */
  response(timeoutMs?: number): Promise<InteractionCallbackRecord>;
  /** for type 4/7 the callback data; for 5/6 the body of the next PATCH .../messages/@original */
  finalMessage(timeoutMs?: number): Promise<MessagePayload>;
  /** resolves with followUps[index] once it exists */
  followUp(index?: number, timeoutMs?: number): Promise<MessagePayload>;
  readonly edits: MessagePayload[];
  readonly followUps: MessagePayload[];
  readonly dispatchedAt: number;
  /** The current state of the original response message (null before any callback or after DELETE). */
  readonly originalMessage: JsonObject | null;
  /** The original response's current attachments with their bytes (replaced by edits that send files or `attachments`). */
  readonly originalAttachments: StoredAttachment[];
  /** Attachments of each follow-up, by follow-up index. */
  readonly followUpAttachments: StoredAttachment[][];
}

export interface RestLogEntry {
  method: string;
  /** path without the /api/v10 prefix and without the query string */
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  at: number;
  files: UploadedFile[];
}

export interface RestFault {
  status: number;
  body?: unknown;
  /** seconds (Discord's unit); default 0.05 for 429 */
  retryAfter?: number;
}

export interface IdentifyRecord {
  shard: [number, number];
  intents: number;
  presence?: PresencePayload;
  sessionId: string;
  at: number;
}

export interface ResumeRecord {
  session_id: string;
  seq: number;
  shard: number;
  replayed: number;
  at: number;
}

/** Who sends an interaction, and from where. */
export interface InteractionOrigin {
  /** undefined → the first emulated guild; null → a user-install interaction outside a guild (DM). */
  guildId?: string | null;
  userId?: string;
  username?: string;
  locale?: string;
  /** 0 guild, 1 bot DM, 2 private channel. Default: 0 in a guild, 2 outside. */
  context?: 0 | 1 | 2;
  /** 'user' → authorizing_integration_owners {"1": userId} even in a guild. Default: 'guild' in a guild, 'user' outside. */
  install?: 'guild' | 'user';
  /** member permissions string (guild only); default: the member's (addMember) or @everyone's */
  memberPermissions?: string;
  /** A channel added with addChannel (default: the guild's "general" channel). */
  channelId?: string;
  /** app_permissions; default: the bot's permissions in the channel. */
  appPermissions?: string;
}

export interface SlashCommandOptions extends InteractionOrigin {
  name: string;
  options?: Array<{ name: string; type: number; value: string | number | boolean }>;
  subcommand?: string;
  subcommandGroup?: string;
}

/** An APPLICATION_COMMAND_AUTOCOMPLETE interaction: what the user has typed so far, one option focused. */
export interface AutocompleteOptions extends InteractionOrigin {
  name: string;
  /** Exactly one has `focused: true`: the option being typed, which the command registered with `autocomplete: true`. */
  options: Array<{ name: string; type: number; value: string | number | boolean; focused?: boolean }>;
  subcommand?: string;
  subcommandGroup?: string;
}

/** One suggestion of an autocomplete answer (callback type 8). */
export interface AutocompleteChoice {
  name: string;
  value: string | number;
  name_localizations?: Record<string, string> | null;
}

export interface AutocompleteHandle {
  readonly id: string;
  readonly token: string;
  readonly shard: number;
  /** The INTERACTION_CREATE payload as dispatched. */
  readonly payload: JsonObject;
  readonly dispatchedAt: number;
  /** resolves with the callback the bot sent (type 8 when it answered as Discord accepts) */
  response(timeoutMs?: number): Promise<InteractionCallbackRecord>;
  /** resolves with the choices of the accepted type 8 answer */
  choices(timeoutMs?: number): Promise<AutocompleteChoice[]>;
}

export interface ButtonOptions extends InteractionOrigin {
  customId: string;
  message: { id: string; content?: string; embeds?: unknown[]; components?: unknown[]; flags?: number };
}

export interface ModalSubmitOptions extends InteractionOrigin {
  customId: string;
  fields: Record<string, string>;
  message?: { id: string; content?: string; embeds?: unknown[]; components?: unknown[] };
}

export interface DirectMessageRecord {
  userId: string;
  channelId: string;
  body: MessagePayload;
  at: number;
  files: UploadedFile[];
}

export interface ChannelMessageRecord {
  id: string;
  channelId: string;
  guildId: string;
  /** The body of the POST (after validation; embeds dropped without EMBED_LINKS, like Discord). */
  body: MessagePayload;
  at: number;
  files: UploadedFile[];
  /** The message's current attachments, with their bytes. */
  attachments: StoredAttachment[];
  /** Bodies of later PATCHes, in order. */
  edits: MessagePayload[];
  /** The message as Discord would return it now. */
  message: JsonObject;
}


export interface MemberRequestRecord {
  shard: number;
  request: MemberRequest;
  /** Whether a GUILD_MEMBERS_CHUNK was sent back. */
  answered: boolean;
  at: number;
}
