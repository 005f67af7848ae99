// An SQLite file through libsql with the settings a long-running bot wants, and nothing else: no Kysely. The key-value
// store's connection on the main thread uses it as it is (a handful of primary-key statements), so the main thread
// never loads Kysely when history is in the worker thread; engines.ts puts Kysely over it for history.
import { loadLibsql } from './load-libsql.js';
import { SqlOpenError } from './open-error.js';

/** The part of libsql's Database this bot uses (better-sqlite3's interface). */
export interface SqliteHandle {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  close(): void;
  readonly inTransaction: boolean;
}

export interface SqliteStatement {
  readonly reader: boolean;
  all(parameters: ReadonlyArray<unknown>): unknown[];
  get(parameters: ReadonlyArray<unknown>): unknown;
  run(parameters: ReadonlyArray<unknown>): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown>;
}

export interface OpenSqliteOptions {
  /**
   * How long a write waits, inside SQLite, for another connection's write lock (the import script, or history's
   * worker thread). That wait is a synchronous sleep: a connection of the main thread passes 0 and retries on its own
   * (see keyv-sqlite.ts), so the event loop never stops for a lock. Default 5 s.
   */
  lockWaitMs?: number;
}

/** Open (creating if needed) an SQLite file; throws SqlOpenError. The caller makes it private and closes it. */
export async function openSqliteHandle(file: string, options: OpenSqliteOptions = {}): Promise<SqliteHandle> {
  const { default: Database } = await loadLibsql();
  const lockWaitMs = options.lockWaitMs ?? 5_000;
  try {
    const raw = new Database(file, { timeout: lockWaitMs }) as unknown as SqliteHandle;
    // WAL: readers never wait for the writer; NORMAL sync is durable across process crashes, which is what matters.
    // secure_delete: a deleted row's bytes are overwritten, so "delete my history" leaves nothing in free pages.
    raw.exec(
      `PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = ${lockWaitMs}; ` +
        'PRAGMA secure_delete = ON',
    );
    return raw;
  } catch (error) {
    throw new SqlOpenError(`can't open the SQLite file ${file}: ${(error as Error).message}`);
  }
}
