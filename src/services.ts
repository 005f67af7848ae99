// The services of this process (one process, or the manager under SHARDS): one feature service per namespace of
// `Services` (src/service-types.ts), built once in createApp.
import type { FeatureDeps } from './feature-deps.js';
import { AccountFeature } from './features/account/service.js';
import { AnnounceFeature } from './features/announce/service.js';
import { HistoryFeature } from './features/history/service.js';
import { ListeningFeature } from './features/nowplaying/service.js';
import { StatsFeature } from './features/stats/service.js';
import { RecapFeature } from './features/recap/service.js';
import { RecentFeature } from './features/recent/service.js';
import { TopFeature } from './features/top/service.js';
import { ChartFeature } from './features/chart/service.js';
import { CoverLookup } from './features/chart/covers.js';
import { TasteFeature } from './features/taste/service.js';
import { WrappedFeature } from './features/wrapped/service.js';
import { WhoKnowsFeature } from './features/whoknows/service.js';
import { MemberDirectory, MembersFeature } from './listeners/members.js';
import type { Services } from './service-types.js';

/** The services of this process, backed by Spotify. A feature added to `Services` is a compile error here until built. */
export function createServices(deps: FeatureDeps) {
  const directory = new MemberDirectory(deps.storage, deps.config.spotify.maxUsers);
  const account = new AccountFeature(deps, directory);
  const history = new HistoryFeature({ config: deps.config, logger: deps.logger.child('history'), store: deps.history, directory });
  const stats = new StatsFeature({ store: deps.history, history, ownerId: deps.config.discord.ownerId, directory, now: deps.now });
  const store = deps.history;
  const covers = store && new CoverLookup({ store, spotify: () => deps.listeners.owner.spotify, logger: deps.logger.child('chart'), now: deps.now });
  return {
    listening: new ListeningFeature(deps),
    top: new TopFeature(deps),
    account,
    members: new MembersFeature(deps, directory, account),
    recent: new RecentFeature(deps),
    announce: new AnnounceFeature(deps),
    history,
    stats,
    chart: new ChartFeature({ store, history, stats, covers, now: deps.now }),
    taste: new TasteFeature({ store: deps.history, history, now: deps.now }),
    wrapped: new WrappedFeature({ store: deps.history, history, consent: stats, ownerId: deps.config.discord.ownerId, now: deps.now }),
    recap: new RecapFeature({ ...deps, store: deps.history, stats, history, ownerId: deps.config.discord.ownerId }),
    whoknows: new WhoKnowsFeature({ store: deps.history, history, ownerId: deps.config.discord.ownerId, candidates: () => stats.serverCandidates() }),
  } satisfies Services;
}

export type LocalServices = ReturnType<typeof createServices>;
