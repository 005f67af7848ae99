// `Services['whoknows']`: /whoknows (a server's members ranked by their all-time plays of an artist, track or
// album), its autocomplete (stored names only, no Spotify call) and the /nowplaying history line. Runs where the
// store is; shards reach it through the RPC.
//
// Consent: a server view counts only members the caller found in its server now who are also among the stats
// feature's `serverCandidates` (recording, not "only me") — checked again here, as /serverstats does.
import type { HistoryUser } from '../../history/play.js';
import type { HistoryStore, ItemKind, ItemQuery, KnownItem, PlayCounts } from '../../history/store.js';
import { oneLine, truncate } from '../../discord/text.js';
import type { Listener } from '../../listeners/listener.js';
import { HistoryDisabledError, type HistoryFeature } from '../history/service.js';

/** One member's all-time plays of the item. */
export interface WhoKnowsRow {
  userId: string;
  plays: number;
}

export interface WhoKnows {
  /** Counted members with at least one play, most first. */
  rows: WhoKnowsRow[];
  /** Whether the asker is counted here (recording, not "only me"); their plays are in `rows` when they have any. */
  askerCounted: boolean;
}

/** An autocomplete suggestion: the value is the catalogue id (`id:<n>`), the name what people read. */
export interface ItemChoice {
  name: string;
  value: string;
}

export interface WhoKnowsNamespace {
  /** The item a query means (an autocomplete value, a typed name, what someone plays), or null when none is stored. */
  find(kind: ItemKind, query: ItemQuery): Promise<KnownItem | null>;
  /** The counted ones of `memberIds` (current members of the caller's server) ranked by their plays of the item. */
  rank(kind: ItemKind, key: string, memberIds: string[], askerId: string): Promise<WhoKnows>;
  /** Stored items starting with what was typed, at most 25, as autocomplete choices (Discord's limits kept). */
  suggest(kind: ItemKind, typed: string): Promise<ItemChoice[]>;
  /**
   * The listener's stored plays of this track and its artist, and how many counted ones of `memberIds` (current
   * members of the caller's server; null outside a server) played it.
   */
  playCounts(listener: Listener, track: { title: string; artist: string }, memberIds: string[] | null): Promise<PlayCounts>;
}

export interface WhoKnowsFeatureDeps {
  store: HistoryStore | null;
  history: Pick<HistoryFeature, 'userFor'>;
  ownerId: string | null;
  /** Everyone a server view may count, before the membership check (the stats feature's). */
  candidates(): Promise<string[]>;
}

/** Discord's autocomplete limits: 25 choices, names and values 1–100 characters. */
export const MAX_CHOICES = 25;
const CHOICE_MAX = 100;
export const CHOICE_PREFIX = 'id:';

/** A choice's name: "Levitating — Dua Lipa" (an artist alone), on one line, within 100 characters (by graphemes). */
export function choiceName(item: Pick<KnownItem, 'name' | 'artist'>): string {
  const text = item.artist === null ? item.name : `${item.name} — ${item.artist}`;
  return truncate(oneLine(text).replace(/\s+/g, ' '), CHOICE_MAX);
}

/** The catalogue id an autocomplete value names, or null (then it is a typed name). */
export function choiceId(value: string): number | null {
  const match = /^id:(\d{1,15})$/.exec(value);
  return match ? Number(match[1]) : null;
}

export class WhoKnowsFeature implements WhoKnowsNamespace {
  constructor(private readonly deps: WhoKnowsFeatureDeps) {}

  private need(): HistoryStore {
    if (this.deps.store === null) throw new HistoryDisabledError();
    return this.deps.store;
  }

  private idOf(user: HistoryUser): string {
    return user === 'owner' ? (this.deps.ownerId ?? 'owner') : user;
  }

  /** Of these current members, the ones a server view may count. */
  private async counted(memberIds: readonly string[]): Promise<string[]> {
    const candidates = new Set(await this.deps.candidates());
    return [...new Set(memberIds)].filter((id) => candidates.has(id));
  }

  async find(kind: ItemKind, query: ItemQuery): Promise<KnownItem | null> {
    return this.need().findItem(kind, query);
  }

  async rank(kind: ItemKind, key: string, memberIds: string[], askerId: string): Promise<WhoKnows> {
    const store = this.need();
    const ids = await this.counted(memberIds);
    const users = ids.map((id) => this.deps.history.userFor(id));
    const listeners = users.length === 0 ? [] : await store.listeners(users, kind, key);
    const rows = listeners
      .filter((l) => l.plays > 0)
      .sort((a, b) => b.plays - a.plays || b.ms - a.ms)
      .map((l) => ({ userId: this.idOf(l.user), plays: l.plays }));
    return { rows, askerCounted: ids.includes(askerId) };
  }

  async suggest(kind: ItemKind, typed: string): Promise<ItemChoice[]> {
    const items = await this.need().searchItems(kind, typed.slice(0, 100), MAX_CHOICES);
    const choices: ItemChoice[] = [];
    for (const item of items) {
      const name = choiceName(item);
      if (name !== '') choices.push({ name, value: `${CHOICE_PREFIX}${item.id}` });
    }
    return choices;
  }

  async playCounts(listener: Listener, track: { title: string; artist: string }, memberIds: string[] | null): Promise<PlayCounts> {
    const store = this.need();
    const user: HistoryUser = listener.kind === 'owner' ? 'owner' : this.deps.history.userFor(listener.userId);
    const members = memberIds === null ? null : (await this.counted(memberIds)).map((id) => this.deps.history.userFor(id));
    return store.playCounts(user, track, members);
  }
}
