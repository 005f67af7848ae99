/**
 * A loopback Discord emulator: HTTP REST (`/api/v10/...`) and a WebSocket gateway on 127.0.0.1.
 *
 * The real discord.js Client connects to it with
 *   new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emulator.apiUrl } })
 *   await client.login(emulator.token)
 *
 * discord.js learns the gateway URL from GET /gateway/bot, speaks uncompressed JSON text frames
 * (no zlib-sync installed), and resumes against READY.resume_gateway_url.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { apiError, FormErrors, HttpError, invalidFormBody } from './discord/http-error.js';
import { jsonBody, parseMultipart, type ParsedBody, type UploadedFile } from './discord/multipart.js';
import {
  parseBotPresence,
  spotifyActivity,
  type MemberPresence,
  type PresenceActivity,
  type PresencePayload,
  type PresenceStatus,
  type SpotifyActivityOptions,
} from './discord/presence.js';
import { parseMemberRequest, type MemberRequest } from './discord/member-request.js';
import { loadSpec, validateBody, type BodyKind } from './discord/validation.js';

export { FormErrors, spotifyActivity };
export type { MemberPresence, PresenceActivity, PresencePayload, PresenceStatus, SpotifyActivityOptions, UploadedFile };

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Snowflakes
// ---------------------------------------------------------------------------------------------

const DISCORD_EPOCH = 1420070400000n;
let snowflakeIncrement = 0n;

/** A real-looking snowflake for `timestamp` (ms since the Unix epoch). */
export function snowflake(timestamp: number = Date.now()): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return (((BigInt(timestamp) - DISCORD_EPOCH) << 22n) | (1n << 17n) | snowflakeIncrement).toString();
}

/** shard_id = (guild_id >> 22) % shardCount; DMs (no guild) go to shard 0. */
export function shardForGuild(guildId: string | null | undefined, shardCount: number): number {
  if (!guildId) return 0;
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** A deterministic guild snowflake that lands on `shardId` of `shardCount`; vary `seed` for distinct ids. */
export function guildIdForShard(shardId: number, shardCount: number, seed = 0): string {
  if (shardId < 0 || shardId >= shardCount) throw new RangeError(`shard ${shardId} is not in 0..${shardCount - 1}`);
  // 2021-06-01T00:00:00Z, spaced by a second per seed.
  const base = 1622505600000n - DISCORD_EPOCH + BigInt(seed) * 1000n * BigInt(shardCount);
  const count = BigInt(shardCount);
  const t = base - (base % count) + BigInt(shardId);
  return ((t << 22n) | (2n << 17n) | BigInt(seed & 0xfff)).toString();
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asMessagePayload(value: unknown): MessagePayload {
  return isRecord(value) ? (value as MessagePayload) : {};
}

function toJson(value: unknown): JsonValue {
  // Values come from JSON.parse or are built here; a round trip drops undefined and guarantees JSON.
  return JSON.parse(JSON.stringify(value ?? null)) as JsonValue;
}

function toJsonObject(value: unknown): JsonObject {
  const json = toJson(value);
  return isRecord(json) ? (json as JsonObject) : {};
}

const DEFAULT_APP_ID = '1150000000000000001';
const DEFAULT_USER_ID = '1150000000000000777';

// Permission bits (discord-api-types PermissionFlagsBits), kept local to avoid importing transitive deps.
const P = {
  CreateInstantInvite: 1n << 0n,
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  UseExternalEmojis: 1n << 18n,
  ChangeNickname: 1n << 26n,
  UseApplicationCommands: 1n << 31n,
  SendMessagesInThreads: 1n << 38n,
};
const EVERYONE_BITS = Object.values(P).reduce((a, b) => a | b, 0n);
const EVERYONE_PERMISSIONS = EVERYONE_BITS.toString();

export interface MemberRequestRecord {
  shard: number;
  request: MemberRequest;
  /** Whether a GUILD_MEMBERS_CHUNK was sent back. */
  answered: boolean;
  at: number;
}

interface MemberState {
  user: JsonObject;
  nick: string | null;
  roles: string[];
  joinedAt: string;
  permissions: string | null;
}

interface ChannelState {
  id: string;
  guildId: string;
  name: string;
  position: number;
  botPermissions: bigint;
  deleted: boolean;
}

/** Per-message attachment bookkeeping for messages the emulator keeps (original responses, follow-ups, channel posts). */
type AttachmentStore = Map<string, StoredAttachment[]>;

interface FaultRule {
  method: string | undefined;
  path: RegExp;
  fault: RestFault;
  remaining: number;
}

interface GatewayConnection {
  socket: WebSocket;
  session: Session | null;
  acked: boolean;
  /** Called (and dropped) on the next heartbeat this connection sends. */
  heartbeatWaiters: Array<() => void>;
}

interface DispatchFrame {
  op: 0;
  t: string;
  s: number;
  d: unknown;
}

interface Session {
  id: string;
  shard: number;
  shardCount: number;
  seq: number;
  buffer: DispatchFrame[];
  connection: GatewayConnection | null;
  presence: PresencePayload | null;
  valid: boolean;
  intents: number;
  /** Users this session has seen in full (GUILD_CREATE members, earlier events): later events carry only their id. */
  knownUsers: Set<string>;
}

interface InteractionState {
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
  events: EventEmitter;
}

interface StoredCommand {
  [key: string]: JsonValue;
}

interface RouteContext {
  method: string;
  path: string;
  params: string[];
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
  filesById: Map<string, UploadedFile>;
  req: IncomingMessage;
  /** When the request arrived (before its body was read and the schemas were awaited). */
  receivedAt: number;
}

interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type RouteHandler = (ctx: RouteContext) => RouteResult;

/** Discord refuses a message with nothing to show (no content, embeds, components, poll, stickers or files). */
function checkNotEmpty(body: MessagePayload, hasFiles: boolean): void {
  const hasContent = typeof body.content === 'string' && body.content.length > 0;
  const hasEmbeds = Array.isArray(body.embeds) && body.embeds.length > 0;
  const hasComponents = Array.isArray(body.components) && body.components.length > 0;
  const hasOther = body.poll != null || (Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0);
  if (!hasContent && !hasEmbeds && !hasComponents && !hasOther && !hasFiles) {
    throw apiError(400, 50006, 'Cannot send an empty message');
  }
}

/** Throws 400 / 50035 with Discord's errors tree when `body` is not a valid `kind` body. */
function validate(kind: BodyKind, body: unknown): void {
  validateBody(kind, body).throwIfAny();
}

const EMBED_URL_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['image', 'url'],
  ['thumbnail', 'url'],
  ['author', 'icon_url'],
  ['footer', 'icon_url'],
];

// ---------------------------------------------------------------------------------------------
// The emulator
// ---------------------------------------------------------------------------------------------

export class DiscordEmulator extends EventEmitter {
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  readonly botUsername: string;
  readonly guildIds: string[];
  readonly guildShape: 'minimal' | 'realistic';
  readonly shardCount: number;
  heartbeatIntervalMs: number;
  readonly maxConcurrency: number;
  interactionDeadlineMs: number;
  interactionTokenTtlMs: number;
  disallowedIntents: number;

  readonly apiUrl: string;
  readonly gatewayUrl: string;

  // gateway records
  readonly identifies: IdentifyRecord[] = [];
  readonly resumes: ResumeRecord[] = [];
  readonly presenceUpdates: Array<{ shard: number; at: number; payload: PresencePayload }> = [];
  readonly heartbeats: Array<{ shard: number | null; seq: number | null; at: number }> = [];
  readonly closes: Array<{ shard: number | null; code: number; at: number }> = [];
  /** op 3 / IDENTIFY presences refused (the connection was closed with 4001), with the reason. */
  readonly refusedPresences: Array<{ shard: number | null; reason: string; at: number }> = [];
  /** op 8 Request Guild Members received (valid ones), and whether a GUILD_MEMBERS_CHUNK answered it. */
  readonly memberRequests: MemberRequestRecord[] = [];
  /** op 8 payloads refused (the connection was closed with 4001), with the reason. */
  readonly refusedMemberRequests: Array<{ shard: number; reason: string; at: number }> = [];
  /**
   * false: op 8 requests are recorded but never answered, as during a Discord incident (the gateway stays up, no
   * GUILD_MEMBERS_CHUNK comes). Default true.
   */
  answerMemberRequests = true;

  // REST records
  readonly restLog: RestLogEntry[] = [];
  readonly unknownRoutes: RestLogEntry[] = [];
  readonly directMessages: DirectMessageRecord[] = [];
  /** Requests answered 400 (bad form body, empty message, …) or 413, with the error Discord would give. */
  readonly refusedBodies: Array<{ method: string; path: string; body: unknown; status: number; error: unknown; at: number }> = [];
  /** Member presences dispatched (PRESENCE_UPDATE) or withheld for want of the intent. */
  readonly memberPresenceLog: Array<{ guildId: string; userId: string; presence: MemberPresence; dispatchedTo: number | null; at: number }> = [];
  readonly channelRateLimit: { messages: number; windowMs: number };
  readonly maxUploadBytes: number;

  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<Socket>();
  private readonly connections = new Set<GatewayConnection>();
  private readonly sessions = new Map<string, Session>();
  private readonly liveSessions = new Map<number, Session>();
  private readonly faults: FaultRule[] = [];
  private readonly commandSets = new Map<string, StoredCommand[]>();
  private readonly interactions = new Map<string, InteractionState>();
  private readonly interactionsByToken = new Map<string, InteractionState>();
  private readonly dmChannels = new Map<string, string>(); // channelId → userId
  private readonly users = new Map<string, JsonObject>();
  /** guildId → userId → member */
  private readonly members = new Map<string, Map<string, MemberState>>();
  /** guildId → userId → presence (offline members have none) */
  private readonly presences = new Map<string, Map<string, MemberPresence>>();
  private readonly channels = new Map<string, ChannelState>();
  private readonly channelPosts: ChannelMessageRecord[] = [];
  /** channelId → timestamps of accepted POSTs in the current window */
  private readonly channelBuckets = new Map<string, number[]>();
  private readonly routes: Array<{ method: string; pattern: RegExp; handler: RouteHandler }> = [];
  private ackHeartbeats = true;
  private closed = false;

  private constructor(server: Server, wss: WebSocketServer, port: number, opts: DiscordEmulatorOptions) {
    super();
    this.server = server;
    this.wss = wss;
    this.token = opts.token ?? 'test-bot-token';
    this.botUserId = opts.botUserId ?? opts.applicationId ?? DEFAULT_APP_ID;
    this.applicationId = opts.applicationId ?? this.botUserId;
    this.botUsername = opts.botUsername ?? 'nowplaying-bot';
    this.shardCount = opts.shardCount ?? 1;
    if (!Number.isInteger(this.shardCount) || this.shardCount < 1) throw new RangeError('shardCount must be ≥ 1');
    this.guildIds = opts.guildIds ?? Array.from({ length: this.shardCount }, (_, i) => guildIdForShard(i, this.shardCount, 1));
    for (const id of this.guildIds) {
      if (!/^\d{17,20}$/.test(id)) throw new TypeError(`guild id ${id} is not a snowflake`);
    }
    this.heartbeatIntervalMs = opts.heartbeatIntervalMs ?? 41250;
    this.maxConcurrency = opts.maxConcurrency ?? 1;
    this.interactionDeadlineMs = opts.interactionDeadlineMs ?? 3000;
    this.interactionTokenTtlMs = opts.interactionTokenTtlMs ?? 15 * 60 * 1000;
    this.disallowedIntents = opts.disallowedIntents ?? 0;
    this.guildShape = opts.guildShape ?? 'minimal';
    this.channelRateLimit = opts.channelRateLimit ?? { messages: 5, windowMs: 5000 };
    this.maxUploadBytes = opts.maxUploadBytes ?? 10 * 1024 * 1024;
    for (const guildId of this.guildIds) {
      const id = this.guildChannelId(guildId);
      this.channels.set(id, { id, guildId, name: 'general', position: 0, botPermissions: EVERYONE_BITS, deleted: false });
    }
    this.apiUrl = `http://127.0.0.1:${port}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${port}/gateway`;
    this.setMaxListeners(100);
    this.registerRoutes();
  }

  static async start(opts: DiscordEmulatorOptions = {}): Promise<DiscordEmulator> {
    const server = createServer();
    const wss = new WebSocketServer({ noServer: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const emulator = new DiscordEmulator(server, wss, port, opts);
    emulator.attach();
    // Discord's schemas load in the background (once per process); the first request with a body awaits them.
    void loadSpec().catch(() => undefined);
    return emulator;
  }

  private attach(): void {
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('request', (req, res) => {
      this.handleHttp(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.send(res, { status: 500, body: { message: String(error), code: 0 } });
      });
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (this.closed || !url.pathname.startsWith('/gateway')) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onGatewayConnection(ws, url));
    });
  }

  /** Terminates every socket and stops the server. Never hangs. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const conn of this.connections) conn.socket.terminate();
    this.connections.clear();
    for (const state of this.interactions.values()) state.events.removeAllListeners();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      timer.unref();
      this.wss.close(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      timer.unref();
      this.server.close(() => {
        clearTimeout(timer);
        resolve();
      });
      this.server.closeAllConnections();
      for (const socket of this.sockets) socket.destroy();
    });
    this.removeAllListeners();
  }

  // -------------------------------------------------------------------------------------------
  // Generic helpers for tests
  // -------------------------------------------------------------------------------------------

  /** Resolves with the next `event` whose first argument satisfies `predicate`. */
  waitFor<T>(event: string, predicate?: (x: T) => boolean, timeoutMs = 5000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const listener = (x: T): void => {
        let ok: boolean;
        try {
          ok = predicate ? predicate(x) : true;
        } catch (error) {
          cleanup();
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (!ok) return;
        cleanup();
        resolve(x);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `DiscordEmulator.waitFor('${event}'${predicate ? ', predicate' : ''}) timed out after ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.off(event, listener);
      };
      this.on(event, listener);
    });
  }

  /** Registers a user (so GET /users/:id and interactions use this name). */
  addUser(user: { id: string; username: string; globalName?: string | null }): void {
    this.users.set(user.id, this.userObject(user.id, user.username, user.globalName ?? null));
  }

  // -------------------------------------------------------------------------------------------
  // Members, presences, channels
  // -------------------------------------------------------------------------------------------

  /**
   * Adds a member to an emulated guild (and registers the user). A connected shard that identified with GUILD_MEMBERS
   * gets GUILD_MEMBER_ADD, as on Discord; without that intent the bot is not told.
   */
  addMember(guildId: string, member: MemberOptions): void {
    this.requireGuild(guildId);
    this.addUser({ id: member.id, username: member.username, globalName: member.globalName ?? null });
    const user = this.userObject(member.id);
    const state: MemberState = {
      user,
      nick: member.nick ?? null,
      roles: member.roles ?? [],
      joinedAt: member.joinedAt ?? new Date(Date.now() - 86_400_000).toISOString(),
      permissions: member.permissions ?? null,
    };
    let guildMembers = this.members.get(guildId);
    if (!guildMembers) this.members.set(guildId, (guildMembers = new Map()));
    guildMembers.set(member.id, state);
    const session = this.guildSession(guildId);
    if (session && (session.intents & Intents.GuildMembers) !== 0) {
      session.knownUsers.add(member.id);
      this.sendDispatch(session, 'GUILD_MEMBER_ADD', { ...this.memberObject(state), guild_id: guildId });
    }
  }

  /**
   * Removes a member (and their presence). GUILD_MEMBER_REMOVE goes only to a shard that identified with GUILD_MEMBERS
   * (1 << 1), as on Discord: without it the bot is not told and keeps whatever it cached (a member, a last presence).
   * Returns whether the event was dispatched.
   */
  removeMember(guildId: string, userId: string): boolean {
    const guildMembers = this.members.get(guildId);
    if (!guildMembers?.has(userId)) throw new Error(`DiscordEmulator.removeMember: ${userId} is not a member of guild ${guildId}`);
    guildMembers.delete(userId);
    this.presences.get(guildId)?.delete(userId);
    const session = this.guildSession(guildId);
    if (!session || (session.intents & Intents.GuildMembers) === 0) return false;
    this.sendDispatch(session, 'GUILD_MEMBER_REMOVE', { guild_id: guildId, user: this.userObject(userId) });
    return true;
  }

  /**
   * Sets a member's presence. PRESENCE_UPDATE `{user, guild_id, status, activities, client_status}` goes to the shard
   * holding the guild only when that connection identified with GUILD_PRESENCES (1 << 8); returns whether it was sent.
   * A Spotify activity without a party id (spotifyActivity() without userId) gets "spotify:<userId>".
   */
  setPresence(guildId: string, userId: string, presence: { status: PresenceStatus; activities?: Array<Record<string, unknown>> }): boolean {
    if (!this.members.get(guildId)?.has(userId)) {
      throw new Error(`DiscordEmulator.setPresence: ${userId} is not a member of guild ${guildId} (addMember first)`);
    }
    const activities = presence.status === 'offline' ? [] : (presence.activities ?? []).map((a) => this.withParty(a, userId));
    const stored: MemberPresence = { status: presence.status, activities };
    let guildPresences = this.presences.get(guildId);
    if (!guildPresences) this.presences.set(guildId, (guildPresences = new Map()));
    if (presence.status === 'offline') guildPresences.delete(userId);
    else guildPresences.set(userId, stored);
    const session = this.guildSession(guildId);
    const send = session !== null && (session.intents & Intents.GuildPresences) !== 0;
    this.memberPresenceLog.push({ guildId, userId, presence: stored, dispatchedTo: send && session ? session.shard : null, at: Date.now() });
    if (!send || !session) return false;
    const user: JsonObject = session.knownUsers.has(userId) ? { id: userId } : this.userObject(userId);
    session.knownUsers.add(userId);
    this.sendDispatch(session, 'PRESENCE_UPDATE', { user, guild_id: guildId, ...this.presenceFields(stored) });
    return true;
  }

  /** A guild text channel; returns its id. CHANNEL_CREATE goes to the guild's shard when it is connected. */
  addChannel(guildId: string, channel: ChannelOptions): string {
    this.requireGuild(guildId);
    const id = channel.id ?? snowflake();
    if (this.channels.has(id) || this.dmChannels.has(id)) throw new Error(`DiscordEmulator.addChannel: channel ${id} already exists`);
    const perms = channel.botPermissions === undefined ? EVERYONE_BITS : BigInt(channel.botPermissions);
    const position = [...this.channels.values()].filter((c) => c.guildId === guildId).length;
    const state: ChannelState = { id, guildId, name: channel.name, position, botPermissions: perms, deleted: false };
    this.channels.set(id, state);
    const session = this.guildSession(guildId);
    if (session) this.sendDispatch(session, 'CHANNEL_CREATE', this.channelObject(state));
    return id;
  }

  /** Deletes a guild channel: later posts there answer 404 / 10003; CHANNEL_DELETE goes to the guild's shard. */
  deleteChannel(channelId: string): void {
    const state = this.channels.get(channelId);
    if (!state || state.deleted) throw new Error(`DiscordEmulator.deleteChannel: unknown channel ${channelId}`);
    state.deleted = true;
    const session = this.guildSession(state.guildId);
    if (session) this.sendDispatch(session, 'CHANNEL_DELETE', this.channelObject(state));
  }

  /** Messages the bot posted to guild channels (all channels, or one), with their edits and attachments. */
  channelMessages(channelId?: string): ChannelMessageRecord[] {
    return this.channelPosts.filter((m) => channelId === undefined || m.channelId === channelId);
  }

  /** The intents the shard's current session identified with (null when it has none). */
  identifiedIntents(shard = 0): number | null {
    return this.liveSessions.get(shard)?.intents ?? null;
  }

  private requireGuild(guildId: string): void {
    if (!this.guildIds.includes(guildId)) throw new Error(`DiscordEmulator: ${guildId} is not an emulated guild (${this.guildIds.join(', ')})`);
  }

  /** The valid session of the shard holding `guildId`, if that shard is identified. */
  private guildSession(guildId: string): Session | null {
    const session = this.liveSessions.get(shardForGuild(guildId, this.shardCount));
    return session && session.valid ? session : null;
  }

  private withParty(activity: Record<string, unknown>, userId: string): Record<string, unknown> {
    const party = activity.party;
    if (activity.id === 'spotify:1' && isRecord(party) && party.id === 'spotify:') {
      return { ...activity, party: { ...party, id: `spotify:${userId}` } };
    }
    return activity;
  }

  private presenceFields(presence: MemberPresence): JsonObject {
    return toJsonObject({
      status: presence.status,
      activities: presence.activities,
      client_status: presence.status === 'offline' || presence.status === 'invisible' ? {} : { desktop: presence.status },
    });
  }

  private memberObject(member: MemberState): JsonObject {
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

  // -------------------------------------------------------------------------------------------
  // Gateway
  // -------------------------------------------------------------------------------------------

  currentPresence(shard = 0): PresencePayload | null {
    const session = this.liveSessions.get(shard);
    if (!session || !session.valid) return null;
    return session.presence;
  }

  connectedShards(): number[] {
    const shards = new Set<number>();
    for (const conn of this.connections) {
      if (conn.session && conn.socket.readyState === WebSocket.OPEN) shards.add(conn.session.shard);
    }
    return [...shards].sort((a, b) => a - b);
  }

  /** Session id of the shard's live session, if any. */
  sessionId(shard = 0): string | null {
    return this.liveSessions.get(shard)?.id ?? null;
  }

  /** op 7 RECONNECT: the client closes (4200) and RESUMEs on a new socket. */
  sendReconnect(shard = 0): void {
    this.liveConnection(shard).socket.send(JSON.stringify({ op: 7, d: null }));
  }

  /** op 9 INVALID_SESSION. resumable=false kills the session: the client re-IDENTIFYs. */
  invalidateSession(resumable: boolean, shard = 0): void {
    const conn = this.liveConnection(shard);
    if (!resumable && conn.session) conn.session.valid = false;
    conn.socket.send(JSON.stringify({ op: 9, d: resumable }));
  }

  /** Closes the shard's socket: no code → abrupt terminate (client sees 1006 and resumes); else close(code). */
  dropConnection(shard = 0, code?: number): void {
    const conn = this.liveConnection(shard);
    if (code === undefined) conn.socket.terminate();
    else conn.socket.close(code);
  }

  /**
   * Resolves once every gateway frame the client had sent on this shard before the call has been received (so a
   * test can read `currentPresence()` after a tick without racing the client's op 3). It asks for a heartbeat (op 1,
   * as Discord may) and waits for it: frames on one socket arrive in order. Two rounds, because a periodic heartbeat
   * written just before the frames in question may still be unread and would answer the first.
   */
  async gatewayBarrier(shard = 0, timeoutMs = 5000): Promise<void> {
    for (let round = 0; round < 2; round++) {
      const conn = this.liveConnection(shard);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          conn.heartbeatWaiters = conn.heartbeatWaiters.filter((w) => w !== waiter);
          reject(new Error(`DiscordEmulator.gatewayBarrier: shard ${shard} sent no heartbeat within ${timeoutMs} ms of op 1`));
        }, timeoutMs);
        const waiter = (): void => {
          clearTimeout(timer);
          resolve();
        };
        conn.heartbeatWaiters.push(waiter);
        conn.socket.send(JSON.stringify({ op: 1, d: null }));
      });
    }
  }

  /** Stop (or resume) answering heartbeats with op 11, to provoke zombie-connection handling. */
  setHeartbeatAcks(enabled: boolean): void {
    this.ackHeartbeats = enabled;
  }

  /** Sends any dispatch on a shard's live session (buffered for replay if the socket is down). */
  dispatch(shard: number, t: string, d: unknown): number {
    if (this.closed) throw new Error('DiscordEmulator: already closed');
    const session = this.liveSessions.get(shard);
    if (!session || !session.valid) {
      throw new Error(
        `DiscordEmulator: shard ${shard} has no valid gateway session (connected shards: [${this.connectedShards().join(', ')}]); wait for the client to be ready first`,
      );
    }
    return this.sendDispatch(session, t, d);
  }

  private liveConnection(shard: number): GatewayConnection {
    const session = this.liveSessions.get(shard);
    const conn = session?.connection;
    if (!session || !conn || conn.socket.readyState !== WebSocket.OPEN) {
      throw new Error(`DiscordEmulator: shard ${shard} is not connected (connected: [${this.connectedShards().join(', ')}])`);
    }
    return conn;
  }

  private sendDispatch(session: Session, t: string, d: unknown): number {
    session.seq += 1;
    const frame: DispatchFrame = { op: 0, t, s: session.seq, d };
    session.buffer.push(frame);
    if (session.buffer.length > 1000) session.buffer.shift();
    const conn = session.connection;
    if (conn && conn.socket.readyState === WebSocket.OPEN) conn.socket.send(JSON.stringify(frame));
    return session.seq;
  }

  private onGatewayConnection(socket: WebSocket, url: URL): void {
    const conn: GatewayConnection = { socket, session: null, acked: true, heartbeatWaiters: [] };
    this.connections.add(conn);
    this.emit('connection', { url: url.toString() });
    socket.on('error', () => undefined);
    socket.on('close', (code: number) => {
      this.connections.delete(conn);
      const shard = conn.session?.shard ?? null;
      if (conn.session && conn.session.connection === conn) conn.session.connection = null;
      this.closes.push({ shard, code, at: Date.now() });
      this.emit('disconnect', { shard, code });
    });
    if (url.searchParams.get('v') !== '10') {
      socket.close(4012, 'Invalid API version');
      return;
    }
    const encoding = url.searchParams.get('encoding');
    if (encoding !== null && encoding !== 'json') {
      socket.close(4002, 'Decode error (emulator speaks json only)');
      return;
    }
    if (url.searchParams.has('compress')) {
      socket.close(4002, 'Decode error (emulator does not support transport compression)');
      return;
    }
    socket.on('message', (data: RawData, isBinary: boolean) => this.onGatewayMessage(conn, data, isBinary));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs }, s: null, t: null }));
  }

  private onGatewayMessage(conn: GatewayConnection, data: RawData, isBinary: boolean): void {
    if (isBinary) {
      conn.socket.close(4002, 'Decode error');
      return;
    }
    let frame: unknown;
    try {
      frame = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8'));
    } catch {
      conn.socket.close(4002, 'Decode error');
      return;
    }
    if (!isRecord(frame) || typeof frame.op !== 'number') {
      conn.socket.close(4002, 'Decode error');
      return;
    }
    const d = frame.d;
    switch (frame.op) {
      case 1: {
        this.heartbeats.push({ shard: conn.session?.shard ?? null, seq: typeof d === 'number' ? d : null, at: Date.now() });
        this.emit('heartbeat', { shard: conn.session?.shard ?? null, seq: d });
        if (this.ackHeartbeats) conn.socket.send(JSON.stringify({ op: 11, d: null }));
        for (const waiter of conn.heartbeatWaiters.splice(0)) waiter();
        return;
      }
      case 2:
        this.onIdentify(conn, d);
        return;
      case 6:
        this.onResume(conn, d);
        return;
      case 3: {
        if (!conn.session) {
          conn.socket.close(4003, 'Not authenticated');
          return;
        }
        const parsed = parseBotPresence(d);
        if (!parsed.ok) {
          // See parseBotPresence: Discord closes with 4001 for an invalid payload of a known opcode.
          this.refusePresence(conn, parsed.reason);
          return;
        }
        const payload = parsed.presence;
        conn.session.presence = payload;
        const record = { shard: conn.session.shard, at: Date.now(), payload };
        this.presenceUpdates.push(record);
        this.emit('presence', record);
        return;
      }
      case 8:
        if (!conn.session) {
          conn.socket.close(4003, 'Not authenticated');
          return;
        }
        this.onRequestGuildMembers(conn, conn.session, d);
        return;
      default:
        if (!conn.session) {
          conn.socket.close(4003, 'Not authenticated');
          return;
        }
        this.emit('gatewayOp', { shard: conn.session.shard, op: frame.op, d });
    }
  }

  /**
   * op 8 (emulators/discord/member-request.ts): answered on the requesting connection with one GUILD_MEMBERS_CHUNK
   * (≤ 100 ids fit one chunk of Discord's 1,000). A guild on another shard, or one the bot is not in, is not answered.
   * Query mode is checked but not emulated (recorded unanswered): the bot asks by user_ids only.
   */
  private onRequestGuildMembers(conn: GatewayConnection, session: Session, d: unknown): void {
    const parsed = parseMemberRequest(d);
    if (!parsed.ok) {
      const record = { shard: session.shard, reason: parsed.reason, at: Date.now() };
      this.refusedMemberRequests.push(record);
      this.emit('memberRequestRefused', record);
      conn.socket.close(4001, 'Unknown opcode.');
      return;
    }
    const request = parsed.request;
    const onThisShard =
      this.guildIds.includes(request.guildId) && shardForGuild(request.guildId, session.shardCount) === session.shard;
    const answered = this.answerMemberRequests && onThisShard && request.mode === 'user_ids';
    const record: MemberRequestRecord = { shard: session.shard, request, answered, at: Date.now() };
    this.memberRequests.push(record);
    if (answered && request.mode === 'user_ids') {
      const guildMembers = this.members.get(request.guildId);
      const found = request.userIds.flatMap((id) => {
        const member = guildMembers?.get(id);
        return member ? [member] : [];
      });
      const chunk: Record<string, unknown> = {
        guild_id: request.guildId,
        members: found.map((m) => this.memberObject(m)),
        chunk_index: 0,
        chunk_count: 1,
        not_found: request.userIds.filter((id) => !guildMembers?.has(id)),
      };
      if (request.presences && (session.intents & Intents.GuildPresences) !== 0) {
        const presences = this.presences.get(request.guildId);
        chunk.presences = found.flatMap((m) => {
          const id = String(m.user.id);
          const p = presences?.get(id);
          return p ? [{ user: { id }, guild_id: request.guildId, ...this.presenceFields(p) }] : [];
        });
      }
      if (request.nonce !== null) chunk.nonce = request.nonce;
      for (const m of found) session.knownUsers.add(String(m.user.id));
      this.sendDispatch(session, 'GUILD_MEMBERS_CHUNK', toJsonObject(chunk));
    }
    this.emit('memberRequest', record);
  }

  private refusePresence(conn: GatewayConnection, reason: string): void {
    const record = { shard: conn.session?.shard ?? null, reason, at: Date.now() };
    this.refusedPresences.push(record);
    this.emit('presenceRefused', record);
    conn.socket.close(4001, 'Unknown opcode.');
  }

  private onIdentify(conn: GatewayConnection, d: unknown): void {
    if (conn.session) {
      conn.socket.close(4005, 'Already authenticated');
      return;
    }
    if (!isRecord(d)) {
      conn.socket.close(4002, 'Decode error');
      return;
    }
    if (d.token !== this.token && d.token !== `Bot ${this.token}`) {
      conn.socket.close(4004, 'Authentication failed.');
      return;
    }
    const shardArr = Array.isArray(d.shard) ? d.shard : [0, 1];
    const shardId = Number(shardArr[0] ?? 0);
    const count = Number(shardArr[1] ?? 1);
    if (!Number.isInteger(shardId) || count !== this.shardCount || shardId < 0 || shardId >= count) {
      conn.socket.close(4010, `Invalid shard [${String(shardArr[0])}, ${String(shardArr[1])}] (emulator shardCount ${this.shardCount})`);
      return;
    }
    if (typeof d.intents !== 'number') {
      conn.socket.close(4013, 'Invalid intent(s).');
      return;
    }
    if ((d.intents & this.disallowedIntents) !== 0) {
      conn.socket.close(4014, 'Disallowed intent(s).');
      return;
    }
    let presence: PresencePayload | null = null;
    if (d.presence !== undefined && d.presence !== null) {
      const parsed = parseBotPresence(d.presence);
      if (!parsed.ok) {
        this.refusePresence(conn, `IDENTIFY presence: ${parsed.reason}`);
        return;
      }
      presence = parsed.presence;
    }
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      shard: shardId,
      shardCount: count,
      seq: 0,
      buffer: [],
      connection: conn,
      presence,
      valid: true,
      intents: d.intents,
      knownUsers: new Set([this.botUserId]),
    };
    conn.session = session;
    this.sessions.set(session.id, session);
    this.liveSessions.set(shardId, session);
    const record: IdentifyRecord = { shard: [shardId, count], intents: d.intents, sessionId: session.id, at: Date.now() };
    if (presence) record.presence = presence;
    this.identifies.push(record);
    this.emit('identify', record);

    const shardGuilds = this.guildIds.filter((g) => shardForGuild(g, count) === shardId);
    this.sendDispatch(session, 'READY', {
      v: 10,
      user_settings: {},
      user: this.botUser(),
      guilds: shardGuilds.map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.gatewayUrl,
      application: { id: this.applicationId, flags: 0 },
      shard: [shardId, count],
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      _trace: ['["discord-emulator",{"micros":0}]'],
    });
    for (const guildId of shardGuilds) this.sendDispatch(session, 'GUILD_CREATE', this.guildCreate(guildId, session));
    this.emit('ready', { shard: shardId, sessionId: session.id });
  }

  private onResume(conn: GatewayConnection, d: unknown): void {
    if (!isRecord(d)) {
      conn.socket.close(4002, 'Decode error');
      return;
    }
    if (d.token !== this.token && d.token !== `Bot ${this.token}`) {
      conn.socket.close(4004, 'Authentication failed.');
      return;
    }
    const sessionId = typeof d.session_id === 'string' ? d.session_id : '';
    const seq = typeof d.seq === 'number' ? d.seq : 0;
    const session = this.sessions.get(sessionId);
    if (!session || !session.valid || (conn.session && conn.session !== session)) {
      this.emit('resumeFailed', { session_id: sessionId, seq });
      conn.socket.send(JSON.stringify({ op: 9, d: false }));
      return;
    }
    if (seq > session.seq) {
      conn.socket.close(4007, 'Invalid seq');
      return;
    }
    const previous = session.connection;
    if (previous && previous !== conn && previous.socket.readyState === WebSocket.OPEN) {
      previous.socket.close(4009, 'Session resumed elsewhere');
    }
    session.connection = conn;
    conn.session = session;
    this.liveSessions.set(session.shard, session);
    const missed = session.buffer.filter((f) => f.s > seq);
    for (const frame of missed) conn.socket.send(JSON.stringify(frame));
    this.sendDispatch(session, 'RESUMED', { _trace: ['["discord-emulator",{"micros":0}]'] });
    const record: ResumeRecord = { session_id: sessionId, seq, shard: session.shard, replayed: missed.length, at: Date.now() };
    this.resumes.push(record);
    this.emit('resume', record);
  }

  // -------------------------------------------------------------------------------------------
  // Objects
  // -------------------------------------------------------------------------------------------

  private botUser(): JsonObject {
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

  private userObject(id: string, username?: string, globalName: string | null = null): JsonObject {
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

  private guildChannel(guildId: string): JsonObject {
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
  private channelObject(channel: ChannelState): JsonObject {
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
  private guildCreate(guildId: string, session: Session): JsonObject {
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

  private guildObject(guildId: string): JsonObject {
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
      preferred_locale: 'en-US',
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

  private dmChannelFor(userId: string): string {
    for (const [channelId, uid] of this.dmChannels) if (uid === userId) return channelId;
    const channelId = snowflake();
    this.dmChannels.set(channelId, userId);
    return channelId;
  }

  private dmChannelObject(channelId: string, userId: string): JsonObject {
    return { id: channelId, type: 1, last_message_id: null, flags: 0, recipients: [this.userObject(userId)] };
  }

  private messageObject(opts: {
    id: string;
    channelId: string;
    guildId: string | null;
    payload: MessagePayload;
    type?: number;
    interaction?: InteractionState;
    editedAt?: number | null;
    attachments?: StoredAttachment[];
  }): JsonObject {
    const p = opts.payload;
    const msg: Record<string, unknown> = {
      id: opts.id,
      channel_id: opts.channelId,
      type: opts.type ?? 0,
      content: typeof p.content === 'string' ? p.content : '',
      author: this.botUser(),
      embeds: Array.isArray(p.embeds) ? p.embeds : [],
      components: Array.isArray(p.components) ? p.components : [],
      attachments: opts.attachments
        ? opts.attachments.map((a) => this.attachmentJson(a, opts.channelId))
        : Array.isArray(p.attachments)
          ? p.attachments
          : [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: new Date().toISOString(),
      edited_timestamp: opts.editedAt ? new Date(opts.editedAt).toISOString() : null,
      flags: typeof p.flags === 'number' ? p.flags : 0,
    };
    if (opts.guildId) msg.guild_id = opts.guildId;
    if (opts.interaction) {
      const i = opts.interaction;
      msg.webhook_id = this.applicationId;
      msg.application_id = this.applicationId;
      msg.interaction_metadata = {
        id: i.id,
        type: i.type,
        user: i.user,
        authorizing_integration_owners: i.authorizingIntegrationOwners,
      };
    }
    return toJsonObject(msg);
  }

  // -------------------------------------------------------------------------------------------
  // Interactions
  // -------------------------------------------------------------------------------------------

  slashCommand(opts: SlashCommandOptions): InteractionHandle {
    const guildId = opts.guildId === undefined ? (this.guildIds[0] ?? null) : opts.guildId;
    const registered = this.findCommand(opts.name, guildId);
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
    // USER options (type 6) resolve like Discord's: resolved.users, and resolved.members in a guild for its members.
    const userOptionIds = (opts.options ?? []).filter((o) => o.type === 6).map((o) => String(o.value));
    if (userOptionIds.length > 0) {
      const users: JsonObject = {};
      const members: JsonObject = {};
      for (const id of userOptionIds) {
        if (!this.users.has(id) && id !== this.botUserId) {
          throw new Error(`DiscordEmulator.slashCommand: USER option ${id} is not a known user (addUser or addMember first)`);
        }
        users[id] = this.userObject(id);
        const member = guildId ? this.members.get(guildId)?.get(id) : undefined;
        if (member) {
          const { user: _user, ...partial } = this.memberObject(member);
          members[id] = { ...partial, permissions: member.permissions ?? EVERYONE_PERMISSIONS };
        }
      }
      data.resolved = Object.keys(members).length > 0 ? { users, members } : { users };
    }
    return this.createInteraction(2, data, opts);
  }

  pressButton(opts: ButtonOptions): InteractionHandle {
    return this.createInteraction(3, { custom_id: opts.customId, component_type: 2 }, opts, opts.message);
  }

  submitModal(opts: ModalSubmitOptions): InteractionHandle {
    const components: JsonValue[] = Object.entries(opts.fields).map(([customId, value]) => ({
      type: 1,
      components: [{ type: 4, custom_id: customId, value }],
    }));
    return this.createInteraction(5, { custom_id: opts.customId, components }, opts, opts.message);
  }

  private findCommand(name: string, guildId: string | null): StoredCommand | undefined {
    const scoped = guildId ? this.commandSets.get(guildId)?.find((c) => c.name === name) : undefined;
    return scoped ?? this.commandSets.get('global')?.find((c) => c.name === name);
  }

  private createInteraction(
    type: number,
    data: JsonObject,
    opts: InteractionOrigin,
    message?: { id: string; content?: string; embeds?: unknown[]; components?: unknown[]; flags?: number },
  ): InteractionHandle {
    const guildId = opts.guildId === undefined ? (this.guildIds[0] ?? null) : opts.guildId;
    const userId = opts.userId ?? DEFAULT_USER_ID;
    const user = this.userObject(userId, opts.username ?? (this.users.has(userId) ? undefined : 'tester'));
    if (opts.username) this.users.set(userId, user);
    const install = opts.install ?? (guildId ? 'guild' : 'user');
    const context = opts.context ?? (guildId ? 0 : 2);
    const authorizingIntegrationOwners: JsonObject =
      install === 'guild' && guildId ? { '0': guildId } : install === 'guild' ? { '0': '0' } : { '1': userId };
    let channelState: ChannelState | undefined;
    if (opts.channelId !== undefined) {
      channelState = this.channels.get(opts.channelId);
      if (!channelState || channelState.deleted || channelState.guildId !== guildId) {
        throw new Error(`DiscordEmulator: channel ${opts.channelId} is not a live channel of guild ${String(guildId)} (addChannel first)`);
      }
    }
    const channel: JsonObject = channelState
      ? this.channelObject(channelState)
      : guildId
        ? this.guildIds.includes(guildId)
          ? this.guildChannel(guildId)
          : { id: this.guildChannelId(guildId), type: 0, guild_id: guildId, name: 'general', permissions: EVERYONE_PERMISSIONS, flags: 0 }
        : { id: this.dmChannelFor(userId), type: 1, last_message_id: null, flags: 0, recipients: [user] };
    const member = guildId ? this.members.get(guildId)?.get(userId) : undefined;
    const appPermissions =
      opts.appPermissions ?? (guildId ? (this.channels.get(String(channel.id))?.botPermissions ?? EVERYONE_BITS).toString() : EVERYONE_PERMISSIONS);
    const id = snowflake();
    const token = `aW50ZXJhY3Rpb246${id}:${randomBytes(48).toString('base64url')}`;
    const payload: JsonObject = {
      id,
      application_id: this.applicationId,
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
      payload.guild_locale = 'en-US';
      payload.guild = { id: guildId, locale: 'en-US', features: [] };
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
      original = this.messageObject({
        id: message.id,
        channelId: String(channel.id),
        guildId,
        payload: asMessagePayload(toJson(message)),
      });
      payload.message = original;
    }
    const shard = shardForGuild(guildId, this.shardCount);
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
      events: new EventEmitter(),
    };
    state.events.setMaxListeners(50);
    // Registered before dispatch so a fast reply always finds its interaction.
    this.interactions.set(id, state);
    this.interactionsByToken.set(token, state);
    state.dispatchedAt = Date.now();
    try {
      this.dispatch(shard, 'INTERACTION_CREATE', payload);
    } catch (error) {
      this.interactions.delete(id);
      this.interactionsByToken.delete(token);
      throw error;
    }
    return this.handleFor(state);
  }

  private handleFor(state: InteractionState): InteractionHandle {
    const waitUntil = <T>(what: string, get: () => T | undefined, timeoutMs: number): Promise<T> => {
      const now = get();
      if (now !== undefined) return Promise.resolve(now);
      return new Promise<T>((resolve, reject) => {
        const check = (): void => {
          const value = get();
          if (value === undefined) return;
          cleanup();
          resolve(value);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `DiscordEmulator: interaction ${state.id} (${String(state.payload.type)}) — ${what} not received within ${timeoutMs} ms` +
                ` (callback: ${state.response ? `type ${state.response.type}` : 'none'}, edits: ${state.edits.length}, followUps: ${state.followUps.length})`,
            ),
          );
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          state.events.off('change', check);
        };
        state.events.on('change', check);
      });
    };
    return {
      id: state.id,
      token: state.token,
      shard: state.shard,
      payload: state.payload,
      dispatchedAt: state.dispatchedAt,
      edits: state.edits,
      followUps: state.followUps,
      get originalMessage() {
        return state.original;
      },
      get originalAttachments() {
        return state.originalAttachments;
      },
      followUpAttachments: state.followUpAttachments,
      response: (timeoutMs = 5000) => waitUntil('callback', () => state.response ?? undefined, timeoutMs),
      finalMessage: (timeoutMs = 5000) =>
        waitUntil(
          'final message',
          () => {
            const r = state.response;
            if (!r) return undefined;
            if (r.type === 4 || r.type === 7) return r.data ?? {};
            return state.edits[0];
          },
          timeoutMs,
        ),
      followUp: (index = 0, timeoutMs = 5000) => waitUntil(`follow-up #${index}`, () => state.followUps[index], timeoutMs),
    };
  }

  // -------------------------------------------------------------------------------------------
  // REST
  // -------------------------------------------------------------------------------------------

  /** The next `times` requests matching method+path (path without /api/v10) fail with `fault`. */
  failRest(match: { method?: string; path: RegExp }, fault: RestFault, times = 1): void {
    this.faults.push({ method: match.method?.toUpperCase(), path: match.path, fault, remaining: times });
  }

  /** Registered command set: global when no guildId. */
  commands(guildId?: string): unknown[] {
    return [...(this.commandSets.get(guildId ?? 'global') ?? [])];
  }

  private route(method: string, pattern: string, handler: RouteHandler): void {
    const regex = new RegExp(`^${pattern.replace(/:[a-z]+/gi, '([^/]+)')}$`);
    this.routes.push({ method, pattern: regex, handler });
  }

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const contentType = req.headers['content-type'] ?? '';
    let parsed: ParsedBody = jsonBody(null);
    if (raw.length > 0) {
      // Every body is checked against Discord's schemas: they load once, in the background since start().
      await loadSpec();
      if (contentType.startsWith('multipart/form-data')) parsed = parseMultipart(raw, contentType);
      else {
        try {
          parsed = jsonBody(JSON.parse(raw.toString('utf8')));
        } catch {
          parsed = jsonBody(raw.toString('utf8'));
        }
      }
    }
    const prefix = '/api/v10';
    // discord.js percent-encodes route segments ('@original' arrives as '%40original').
    const decoded = url.pathname
      .split('/')
      .map((segment) => {
        try {
          return decodeURIComponent(segment);
        } catch {
          return segment;
        }
      })
      .join('/');
    const path = decoded.startsWith(`${prefix}/`) ? decoded.slice(prefix.length) : decoded;
    const entry: RestLogEntry = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: parsed.body,
      status: 0,
      at: receivedAt,
      files: parsed.files,
    };

    const result = this.resolveRequest(entry, url, parsed, req);
    entry.status = result.status;
    this.restLog.push(entry);
    this.emit('rest', entry);
    this.send(res, result);
  }

  private resolveRequest(entry: RestLogEntry, url: URL, parsed: ParsedBody, req: IncomingMessage): RouteResult {
    const { method, path } = entry;
    const fault = this.faults.find((f) => f.remaining > 0 && (!f.method || f.method === method) && f.path.test(path));
    if (fault) {
      fault.remaining -= 1;
      return this.faultResult(fault.fault);
    }
    if (!/^\/api\/v10\//.test(url.pathname)) {
      this.unknownRoutes.push(entry);
      return { status: 404, body: { message: '404: Not Found', code: 0 } };
    }
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const m = r.pattern.exec(path);
      if (!m) continue;
      const needsAuth = !path.startsWith('/interactions/') && !path.startsWith('/webhooks/');
      if (needsAuth && req.headers.authorization !== `Bot ${this.token}`) {
        return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
      }
      const tooLarge = parsed.files.find((f) => f.size > this.maxUploadBytes);
      if (tooLarge) return { status: 413, body: { message: 'Request entity too large', code: 40005 } };
      try {
        return r.handler({
          method,
          path,
          params: m.slice(1),
          query: url.searchParams,
          body: parsed.body,
          files: parsed.files,
          filesById: parsed.filesById,
          req,
          receivedAt: entry.at,
        });
      } catch (error) {
        if (error instanceof HttpError) {
          if (error.status === 400 || error.status === 413) this.recordRefusal(entry, error);
          return { status: error.status, body: error.body, headers: error.headers };
        }
        throw error;
      }
    }
    this.unknownRoutes.push(entry);
    return { status: 404, body: { message: '404: Not Found', code: 0 } };
  }

  /**
   * Keeps what was refused as a bad request, so a test (or a developer chasing "why did Discord say 400?") can look:
   * `emulator.refusedBodies`, the 'refusedBody' event, or DISCORD_EMULATOR_LOG_REFUSED=1 to print each to stderr.
   */
  private recordRefusal(entry: RestLogEntry, error: HttpError): void {
    const record = { method: entry.method, path: entry.path, body: entry.body, status: error.status, error: error.body, at: entry.at };
    this.refusedBodies.push(record);
    this.emit('refusedBody', record);
    if (process.env.DISCORD_EMULATOR_LOG_REFUSED) {
      process.stderr.write(`[discord-emulator] refused ${entry.method} ${entry.path}: ${JSON.stringify(error.body)}\n  body: ${JSON.stringify(entry.body)}\n`);
    }
  }

  private faultResult(fault: RestFault): RouteResult {
    if (fault.status === 429) {
      const retryAfter = fault.retryAfter ?? 0.05;
      return {
        status: 429,
        headers: {
          'Retry-After': String(retryAfter),
          'X-RateLimit-Limit': '5',
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset-After': String(retryAfter),
          'X-RateLimit-Scope': 'user',
        },
        body: fault.body ?? { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
      };
    }
    return { status: fault.status, body: fault.body ?? { message: `Emulated failure ${fault.status}`, code: 0 } };
  }

  private send(res: ServerResponse, result: RouteResult): void {
    const headers: Record<string, string> = { ...(result.headers ?? {}) };
    if (result.status === 204 || result.body === undefined) {
      res.writeHead(result.status, headers);
      res.end();
      return;
    }
    const text = JSON.stringify(result.body);
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(text));
    res.writeHead(result.status, headers);
    res.end(text);
  }

  private registerRoutes(): void {
    const app = (appId: string): void => {
      if (appId !== this.applicationId) throw apiError(403, 50001, 'Missing Access');
    };
    const guild = (guildId: string): void => {
      if (!this.guildIds.includes(guildId)) throw apiError(403, 50001, 'Missing Access');
    };
    const param = (ctx: RouteContext, i: number): string => ctx.params[i] ?? '';

    this.route('GET', '/gateway/bot', () => ({
      status: 200,
      body: {
        url: this.gatewayUrl,
        shards: this.shardCount,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: this.maxConcurrency },
      },
    }));
    this.route('GET', '/gateway', () => ({ status: 200, body: { url: this.gatewayUrl } }));
    this.route('GET', '/users/@me', () => ({ status: 200, body: this.botUser() }));
    this.route('GET', '/users/:id', (ctx) => ({ status: 200, body: this.userObject(param(ctx, 0)) }));
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
    this.route('GET', '/applications/@me', () => ({ status: 200, body: application() }));
    this.route('GET', '/oauth2/applications/@me', () => ({ status: 200, body: application() }));

    // --- application commands ---
    const scopes: Array<[string, (ctx: RouteContext) => string]> = [
      ['/applications/:app/commands', (ctx) => (app(param(ctx, 0)), 'global')],
      ['/applications/:app/guilds/:guild/commands', (ctx) => (app(param(ctx, 0)), guild(param(ctx, 1)), param(ctx, 1))],
    ];
    for (const [base, scopeOf] of scopes) {
      this.route('GET', base, (ctx) => ({ status: 200, body: this.commandSets.get(scopeOf(ctx)) ?? [] }));
      this.route('PUT', base, (ctx) => {
        const scope = scopeOf(ctx);
        validate('commandsBulk', ctx.body);
        if (!Array.isArray(ctx.body)) throw invalidFormBody([], 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
        const previous = this.commandSets.get(scope) ?? [];
        const next = ctx.body.map((cmd: unknown) => this.storeCommand(cmd, scope, previous));
        this.commandSets.set(scope, next);
        this.emit('commandsUpdated', { scope, commands: next });
        return { status: 200, body: next };
      });
      this.route('POST', base, (ctx) => {
        const scope = scopeOf(ctx);
        validate('commandCreate', ctx.body);
        const previous = this.commandSets.get(scope) ?? [];
        const stored = this.storeCommand(ctx.body, scope, previous);
        const existed = previous.some((c) => c.id === stored.id);
        this.commandSets.set(scope, [...previous.filter((c) => c.id !== stored.id), stored]);
        this.emit('commandsUpdated', { scope, commands: this.commandSets.get(scope) });
        return { status: existed ? 200 : 201, body: stored };
      });
      const byId = (ctx: RouteContext, idIndex: number): [string, StoredCommand] => {
        const scope = scopeOf(ctx);
        const cmd = (this.commandSets.get(scope) ?? []).find((c) => c.id === param(ctx, idIndex));
        if (!cmd) throw apiError(404, 10063, 'Unknown application command');
        return [scope, cmd];
      };
      const idIndex = base.includes(':guild') ? 2 : 1;
      this.route('GET', `${base}/:id`, (ctx) => ({ status: 200, body: byId(ctx, idIndex)[1] }));
      this.route('PATCH', `${base}/:id`, (ctx) => {
        const [scope, cmd] = byId(ctx, idIndex);
        validate('commandPatch', ctx.body);
        const merged = { ...cmd, ...(isRecord(ctx.body) ? ctx.body : {}) };
        const list = this.commandSets.get(scope) ?? [];
        const stored = this.storeCommand(merged, scope, list);
        this.commandSets.set(scope, list.map((c) => (c.id === stored.id ? stored : c)));
        return { status: 200, body: stored };
      });
      this.route('DELETE', `${base}/:id`, (ctx) => {
        const [scope, cmd] = byId(ctx, idIndex);
        this.commandSets.set(scope, (this.commandSets.get(scope) ?? []).filter((c) => c.id !== cmd.id));
        return { status: 204 };
      });
    }

    // --- interactions ---
    this.route('POST', '/interactions/:id/:token/callback', (ctx) => this.onCallback(ctx, param(ctx, 0), param(ctx, 1)));
    const webhookState = (ctx: RouteContext): InteractionState => {
      const state = this.interactionsByToken.get(param(ctx, 1));
      if (param(ctx, 0) !== this.applicationId || !state) throw apiError(404, 10015, 'Unknown Webhook');
      if (Date.now() - state.dispatchedAt > this.interactionTokenTtlMs) throw apiError(401, 50027, 'Invalid Webhook Token');
      if (!state.response) throw apiError(404, 10015, 'Unknown Webhook');
      return state;
    };
    const original = (state: InteractionState): JsonObject => {
      if (!state.original) throw apiError(404, 10008, 'Unknown Message');
      return state.original;
    };
    const base = '/webhooks/:app/:token';
    this.route('GET', `${base}/messages/@original`, (ctx) => ({ status: 200, body: original(webhookState(ctx)) }));
    this.route('PATCH', `${base}/messages/@original`, (ctx) => {
      const state = webhookState(ctx);
      const current = original(state);
      const body = asMessagePayload(ctx.body);
      const errors = validateBody('webhookEdit', ctx.body);
      const attachments = this.resolveAttachments(body, ctx, state.originalAttachments, [], errors);
      errors.throwIfAny();
      state.originalAttachments = attachments;
      state.original = this.patchMessage(current, body, attachments);
      state.edits.push(body);
      this.emit('interactionEdit', { interactionId: state.id, body });
      state.events.emit('change');
      return { status: 200, body: state.original };
    });
    this.route('DELETE', `${base}/messages/@original`, (ctx) => {
      const state = webhookState(ctx);
      original(state);
      state.original = null;
      state.originalAttachments = [];
      state.events.emit('change');
      return { status: 204 };
    });
    this.route('POST', base, (ctx) => {
      const state = webhookState(ctx);
      const body = asMessagePayload(ctx.body);
      const errors = validateBody('webhookCreate', ctx.body);
      const attachments = this.resolveAttachments(body, ctx, [], [], errors);
      errors.throwIfAny();
      checkNotEmpty(body, ctx.files.length > 0);
      const msg = this.messageObject({
        id: snowflake(),
        channelId: state.channelId,
        guildId: state.guildId,
        payload: body,
        interaction: state,
        type: 0,
        attachments,
      });
      state.followUps.push(body);
      state.followUpAttachments.push(attachments);
      state.followUpAttachmentsById.set(String(msg.id), attachments);
      state.followUpMessages.set(String(msg.id), msg);
      this.emit('interactionFollowUp', { interactionId: state.id, body });
      state.events.emit('change');
      return ctx.query.get('wait') === 'true' ? { status: 200, body: msg } : { status: 204 };
    });
    const followUpMsg = (state: InteractionState, id: string): JsonObject => {
      const msg = state.followUpMessages.get(id);
      if (!msg) throw apiError(404, 10008, 'Unknown Message');
      return msg;
    };
    this.route('GET', `${base}/messages/:id`, (ctx) => {
      const state = webhookState(ctx);
      return { status: 200, body: followUpMsg(state, param(ctx, 2)) };
    });
    this.route('PATCH', `${base}/messages/:id`, (ctx) => {
      const state = webhookState(ctx);
      const body = asMessagePayload(ctx.body);
      const current = followUpMsg(state, param(ctx, 2));
      const errors = validateBody('webhookEdit', ctx.body);
      const previous = state.followUpAttachmentsById.get(param(ctx, 2)) ?? [];
      const attachments = this.resolveAttachments(body, ctx, previous, [], errors);
      errors.throwIfAny();
      const index = state.followUpAttachments.indexOf(previous);
      if (index !== -1) state.followUpAttachments[index] = attachments;
      state.followUpAttachmentsById.set(param(ctx, 2), attachments);
      const msg = this.patchMessage(current, body, attachments);
      state.followUpMessages.set(param(ctx, 2), msg);
      return { status: 200, body: msg };
    });
    this.route('DELETE', `${base}/messages/:id`, (ctx) => {
      const state = webhookState(ctx);
      followUpMsg(state, param(ctx, 2));
      state.followUpMessages.delete(param(ctx, 2));
      return { status: 204 };
    });

    // --- DMs and channels ---
    this.route('POST', '/users/@me/channels', (ctx) => {
      validate('dmCreate', ctx.body);
      const recipient = isRecord(ctx.body) ? String(ctx.body.recipient_id) : '';
      const channelId = this.dmChannelFor(recipient);
      return { status: 200, body: this.dmChannelObject(channelId, recipient) };
    });
    this.route('GET', '/channels/:id', (ctx) => {
      const id = param(ctx, 0);
      const dmUser = this.dmChannels.get(id);
      if (dmUser) return { status: 200, body: this.dmChannelObject(id, dmUser) };
      const channel = this.liveChannel(id);
      if (!this.can(channel, P.ViewChannel)) throw apiError(403, 50001, 'Missing Access');
      return { status: 200, body: this.channelObject(channel) };
    });
    this.route('POST', '/channels/:id/messages', (ctx) => {
      const channelId = param(ctx, 0);
      const body = asMessagePayload(ctx.body);
      const dmUser = this.dmChannels.get(channelId);
      if (dmUser) {
        const errors = validateBody('channelMessageCreate', ctx.body);
        const attachments = this.resolveAttachments(body, ctx, [], [], errors);
        errors.throwIfAny();
        checkNotEmpty(body, ctx.files.length > 0);
        const msg = this.messageObject({ id: snowflake(), channelId, guildId: null, payload: body, attachments });
        const record: DirectMessageRecord = { userId: dmUser, channelId, body, at: Date.now(), files: ctx.files };
        this.directMessages.push(record);
        this.emit('directMessage', record);
        return { status: 200, body: msg };
      }
      const channel = this.liveChannel(channelId);
      const headers = this.takeChannelSlot(channelId, ctx.receivedAt);
      this.checkCanPost(channel, ctx.files.length > 0);
      const errors = validateBody('channelMessageCreate', ctx.body);
      const attachments = this.resolveAttachments(body, ctx, [], [], errors);
      errors.throwIfAny();
      checkNotEmpty(body, ctx.files.length > 0);
      const id = snowflake();
      const message = this.messageObject({ id, channelId, guildId: channel.guildId, payload: this.visiblePart(channel, body), attachments });
      const record: ChannelMessageRecord = {
        id,
        channelId,
        guildId: channel.guildId,
        body,
        at: Date.now(),
        files: ctx.files,
        attachments,
        edits: [],
        message,
      };
      this.channelPosts.push(record);
      this.emit('channelMessage', record);
      return { status: 200, body: message, headers };
    });
    const channelPost = (ctx: RouteContext): [ChannelState, ChannelMessageRecord] => {
      const channel = this.liveChannel(param(ctx, 0));
      const record = this.channelPosts.find((m) => m.channelId === channel.id && m.id === param(ctx, 1));
      if (!this.can(channel, P.ViewChannel)) throw apiError(403, 50001, 'Missing Access');
      if (!record) throw apiError(404, 10008, 'Unknown Message');
      return [channel, record];
    };
    this.route('GET', '/channels/:id/messages/:mid', (ctx) => {
      const [channel, record] = channelPost(ctx);
      if (!this.can(channel, P.ReadMessageHistory)) throw apiError(403, 50001, 'Missing Access');
      return { status: 200, body: record.message };
    });
    this.route('PATCH', '/channels/:id/messages/:mid', (ctx) => {
      const [channel, record] = channelPost(ctx);
      const body = asMessagePayload(ctx.body);
      // Editing one's own message needs no Send Messages; new files still need Attach Files.
      if (ctx.files.length > 0 && !this.can(channel, P.AttachFiles)) throw apiError(403, 50013, 'Missing Permissions');
      const errors = validateBody('channelMessageEdit', ctx.body);
      const attachments = this.resolveAttachments(body, ctx, record.attachments, [], errors);
      errors.throwIfAny();
      record.attachments = attachments;
      record.message = this.patchMessage(record.message, this.visiblePart(channel, body), attachments);
      record.edits.push(body);
      this.emit('channelMessageEdit', { record, body });
      return { status: 200, body: record.message };
    });
    this.route('DELETE', '/channels/:id/messages/:mid', (ctx) => {
      const [, record] = channelPost(ctx);
      this.channelPosts.splice(this.channelPosts.indexOf(record), 1);
      this.emit('channelMessageDelete', record);
      return { status: 204 };
    });
  }

  /** A guild channel that exists (404 / 10003 "Unknown Channel" for unknown or deleted ones, like Discord). */
  private liveChannel(channelId: string): ChannelState {
    const channel = this.channels.get(channelId);
    if (!channel || channel.deleted) throw apiError(404, 10003, 'Unknown Channel');
    return channel;
  }

  private can(channel: ChannelState, permission: bigint): boolean {
    return (channel.botPermissions & permission) === permission;
  }

  /** Discord's order: no View Channel → 50001 Missing Access; no Send Messages (or files without Attach Files) → 50013. */
  private checkCanPost(channel: ChannelState, hasFiles: boolean): void {
    if (!this.can(channel, P.ViewChannel)) throw apiError(403, 50001, 'Missing Access');
    if (!this.can(channel, P.SendMessages)) throw apiError(403, 50013, 'Missing Permissions');
    if (hasFiles && !this.can(channel, P.AttachFiles)) throw apiError(403, 50013, 'Missing Permissions');
  }

  /** What the channel shows of a body: without Embed Links, Discord drops the embeds silently (no error). */
  private visiblePart(channel: ChannelState, body: MessagePayload): MessagePayload {
    if (this.can(channel, P.EmbedLinks) || body.embeds === undefined) return body;
    return { ...body, embeds: [] };
  }

  /**
   * Discord's per-channel message limit (5 per 5 s by default): takes a slot or throws 429 with `retry_after` and the
   * headers discord.js reads (Retry-After, X-RateLimit-*). Successful posts carry the X-RateLimit-* headers too, so
   * discord.js waits by itself before the sixth post instead of running into the 429.
   * Discord's Retry-After header is whole seconds; the emulator keeps milliseconds so short test windows stay short.
   */
  private takeChannelSlot(channelId: string, now: number): Record<string, string> {
    const { messages, windowMs } = this.channelRateLimit;
    const recent = (this.channelBuckets.get(channelId) ?? []).filter((t) => now - t < windowMs);
    this.channelBuckets.set(channelId, recent);
    const resetAfter = (first: number): number => Math.max(0, first + windowMs - now) / 1000;
    const common = { 'X-RateLimit-Limit': String(messages), 'X-RateLimit-Bucket': 'emulated-channel-messages' };
    const oldest = recent[0];
    if (recent.length >= messages && oldest !== undefined) {
      const retryAfter = Number(resetAfter(oldest).toFixed(3));
      throw new HttpError(
        429,
        { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
        {
          ...common,
          'Retry-After': String(retryAfter),
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset-After': String(retryAfter),
          'X-RateLimit-Reset': ((now + retryAfter * 1000) / 1000).toFixed(3),
          'X-RateLimit-Scope': 'user',
        },
      );
    }
    recent.push(now);
    const resetIn = resetAfter(recent[0] ?? now);
    return {
      ...common,
      'X-RateLimit-Remaining': String(messages - recent.length),
      'X-RateLimit-Reset-After': resetIn.toFixed(3),
      'X-RateLimit-Reset': ((now + resetIn * 1000) / 1000).toFixed(3),
    };
  }

  /**
   * The attachments a message ends up with. Uploaded `files[n]` parts are matched to `attachments[].id` n; an id that is
   * neither an upload of this request nor (when editing) a current attachment is refused. `attachments` on an edit is
   * the full list to keep (`[]` drops them all); left out, the current ones stay. Every `attachment://name` in an embed
   * must name one of the resulting files (Discord otherwise refuses the scheme).
   */
  private resolveAttachments(
    body: MessagePayload,
    ctx: RouteContext,
    current: StoredAttachment[],
    base: PropertyKey[],
    errors: FormErrors,
  ): StoredAttachment[] {
    const fromUpload = (file: UploadedFile, entry?: Record<string, unknown>): StoredAttachment => {
      const stored: StoredAttachment = {
        id: snowflake(),
        filename: typeof entry?.filename === 'string' ? entry.filename : file.filename,
        contentType: file.contentType,
        size: file.size,
        data: file.data,
      };
      if (typeof entry?.description === 'string') stored.description = entry.description;
      return stored;
    };
    const used = new Set<UploadedFile>();
    const result: StoredAttachment[] = [];
    if (Array.isArray(body.attachments)) {
      body.attachments.forEach((entry: unknown, i) => {
        if (!isRecord(entry)) return;
        const id = String(entry.id);
        const upload = ctx.filesById.get(id);
        const kept = current.find((a) => a.id === id);
        if (upload && !used.has(upload)) {
          used.add(upload);
          result.push(fromUpload(upload, entry));
        } else if (kept) {
          result.push(kept);
        } else {
          errors.add([...base, 'attachments', i, 'id'], 'ATTACHMENT_NOT_FOUND', `No files[${id}] part was uploaded and no attachment ${id} exists`);
        }
      });
    } else {
      result.push(...current);
    }
    for (const file of ctx.files) if (!used.has(file)) result.push(fromUpload(file));
    const names = new Set(result.map((a) => a.filename));
    const embeds = Array.isArray(body.embeds) ? body.embeds : [];
    embeds.forEach((embed, i) => {
      for (const [field, key] of EMBED_URL_FIELDS) {
        const holder = isRecord(embed) ? embed[field] : undefined;
        const url = isRecord(holder) ? holder[key] : undefined;
        if (typeof url !== 'string' || !url.startsWith('attachment://')) continue;
        if (names.has(url.slice('attachment://'.length))) continue;
        errors.add(
          [...base, 'embeds', i, field, key],
          'URL_TYPE_INVALID_SCHEME',
          `Scheme "attachment" is not supported. Scheme must be one of ('http', 'https'). (no attachment named ${url.slice('attachment://'.length)})`,
        );
      }
    });
    return result;
  }

  private attachmentJson(attachment: StoredAttachment, channelId: string): JsonObject {
    const url = `${this.apiUrl.replace(/\/api$/, '')}/attachments/${channelId}/${attachment.id}/${encodeURIComponent(attachment.filename)}`;
    const json: JsonObject = {
      id: attachment.id,
      filename: attachment.filename,
      size: attachment.size,
      url,
      proxy_url: url,
      content_type: attachment.contentType,
    };
    if (attachment.description !== undefined) json.description = attachment.description;
    return json;
  }

  private patchMessage(current: JsonObject, body: MessagePayload, attachments?: StoredAttachment[]): JsonObject {
    const next: Record<string, unknown> = { ...current, edited_timestamp: new Date().toISOString() };
    for (const key of ['content', 'embeds', 'components', 'attachments', 'poll'] as const) {
      if (key in body && body[key] !== undefined) next[key] = body[key] ?? (key === 'content' ? '' : []);
    }
    if (attachments) next.attachments = attachments.map((a) => this.attachmentJson(a, String(current.channel_id)));
    // The loading flag (128) clears on the first edit; ephemeral (64) cannot change.
    const currentFlags = typeof current.flags === 'number' ? current.flags : 0;
    const bodyFlags = typeof body.flags === 'number' ? body.flags : currentFlags;
    next.flags = (bodyFlags & ~128 & ~64) | (currentFlags & 64);
    return toJsonObject(next);
  }

  private storeCommand(cmd: unknown, scope: string, previous: StoredCommand[]): StoredCommand {
    const body = toJsonObject(cmd);
    const type = typeof body.type === 'number' ? body.type : 1;
    const existing =
      (typeof body.id === 'string' ? previous.find((c) => c.id === body.id) : undefined) ??
      previous.find((c) => c.name === body.name && c.type === type);
    const definition: StoredCommand = {
      type,
      name: body.name ?? '',
      description: body.description ?? '',
      options: body.options ?? [],
      default_member_permissions: body.default_member_permissions ?? null,
      nsfw: body.nsfw ?? false,
      contexts: body.contexts ?? null,
      integration_types: body.integration_types ?? [0],
      name_localizations: body.name_localizations ?? null,
      description_localizations: body.description_localizations ?? null,
    };
    if (body.dm_permission !== undefined) definition.dm_permission = body.dm_permission;
    const changed = existing ? JSON.stringify(this.definitionOf(existing)) !== JSON.stringify(definition) : true;
    const stored: StoredCommand = {
      id: existing && typeof existing.id === 'string' ? existing.id : snowflake(),
      application_id: this.applicationId,
      version: !changed && existing && typeof existing.version === 'string' ? existing.version : snowflake(),
      ...definition,
    };
    if (scope !== 'global') stored.guild_id = scope;
    return stored;
  }

  private definitionOf(stored: StoredCommand): StoredCommand {
    const { id: _id, application_id: _a, version: _v, guild_id: _g, ...definition } = stored;
    return definition;
  }

  private onCallback(ctx: RouteContext, id: string, token: string): RouteResult {
    const state = this.interactions.get(id);
    if (!state || state.token !== token) throw apiError(404, 10062, 'Unknown interaction');
    if (state.response) throw apiError(400, 40060, 'Interaction has already been acknowledged.');
    // Measured from when the request arrived, so waiting for the schemas to load never makes a reply "late".
    if (ctx.receivedAt - state.dispatchedAt > this.interactionDeadlineMs) {
      this.emit('interactionExpired', { interactionId: id, lateByMs: ctx.receivedAt - state.dispatchedAt - this.interactionDeadlineMs });
      throw apiError(404, 10062, 'Unknown interaction');
    }
    const errors = validateBody('interactionCallback', ctx.body);
    if (!isRecord(ctx.body) || typeof ctx.body.type !== 'number') {
      errors.throwIfAny();
      throw invalidFormBody(['type'], 'BASE_TYPE_REQUIRED', 'This field is required');
    }
    const type = ctx.body.type;
    const data = ctx.body.data === undefined || ctx.body.data === null ? undefined : asMessagePayload(toJson(ctx.body.data));
    const hasFiles = ctx.files.length > 0;
    const attachments = type === 4 || type === 7 ? this.resolveAttachments(data ?? {}, ctx, state.originalAttachments, ['data'], errors) : [];
    errors.throwIfAny();
    switch (type) {
      case 4:
        checkNotEmpty(data ?? {}, hasFiles);
        break;
      case 7:
        if (state.type !== 3 && !(state.type === 5 && state.original)) throw apiError(400, 40043, 'Interaction is not a component interaction');
        break;
      case 5:
      case 1:
        break;
      case 6:
        if (state.type !== 3 && !(state.type === 5 && state.original)) throw apiError(400, 40043, 'Interaction is not a component interaction');
        break;
      case 9: {
        if (state.type === 5) throw apiError(400, 40043, 'A modal cannot answer a modal submit');
        break;
      }
      default:
        throw invalidFormBody(['type'], 'INTERACTION_CALLBACK_TYPE_INVALID', `Callback type ${type} does not fit a ${state.type} interaction in the emulator.`);
    }
    // When the callback arrived: validating it (or loading the schemas) is the emulator's time, not the bot's.
    const at = ctx.receivedAt;
    const record: InteractionCallbackRecord = { type, at, files: ctx.files, attachments };
    if (type === 4 || type === 7) state.originalAttachments = attachments;
    if (data !== undefined) record.data = data;
    state.response = record;

    // The resulting @original message.
    if (type === 4 || type === 5) {
      const flags = (typeof data?.flags === 'number' ? data.flags : 0) | (type === 5 ? 128 : 0);
      state.original = this.messageObject({
        id: snowflake(),
        channelId: state.channelId,
        guildId: state.guildId,
        payload: type === 5 ? { flags } : { ...(data ?? {}), flags },
        interaction: state,
        type: state.type === 2 ? 20 : 0,
        attachments: type === 4 ? attachments : [],
      });
    } else if (type === 7 && state.original) {
      state.original = this.patchMessage(state.original, data ?? {}, attachments);
    }
    this.emit('interactionResponse', { interactionId: id, type, data, at });
    state.events.emit('change');

    if (ctx.query.get('with_response') === 'true') {
      const callbackResponse: JsonObject = {
        interaction: {
          id,
          type: state.type,
          response_message_id: state.original && type !== 9 ? String(state.original.id) : null,
          response_message_loading: type === 5,
          response_message_ephemeral: typeof state.original?.flags === 'number' ? (state.original.flags & 64) !== 0 : false,
        },
        resource: type === 9 || type === 6 || !state.original ? { type } : { type, message: state.original },
      };
      return { status: 200, body: callbackResponse };
    }
    return { status: 204 };
  }
}

/**
 * A guild as real ones look (guildShape 'realistic'): besides the "general" channel and @everyone, a "Text Channels"
 * category holding general and two more text channels (one with a permission overwrite), a "Members" role and the
 * bot's managed integration role, which the bot's own member has. Ids are derived from the guild id.
 */
function realisticGuild(guild: JsonObject): JsonObject {
  const isJsonObject = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
  const guildId = BigInt(String(guild.id));
  const id = (offset: number): string => (guildId + BigInt(offset)).toString();
  const [general] = Array.isArray(guild.channels) ? guild.channels : [];
  const [everyone] = Array.isArray(guild.roles) ? guild.roles : [];
  const [botMember] = Array.isArray(guild.members) ? guild.members : [];
  if (!isJsonObject(general) || !isJsonObject(everyone) || !isJsonObject(botMember)) return guild;
  const categoryId = id(2);
  const membersRole = id(5);
  const botRole = id(6);
  const botUser = isJsonObject(botMember.user) ? botMember.user : {};
  const text = (offset: number, name: string, position: number, overwrites: JsonValue[] = []): JsonObject => ({
    ...general,
    id: id(offset),
    name,
    position,
    parent_id: categoryId,
    permission_overwrites: overwrites,
    topic: name === 'general' ? null : `All about #${name}`,
  });
  const role = (roleId: string, name: string, position: number, extra: JsonObject = {}): JsonObject => ({
    ...everyone,
    id: roleId,
    name,
    position,
    permissions: String(everyone.permissions ?? '0'),
    color: 0x1db954,
    colors: { primary_color: 0x1db954, secondary_color: null, tertiary_color: null },
    ...extra,
  });
  return {
    ...guild,
    member_count: 42,
    roles: [
      everyone,
      role(membersRole, 'Members', 1, { hoist: true }),
      role(botRole, String(botUser.username ?? 'bot'), 2, { managed: true, tags: { bot_id: String(botUser.id ?? '') } }),
    ],
    channels: [
      { id: categoryId, type: 4, guild_id: String(guild.id), name: 'Text Channels', position: 0, permission_overwrites: [], parent_id: null, nsfw: false, flags: 0 },
      text(1, 'general', 0),
      text(3, 'music', 1),
      text(4, 'announcements', 2, [{ id: String(guild.id), type: 0, allow: '0', deny: '2048' }]),
    ],
    members: [{ ...botMember, roles: [botRole] }, ...(Array.isArray(guild.members) ? guild.members.slice(1) : [])],
  };
}
