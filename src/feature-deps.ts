// What the feature services are built from (once, in createApp). A leaf: it names no feature, so every feature
// service can take it without importing the module that assembles them (src/services.ts).
import type { NoticeText } from './i18n/notice.js';
import type { Config } from './config.js';
import type { HistoryStore } from './history/store.js';
import type { Listener } from './listeners/listener.js';
import type { ListenerRegistry } from './listeners/registry.js';
import type { Logger } from './logger.js';
import type { TokenManager } from './spotify/tokens.js';
import type { Storage } from './storage.js';

export interface FeatureDeps {
  config: Config;
  logger: Logger;
  storage: Storage;
  /** The listening-history store (src/databases.ts); null when HISTORY=off. */
  history: HistoryStore | null;
  now: () => number;
  tokens: TokenManager;
  listeners: ListenerRegistry;
  /** Tell a listener something about their Spotify link (a DM); resolves false when nothing was sent. */
  notify: (listener: Listener, text: NoticeText) => Promise<boolean>;
  tuning: { listeningFreshnessMs?: number; topTtlMs?: number };
}
