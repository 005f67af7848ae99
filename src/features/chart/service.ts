// `Services['chart']`: charts drawn from stored history — a member's or a server's top albums, tracks or artists of
// a period (the periods of /stats), each with its play count and a cover (stored, or looked up once: covers.ts).
// Runs where the store is; shards reach it through the RPC and draw the picture themselves.
//
// Consent for server charts: only the ids given that a server view may count (recording, not "only me": the same
// candidates /serverstats uses); whether they are still in the server is the caller's to decide.
import type { HistoryUser } from '../../history/play.js';
import type { HistoryStore, ItemKind } from '../../history/store.js';
import type { ChartKind } from '../../render/chart.js';
import { HistoryDisabledError, type HistoryFeature } from '../history/service.js';
import { periodRange, type StatsFeature, type StatsPeriod } from '../stats/service.js';
import { coverUrl, type CoverLookup } from './covers.js';

export interface HistoryChartItem {
  name: string;
  /** A track's or album's artist; null for an artist. */
  artist: string | null;
  plays: number;
  ms: number;
  /** Cover art (an album cover; for an artist, one of their albums'), or null: a placeholder tile. */
  imageUrl: string | null;
}

export interface HistoryChart {
  kind: ChartKind;
  period: StatsPeriod;
  from: number;
  to: number;
  /** Most played first, at most the limit asked for. */
  items: HistoryChartItem[];
}

export interface ServerChart extends HistoryChart {
  /** Members counted (recording, not "only me", among the ids asked about). */
  members: number;
}

/** `Services['chart']`. */
export interface ChartNamespace {
  /** One member's top items of a period from their stored history (the caller checked they may be shown). */
  user(userId: string, kind: ChartKind, period: StatsPeriod, limit: number): Promise<HistoryChart>;
  /** The top items of these members together (a server's current members); consent checked here. */
  server(userIds: string[], kind: ChartKind, period: StatsPeriod, limit: number): Promise<ServerChart>;
}

/** A chart has at most 5×5 tiles. */
export const CHART_MAX_ITEMS = 25;

const ITEM_KIND: Record<ChartKind, ItemKind> = { albums: 'album', tracks: 'track', artists: 'artist' };

export interface ChartFeatureDeps {
  store: HistoryStore | null;
  history: Pick<HistoryFeature, 'userFor'>;
  stats: Pick<StatsFeature, 'serverCandidates'>;
  /** Null: covers only as stored (no Spotify lookups). */
  covers: CoverLookup | null;
  now: () => number;
}

export class ChartFeature implements ChartNamespace {
  constructor(private readonly deps: ChartFeatureDeps) {}

  user(userId: string, kind: ChartKind, period: StatsPeriod, limit: number): Promise<HistoryChart> {
    return this.chart([this.deps.history.userFor(userId)], kind, period, limit);
  }

  async server(userIds: string[], kind: ChartKind, period: StatsPeriod, limit: number): Promise<ServerChart> {
    const counted = new Set(await this.deps.stats.serverCandidates());
    const ids = [...new Set(userIds)].filter((id) => counted.has(id));
    const chart = await this.chart(ids.map((id) => this.deps.history.userFor(id)), kind, period, limit);
    return { ...chart, members: ids.length };
  }

  private async chart(users: HistoryUser[], kind: ChartKind, period: StatsPeriod, limit: number): Promise<HistoryChart> {
    const store = this.deps.store;
    if (store === null) throw new HistoryDisabledError();
    const range = periodRange(period, this.deps.now());
    const itemKind = ITEM_KIND[kind];
    const size = Math.max(1, Math.min(CHART_MAX_ITEMS, Math.floor(limit)));
    const top = users.length === 0 ? [] : await store.topItems(users, itemKind, range, size);
    const missing = top.filter((item) => item.imageId === null).map((item) => item.key);
    const looked = missing.length > 0 && this.deps.covers ? await this.deps.covers.covers(itemKind, missing) : new Map<string, string>();
    return {
      kind,
      period,
      ...range,
      items: top.map((item) => ({
        name: item.name,
        artist: item.artist,
        plays: item.plays,
        ms: item.ms,
        imageUrl: coverUrl(item.imageId ?? looked.get(item.key) ?? null),
      })),
    };
  }
}
