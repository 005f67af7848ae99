// The bot's stores, opened together at start: the key-value store (STORAGE_URL) and listening history (SQL). When
// STORAGE_URL is an SQLite file, both live in it (one file to back up, one SQLite engine: libsql): the key-value
// store on a connection of this thread, history on one of its worker thread (WAL: neither waits for the other's
// reads); with PostgreSQL both live on that server; with Redis (or memory) history goes to HISTORY_URL.
import type { Config } from './config.js';
import type { HistoryStore } from './history/store.js';
import type { Logger } from './logger.js';
import type { SqlDatabase } from './sql/engines.js';
import { SqlOpenError } from './sql/open-error.js';
import { openStorage, StorageError, type Storage } from './storage.js';

export interface Databases {
  storage: Storage;
  /** null when HISTORY=off. */
  history: HistoryStore | null;
  close(): Promise<void>;
}

/** A store that can't be opened: the message says what to fix. */
export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError';
}

export async function openDatabases(config: Pick<Config, 'storageUrl' | 'history'>, logger: Logger): Promise<Databases> {
  let sql: SqlDatabase | null = null;
  let storage: Storage | null = null;
  let history: HistoryStore | null = null;
  try {
    // The key-value store keeps its own connection on this thread (primary-key reads and writes, microseconds).
    storage = await openStorage(config.storageUrl, { logger: logger.child('storage') });
    if (config.history.enabled && config.history.url.startsWith('sqlite://')) {
      // libsql is synchronous: SQLite history runs in a worker thread, so its queries never block this one.
      const { openHistoryInWorker } = await import('./sql/history-thread.js');
      history = await openHistoryInWorker(config.history.url, { logger: logger.child('history') });
    } else if (config.history.enabled) {
      const { openHistoryDatabase } = await import('./sql/open.js');
      sql = await openHistoryDatabase(config.history.url, logger.child('history'));
      const { openHistoryStore } = await import('./sql/history-store.js');
      history = await openHistoryStore(sql, { logger: logger.child('history') });
    }
    const opened = { storage, sql, history };
    return {
      storage,
      history,
      async close() {
        await opened.history?.close().catch(() => {});
        await opened.storage.close();
        await opened.sql?.close().catch(() => {});
      },
    };
  } catch (error) {
    await storage?.close().catch(() => {});
    await sql?.close().catch(() => {});
    if (error instanceof StorageError || error instanceof SqlOpenError) throw new DatabaseOpenError(error.message);
    if (error instanceof Error && error.name === 'HistoryStoreError') throw new DatabaseOpenError(error.message);
    throw error;
  }
}
