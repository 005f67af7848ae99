// Which of up to 100 users are members of a guild, asked over the gateway: op 8 Request Guild Members with `user_ids`
// on the shard holding the guild, answered by GUILD_MEMBERS_CHUNK (read raw, for its `not_found`).
// Why op 8 and not REST `GET /guilds/{id}/members/{user}`: one gateway message asks about 100 members (a server view
// of 300 is 3 messages, each answered in one round trip), it needs no privileged intent when asking by id, and it
// spends nothing of the app's REST budget (50 requests/s for all of the bot), where REST is one request per member.
// Discord allows a connection 120 messages a minute (heartbeats and op 3 included; discord.js stops at 115), so this
// sends at most LOOKUPS_PER_MINUTE per shard and fails the lookup beyond that: the caller keeps what it knew.
import { GatewayDispatchEvents, GatewayOpcodes, Status, type Client } from 'discord.js';

export const MAX_USER_IDS_PER_LOOKUP = 100;
export const MEMBER_LOOKUP_TIMEOUT_MS = 2_000;
export const LOOKUPS_PER_MINUTE = 60;

/** Discord gave no answer: not connected, silent past the deadline, rate limited, or this client's budget spent. */
export class MemberLookupError extends Error {
  override readonly name = 'MemberLookupError';
}

export interface MemberLookup {
  /** Asks Discord once; rejects with MemberLookupError when there is no answer. */
  lookup(guildId: string, userIds: readonly string[]): Promise<{ found: string[]; notFound: string[] }>;
  /** Stop listening; pending lookups fail. */
  close(): void;
}

interface RawChunk {
  guild_id?: string;
  members?: Array<{ user?: { id?: string } }>;
  not_found?: unknown[];
  chunk_index?: number;
  chunk_count?: number;
  nonce?: string;
}

interface RawRateLimited {
  opcode?: number;
  retry_after?: number;
  meta?: { nonce?: string };
}

interface Pending {
  found: string[];
  notFound: string[];
  chunks: number;
  resolve: (answer: { found: string[]; notFound: string[] }) => void;
  reject: (error: MemberLookupError) => void;
  timer: NodeJS.Timeout;
}

export function gatewayMemberLookup(client: Client, options: { timeoutMs?: number; now?: () => number } = {}): MemberLookup {
  const timeoutMs = options.timeoutMs ?? MEMBER_LOOKUP_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  const pending = new Map<string, Pending>();
  /** shard id → when its recent lookups were sent (the last minute's). */
  const sent = new Map<number, number[]>();
  // Nonces are at most 32 bytes; a per-client prefix keeps two clients in one process apart.
  const prefix = `m${Math.random().toString(36).slice(2, 8)}`;
  let counter = 0;

  const settle = (nonce: string, outcome: { error: MemberLookupError } | { ok: true }): void => {
    const p = pending.get(nonce);
    if (!p) return;
    pending.delete(nonce);
    clearTimeout(p.timer);
    if ('error' in outcome) p.reject(outcome.error);
    else p.resolve({ found: p.found, notFound: p.notFound });
  };
  const onChunk = (data: RawChunk): void => {
    const p = typeof data.nonce === 'string' ? pending.get(data.nonce) : undefined;
    if (!p || typeof data.nonce !== 'string') return;
    for (const member of data.members ?? []) if (typeof member.user?.id === 'string') p.found.push(member.user.id);
    for (const id of data.not_found ?? []) if (typeof id === 'string' || typeof id === 'number') p.notFound.push(String(id));
    p.chunks++;
    if (p.chunks >= (data.chunk_count ?? 1)) settle(data.nonce, { ok: true });
  };
  const onRateLimited = (data: RawRateLimited): void => {
    const nonce = data.meta?.nonce;
    if (data.opcode === GatewayOpcodes.RequestGuildMembers && typeof nonce === 'string') {
      settle(nonce, { error: new MemberLookupError(`Discord rate limited the member lookup (retry after ${String(data.retry_after)} s)`) });
    }
  };
  client.ws.on(GatewayDispatchEvents.GuildMembersChunk, onChunk);
  client.ws.on(GatewayDispatchEvents.RateLimited, onRateLimited);

  const spend = (shardId: number): boolean => {
    const cutoff = now() - 60_000;
    const recent = (sent.get(shardId) ?? []).filter((at) => at > cutoff);
    if (recent.length >= LOOKUPS_PER_MINUTE) {
      sent.set(shardId, recent);
      return false;
    }
    recent.push(now());
    sent.set(shardId, recent);
    return true;
  };

  return {
    lookup(guildId, userIds) {
      if (userIds.length === 0) return Promise.resolve({ found: [], notFound: [] });
      if (userIds.length > MAX_USER_IDS_PER_LOOKUP) {
        return Promise.reject(new RangeError(`at most ${MAX_USER_IDS_PER_LOOKUP} users per member lookup`));
      }
      const guild = client.guilds.cache.get(guildId);
      if (!guild) return Promise.reject(new MemberLookupError(`guild ${guildId} is not held by this client`));
      const shard = client.ws.shards.get(guild.shardId);
      if (!shard || shard.status !== Status.Ready) return Promise.reject(new MemberLookupError('the gateway is not connected'));
      if (!spend(guild.shardId)) return Promise.reject(new MemberLookupError(`more than ${LOOKUPS_PER_MINUTE} member lookups a minute on this shard`));
      const nonce = `${prefix}${(counter++).toString(36)}`;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => settle(nonce, { error: new MemberLookupError(`Discord did not answer the member lookup within ${timeoutMs} ms`) }),
          timeoutMs,
        );
        timer.unref();
        pending.set(nonce, { found: [], notFound: [], chunks: 0, resolve, reject, timer });
        shard.send({ op: GatewayOpcodes.RequestGuildMembers, d: { guild_id: guildId, user_ids: [...userIds], limit: 0, presences: false, nonce } });
      });
    },
    close() {
      client.ws.off(GatewayDispatchEvents.GuildMembersChunk, onChunk);
      client.ws.off(GatewayDispatchEvents.RateLimited, onRateLimited);
      for (const nonce of [...pending.keys()]) settle(nonce, { error: new MemberLookupError('the client stopped') });
    },
  };
}
