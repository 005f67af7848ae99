// Who is still a member of a server, for every view that shows members per server (/listening, page buttons, and
// later history's server views). Without the privileged GUILD_MEMBERS intent Discord never says that a member left
// (no GUILD_MEMBER_REMOVE), so the bot asks: `currentMembers` answers from what Discord said within the last minute,
// and asks Discord for the rest in one batch (src/discord/member-lookup.ts: op 8 by user_ids on the guild's shard).
// - At most `ttlMs` (60 s) old per (guild, user): a member who left is no longer shown within a minute.
// - Not found → gone from the answer, and every `onLeft` listener runs (prune the link's guild, the status entry).
// - No answer (gateway down, Discord silent, budget spent) → the last known answer, and a member never asked about
//   counts as present: an outage of the lookup never empties a server's views. Asked again after 15 s.
//   An access check (`unknownAs: 'absent'`) counts only what Discord said: an outage, or a budget spent on purpose,
//   never lets a button show a member nobody could confirm.
// - What Discord says anyway (an interaction from a member, a resolved `user` option) is noted for free (`observe`).
// Lives in the process holding the guild (a shard under SHARDS), like the status store: no RPC.
import type { Client } from 'discord.js';
import { gatewayMemberLookup, MAX_USER_IDS_PER_LOOKUP, MemberLookupError, type MemberLookup } from '../discord/member-lookup.js';
import { silentLogger, type Logger } from '../logger.js';
import { OutageLog } from '../outage.js';

/** How old a membership answer may be when shown. */
export const MEMBERSHIP_TTL_MS = 60_000;
/** After a lookup got no answer, the last known answer stands this long before asking again. */
export const MEMBERSHIP_RETRY_MS = 15_000;
const MAX_ENTRIES = 50_000;

export type LeftListener = (guildId: string, userId: string) => void;

export interface GuildMembershipOptions {
  now?: () => number;
  ttlMs?: number;
  /** How long to wait for Discord's answer (default src/discord/member-lookup.ts's 2 s). */
  lookupTimeoutMs?: number;
  logger?: Logger;
}

interface Known {
  present: boolean;
  /** Never answered by Discord: present only by the outage rule. */
  assumed: boolean;
  /** When it counts as asked (epoch ms); after a failed lookup, set so that it is asked again in 15 s. */
  at: number;
}

export class GuildMembership {
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly known = new Map<string, Known>();
  private readonly pending = new Map<string, Promise<Known>>();
  private readonly leftListeners = new Set<LeftListener>();
  private readonly outage: OutageLog;
  private lookup: MemberLookup | null = null;

  constructor(private readonly options: GuildMembershipOptions = {}) {
    this.now = options.now ?? Date.now;
    this.ttlMs = options.ttlMs ?? MEMBERSHIP_TTL_MS;
    this.outage = new OutageLog({
      logger: options.logger ?? silentLogger,
      down: 'member lookups get no answer from Discord: server views show members as last known',
      back: 'member lookups answered again',
      now: this.now,
    });
  }

  /** Ask through this client's gateway from now on; returns the detach. */
  attach(client: Client): () => void {
    const lookup = gatewayMemberLookup(client, this.options.lookupTimeoutMs !== undefined ? { timeoutMs: this.options.lookupTimeoutMs } : {});
    this.lookup = lookup;
    return () => {
      if (this.lookup === lookup) this.lookup = null;
      lookup.close();
    };
  }

  /** Called with each member found gone (the answer no longer lists them). Returns the unsubscribe. */
  onLeft(listener: LeftListener): () => void {
    this.leftListeners.add(listener);
    return () => this.leftListeners.delete(listener);
  }

  /** Discord just told us, as part of something else (an interaction from them; a `user` option resolved or not). */
  observe(guildId: string, userId: string, present: boolean): void {
    this.remember(guildId, userId, present);
  }

  /**
   * Which of `userIds` are members of `guildId`, known within the last minute (batched: ≤ 100 ids per lookup).
   * `unknownAs: 'absent'` for access checks: a member Discord never confirmed is not one (default 'present', for
   * views: an outage keeps them listed).
   */
  async currentMembers(
    guildId: string,
    userIds: Iterable<string>,
    options: { unknownAs?: 'present' | 'absent' } = {},
  ): Promise<Set<string>> {
    const strict = options.unknownAs === 'absent';
    const now = this.now();
    const members = new Set<string>();
    const count = (userId: string, known: Known): void => {
      if (known.present && !(strict && known.assumed)) members.add(userId);
    };
    const waits: Array<Promise<void>> = [];
    const ask: string[] = [];
    for (const userId of new Set(userIds)) {
      const key = keyOf(guildId, userId);
      const known = this.known.get(key);
      if (known && now - known.at < this.ttlMs) {
        count(userId, known);
        continue;
      }
      const pending = this.pending.get(key);
      if (pending) waits.push(pending.then((k) => count(userId, k)));
      else ask.push(userId);
    }
    for (let i = 0; i < ask.length; i += MAX_USER_IDS_PER_LOOKUP) {
      const batch = ask.slice(i, i + MAX_USER_IDS_PER_LOOKUP);
      const answer = this.ask(guildId, batch);
      for (const userId of batch) {
        const key = keyOf(guildId, userId);
        const known = answer.then((answers) => answers.get(userId) ?? { present: true, assumed: true, at: 0 });
        this.pending.set(key, known);
        waits.push(known.then((k) => count(userId, k)));
        void known.finally(() => {
          if (this.pending.get(key) === known) this.pending.delete(key);
        });
      }
    }
    await Promise.all(waits);
    return members;
  }

  /**
   * Whether `currentMembers` would ask Discord about any of these now (no answer within the TTL, none pending): a
   * caller going through many servers (the weekly recap) paces itself by it, within the shard's lookup budget.
   */
  needsLookup(guildId: string, userIds: Iterable<string>): boolean {
    const now = this.now();
    for (const userId of userIds) {
      const key = keyOf(guildId, userId);
      const known = this.known.get(key);
      if ((!known || now - known.at >= this.ttlMs) && !this.pending.has(key)) return true;
    }
    return false;
  }

  /** One lookup; never rejects: without an answer, each id keeps its last known state (present if never known). */
  private async ask(guildId: string, userIds: string[]): Promise<Map<string, Known>> {
    const answers = new Map<string, Known>();
    try {
      if (!this.lookup) throw new MemberLookupError('no gateway connection to ask');
      const { found, notFound } = await this.lookup.lookup(guildId, userIds);
      this.outage.success();
      const foundIds = new Set(found);
      const gone = new Set(notFound);
      for (const userId of userIds) {
        if (foundIds.has(userId)) answers.set(userId, this.remember(guildId, userId, true));
        else if (gone.has(userId)) answers.set(userId, this.remember(guildId, userId, false));
        else answers.set(userId, this.keepLastKnown(guildId, userId));
      }
    } catch (error) {
      this.outage.failure(error, { guild: guildId });
      for (const userId of userIds) answers.set(userId, this.keepLastKnown(guildId, userId));
    }
    return answers;
  }

  private keepLastKnown(guildId: string, userId: string): Known {
    const key = keyOf(guildId, userId);
    const last = this.known.get(key);
    const known = { present: last?.present ?? true, assumed: last?.assumed ?? true, at: this.now() - this.ttlMs + MEMBERSHIP_RETRY_MS };
    this.set(key, known);
    return known;
  }

  private remember(guildId: string, userId: string, present: boolean): Known {
    const known = { present, assumed: false, at: this.now() };
    this.set(keyOf(guildId, userId), known);
    // Every time, not once: pruning what is already pruned is a no-op, and a prune that failed is retried.
    if (!present) for (const listener of this.leftListeners) listener(guildId, userId);
    return known;
  }

  private set(key: string, known: Known): void {
    this.known.delete(key);
    this.known.set(key, known);
    if (this.known.size > MAX_ENTRIES) this.known.delete(this.known.keys().next().value!);
  }
}

const keyOf = (guildId: string, userId: string): string => `${guildId}:${userId}`;
