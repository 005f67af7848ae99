// The gateway: sessions, IDENTIFY and RESUME, heartbeats, presence updates (op 3), Request Guild Members (op 8), and
// dispatches with sequence numbers and a replay buffer, as Discord's gateway v10 speaks them (JSON text frames).
import type { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { WebSocket, type RawData } from 'ws';
import { isRecord, toJsonObject } from './json.js';
import { parseMemberRequest } from './member-request.js';
import { parseBotPresence, type PresencePayload } from './presence.js';
import type { RestRouter } from './rest.js';
import { shardForGuild } from './snowflake.js';
import { Intents, type IdentifyRecord, type MemberRequestRecord, type ResumeRecord } from './types.js';
import type { World } from './world.js';

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

export interface Session {
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

/** What the gateway reads from the emulator, live (tests change some of these while a client runs). */
export interface GatewayHost {
  readonly token: string;
  readonly shardCount: number;
  readonly maxConcurrency: number;
  readonly gatewayUrl: string;
  readonly heartbeatIntervalMs: number;
  readonly disallowedIntents: number;
  readonly answerMemberRequests: boolean;
  emit: EventEmitter['emit'];
}

export class Gateway {
  readonly identifies: IdentifyRecord[] = [];
  readonly resumes: ResumeRecord[] = [];
  readonly presenceUpdates: Array<{ shard: number; at: number; payload: PresencePayload }> = [];
  readonly heartbeats: Array<{ shard: number | null; seq: number | null; at: number }> = [];
  readonly closes: Array<{ shard: number | null; code: number; at: number }> = [];
  readonly refusedPresences: Array<{ shard: number | null; reason: string; at: number }> = [];
  readonly memberRequests: MemberRequestRecord[] = [];
  readonly refusedMemberRequests: Array<{ shard: number; reason: string; at: number }> = [];
  private readonly connections = new Set<GatewayConnection>();
  private readonly sessions = new Map<string, Session>();
  private readonly liveSessions = new Map<number, Session>();
  private ackHeartbeats = true;
  private closed = false;

  constructor(
    private readonly host: GatewayHost,
    private readonly world: World,
  ) {}

  /** Terminates every connection; later dispatches throw. */
  close(): void {
    this.closed = true;
    for (const conn of this.connections) conn.socket.terminate();
    this.connections.clear();
  }

  registerRoutes(router: RestRouter): void {
    router.route('GET', '/gateway/bot', () => ({
      status: 200,
      body: {
        url: this.host.gatewayUrl,
        shards: this.host.shardCount,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: this.host.maxConcurrency },
      },
    }));
    router.route('GET', '/gateway', () => ({ status: 200, body: { url: this.host.gatewayUrl } }));
  }

  identifiedIntents(shard = 0): number | null {
    return this.liveSessions.get(shard)?.intents ?? null;
  }

  /** The valid session of the shard holding `guildId`, if that shard is identified. */
  guildSession(guildId: string): Session | null {
    const session = this.liveSessions.get(shardForGuild(guildId, this.host.shardCount));
    return session && session.valid ? session : null;
  }

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

  sendDispatch(session: Session, t: string, d: unknown): number {
    session.seq += 1;
    const frame: DispatchFrame = { op: 0, t, s: session.seq, d };
    session.buffer.push(frame);
    if (session.buffer.length > 1000) session.buffer.shift();
    const conn = session.connection;
    if (conn && conn.socket.readyState === WebSocket.OPEN) conn.socket.send(JSON.stringify(frame));
    return session.seq;
  }

  onConnection(socket: WebSocket, url: URL): void {
    const conn: GatewayConnection = { socket, session: null, acked: true, heartbeatWaiters: [] };
    this.connections.add(conn);
    this.host.emit('connection', { url: url.toString() });
    socket.on('error', () => undefined);
    socket.on('close', (code: number) => {
      this.connections.delete(conn);
      const shard = conn.session?.shard ?? null;
      if (conn.session && conn.session.connection === conn) conn.session.connection = null;
      this.closes.push({ shard, code, at: Date.now() });
      this.host.emit('disconnect', { shard, code });
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
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.host.heartbeatIntervalMs }, s: null, t: null }));
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
        this.host.emit('heartbeat', { shard: conn.session?.shard ?? null, seq: d });
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
        this.host.emit('presence', record);
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
        this.host.emit('gatewayOp', { shard: conn.session.shard, op: frame.op, d });
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
      this.host.emit('memberRequestRefused', record);
      conn.socket.close(4001, 'Unknown opcode.');
      return;
    }
    const request = parsed.request;
    const onThisShard =
      this.world.guildIds.includes(request.guildId) && shardForGuild(request.guildId, session.shardCount) === session.shard;
    const answered = this.host.answerMemberRequests && onThisShard && request.mode === 'user_ids';
    const record: MemberRequestRecord = { shard: session.shard, request, answered, at: Date.now() };
    this.memberRequests.push(record);
    if (answered && request.mode === 'user_ids') {
      const guildMembers = this.world.members.get(request.guildId);
      const found = request.userIds.flatMap((id) => {
        const member = guildMembers?.get(id);
        return member ? [member] : [];
      });
      const chunk: Record<string, unknown> = {
        guild_id: request.guildId,
        members: found.map((m) => this.world.memberObject(m)),
        chunk_index: 0,
        chunk_count: 1,
        not_found: request.userIds.filter((id) => !guildMembers?.has(id)),
      };
      if (request.presences && (session.intents & Intents.GuildPresences) !== 0) {
        const presences = this.world.presences.get(request.guildId);
        chunk.presences = found.flatMap((m) => {
          const id = String(m.user.id);
          const p = presences?.get(id);
          return p ? [{ user: { id }, guild_id: request.guildId, ...this.world.presenceFields(p) }] : [];
        });
      }
      if (request.nonce !== null) chunk.nonce = request.nonce;
      for (const m of found) session.knownUsers.add(String(m.user.id));
      this.sendDispatch(session, 'GUILD_MEMBERS_CHUNK', toJsonObject(chunk));
    }
    this.host.emit('memberRequest', record);
  }

  private refusePresence(conn: GatewayConnection, reason: string): void {
    const record = { shard: conn.session?.shard ?? null, reason, at: Date.now() };
    this.refusedPresences.push(record);
    this.host.emit('presenceRefused', record);
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
    if (d.token !== this.host.token && d.token !== `Bot ${this.host.token}`) {
      conn.socket.close(4004, 'Authentication failed.');
      return;
    }
    const shardArr = Array.isArray(d.shard) ? d.shard : [0, 1];
    const shardId = Number(shardArr[0] ?? 0);
    const count = Number(shardArr[1] ?? 1);
    if (!Number.isInteger(shardId) || count !== this.host.shardCount || shardId < 0 || shardId >= count) {
      conn.socket.close(4010, `Invalid shard [${String(shardArr[0])}, ${String(shardArr[1])}] (emulator shardCount ${this.host.shardCount})`);
      return;
    }
    if (typeof d.intents !== 'number') {
      conn.socket.close(4013, 'Invalid intent(s).');
      return;
    }
    if ((d.intents & this.host.disallowedIntents) !== 0) {
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
      knownUsers: new Set([this.world.botUserId]),
    };
    conn.session = session;
    this.sessions.set(session.id, session);
    this.liveSessions.set(shardId, session);
    const record: IdentifyRecord = { shard: [shardId, count], intents: d.intents, sessionId: session.id, at: Date.now() };
    if (presence) record.presence = presence;
    this.identifies.push(record);
    this.host.emit('identify', record);

    const shardGuilds = this.world.guildIds.filter((g) => shardForGuild(g, count) === shardId);
    this.sendDispatch(session, 'READY', {
      v: 10,
      user_settings: {},
      user: this.world.botUser(),
      guilds: shardGuilds.map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.host.gatewayUrl,
      application: { id: this.world.applicationId, flags: 0 },
      shard: [shardId, count],
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      _trace: ['["discord-emulator",{"micros":0}]'],
    });
    for (const guildId of shardGuilds) this.sendDispatch(session, 'GUILD_CREATE', this.world.guildCreate(guildId, session));
    this.host.emit('ready', { shard: shardId, sessionId: session.id });
  }

  private onResume(conn: GatewayConnection, d: unknown): void {
    if (!isRecord(d)) {
      conn.socket.close(4002, 'Decode error');
      return;
    }
    if (d.token !== this.host.token && d.token !== `Bot ${this.host.token}`) {
      conn.socket.close(4004, 'Authentication failed.');
      return;
    }
    const sessionId = typeof d.session_id === 'string' ? d.session_id : '';
    const seq = typeof d.seq === 'number' ? d.seq : 0;
    const session = this.sessions.get(sessionId);
    if (!session || !session.valid || (conn.session && conn.session !== session)) {
      this.host.emit('resumeFailed', { session_id: sessionId, seq });
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
    this.host.emit('resume', record);
  }
}
