// `Services['stats']`: /stats and /serverstats numbers over the history store — totals, top 5 lists, the change
// against the period before, and listening time per day and per hour of day in the bot's time zone (TZ; UTC by
// default: plain Date local time). Runs where the store is; shards reach it through the RPC.
//
// Consent for server views: only members who are recording now and did not choose "only me" (a linked member's
// choice is in their link record, anyone else's with their history). Whether they are still in the server is the
// caller's to decide (the membership module lives in the process holding the server).
import type { HistoryUser } from '../../history/play.js';
import type { HistoryStore, ListenerCount, Period, PlayMoment, TopItem, Totals } from '../../history/store.js';
import { HistoryDisabledError, type HistoryFeature } from '../history/service.js';

export type StatsPeriod = 'week' | 'month' | 'year' | 'all';
export const STATS_PERIODS: readonly StatsPeriod[] = ['week', 'month', 'year', 'all'];
export const DEFAULT_STATS_PERIOD: StatsPeriod = 'month';

const DAY_MS = 86_400_000;
/** Length of each period in days; `all` has none (no previous period to compare with). */
export const PERIOD_DAYS: Record<StatsPeriod, number | null> = { week: 7, month: 30, year: 365, all: null };

export interface StatsTop {
  name: string;
  /** A track's or album's artist; null for an artist. */
  artist: string | null;
  plays: number;
  ms: number;
}

export interface DayTotal {
  /** The local day (bot's TZ), "2026-11-30". */
  day: string;
  ms: number;
  plays: number;
}

export interface Stats {
  period: StatsPeriod;
  from: number;
  to: number;
  totals: Totals;
  /** Plays and time of the period just before, as long as this one; null for `all`. */
  previous: { plays: number; ms: number } | null;
  topArtists: StatsTop[];
  topTracks: StatsTop[];
  topAlbums: StatsTop[];
  /** Every local day of the period, oldest first (for `all`: from the first play's day). */
  days: DayTotal[];
  /** Listening time by local hour of day, 24 entries. */
  hours: number[];
  /** The time zone the days and hours are in (for the reply to say). */
  timeZone: string;
}

export interface ServerListener {
  userId: string;
  plays: number;
  ms: number;
}

export interface ServerStats extends Stats {
  /** Members counted (recording, not "only me", in the ids asked about). */
  members: number;
  topByPlays: ServerListener[];
  topByTime: ServerListener[];
}

export const TOP_SIZE = 5;

export interface StatsFeatureDeps {
  store: HistoryStore | null;
  history: Pick<HistoryFeature, 'userFor' | 'consentAmong'>;
  ownerId: string | null;
  directory: { ids(): Promise<string[]> };
  now: () => number;
}

let zone: { tz: string | undefined; name: string } | null = null;

/** The bot's time zone as Intl names it ("UTC" when TZ is unset); asked again only when TZ changes. */
export function botTimeZone(): string {
  const tz = process.env.TZ;
  if (zone === null || zone.tz !== tz) zone = { tz, name: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC' };
  return zone.name;
}

const pad = (n: number): string => String(n).padStart(2, '0');
/** The local day of an instant, "2026-11-30". */
export function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * Local days and hours of instants, mostly in order (a period's quarter hours): the day holding the last instant is
 * kept with its bounds, so a Date is made once per day rather than per instant (a server's month has ~2,800 quarter
 * hours with plays). Bounds are local midnights, made from calendar fields, so daylight-saving days are right.
 */
class LocalCalendar {
  private start = Infinity;
  private end = -Infinity;
  private key = '';
  /** Whether the current day is 24 h long: then an hour is (instant − midnight) / 1 h, else asked of a Date. */
  private plain = false;

  private enter(ms: number): void {
    if (ms >= this.start && ms < this.end) return;
    const d = new Date(ms);
    this.start = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
    this.end = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
    this.key = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    this.plain = this.end - this.start === DAY_MS;
  }

  day(ms: number): string {
    this.enter(ms);
    return this.key;
  }

  hour(ms: number): number {
    this.enter(ms);
    return this.plain ? Math.floor((ms - this.start) / 3_600_000) : new Date(ms).getHours();
  }
}

/** Plays at one moment (a quarter hour's: see the store's slices); one play when not given. */
type Moments = ReadonlyArray<PlayMoment & { plays?: number }>;

/** Every local day from the one holding `from` to the one holding `to - 1`, with its plays' time. */
export function daySeries(moments: Moments, from: number, to: number): DayTotal[] {
  const byDay = new Map<string, DayTotal>();
  const start = new Date(from);
  // Stepping by calendar day (not 24 h) keeps days right across daylight-saving changes.
  for (let d = new Date(start.getFullYear(), start.getMonth(), start.getDate()); d.getTime() < to; d = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1)) {
    const day = localDay(d.getTime());
    byDay.set(day, { day, ms: 0, plays: 0 });
  }
  const calendar = new LocalCalendar();
  for (const m of moments) {
    const entry = byDay.get(calendar.day(m.startedAt));
    if (!entry) continue;
    entry.ms += m.ms;
    entry.plays += m.plays ?? 1;
  }
  return [...byDay.values()];
}

export function hourSeries(moments: Moments): number[] {
  const hours = Array.from({ length: 24 }, () => 0);
  const calendar = new LocalCalendar();
  for (const m of moments) hours[calendar.hour(m.startedAt)]! += m.ms;
  return hours;
}

/** [from, to) of a period ending now; `all` starts at the epoch. */
export function periodRange(period: StatsPeriod, now: number): Period {
  const days = PERIOD_DAYS[period];
  return { from: days === null ? 0 : now - days * DAY_MS, to: now };
}

const top = (items: TopItem[]): StatsTop[] => items.map((i) => ({ name: i.name, artist: i.artist, plays: i.plays, ms: i.ms }));

export class StatsFeature {
  constructor(private readonly deps: StatsFeatureDeps) {}

  private need(): HistoryStore {
    if (this.deps.store === null) throw new HistoryDisabledError();
    return this.deps.store;
  }

  /** A Discord id for a history user (the owner's plays are kept as `owner`). */
  private idOf(user: HistoryUser): string | null {
    return user === 'owner' ? this.deps.ownerId : user;
  }

  /** Of these Discord users, who chose "only me": linked members in their link record, others with their history. */
  async privateAmong(userIds: string[]): Promise<string[]> {
    this.need();
    const hidden: string[] = [];
    for (const [userId, consent] of await this.deps.history.consentAmong(userIds)) if (consent.onlyMe) hidden.push(userId);
    return hidden;
  }

  /**
   * Everyone whose plays a server view may count, wherever they are: recording now and not "only me" (the owner,
   * linked members, members who chose /history on). The caller keeps those still in its server.
   */
  async serverCandidates(): Promise<string[]> {
    const store = this.need();
    const ids = new Set<string>(await this.deps.directory.ids());
    if (this.deps.ownerId !== null) ids.add(this.deps.ownerId);
    for (const user of await store.optedIn()) {
      const id = this.idOf(user);
      if (id !== null) ids.add(id);
    }
    return this.counted([...ids]);
  }

  /** Of these, the ones recording now and not "only me". */
  private async counted(userIds: string[]): Promise<string[]> {
    const consent = await this.deps.history.consentAmong(userIds);
    return userIds.filter((id) => {
      const allowed = consent.get(id);
      return allowed !== undefined && allowed.recording && !allowed.onlyMe;
    });
  }

  /** One member's stats (their own, or someone's the caller may show). */
  async user(userId: string, period: StatsPeriod): Promise<Stats> {
    return (await this.compute([this.deps.history.userFor(userId)], period, false)).stats;
  }

  /** The stats of these members together (the caller's current members of a server); consent checked again here. */
  async server(userIds: string[], period: StatsPeriod): Promise<ServerStats> {
    const ids = await this.counted([...new Set(userIds)]);
    const users = ids.map((id) => this.deps.history.userFor(id));
    const { stats, listeners } = await this.compute(users, period, true);
    if (users.length === 0) return { ...stats, members: 0, topByPlays: [], topByTime: [] };
    const named = (l: ListenerCount): ServerListener => ({ userId: this.idOf(l.user) ?? String(l.user), plays: l.plays, ms: l.ms });
    const byPlays = [...listeners].sort((a, b) => b.plays - a.plays || b.ms - a.ms);
    const byTime = [...listeners].sort((a, b) => b.ms - a.ms || b.plays - a.plays);
    return {
      ...stats,
      members: users.length,
      topByPlays: byPlays.slice(0, TOP_SIZE).map(named),
      topByTime: byTime.slice(0, TOP_SIZE).map(named),
    };
  }

  /** The period's stats, and each listener's plays and time when asked. */
  private async compute(users: HistoryUser[], period: StatsPeriod, listeners: boolean): Promise<{ stats: Stats; listeners: ListenerCount[] }> {
    const store = this.need();
    const now = this.deps.now();
    const range = periodRange(period, now);
    const timeZone = botTimeZone();
    const empty: Totals = { plays: 0, ms: 0, tracks: 0, artists: 0, albums: 0 };
    if (users.length === 0) {
      const stats: Stats = { period, ...range, totals: empty, previous: null, topArtists: [], topTracks: [], topAlbums: [], days: [], hours: hourSeries([]), timeZone };
      return { stats, listeners: [] };
    }
    const days = PERIOD_DAYS[period];
    const before: Period | null = days === null ? null : { from: range.from - days * DAY_MS, to: range.from };
    // One store call: every statement runs where the store is (SQLite's worker) without a round trip each.
    const summary = await store.periodSummary(users, { period: range, before, limit: TOP_SIZE, listeners });
    const { totals, previous } = summary;
    const moments = summary.slices.map((s) => ({ startedAt: s.start, ms: s.ms, plays: s.plays }));
    // `all` starts at the first play, not at 1970.
    const first = moments.reduce((min, m) => Math.min(min, m.startedAt), Infinity);
    const from = period === 'all' ? (Number.isFinite(first) ? first : now) : range.from;
    const stats: Stats = {
      period,
      from: range.from,
      to: range.to,
      totals,
      previous: previous ? { plays: previous.plays, ms: previous.ms } : null,
      topArtists: top(summary.topArtists),
      topTracks: top(summary.topTracks),
      topAlbums: top(summary.topAlbums),
      days: totals.plays === 0 && period === 'all' ? [] : daySeries(moments, from, range.to),
      hours: hourSeries(moments),
      timeZone,
    };
    return { stats, listeners: summary.listeners ?? [] };
  }
}
