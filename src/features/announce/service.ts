// `Services['announce']`: each server's now-playing channel (/announce), in storage so it survives restarts.
// One key holds every server's setting: only servers that turned announce on are in it, and there is one writer
// (this process; under SHARDS=N the manager, which shards reach over RPC), so writes are simply serialized here.
import type { FeatureDeps } from '../../feature-deps.js';
import type { Logger } from '../../logger.js';
import type { Storage } from '../../storage.js';

export interface AnnounceSetting {
  guildId: string;
  channelId: string;
  /** Who turned it on: told if the bot has to turn it off. */
  setBy: string;
  /** Epoch ms. */
  setAt: number;
}

export const ANNOUNCE_STORAGE_KEY = 'announce:channels';

type Stored = Record<string, AnnounceSetting>;

/** `Services['announce']`: each server's now-playing channel (/announce); kept in storage. */
export interface AnnounceNamespace {
  get(guildId: string): Promise<AnnounceSetting | null>;
  list(): Promise<AnnounceSetting[]>;
  set(setting: AnnounceSetting): Promise<void>;
  off(guildId: string, channelId: string | null): Promise<AnnounceSetting | null>;
}

export class AnnounceFeature implements AnnounceNamespace {
  private readonly storage: Storage;
  private readonly logger: Logger;
  private cache: Map<string, AnnounceSetting> | null = null;
  /** Every read-modify-write runs after the previous one. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor({ storage, logger }: Pick<FeatureDeps, 'storage' | 'logger'>) {
    this.storage = storage;
    this.logger = logger.child('announce');
  }

  /** This server's setting, or null when announce is off. */
  async get(guildId: string): Promise<AnnounceSetting | null> {
    return (await this.load()).get(guildId) ?? null;
  }

  /** Every server with announce on. */
  async list(): Promise<AnnounceSetting[]> {
    return [...(await this.load()).values()];
  }

  /** Turn announce on (or move it) for a server. */
  set(setting: AnnounceSetting): Promise<void> {
    return this.write((all) => {
      all.set(setting.guildId, { ...setting });
      this.logger.info('announce on', { guild: setting.guildId, channel: setting.channelId });
    });
  }

  /**
   * Turn announce off for a server; with a `channelId`, only while it still points there (a post that failed for an
   * old channel must not undo a newer setting). Resolves with the setting removed, or null when there was none.
   * (null rather than an optional argument: arguments cross the shard IPC as JSON.)
   */
  off(guildId: string, channelId: string | null): Promise<AnnounceSetting | null> {
    return this.write((all) => {
      const current = all.get(guildId);
      if (!current || (channelId !== null && current.channelId !== channelId)) return null;
      all.delete(guildId);
      return current;
    });
  }

  /** The settings as of every write started before this read. */
  private async load(): Promise<Map<string, AnnounceSetting>> {
    await this.queue;
    return this.loadUnqueued();
  }

  private write<T>(change: (all: Map<string, AnnounceSetting>) => T): Promise<T> {
    const run = this.queue.then(async () => {
      const all = await this.loadUnqueued();
      const result = change(all);
      await this.storage.set<Stored>(ANNOUNCE_STORAGE_KEY, Object.fromEntries(all));
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async loadUnqueued(): Promise<Map<string, AnnounceSetting>> {
    if (this.cache) return this.cache;
    const stored = (await this.storage.get<Stored>(ANNOUNCE_STORAGE_KEY)) ?? {};
    // A concurrent load may have filled it meanwhile (and a write changed it): keep that one.
    this.cache ??= new Map(Object.entries(stored));
    return this.cache;
  }
}
