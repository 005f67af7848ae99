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
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { AttachmentCdn, type AttachmentUpload, type CdnRequestRecord, type ResolvedAttachment } from './cdn.js';
import { Channels } from './channels.js';
import { CommandRegistry } from './commands.js';
import { Gateway } from './gateway.js';
import { InteractionResponses } from './interaction-responses.js';
import { Interactions } from './interactions.js';
import { Messages } from './messages.js';
import type { MemberPresence, PresencePayload, PresenceStatus } from './presence.js';
import { RestRouter } from './rest.js';
import { guildIdForShard, snowflake } from './snowflake.js';
import {
  Intents,
  type AutocompleteHandle,
  type AutocompleteOptions,
  type ButtonOptions,
  type ChannelMessageRecord,
  type ChannelOptions,
  type DirectMessageRecord,
  type DiscordEmulatorOptions,
  type IdentifyRecord,
  type InteractionHandle,
  type JsonObject,
  type MemberOptions,
  type MemberRequestRecord,
  type ModalSubmitOptions,
  type RestFault,
  type RestLogEntry,
  type ResumeRecord,
  type SlashCommandOptions,
} from './types.js';
import { loadSpec } from './validation.js';
import { DEFAULT_APP_ID, World, type ChannelState, type MemberState } from './world.js';
import { EVERYONE_BITS } from './permissions.js';

/**
 * The emulator's public face. Each protocol area lives in its own module (gateway, interactions and their responses,
 * channels, commands, REST router, world state); this class wires them together and keeps the API tests use.
 */
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
  /**
   * The origin that serves attachment URLs (addAttachment): a bot fetches `url` or `proxy_url` with their origin
   * (https://cdn.discordapp.com, https://media.discordapp.net) replaced by this one, path and query unchanged.
   */
  readonly cdnUrl: string;

  /**
   * false: op 8 requests are recorded but never answered, as during a Discord incident (the gateway stays up, no
   * GUILD_MEMBERS_CHUNK comes). Default true.
   */
  answerMemberRequests = true;

  /** Member presences dispatched (PRESENCE_UPDATE) or withheld for want of the intent. */
  readonly memberPresenceLog: Array<{ guildId: string; userId: string; presence: MemberPresence; dispatchedTo: number | null; at: number }> = [];
  readonly channelRateLimit: { messages: number; windowMs: number };
  readonly globalRateLimit: { requests: number; windowMs: number } | null;
  readonly maxUploadBytes: number;

  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<Socket>();
  private readonly world: World;
  private readonly gateway: Gateway;
  private readonly rest: RestRouter;
  private readonly commandRegistry: CommandRegistry;
  private readonly interactions: Interactions;
  private readonly channelRoutes: Channels;
  private readonly cdn: AttachmentCdn;
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
    this.globalRateLimit = opts.globalRateLimit === undefined ? { requests: 50, windowMs: 1000 } : opts.globalRateLimit;
    this.maxUploadBytes = opts.maxUploadBytes ?? 10 * 1024 * 1024;
    this.apiUrl = `http://127.0.0.1:${port}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${port}/gateway`;
    this.cdnUrl = `http://127.0.0.1:${port}`;
    this.setMaxListeners(100);
    const { applicationId, botUserId, botUsername, guildIds, guildShape } = this;
    this.world = new World({ applicationId, botUserId, botUsername, guildIds, guildShape });
    this.gateway = new Gateway(this, this.world);
    this.rest = new RestRouter(this);
    this.commandRegistry = new CommandRegistry(this);
    const messages = new Messages(this.world, this.apiUrl);
    this.cdn = new AttachmentCdn(this.applicationId);
    this.interactions = new Interactions(this, this.world, this.commandRegistry, messages, this.cdn);
    this.channelRoutes = new Channels(this, this.world, messages, this.channelRateLimit);
    // Order matters only where two patterns could match one path; this is the order Discord's routes were added in.
    this.gateway.registerRoutes(this.rest);
    this.world.registerRoutes(this.rest);
    this.commandRegistry.registerRoutes(this.rest);
    new InteractionResponses(this, this.interactions, messages).registerRoutes(this.rest);
    this.channelRoutes.registerRoutes(this.rest);
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
      if (this.cdn.handles(req)) {
        this.cdn.serve(req, res);
        return;
      }
      this.rest.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.rest.send(res, { status: 500, body: { message: String(error), code: 0 } });
      });
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (this.closed || !url.pathname.startsWith('/gateway')) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.gateway.onConnection(ws, url));
    });
  }

  /** Terminates every socket and stops the server. Never hangs. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.gateway.close();
    for (const state of this.interactions.byId.values()) state.events.removeAllListeners();
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
  // Records
  // -------------------------------------------------------------------------------------------

  get identifies(): IdentifyRecord[] {
    return this.gateway.identifies;
  }
  get resumes(): ResumeRecord[] {
    return this.gateway.resumes;
  }
  get presenceUpdates(): Array<{ shard: number; at: number; payload: PresencePayload }> {
    return this.gateway.presenceUpdates;
  }
  get heartbeats(): Array<{ shard: number | null; seq: number | null; at: number }> {
    return this.gateway.heartbeats;
  }
  get closes(): Array<{ shard: number | null; code: number; at: number }> {
    return this.gateway.closes;
  }
  /** op 3 / IDENTIFY presences refused (the connection was closed with 4001), with the reason. */
  get refusedPresences(): Array<{ shard: number | null; reason: string; at: number }> {
    return this.gateway.refusedPresences;
  }
  /** op 8 Request Guild Members received (valid ones), and whether a GUILD_MEMBERS_CHUNK answered it. */
  get memberRequests(): MemberRequestRecord[] {
    return this.gateway.memberRequests;
  }
  /** op 8 payloads refused (the connection was closed with 4001), with the reason. */
  get refusedMemberRequests(): Array<{ shard: number; reason: string; at: number }> {
    return this.gateway.refusedMemberRequests;
  }
  get restLog(): RestLogEntry[] {
    return this.rest.restLog;
  }
  get unknownRoutes(): RestLogEntry[] {
    return this.rest.unknownRoutes;
  }
  get directMessages(): DirectMessageRecord[] {
    return this.channelRoutes.directMessages;
  }
  /** Downloads of attachment URLs (path and query as requested, status, bytes sent). */
  get cdnRequests(): CdnRequestRecord[] {
    return this.cdn.requests;
  }
  /** Requests answered 400 (bad form body, empty message, …) or 413, with the error Discord would give. */
  get refusedBodies(): Array<{ method: string; path: string; body: unknown; status: number; error: unknown; at: number }> {
    return this.rest.refusedBodies;
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
    this.world.addUser(user);
  }

  // -------------------------------------------------------------------------------------------
  // Members, presences, channels
  // -------------------------------------------------------------------------------------------

  /**
   * Adds a member to an emulated guild (and registers the user). A connected shard that identified with GUILD_MEMBERS
   * gets GUILD_MEMBER_ADD, as on Discord; without that intent the bot is not told.
   */
  addMember(guildId: string, member: MemberOptions): void {
    this.world.requireGuild(guildId);
    this.addUser({ id: member.id, username: member.username, globalName: member.globalName ?? null });
    const user = this.world.userObject(member.id);
    const state: MemberState = {
      user,
      nick: member.nick ?? null,
      roles: member.roles ?? [],
      joinedAt: member.joinedAt ?? new Date(Date.now() - 86_400_000).toISOString(),
      permissions: member.permissions ?? null,
    };
    let guildMembers = this.world.members.get(guildId);
    if (!guildMembers) this.world.members.set(guildId, (guildMembers = new Map()));
    guildMembers.set(member.id, state);
    const session = this.gateway.guildSession(guildId);
    if (session && (session.intents & Intents.GuildMembers) !== 0) {
      session.knownUsers.add(member.id);
      this.gateway.sendDispatch(session, 'GUILD_MEMBER_ADD', { ...this.world.memberObject(state), guild_id: guildId });
    }
  }

  /**
   * Removes a member (and their presence). GUILD_MEMBER_REMOVE goes only to a shard that identified with GUILD_MEMBERS
   * (1 << 1), as on Discord: without it the bot is not told and keeps whatever it cached (a member, a last presence).
   * Returns whether the event was dispatched.
   */
  removeMember(guildId: string, userId: string): boolean {
    const guildMembers = this.world.members.get(guildId);
    if (!guildMembers?.has(userId)) throw new Error(`DiscordEmulator.removeMember: ${userId} is not a member of guild ${guildId}`);
    guildMembers.delete(userId);
    this.world.presences.get(guildId)?.delete(userId);
    const session = this.gateway.guildSession(guildId);
    if (!session || (session.intents & Intents.GuildMembers) === 0) return false;
    this.gateway.sendDispatch(session, 'GUILD_MEMBER_REMOVE', { guild_id: guildId, user: this.world.userObject(userId) });
    return true;
  }

  /**
   * Sets a member's presence. PRESENCE_UPDATE `{user, guild_id, status, activities, client_status}` goes to the shard
   * holding the guild only when that connection identified with GUILD_PRESENCES (1 << 8); returns whether it was sent.
   * A Spotify activity without a party id (spotifyActivity() without userId) gets "spotify:<userId>".
   */
  setPresence(guildId: string, userId: string, presence: { status: PresenceStatus; activities?: Array<Record<string, unknown>> }): boolean {
    if (!this.world.members.get(guildId)?.has(userId)) {
      throw new Error(`DiscordEmulator.setPresence: ${userId} is not a member of guild ${guildId} (addMember first)`);
    }
    const activities = presence.status === 'offline' ? [] : (presence.activities ?? []).map((a) => this.world.withParty(a, userId));
    const stored: MemberPresence = { status: presence.status, activities };
    let guildPresences = this.world.presences.get(guildId);
    if (!guildPresences) this.world.presences.set(guildId, (guildPresences = new Map()));
    if (presence.status === 'offline') guildPresences.delete(userId);
    else guildPresences.set(userId, stored);
    const session = this.gateway.guildSession(guildId);
    const send = session !== null && (session.intents & Intents.GuildPresences) !== 0;
    this.memberPresenceLog.push({ guildId, userId, presence: stored, dispatchedTo: send && session ? session.shard : null, at: Date.now() });
    if (!send || !session) return false;
    const user: JsonObject = session.knownUsers.has(userId) ? { id: userId } : this.world.userObject(userId);
    session.knownUsers.add(userId);
    this.gateway.sendDispatch(session, 'PRESENCE_UPDATE', { user, guild_id: guildId, ...this.world.presenceFields(stored) });
    return true;
  }

  /** A guild text channel; returns its id. CHANNEL_CREATE goes to the guild's shard when it is connected. */
  addChannel(guildId: string, channel: ChannelOptions): string {
    this.world.requireGuild(guildId);
    const id = channel.id ?? snowflake();
    if (this.world.channels.has(id) || this.world.dmChannels.has(id)) throw new Error(`DiscordEmulator.addChannel: channel ${id} already exists`);
    const perms = channel.botPermissions === undefined ? EVERYONE_BITS : BigInt(channel.botPermissions);
    const position = [...this.world.channels.values()].filter((c) => c.guildId === guildId).length;
    const state: ChannelState = { id, guildId, name: channel.name, position, botPermissions: perms, deleted: false };
    this.world.channels.set(id, state);
    const session = this.gateway.guildSession(guildId);
    if (session) this.gateway.sendDispatch(session, 'CHANNEL_CREATE', this.world.channelObject(state));
    return id;
  }

  /** Sets a guild's preferred locale: GUILD_UPDATE goes to the guild's shard; interactions carry it as guild_locale. */
  setGuildLocale(guildId: string, locale: string): void {
    if (!this.world.guildIds.includes(guildId)) throw new Error(`DiscordEmulator.setGuildLocale: unknown guild ${guildId}`);
    this.world.guildLocales.set(guildId, locale);
    const session = this.gateway.guildSession(guildId);
    if (session) this.gateway.sendDispatch(session, 'GUILD_UPDATE', this.world.guildObject(guildId));
  }

  /** Deletes a guild channel: later posts there answer 404 / 10003; CHANNEL_DELETE goes to the guild's shard. */
  deleteChannel(channelId: string): void {
    const state = this.world.channels.get(channelId);
    if (!state || state.deleted) throw new Error(`DiscordEmulator.deleteChannel: unknown channel ${channelId}`);
    state.deleted = true;
    const session = this.gateway.guildSession(state.guildId);
    if (session) this.gateway.sendDispatch(session, 'CHANNEL_DELETE', this.world.channelObject(state));
  }

  /** Messages the bot posted to guild channels (all channels, or one), with their edits and attachments. */
  channelMessages(channelId?: string): ChannelMessageRecord[] {
    return this.channelRoutes.channelMessages(channelId);
  }

  /** The intents the shard's current session identified with (null when it has none). */
  identifiedIntents(shard = 0): number | null {
    return this.gateway.identifiedIntents(shard);
  }

  /** The text channel every emulated guild has ("general"). */
  guildChannelId(guildId: string): string {
    return (BigInt(guildId) + 1n).toString();
  }

  // -------------------------------------------------------------------------------------------
  // Gateway
  // -------------------------------------------------------------------------------------------

  currentPresence(shard = 0): PresencePayload | null {
    return this.gateway.currentPresence(shard);
  }

  connectedShards(): number[] {
    return this.gateway.connectedShards();
  }

  /** Session id of the shard's live session, if any. */
  sessionId(shard = 0): string | null {
    return this.gateway.sessionId(shard);
  }

  /** op 7 RECONNECT: the client closes (4200) and RESUMEs on a new socket. */
  sendReconnect(shard = 0): void {
    this.gateway.sendReconnect(shard);
  }

  /** op 9 INVALID_SESSION. resumable=false kills the session: the client re-IDENTIFYs. */
  invalidateSession(resumable: boolean, shard = 0): void {
    this.gateway.invalidateSession(resumable, shard);
  }

  /** Closes the shard's socket: no code → abrupt terminate (client sees 1006 and resumes); else close(code). */
  dropConnection(shard = 0, code?: number): void {
    this.gateway.dropConnection(shard, code);
  }

  /**
   * Resolves once every gateway frame the client had sent on this shard before the call has been received (so a
   * test can read `currentPresence()` after a tick without racing the client's op 3). It asks for a heartbeat (op 1,
   * as Discord may) and waits for it: frames on one socket arrive in order. Two rounds, because a periodic heartbeat
   * written just before the frames in question may still be unread and would answer the first.
   */
  async gatewayBarrier(shard = 0, timeoutMs = 5000): Promise<void> {
    return this.gateway.gatewayBarrier(shard, timeoutMs);
  }

  /** Stop (or resume) answering heartbeats with op 11, to provoke zombie-connection handling. */
  setHeartbeatAcks(enabled: boolean): void {
    this.gateway.setHeartbeatAcks(enabled);
  }

  /** Sends any dispatch on a shard's live session (buffered for replay if the socket is down). */
  dispatch(shard: number, t: string, d: unknown): number {
    return this.gateway.dispatch(shard, t, d);
  }

  // -------------------------------------------------------------------------------------------
  // Interactions
  // -------------------------------------------------------------------------------------------

  slashCommand(opts: SlashCommandOptions): InteractionHandle {
    return this.interactions.slashCommand(opts);
  }

  /**
   * APPLICATION_COMMAND_AUTOCOMPLETE for a registered command whose focused option has `autocomplete: true` (throws
   * otherwise: Discord would not send it). The bot answers with callback type 8; `choices()` resolves with an accepted
   * answer's choices, while a late, malformed or other-typed answer is refused as Discord refuses it.
   */
  autocomplete(opts: AutocompleteOptions): AutocompleteHandle {
    return this.interactions.autocomplete(opts);
  }

  /**
   * A file as if a user attached it to an ATTACHMENT option (type 11): pass the returned `id` as that option's value
   * in slashCommand. Its `url` / `proxy_url` are Discord's signed CDN URLs; the bytes are served at the same path on
   * `cdnUrl` (404 for unknown ids or a changed signature; `truncateAfterBytes` cuts the download short).
   */
  addAttachment(upload: AttachmentUpload): ResolvedAttachment {
    return this.cdn.add(upload);
  }

  pressButton(opts: ButtonOptions): InteractionHandle {
    return this.interactions.pressButton(opts);
  }

  submitModal(opts: ModalSubmitOptions): InteractionHandle {
    return this.interactions.submitModal(opts);
  }

  // -------------------------------------------------------------------------------------------
  // REST
  // -------------------------------------------------------------------------------------------

  /** The next `times` requests matching method+path (path without /api/v10) fail with `fault`. */
  failRest(match: { method?: string; path: RegExp }, fault: RestFault, times = 1): void {
    this.rest.faults.add(match, fault, times);
  }

  /** Registered command set: global when no guildId. */
  commands(guildId?: string): unknown[] {
    return this.commandRegistry.list(guildId);
  }
}
