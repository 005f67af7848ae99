// keyv's store on the bot's SQLite database, through libsql like listening history (one SQLite engine in the
// process: @keyv/sqlite would bring a second one, sqlite3), on its own connection of the main thread. The table is the one @keyv/sqlite made —
// `keyv(key VARCHAR(255) PRIMARY KEY, value TEXT)`, keys prefixed `<namespace>:` by keyv itself — so a file written
// by an older version of the bot reads on unchanged.
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import type { SqliteHandle, SqliteStatement } from './sqlite-file.js';

/** How long a write keeps trying while another connection holds the write lock, and the pauses between tries. */
const LOCK_WAIT_MS = 5_000;
const LOCK_PAUSES_MS = [1, 2, 5, 10, 20, 50];

const isLocked = (error: unknown): boolean => String((error as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_BUSY');

/** The store's statements, prepared once the table exists. Plain statements, not Kysely: see sqlite-file.ts. */
interface Statements {
  get: SqliteStatement;
  upsert: SqliteStatement;
  delete: SqliteStatement;
  clear: SqliteStatement;
}

export class SqliteKeyvStore extends EventEmitter implements KeyvStoreAdapter {
  readonly opts: { dialect: 'sqlite'; table: 'keyv' } = { dialect: 'sqlite', table: 'keyv' };
  namespace?: string | undefined;
  private readonly ready: Promise<Statements>;
  /** Writes in order: one that waits for the lock can't land after a later write of the same key. */
  private writes: Promise<unknown> = Promise.resolve();

  /** `handle` is opened with `lockWaitMs: 0` (src/storage.ts): a write that meets the lock retries here, asynchronously. */
  constructor(handle: SqliteHandle) {
    super();
    this.ready = this.write(async () => {
      handle.exec('CREATE TABLE IF NOT EXISTS keyv(key VARCHAR(255) PRIMARY KEY, value TEXT)');
      return {
        get: handle.prepare('SELECT value FROM keyv WHERE key = ?'),
        upsert: handle.prepare('INSERT INTO keyv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
        delete: handle.prepare('DELETE FROM keyv WHERE key = ?'),
        clear: handle.prepare('DELETE FROM keyv WHERE key LIKE ?'),
      };
    });
  }

  /**
   * One write, retried while another connection (history's worker thread, the import script) holds the write lock:
   * waiting inside SQLite would be a synchronous sleep of the main thread.
   */
  private write<T>(work: () => Promise<T>): Promise<T> {
    const attempt = async (): Promise<T> => {
      const started = Date.now();
      for (let tries = 0; ; tries++) {
        try {
          return await work();
        } catch (error) {
          if (!isLocked(error) || Date.now() - started >= LOCK_WAIT_MS) throw error;
          await sleep(LOCK_PAUSES_MS[Math.min(tries, LOCK_PAUSES_MS.length - 1)]);
        }
      }
    };
    const result = this.writes.then(attempt, attempt);
    this.writes = result.catch(() => {});
    return result;
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const { get } = await this.ready;
    const row = get.get([key]) as { value: string } | undefined;
    return row?.value as StoredData<Value> | undefined;
  }

  async set(key: string, value: unknown): Promise<void> {
    const { upsert } = await this.ready;
    await this.write(async () => upsert.run([key, value]));
  }

  async delete(key: string): Promise<boolean> {
    const statements = await this.ready;
    const result = await this.write(async () => statements.delete.run([key]));
    return Number(result.changes) > 0;
  }

  async clear(): Promise<void> {
    const { clear } = await this.ready;
    await this.write(async () => clear.run([this.namespace ? `${this.namespace}:%` : '%']));
  }

  async has(key: string): Promise<boolean> {
    const { get } = await this.ready;
    return get.get([key]) !== undefined;
  }

  /** The database belongs to whoever opened it (src/storage.ts closes it): nothing to close here. */
  async disconnect(): Promise<void> {
    await this.ready.catch(() => {});
  }
}
