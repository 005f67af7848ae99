// Linked members: Discord users who linked their own Spotify account (`/spotify link`), the seats they take, their
// privacy choice, and unlinking. The owner is always a listener too and takes the first seat.
//
// Storage (the owner's keys are unchanged; nothing here is keyed by a Spotify id):
//   members:index            the linked members' Discord ids (the seats in use besides the owner's)
//   member:<discord id>      their link record: Spotify id and name, when, privacy, guilds they used the bot in
//   member:dropped:<id>      only while a "your link was dropped" notice is still owed to them (DM refused)
// and per account (`user:<discord id>`, src/listeners/registry.ts): grant, access token, cached top lists, grant
// health notices. `unlink` deletes all of it at once, plus a login still pending for them.
//
// This module is the manager's (the one Spotify client): `MembersFeature` is `Services['members']`, reached over
// RPC from shards. `linkedMembersOver` turns that namespace into the `LinkedMembers` src/listeners/resolve.ts asks,
// so resolution is the same code in one process and in a shard.
import type { FeatureDeps } from '../feature-deps.js';
import { translatorFor, type Translator } from '../i18n/translator.js';
import type { Logger } from '../logger.js';
import type { Storage } from '../storage.js';
import { OWNER, type Listener } from './listener.js';
import type { ListenerRegistry } from './registry.js';
import type { LinkedMembers } from './resolve.js';

export type Privacy = 'server' | 'private';
export const PRIVACY_LABELS: Record<Privacy, string> = {
  server: 'Visible to members of servers we share',
  private: 'Only me',
};

/** What storage keeps for one linked member. */
export interface MemberLink {
  userId: string;
  spotifyId: string;
  spotifyName: string | null;
  linkedAt: number;
  privacy: Privacy;
  /** Guilds the member used the bot in while linked (for /listening), newest last, bounded; one they left is removed. */
  guilds: string[];
  /** Fingerprint of the grant whose expiry reminder was already shown in a reply. */
  remindedFor: string | null;
  /** 'off': the member said /history off (or deleted their history); absent: recorded from linking on. */
  history?: 'off';
}

/** A member's link as commands see it (plain JSON: crosses the sharding IPC). */
export interface MemberView {
  userId: string;
  spotifyId: string;
  spotifyName: string | null;
  linkedAt: number;
  privacy: Privacy;
}

export interface SeatsView {
  /** Seats in use, the owner's included. */
  used: number;
  max: number;
  members: Array<{ userId: string; spotifyId: string; spotifyName: string | null }>;
}

export const MEMBERS_INDEX_KEY = 'members:index';
export const memberKey = (userId: string): string => `member:${userId}`;
export const droppedKey = (userId: string): string => `member:dropped:${userId}`;
const DROPPED_NOTICE_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const MAX_GUILDS_PER_MEMBER = 25;

export const linkedListener = (userId: string): Listener => ({ kind: 'linked', userId });

const view = (link: MemberLink): MemberView => ({
  userId: link.userId,
  spotifyId: link.spotifyId,
  spotifyName: link.spotifyName,
  linkedAt: link.linkedAt,
  privacy: link.privacy,
});

/**
 * The link records and seats in storage. Changes to the seats go through `exclusive`, so two members finishing a
 * link at once can't both take the last seat (the manager is the only process that writes them).
 */
export class MemberDirectory {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly storage: Storage,
    /** Seats in all, the owner's included. */
    readonly maxUsers: number,
  ) {}

  /** Run `work` after every earlier exclusive task (one at a time). */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async get(userId: string): Promise<MemberLink | null> {
    return (await this.storage.get<MemberLink>(memberKey(userId))) ?? null;
  }

  async ids(): Promise<string[]> {
    return (await this.storage.get<string[]>(MEMBERS_INDEX_KEY)) ?? [];
  }

  /** Seats in use (the owner's included). */
  async used(): Promise<number> {
    return 1 + (await this.ids()).length;
  }

  /** Whether `userId` may take a seat now: already linked, or one is free. */
  async hasSeatFor(userId: string): Promise<boolean> {
    const ids = await this.ids();
    return ids.includes(userId) || 1 + ids.length < this.maxUsers;
  }

  /** Store a link (call inside `exclusive`, after `hasSeatFor`). */
  async put(link: MemberLink): Promise<void> {
    await this.storage.set(memberKey(link.userId), link);
    const ids = await this.ids();
    if (!ids.includes(link.userId)) await this.storage.set(MEMBERS_INDEX_KEY, [...ids, link.userId]);
  }

  async update(userId: string, change: (link: MemberLink) => MemberLink): Promise<MemberLink | null> {
    const link = await this.get(userId);
    if (!link) return null;
    const next = change(link);
    await this.storage.set(memberKey(userId), next);
    return next;
  }

  /** Remove the link record and the seat. */
  async remove(userId: string): Promise<void> {
    const ids = await this.ids();
    if (ids.includes(userId)) await this.storage.set(MEMBERS_INDEX_KEY, ids.filter((id) => id !== userId));
    await this.storage.delete(memberKey(userId));
  }
}

/** What MembersFeature needs from the account feature (reminders, and forgetting a login still pending). */
export interface MemberAccountHooks {
  /** A reminder to show in the member's next reply when their grant expires within 14 days, once per grant. */
  expiryReminder(listener: Listener, alreadyShownFor: string | null, tr: Translator): Promise<{ text: string; grant: string } | null>;
  /** Check the grant's expiry now (sends the reminder DM once per grant). */
  checkExpiry(listener: Listener): Promise<void>;
  forgetPendingLogin(userId: string): Promise<void>;
}

export type UnlinkReason = 'unlink' | 'invalid_grant';

/** `Services['members']`: link records, privacy, seats, unlink. */
export interface MembersNamespace {
  get(userId: string): Promise<MemberView | null>;
  privateAmong(userIds: string[]): Promise<string[]>;
  inGuild(guildId: string): Promise<MemberView[]>;
  seenIn(userId: string, guildId: string): Promise<void>;
  /** Forget that a member is in this guild (Discord says they left: src/listeners/membership.ts). */
  leftGuild(userId: string, guildId: string): Promise<void>;
  setPrivacy(userId: string, privacy: Privacy): Promise<MemberView | null>;
  seats(): Promise<SeatsView>;
  /** `locale`: the asker's Discord locale, the language the notices are put in. */
  notices(userId: string, locale?: string | null): Promise<string[]>;
  unlink(userId: string): Promise<boolean>;
}

/** `Services['members']`: link records, privacy, seats, unlink — and dropping a link Spotify declared dead. */
export class MembersFeature implements MembersNamespace {
  private readonly storage: Storage;
  private readonly listeners: ListenerRegistry;
  private readonly logger: Logger;
  private readonly notify: FeatureDeps['notify'];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    deps: FeatureDeps,
    private readonly directory: MemberDirectory,
    private readonly account: MemberAccountHooks,
  ) {
    this.storage = deps.storage;
    this.listeners = deps.listeners;
    this.logger = deps.logger.child('members');
    this.notify = deps.notify;
    // A member's grant declared dead (revoked, or past 6 months): the link is dropped at once — no retries, nothing
    // kept — and the member is told once.
    deps.tokens.onAuthFailure((account, error) => {
      if (error.reason !== 'invalid_grant' || !account.startsWith('user:')) return;
      void this.drop(account.slice('user:'.length), 'invalid_grant').catch((failure: unknown) =>
        this.logger.error('could not drop a dead member link', { error: failure }),
      );
    });
  }

  /** The member's link, or null. */
  async get(userId: string): Promise<MemberView | null> {
    const link = await this.directory.get(userId);
    return link ? view(link) : null;
  }

  /** Of these users, the linked members who chose "only me". */
  async privateAmong(userIds: string[]): Promise<string[]> {
    // Only linked members can choose "only me": one read of the index, not one per id asked about (/listening asks
    // about everyone listening in a server — hundreds).
    const linked = new Set(await this.directory.ids());
    const links = await Promise.all(userIds.filter((id) => linked.has(id)).map((id) => this.directory.get(id)));
    return links.flatMap((link) => (link && link.privacy === 'private' ? [link.userId] : []));
  }

  /** Linked members who used the bot in this guild while linked. */
  async inGuild(guildId: string): Promise<MemberView[]> {
    const links = await Promise.all((await this.directory.ids()).map((id) => this.directory.get(id)));
    return links.flatMap((link) => (link && link.guilds.includes(guildId) ? [view(link)] : []));
  }

  /** Remember that a linked member used the bot in this guild (no-op for anyone else, or when already known). */
  async seenIn(userId: string, guildId: string): Promise<void> {
    const link = await this.directory.get(userId);
    if (!link || link.guilds.includes(guildId)) return;
    await this.directory.update(userId, (l) => ({ ...l, guilds: [...l.guilds, guildId].slice(-MAX_GUILDS_PER_MEMBER) }));
  }

  /** Forget this guild for a linked member who left it (no-op for anyone else, or when not listed). */
  async leftGuild(userId: string, guildId: string): Promise<void> {
    const link = await this.directory.get(userId);
    if (!link || !link.guilds.includes(guildId)) return;
    await this.directory.update(userId, (l) => ({ ...l, guilds: l.guilds.filter((g) => g !== guildId) }));
    this.logger.debug('a linked member left a server: no longer listed there', { account: `user:${userId}` });
  }

  async setPrivacy(userId: string, privacy: Privacy): Promise<MemberView | null> {
    const link = await this.directory.update(userId, (l) => ({ ...l, privacy }));
    return link ? view(link) : null;
  }

  async seats(): Promise<SeatsView> {
    const links = await Promise.all((await this.directory.ids()).map((id) => this.directory.get(id)));
    const members = links.flatMap((l) => (l ? [{ userId: l.userId, spotifyId: l.spotifyId, spotifyName: l.spotifyName }] : []));
    return { used: 1 + members.length, max: this.directory.maxUsers, members };
  }

  /**
   * Notices owed to this member, to show with their command's reply (each once): their link was dropped while they
   * could not be told, or their grant expires within 14 days.
   */
  async notices(userId: string, locale?: string | null): Promise<string[]> {
    const out: string[] = [];
    const tr = await translatorFor(locale);
    // Whatever is stored (a marker; the English text before notices were localized) means the same notice.
    const dropped = await this.storage.get<string>(droppedKey(userId));
    if (dropped) {
      out.push(droppedText(tr));
      await this.storage.delete(droppedKey(userId));
    }
    const link = await this.directory.get(userId);
    if (link) {
      const reminder = await this.account.expiryReminder(linkedListener(userId), link.remindedFor, tr);
      if (reminder) {
        await this.directory.update(userId, (l) => ({ ...l, remindedFor: reminder.grant }));
        out.push(reminder.text);
        void this.account.checkExpiry(linkedListener(userId)).catch(() => undefined);
      }
    }
    return out;
  }

  /** Delete everything stored for this member. Resolves true when they were linked. */
  async unlink(userId: string): Promise<boolean> {
    return this.drop(userId, 'unlink');
  }

  /** Check every member's grant expiry now and daily (reminder DMs); with the owner's grant health. */
  startReminders(): void {
    if (this.timer) return;
    const sweep = async (): Promise<void> => {
      for (const id of await this.directory.ids()) await this.account.checkExpiry(linkedListener(id)).catch(() => undefined);
    };
    void sweep();
    this.timer = setInterval(() => void sweep(), 24 * 60 * 60 * 1000);
    this.timer.unref();
  }

  stopReminders(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async drop(userId: string, reason: UnlinkReason): Promise<boolean> {
    const wasLinked = await this.directory.exclusive(async () => {
      const linked = (await this.directory.get(userId)) !== null || (await this.directory.ids()).includes(userId);
      await this.directory.remove(userId);
      await this.account.forgetPendingLogin(userId);
      await this.listeners.delete(linkedListener(userId));
      if (reason === 'unlink') await this.storage.delete(droppedKey(userId));
      return linked;
    });
    this.logger.info(reason === 'unlink' ? 'member unlinked' : 'member link dropped: Spotify declared the grant dead', {
      account: `user:${userId}`,
    });
    if (reason === 'invalid_grant' && wasLinked) {
      // By DM in their language (their last interaction's, else BOT_LOCALE); if that fails, in their next reply.
      const sent = await this.notify(linkedListener(userId), droppedText);
      if (!sent) await this.storage.set(droppedKey(userId), 'invalid_grant', DROPPED_NOTICE_TTL_MS);
    }
    return wasLinked;
  }
}

/** A member's link was dropped because Spotify declared it dead. */
function droppedText(tr: Translator): string {
  return tr.t('account.memberDropped');
}

/**
 * `LinkedMembers` (src/listeners/resolve.ts) over `Services['members']`: the owner (BOT_OWNER_ID) is linked through
 * the bot's own grant and listed everywhere, as before; members through their link records. Works the same with the
 * local services and with a shard's RPC proxy.
 */
export function linkedMembersOver(members: MembersNamespace, ownerId: string | null): LinkedMembers {
  return {
    async listenerFor(userId) {
      if (ownerId !== null && userId === ownerId) return OWNER;
      return (await members.get(userId)) ? linkedListener(userId) : null;
    },
    async inGuild(guildId) {
      const linked = await members.inGuild(guildId);
      return [{ userId: ownerId, listener: OWNER }, ...linked.map((m) => ({ userId: m.userId, listener: linkedListener(m.userId) }))];
    },
    async privateAmong(userIds) {
      const others = userIds.filter((id) => id !== ownerId);
      return new Set(others.length > 0 ? await members.privateAmong(others) : []);
    },
  };
}
