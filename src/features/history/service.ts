// `Services['history']`: listening history with its consent rules, over the history store. Runs where the store is
// (the one process, or the manager under SHARDS); shards reach it through the RPC like every other service.
//
// Who is recorded (HISTORY=off turns all of it off):
// - the owner (BOT_OWNER_ID, or `owner` for the host's import script): unless they say /history off;
// - a linked member: from linking on, unless they say /history off (that choice lives in their link record, so
//   deleting their history leaves no trace of them in the history tables while recording stays off);
// - anyone else (their Discord status): only after /history on. Before that nothing is written, not even their id.
import type { Config } from '../../config.js';
import type { HistoryUser, PlayInput } from '../../history/play.js';
import { playBatch } from '../../history/play-batch.js';
import type { AddResult, ErasedHistory, HistoryStatus, HistoryStore, ImportRecord, StoredPlay, UserChoice } from '../../history/store.js';
import type { MemberLink } from '../../listeners/members.js';
import type { Logger } from '../../logger.js';
import { linkedListener } from '../../listeners/members.js';
import { OWNER } from '../../listeners/listener.js';
import type { RecordedAccount } from '../../history/recorders/recently-played.js';

export type HistoryKind = 'owner' | 'linked' | 'status';

/** What one person allows now. */
export interface Consent {
  /** Their new plays are recorded. */
  recording: boolean;
  /** They chose "only me": left out of every server view. */
  onlyMe: boolean;
}

export interface HistoryView extends HistoryStatus {
  /** Whether the history feature is on for this bot at all (HISTORY). */
  enabled: boolean;
  kind: HistoryKind;
  /** Whether new plays are recorded now. */
  recording: boolean;
}

/** The most plays one export page carries (across the sharding IPC too). */
export const EXPORT_PAGE_SIZE = 5_000;

export class HistoryDisabledError extends Error {
  override name = 'HistoryDisabledError';
  constructor() {
    super('listening history is turned off on this bot (HISTORY=off)');
  }
}

export interface HistoryFeatureDeps {
  config: Pick<Config, 'discord' | 'history'>;
  logger: Logger;
  /** null when HISTORY=off: nothing is opened, every call says so. */
  store: HistoryStore | null;
  directory: {
    get(userId: string): Promise<MemberLink | null>;
    ids(): Promise<string[]>;
    update(userId: string, change: (link: MemberLink) => MemberLink): Promise<MemberLink | null>;
  };
}

export class HistoryFeature {
  private readonly store: HistoryStore | null;
  private readonly ownerId: string | null;

  constructor(private readonly deps: HistoryFeatureDeps) {
    this.store = deps.store;
    this.ownerId = deps.config.discord.ownerId;
  }

  /** The history key of a Discord user: the owner's plays are kept as `owner`. */
  userFor(userId: string): HistoryUser {
    return (userId === this.ownerId ? 'owner' : userId) as HistoryUser;
  }

  private need(): HistoryStore {
    if (this.store === null) throw new HistoryDisabledError();
    return this.store;
  }

  private async whoIs(userId: string): Promise<{ kind: HistoryKind; link: MemberLink | null }> {
    if (userId === 'owner' || userId === this.ownerId) return { kind: 'owner', link: null };
    const link = await this.deps.directory.get(userId);
    return { kind: link !== null ? 'linked' : 'status', link };
  }

  /** Recording now, from who they are and what they chose (a linked member's choice is in their link record). */
  private static recordingFor(who: { kind: HistoryKind; link: MemberLink | null }, choice: boolean | null): boolean {
    switch (who.kind) {
      case 'owner':
        return choice !== false;
      case 'linked':
        return who.link?.history !== 'off';
      case 'status':
        return choice === true;
    }
  }

  async view(userId: string): Promise<HistoryView> {
    const who = await this.whoIs(userId);
    const { kind } = who;
    if (this.store === null) {
      return {
        enabled: false,
        kind,
        recording: false,
        plays: 0,
        firstAt: null,
        lastAt: null,
        bySource: {},
        imports: [],
        choice: { recording: null, onlyMe: false },
      };
    }
    const status = await this.store.status(this.userFor(userId));
    return { ...status, enabled: true, kind, recording: HistoryFeature.recordingFor(who, status.choice.recording) };
  }

  /** /history on|off. Off for someone never recorded writes nothing (there is nothing to stop). */
  async setRecording(userId: string, recording: boolean): Promise<HistoryView> {
    const store = this.need();
    const user = this.userFor(userId);
    const { kind } = await this.whoIs(userId);
    if (kind === 'linked') {
      await this.deps.directory.update(userId, (link) => {
        const { history: _previous, ...rest } = link;
        return recording ? rest : { ...rest, history: 'off' };
      });
    } else if (recording || kind === 'owner' || (await store.choice(user)).recording !== null) {
      await store.setRecording(user, recording);
    }
    return this.view(userId);
  }

  /** "Only me" for a member without a Spotify link (a linked member's choice lives in their link record). */
  async setOnlyMe(userId: string, onlyMe: boolean): Promise<void> {
    await this.need().setOnlyMe(this.userFor(userId), onlyMe);
  }

  /** Whether this person's new plays are recorded now. */
  async isRecording(userId: string): Promise<boolean> {
    if (this.store === null) return false;
    const who = await this.whoIs(userId);
    return HistoryFeature.recordingFor(who, (await this.store.choice(this.userFor(userId))).recording);
  }

  /**
   * What these people allow now, for many at once (one store call): whether their new plays are recorded
   * (`isRecording`), and whether they chose "only me" (a linked member in their link record, anyone else with their
   * history; never the owner, whose listening is the bot's own status).
   */
  async consentAmong(userIds: readonly string[]): Promise<Map<string, Consent>> {
    const consent = new Map<string, Consent>();
    if (this.store === null || userIds.length === 0) return consent;
    const unique = [...new Set(userIds)];
    const [linked, choices] = await Promise.all([
      this.deps.directory.ids().then((ids) => new Set(ids)),
      this.store.choicesAmong(unique.map((id) => this.userFor(id))),
    ]);
    const choiceOf = new Map<string, UserChoice>(choices.map((c) => [c.user, c]));
    for (const userId of unique) {
      const choice = choiceOf.get(this.userFor(userId));
      if (userId === 'owner' || userId === this.ownerId) {
        consent.set(userId, { recording: HistoryFeature.recordingFor({ kind: 'owner', link: null }, choice?.recording ?? null), onlyMe: false });
      } else if (linked.has(userId)) {
        const link = await this.deps.directory.get(userId);
        const who = { kind: link !== null ? ('linked' as const) : ('status' as const), link };
        consent.set(userId, { recording: HistoryFeature.recordingFor(who, choice?.recording ?? null), onlyMe: link?.privacy === 'private' });
      } else {
        consent.set(userId, { recording: HistoryFeature.recordingFor({ kind: 'status', link: null }, choice?.recording ?? null), onlyMe: choice?.onlyMe === true });
      }
    }
    return consent;
  }

  /** Of these people, the ones recorded now: `isRecording` for many at once. */
  async recordingAmong(userIds: readonly string[]): Promise<Set<string>> {
    const recording = new Set<string>();
    for (const [userId, consent] of await this.consentAmong(userIds)) if (consent.recording) recording.add(userId);
    return recording;
  }

  /**
   * Members whose Discord status is recorded: opted in with /history on and not linked (a linked member is
   * recorded from Spotify only). The status detectors follow these and no one else.
   */
  async statusRecorded(): Promise<string[]> {
    if (this.store === null) return [];
    const linked = new Set(await this.deps.directory.ids());
    return (await this.store.optedIn()).filter((id) => id !== 'owner' && id !== this.ownerId && !linked.has(id));
  }

  /** Spotify accounts whose recently-played list is recorded now: the owner's and each recording linked member's. */
  async recordedAccounts(): Promise<RecordedAccount[]> {
    if (this.store === null) return [];
    const accounts: RecordedAccount[] = [];
    if ((await this.store.choice('owner')).recording !== false) accounts.push({ user: 'owner', listener: OWNER, since: null });
    for (const userId of await this.deps.directory.ids()) {
      const link = await this.deps.directory.get(userId);
      if (link === null || link.history === 'off') continue;
      // Recorded from linking on: nothing Spotify lists from before the member linked.
      accounts.push({ user: this.userFor(userId), listener: linkedListener(userId), since: link.linkedAt });
    }
    return accounts;
  }

  /** Completed plays from Discord status; consent is checked again here, where the choice is stored. */
  async recordStatusPlays(batch: Array<{ userId: string; plays: PlayInput[] }>): Promise<number> {
    if (this.store === null) return 0;
    const allowed = new Set(await this.statusRecorded());
    let added = 0;
    for (const { userId, plays } of batch) {
      if (!allowed.has(userId)) continue;
      added += (await this.store.addPlays(this.userFor(userId), plays)).added;
    }
    return added;
  }

  /** Plays from an export the person imported themselves (their consent for these plays). */
  async importPlays(userId: string, plays: PlayInput[]): Promise<AddResult> {
    // As columns: an import's batch reaches the SQLite worker thread as a few arrays, not 20,000 objects.
    return this.need().addPlayBatch(this.userFor(userId), playBatch(plays));
  }

  async recordImport(userId: string, record: ImportRecord): Promise<void> {
    await this.need().recordImport(this.userFor(userId), record);
  }

  async exportPage(userId: string, afterId: number): Promise<StoredPlay[]> {
    return this.need().playsPage(this.userFor(userId), afterId, EXPORT_PAGE_SIZE);
  }

  /** /history delete: every play, import record, cursor and choice. Recording stops (a status member is off again). */
  async erase(userId: string): Promise<ErasedHistory> {
    const store = this.need();
    const user = this.userFor(userId);
    const erased = await store.erase(user);
    // Owner and linked members would be recorded again by default: "off" is the one thing kept (the owner's as
    // `owner`, a linked member's in their link record — never their id in the history tables).
    const { kind } = await this.whoIs(userId);
    if (kind === 'owner') await store.setRecording(user, false);
    if (kind === 'linked') await this.setRecording(userId, false);
    return erased;
  }
}
