// `Services['recap']`: each server's weekly recap channel (/recap) and the numbers a recap shows. Runs where the
// store is (the manager under SHARDS=N; shards reach it over RPC), so every "was this week posted?" question is
// answered in one place, one write at a time: two shards, or a restart, can't both claim the same week.
//
// Settings mirror /announce: one storage key holding every server that turned the recap on, with who set it (told
// if the bot has to turn it off) and the last week posted (`postedSlot`: the scheduled firing the post was for).
import type { FeatureDeps } from '../../feature-deps.js';
import type { HistoryUser } from '../../history/play.js';
import type { HistoryStore, ListenerCount, NewArtist, Period, TopItem, Totals } from '../../history/store.js';
import type { Logger } from '../../logger.js';
import { HistoryDisabledError } from '../history/service.js';

export interface RecapSetting {
  guildId: string;
  channelId: string;
  /** Who turned it on: told if the bot has to turn it off. */
  setBy: string;
  /** Epoch ms. A week whose scheduled time is before this is not owed. */
  setAt: number;
  /** The scheduled firing (epoch ms) of the last week posted (or found empty), or null. */
  postedSlot: number | null;
}

export const RECAP_STORAGE_KEY = 'recap:channels';
export const RECAP_DAYS = 7;
const DAY_MS = 86_400_000;
/** Top artists and tracks listed; top listeners listed; new artists named. */
export const RECAP_TOP = 5;
/** Albums drawn in the chart (3×3). */
/** How long the consent check's answer (who may be counted) is reused across one run's servers. */
const CANDIDATES_TTL_MS = 30_000;

export interface RecapItem {
  name: string;
  /** A track's or album's artist; null for an artist. */
  artist: string | null;
  plays: number;
  ms: number;
  /** A Spotify cover id seen with it, if any. */
  imageId: string | null;
}

export interface RecapListener {
  userId: string;
  plays: number;
  ms: number;
}

/** A server's week: what the post shows. */
export interface RecapWeek {
  from: number;
  to: number;
  /** Members counted (in the server, recording, not "only me"). */
  members: number;
  totals: Totals;
  topArtists: RecapItem[];
  topTracks: RecapItem[];
  topListeners: RecapListener[];
  /** Artists the counted members first heard this week. */
  newArtists: { count: number; top: Array<{ name: string; plays: number }> };
}

/** `Services['recap']`. Guild and user ids are Discord ids; the week ends at the service's clock. */
export interface RecapNamespace {
  get(guildId: string): Promise<RecapSetting | null>;
  list(): Promise<RecapSetting[]>;
  /** Turn the recap on (or move it); the last posted week is kept, so moving it never posts the week twice. */
  set(setting: Omit<RecapSetting, 'postedSlot'>): Promise<void>;
  /** Turn it off; with a channel id, only while it still points there. Resolves with the setting removed. */
  off(guildId: string, channelId: string | null): Promise<RecapSetting | null>;
  /** Mark the week of `slot` as posted for these servers; resolves with those that were not yet (post those). */
  claim(guildIds: string[], slot: number): Promise<string[]>;
  /** Undo a claim after a post that failed for a passing reason, so the next check tries again. */
  release(guildId: string, slot: number): Promise<void>;
  /** Of these, who may be counted and has plays in the last 7 days: the only ones worth a membership lookup. */
  active(userIds: string[]): Promise<string[]>;
  /** The last 7 days of these members (the caller's current members of a server); consent checked again here. */
  week(userIds: string[]): Promise<RecapWeek>;
}

export interface RecapFeatureDeps extends Pick<FeatureDeps, 'storage' | 'logger' | 'now'> {
  store: HistoryStore | null;
  /** Everyone a server view may count (recording, not "only me"): the stats feature's rule. */
  stats: { serverCandidates(): Promise<string[]> };
  history: { userFor(userId: string): HistoryUser };
  ownerId: string | null;
}

type Stored = Record<string, RecapSetting>;

const item = (i: TopItem): RecapItem => ({ name: i.name, artist: i.artist, plays: i.plays, ms: i.ms, imageId: i.imageId });

export class RecapFeature implements RecapNamespace {
  private readonly logger: Logger;
  private cache: Map<string, RecapSetting> | null = null;
  /** Every read-modify-write runs after the previous one. */
  private queue: Promise<unknown> = Promise.resolve();
  private candidates: { at: number; ids: Promise<Set<string>> } | null = null;

  constructor(private readonly deps: RecapFeatureDeps) {
    this.logger = deps.logger.child('recap');
  }

  async get(guildId: string): Promise<RecapSetting | null> {
    return (await this.load()).get(guildId) ?? null;
  }

  async list(): Promise<RecapSetting[]> {
    return [...(await this.load()).values()];
  }

  set(setting: Omit<RecapSetting, 'postedSlot'>): Promise<void> {
    return this.write((all) => {
      const postedSlot = all.get(setting.guildId)?.postedSlot ?? null;
      all.set(setting.guildId, { guildId: setting.guildId, channelId: setting.channelId, setBy: setting.setBy, setAt: setting.setAt, postedSlot });
      this.logger.info('recap on', { guild: setting.guildId, channel: setting.channelId });
    });
  }

  off(guildId: string, channelId: string | null): Promise<RecapSetting | null> {
    return this.write((all) => {
      const current = all.get(guildId);
      if (!current || (channelId !== null && current.channelId !== channelId)) return null;
      all.delete(guildId);
      return current;
    });
  }

  claim(guildIds: string[], slot: number): Promise<string[]> {
    return this.write((all) => {
      const claimed: string[] = [];
      for (const guildId of new Set(guildIds)) {
        const setting = all.get(guildId);
        if (!setting || (setting.postedSlot !== null && setting.postedSlot >= slot)) continue;
        all.set(guildId, { ...setting, postedSlot: slot });
        claimed.push(guildId);
      }
      return claimed;
    }, (claimed) => claimed.length > 0);
  }

  release(guildId: string, slot: number): Promise<void> {
    return this.write(
      (all) => {
        const setting = all.get(guildId);
        if (!setting || setting.postedSlot !== slot) return false;
        all.set(guildId, { ...setting, postedSlot: null });
        return true;
      },
      (changed) => changed,
    ).then(() => undefined);
  }

  async active(userIds: string[]): Promise<string[]> {
    const store = this.need();
    const allowed = await this.countable();
    const ids = [...new Set(userIds)].filter((id) => allowed.has(id));
    if (ids.length === 0) return [];
    const played = new Set((await store.listenerTotals(ids.map((id) => this.deps.history.userFor(id)), this.period())).map((l) => l.user as string));
    return ids.filter((id) => played.has(this.deps.history.userFor(id)));
  }

  async week(userIds: string[]): Promise<RecapWeek> {
    const store = this.need();
    const period = this.period();
    const allowed = await this.countable();
    const ids = [...new Set(userIds)].filter((id) => allowed.has(id));
    const users = ids.map((id) => this.deps.history.userFor(id));
    const empty: RecapWeek = {
      ...period,
      members: users.length,
      totals: { plays: 0, ms: 0, tracks: 0, artists: 0, albums: 0 },
      topArtists: [],
      topTracks: [],
      topListeners: [],
      newArtists: { count: 0, top: [] },
    };
    if (users.length === 0) return empty;
    const totals = await store.totals(users, period);
    if (totals.plays === 0) return { ...empty, totals };
    const [artists, tracks, listeners, fresh] = await Promise.all([
      store.topItems(users, 'artist', period, RECAP_TOP),
      store.topItems(users, 'track', period, RECAP_TOP),
      store.listenerTotals(users, period),
      store.newArtists(users, period),
    ]);
    const named = (l: ListenerCount): RecapListener => ({ userId: l.user === 'owner' ? (this.deps.ownerId ?? 'owner') : l.user, plays: l.plays, ms: l.ms });
    return {
      ...period,
      members: users.length,
      totals,
      topArtists: artists.map(item),
      topTracks: tracks.map(item),
      topListeners: [...listeners].sort((a, b) => b.plays - a.plays || b.ms - a.ms).slice(0, RECAP_TOP).map(named),
      newArtists: { count: fresh.length, top: fresh.slice(0, RECAP_TOP).map((a: NewArtist) => ({ name: a.name, plays: a.plays })) },
    };
  }

  private need(): HistoryStore {
    if (this.deps.store === null) throw new HistoryDisabledError();
    return this.deps.store;
  }

  /** The last 7 days, up to now. */
  private period(): Period {
    const to = this.deps.now();
    return { from: to - RECAP_DAYS * DAY_MS, to };
  }

  /** Who may be counted, reused for a moment: a run asks for hundreds of servers back to back. */
  private countable(): Promise<Set<string>> {
    const now = this.deps.now();
    if (!this.candidates || now - this.candidates.at > CANDIDATES_TTL_MS || now < this.candidates.at) {
      const ids = this.deps.stats.serverCandidates().then((list) => new Set(list));
      this.candidates = { at: now, ids };
      ids.catch(() => {
        if (this.candidates?.ids === ids) this.candidates = null;
      });
    }
    return this.candidates.ids;
  }

  private async load(): Promise<Map<string, RecapSetting>> {
    await this.queue;
    return this.loadUnqueued();
  }

  /** A read-modify-write; stored only when `changed` says so (a claim of nothing writes nothing). */
  private write<T>(change: (all: Map<string, RecapSetting>) => T, changed: (result: T) => boolean = () => true): Promise<T> {
    const run = this.queue.then(async () => {
      const all = await this.loadUnqueued();
      const result = change(all);
      if (changed(result)) await this.deps.storage.set<Stored>(RECAP_STORAGE_KEY, Object.fromEntries(all));
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async loadUnqueued(): Promise<Map<string, RecapSetting>> {
    if (this.cache) return this.cache;
    const stored = (await this.deps.storage.get<Stored>(RECAP_STORAGE_KEY)) ?? {};
    this.cache ??= new Map(Object.entries(stored));
    return this.cache;
  }
}
